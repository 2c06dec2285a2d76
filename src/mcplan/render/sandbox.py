"""The Jinja environment templates run in: sandboxed, strict, and bounded.

Templates come from pull requests, so a template may be hostile. Three layers keep rendering
safe and quick:

1. Before compiling, the template's syntax tree is checked: no macros, includes, imports or
   template inheritance (nothing to reach other files or recurse), no attribute that starts
   with ``_`` (``__class__``), no power operator, at most two nested loops and 20 loops.
2. Every loop is bounded: the compiled template iterates at most 1,000 items per loop, and
   ``range`` stops at 1,000.
3. At run time Jinja's immutable sandbox refuses unsafe attributes and calls, and every
   operation that can grow a value is bounded before it runs: no text or list over 100,000
   items is made (by ``~``, ``+``, ``*``, ``replace``, ``translate``, ``join``, ``slice``,
   ``batch``, ``tojson``…), no integer over 128 bits (repeated squaring), %-formatting and
   ``str.format`` (whose widths allocate gigabytes) are refused, a part's output stops at
   100,000 characters, and a render stops after 2 seconds.

Undefined variables are errors (``StrictUndefined``): a typo is reported with the template's
file and line, never rendered as an empty string.
"""

from __future__ import annotations

import contextvars
import functools
import itertools
import math
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from mcplan.render.filters import FILTERS

MAX_SOURCE = 20_000  # characters of one template part
MAX_LAYOUT = 100_000  # characters of an e-mail layout (MJML is verbose)
MAX_OUTPUT = 100_000  # characters one part may produce
MAX_ITEMS = 1_000  # items one loop may iterate
MAX_LOOPS = 20
MAX_BITS = 128  # of an integer: far above any price, count or date
MAX_SECONDS = 2.0  # of one render
MAX_INDENT = 16  # of tojson
_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("deadline", default=math.inf)
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


def in_time() -> None:
    """Refuse to go on past the render's time budget (checked in every loop and call)."""
    if time.monotonic() > _DEADLINE.get():
        raise SecurityError(f"the template takes longer than {MAX_SECONDS:g} seconds")


def sized(value: Any) -> Any:
    """``value``, refused when it is text or a collection over :data:`MAX_OUTPUT` items, or an
    integer over :data:`MAX_BITS` bits."""
    if isinstance(value, str | bytes | list | tuple | dict) and len(value) > MAX_OUTPUT:
        raise SecurityError(f"a value of more than {MAX_OUTPUT:,} characters or items is refused")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise SecurityError("a number this large is refused")
    return value


def bounded(items: Any) -> Iterator[Any]:
    """The items of a loop, refused beyond :data:`MAX_ITEMS`, each within the time budget."""
    taken = list(itertools.islice(iter(items), MAX_ITEMS + 1))
    if len(taken) > MAX_ITEMS:
        raise SecurityError(f"a loop may go over at most {MAX_ITEMS:,} items")
    for item in taken:
        in_time()
        yield item


