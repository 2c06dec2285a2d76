"""The Jinja environment templates run in: sandboxed, strict, and bounded.

Templates come from pull requests, so a template may be hostile. Three layers keep rendering
safe and quick:

1. Before compiling, the template's syntax tree is checked: no macros, includes, imports or
   template inheritance (nothing to reach other files or recurse), no attribute that starts
   with ``_`` (``__class__``), no power operator, at most two nested loops and 20 loops.
2. Every loop is bounded: the compiled template iterates at most 1,000 items per loop, and
   ``range`` stops at 1,000.
3. At run time Jinja's immutable sandbox refuses unsafe attributes and calls; text repetition
   (``'a' * n``), %-formatting and ``str.format`` (whose widths can allocate gigabytes) are
   refused, and a part's output stops at 100,000 characters.

Undefined variables are errors (``StrictUndefined``): a typo is reported with the template's
file and line, never rendered as an empty string.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from mcplan.render.filters import FILTERS

MAX_SOURCE = 20_000  # characters of one template part
MAX_OUTPUT = 100_000  # characters one part may produce
MAX_ITEMS = 1_000  # items one loop may iterate
MAX_LOOPS = 20
MAX_LOOP_DEPTH = 2

# What a template may not do, as the message names it: "... is not allowed in channel templates".
_FORBIDDEN = {
    nodes.Macro: "a macro",
    nodes.CallBlock: "a call block",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "a {% block %}",
    nodes.Pow: "the power operator (**)",
}
# Jinja's built-in filters minus those that allocate by a width argument or are random.
_UNSAFE_FILTERS = {"center", "indent", "format", "random", "wordwrap", "filesizeformat"}
_UNSAFE_METHODS = {"format", "format_map", "center", "ljust", "rjust", "zfill", "expandtabs"}


class TemplateRejected(Exception):
    """A template that the static checks refuse, with the template line at fault."""

    def __init__(self, message: str, lineno: int) -> None:
        super().__init__(message)
        self.lineno = lineno


def bounded(items: Any) -> list[Any]:
    """The items of a loop, refused beyond :data:`MAX_ITEMS`."""
    taken = list(itertools.islice(iter(items), MAX_ITEMS + 1))
    if len(taken) > MAX_ITEMS:
        raise SecurityError(f"a loop may go over at most {MAX_ITEMS:,} items")
    return taken


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise SecurityError(f"range() may give at most {MAX_ITEMS:,} numbers")
    return numbers


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits described in the module docstring."""

    intercepted_binops = frozenset({"*", "%", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("the power operator (**) is not allowed")
        if operator == "%" and isinstance(left, str):
            raise SecurityError("%-formatting of text is not allowed; join text with ~")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                repeats = isinstance(sequence, str | list | tuple) and isinstance(times, int)
                if repeats and len(sequence) * times > MAX_OUTPUT:
                    raise SecurityError("repeating text or a list this many times is refused")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(__obj, "__name__", "")
        if name in _UNSAFE_METHODS:
            hint = "; join text with ~" if name.startswith("format") else ""
            raise SecurityError(f"calling .{name}() is not allowed in templates{hint}")
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"calling {name or 'this object'} is not allowed in templates")
        return super().call(__context, __obj, *args, **kwargs)


@functools.cache
def environment() -> Sandbox:
    """The one environment every channel template compiles in (compiled templates are cached)."""
    env = Sandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        finalize=lambda value: "" if value is None else value,
        auto_reload=False,
        cache_size=2_000,
    )
    for name in _UNSAFE_FILTERS:
        env.filters.pop(name, None)
    env.filters.update(FILTERS)
    env.filters["_bounded"] = bounded
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["range"] = bounded_range
    return env


@functools.lru_cache(maxsize=4_096)
def compile_template(source: str, name: str) -> tuple[Any, frozenset[str]]:
    """Parse, check and compile one template part, once per process.

    Returns the template and the names of the variables it reads; raises TemplateRejected or
    a Jinja error.
    """
    if len(source) > MAX_SOURCE:
        raise TemplateRejected(f"the template is longer than {MAX_SOURCE:,} characters", 1)
    env = environment()
    tree = env.parse(source, name=name, filename=name)
    _check(tree)
    variables = frozenset(meta.find_undeclared_variables(tree))
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "_bounded", [], [], None, None, lineno=loop.lineno)
    code = env.compile(tree, name=name, filename=name)
    return env.template_class.from_code(env, code, env.make_globals(None)), variables


def _check(tree: nodes.Template) -> None:
    loops = list(tree.find_all(nodes.For))
    if len(loops) > MAX_LOOPS:
        raise TemplateRejected(f"a template may have at most {MAX_LOOPS} loops", loops[0].lineno)
    for node in _walk(tree):
        for kind, what in _FORBIDDEN.items():
            if isinstance(node, kind):
                raise TemplateRejected(f"{what} is not allowed in channel templates", node.lineno)
        name = getattr(node, "attr", None) if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value if isinstance(node.arg.value, str) else None
        if name and name.startswith("_"):
            raise TemplateRejected(f"attribute '{name}' is not allowed", node.lineno)
        if isinstance(node, nodes.For):
            if node.recursive:
                raise TemplateRejected("recursive loops are not allowed", node.lineno)
            if _loop_depth(node) > MAX_LOOP_DEPTH:
                raise TemplateRejected(f"loops may nest at most {MAX_LOOP_DEPTH} deep", node.lineno)


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


def _loop_depth(loop: nodes.For) -> int:
    inner: Iterable[nodes.For] = loop.find_all(nodes.For)
    return 1 + max((_loop_depth(child) for child in inner if child is not loop), default=0)


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """Render, stopping as soon as the output passes :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise SecurityError(f"the template produces more than {MAX_OUTPUT:,} characters")
        out.append(chunk)
    return "".join(out)
