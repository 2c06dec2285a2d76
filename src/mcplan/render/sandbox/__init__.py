"""The Jinja environment templates run in: sandboxed, strict, and bounded.

Templates come from pull requests, so a template may be hostile. Four layers keep rendering
safe and quick:

1. Before compiling, the template's syntax tree is checked: no macros, includes, imports or
   template inheritance (nothing to reach other files or recurse), no attribute that starts
   with ``_`` (``__class__``), no power operator, at most two nested loops and 20 loops.
2. Every loop is bounded: the compiled template iterates at most 1,000 items per loop, and
   ``range`` stops at 1,000.
3. At run time Jinja's immutable sandbox refuses unsafe attributes and calls, and every value a
   template builds is measured as it is built, *with what it holds*: a list of lists counts the
   characters and items of every list it holds, as often as it holds them (``str()`` writes them
   all out). Literals (``[a, a]``, ``{...}``), operators, ``~``, every filter, every call and
   every ``{% set %}`` or ``{% filter %}`` block are measured, and so is each item a lazy filter
   (``map``, ``select``, ``batch``…) gives; what would be more than 100,000
   characters and items, or nested more than 100 deep, is refused, before it is made where
   making it is the cost (``*``, ``+``, ``replace``, ``translate``, ``join``, ``sum``,
   ``slice``, ``batch``, ``round``, ``tojson``, ``pprint``). Since every value is small, every
   single operation on one (``str()``, a comparison, JSON) is quick: Python cannot interrupt a
   long C call, so this is what bounds the time inside a call. No integer over 128 bits is made,
   %-formatting and ``str.format`` (whose widths allocate gigabytes) are refused, and a render
   builds at most 100 MB of values in all (their size in memory, as each is made). A namespace
   is written ``<namespace>`` in an error's message: its attributes may grow after it is
   measured.
4. What is printed (``{{ }}``, ``~``, ``|string``, ``|join``…) must be text, a number, a date or
   a list or mapping of plain values: a function, a class, ``loop``, ``self``, a namespace, an
   iterator or a Markup inside a list would print Python's notation (``<class '…'>``), and is
   refused. A part's output stops at 100,000 characters, and a render stops after 2 seconds
   (checked at every loop item, call, filter, test and operator).

Jinja's optimizer is off: it tries to fold every level of a nested expression again at each
level, which costs the cube of its depth (a template of 120 nested filters took seconds to
compile); a template nested deeper than Python's compiler allows is refused.

Undefined variables are errors (``StrictUndefined``): a typo is reported with the template's
file and line, never rendered as an empty string.

Here a template is compiled and run; `tree` checks and rewrites its syntax tree (1, 2),
`values` measures what it builds and prints and keeps the render's budget (3, 4), and `calls`
checks what it calls (methods, filters, tests, operators) and builds the environment.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from jinja2.exceptions import SecurityError

from mcplan import numbers
from mcplan.render.sandbox.calls import environment
from mcplan.render.sandbox.tree import TemplateRejected, bounded_tree, check, undeclared
from mcplan.render.sandbox.values import MAX_OUTPUT, budget

MAX_SOURCE = 20_000  # characters of one template part
MAX_LAYOUT = 100_000  # characters of an e-mail layout (MJML is verbose)
MAX_SECONDS = 2.0  # of one render


@functools.lru_cache(maxsize=4_096)
def compile_template(source: str, name: str, *, markup: bool = False) -> tuple[Any, frozenset[str]]:
    """Parse, check and compile one template part (or, with ``markup``, an e-mail layout:
    escaped, and up to :data:`MAX_LAYOUT` characters), once per process.

    Returns the template and the names of the variables it reads; raises TemplateRejected or
    a Jinja error.
    """
    limit = MAX_LAYOUT if markup else MAX_SOURCE
    if len(source) > limit:
        raise TemplateRejected(f"the template is longer than {numbers.count(limit)} characters", 1)
    env = environment(autoescape=markup)
    try:
        tree = env.parse(source, name=name, filename=name)
    except ValueError as exc:  # an integer longer than Python reads (4,300 digits)
        digits = sys.get_int_max_str_digits()
        lines = (n for n, kind, text in env.lex(source) if kind == "integer" and len(text) > digits)
        message = f"a number of more than {numbers.count(digits)} digits is refused"
        raise TemplateRejected(message, next(lines, 1)) from exc
    check(tree)
    variables = undeclared(tree)
    code = env.compile(bounded_tree(tree), name=name, filename=name)
    return env.template_class.from_code(env, code, env.make_globals(None)), variables


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """Render within the time and memory budgets, stopping as soon as the output passes
    :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    size = 0
    with budget(MAX_SECONDS):
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(
                    f"the template produces more than {numbers.count(MAX_OUTPUT)} characters"
                )
            out.append(chunk)
    return "".join(out)


__all__ = [
    "MAX_LAYOUT",
    "MAX_SECONDS",
    "MAX_SOURCE",
    "TemplateRejected",
    "compile_template",
    "environment",
    "render_bounded",
]