def _concat(parts: list[Any]) -> str:
    """``a ~ b ~ c``, refused before it is made when it would be too long."""
    texts = [str(part) for part in parts]
    if sum(map(len, texts)) > MAX_OUTPUT:
        raise SecurityError(f"joining text into more than {MAX_OUTPUT:,} characters is refused")
    return "".join(texts)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def _before_call(name: str, owner: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a text method (or filter) whose result would be too large, before it runs."""
    if name == "replace" and isinstance(owner, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        times = owner.count(old) if old else len(owner) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            times = min(times, args[2])
        if len(owner) + times * (len(new) - len(old)) > MAX_OUTPUT:
            raise SecurityError(f"replace() would make more than {MAX_OUTPUT:,} characters")
    if name == "translate" and isinstance(owner, str) and args and isinstance(args[0], dict):
        widest = max((_length(v) for v in args[0].values()), default=1)
        if len(owner) * max(widest, 1) > MAX_OUTPUT:
            raise SecurityError(f"translate() would make more than {MAX_OUTPUT:,} characters")


def _bounded_filter(name: str, filter_: Any) -> Any:
    """A built-in filter whose arguments and result are checked (see the module docstring)."""

    @functools.wraps(filter_)
    def checked(*args: Any, **kwargs: Any) -> Any:
        in_time()
        values = [a for a in args if not _is_environment(a)]
        groups = values[1] if name in ("slice", "batch") and len(values) > 1 else 0
        if isinstance(groups, int) and groups > MAX_ITEMS:
            raise SecurityError(f"{name}() may make at most {MAX_ITEMS:,} groups")
        if name == "tojson":
            indent = kwargs.get("indent", values[1] if len(values) > 1 else None)
            if isinstance(indent, int) and indent > MAX_INDENT:
                raise SecurityError(f"tojson() may indent by at most {MAX_INDENT}")
        if name == "replace" and values:
            _before_call("replace", str(values[0]), tuple(values[1:]), kwargs)
        if name == "join" and values:
            items = _joinable(values[0], str(values[1]) if len(values) > 1 else "")
            args = tuple(items if a is values[0] else a for a in args)
        result = filter_(*args, **kwargs)
        if isinstance(result, Iterator):  # slice, batch, map…: bounded when looped over
            return result
        return sized(result)

    return checked


def _is_environment(value: Any) -> bool:
    return isinstance(value, ImmutableSandboxedEnvironment) or type(value).__name__.endswith(
        ("Context", "EvalContext")
    )


def _joinable(items: Any, separator: str) -> list[Any]:
    """The items ``join`` is given, refused when the joined text would be too long."""
    taken = list(itertools.islice(iter(items), MAX_OUTPUT + 1))
    if sum(len(str(i)) for i in taken) + len(separator) * len(taken) > MAX_OUTPUT:
        raise SecurityError(f"join() would make more than {MAX_OUTPUT:,} characters")
    return taken


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise SecurityError(f"range() may give at most {MAX_ITEMS:,} numbers")
    return numbers


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits described in the module docstring."""

    intercepted_binops = frozenset({"*", "%", "**", "+", "-"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        in_time()
        if operator == "**":
            raise SecurityError("the power operator (**) is not allowed")
        if operator == "%" and isinstance(left, str):
            raise SecurityError("%-formatting of text is not allowed; join text with ~")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                repeats = isinstance(sequence, str | list | tuple) and isinstance(times, int)
                if repeats and len(sequence) * times > MAX_OUTPUT:
                    raise SecurityError("repeating text or a list this many times is refused")
            numbers = isinstance(left, int) and isinstance(right, int)
            if numbers and left.bit_length() + right.bit_length() > MAX_BITS:
                raise SecurityError("a number this large is refused")
        if operator == "+" and _length(left) + _length(right) > MAX_OUTPUT:
            raise SecurityError(f"a value of more than {MAX_OUTPUT:,} characters is refused")
        return sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        in_time()
        name = getattr(__obj, "__name__", "")
        if name in _UNSAFE_METHODS:
            hint = "; join text with ~" if name.startswith("format") else ""
            raise SecurityError(f"calling .{name}() is not allowed in templates{hint}")
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"calling {name or 'this object'} is not allowed in templates")
        owner = getattr(__obj, "__self__", None)
        _before_call(name, owner, args, kwargs)
        if name == "join" and isinstance(owner, str) and args:
            args = (_joinable(args[0], owner), *args[1:])
        return sized(super().call(__context, __obj, *args, **kwargs))


@functools.cache
def environment(autoescape: bool = False) -> Sandbox:
    """The one environment every channel template compiles in (compiled templates are cached);
    with ``autoescape``, the one of e-mail layouts, which write markup (every value escaped)."""
    env = Sandbox(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=False,
        finalize=lambda value: "" if value is None else value,
        auto_reload=False,
        cache_size=2_000,
    )
    for name in _UNSAFE_FILTERS:
        env.filters.pop(name, None)
    env.filters = {name: _bounded_filter(name, f) for name, f in env.filters.items()}
    env.filters.update(FILTERS)
    env.filters["_bounded"] = bounded
    env.filters["_concat"] = _concat
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["range"] = bounded_range
    return env


@functools.lru_cache(maxsize=4_096)
def compile_template(source: str, name: str, *, markup: bool = False) -> tuple[Any, frozenset[str]]:
    """Parse, check and compile one template part (or, with ``markup``, an e-mail layout:
    escaped, and up to :data:`MAX_LAYOUT` characters), once per process.

    Returns the template and the names of the variables it reads; raises TemplateRejected or
    a Jinja error.
    """
    limit = MAX_LAYOUT if markup else MAX_SOURCE
    if len(source) > limit:
        raise TemplateRejected(f"the template is longer than {limit:,} characters", 1)
    env = environment(autoescape=markup)
    tree = env.parse(source, name=name, filename=name)
    _check(tree)
    variables = frozenset(meta.find_undeclared_variables(tree))
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "_bounded", [], [], None, None, lineno=loop.lineno)
    tree = _BoundedConcat().visit(tree)
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


class _BoundedConcat(NodeTransformer):
    """``a ~ b`` becomes ``[a, b]|_concat``, which refuses a result over the limit before it
    is made (Jinja joins concatenations itself, out of reach of the sandbox's hooks)."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        items = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(items, "_concat", [], [], None, None, lineno=node.lineno)


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """Render within the time budget, stopping as soon as the output passes
    :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    size = 0
    token = _DEADLINE.set(time.monotonic() + MAX_SECONDS)
    try:
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the template produces more than {MAX_OUTPUT:,} characters")
            out.append(chunk)
    finally:
        _DEADLINE.reset(token)
    return "".join(out)
