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
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import inspect
import itertools
import json
import math
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter, sync_do_join
from jinja2.runtime import LoopContext, TemplateReference, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, pass_context, pass_environment, pass_eval_context
from jinja2.visitor import NodeTransformer

from mcplan import numbers
from mcplan.render.filters import FILTERS

MAX_SOURCE = 20_000  # characters of one template part
MAX_LAYOUT = 100_000  # characters of an e-mail layout (MJML is verbose)
MAX_OUTPUT = 100_000  # characters one part may produce
MAX_VALUE = 100_000  # characters and items of one value, counting what it holds
MAX_DEPTH = 100  # nesting of a value (a workspace's YAML nests at most 64 deep)
MAX_BUILT = 100_000_000  # bytes of values one render may build in all
MAX_ITEMS = 1_000  # items one loop may iterate
MAX_LOOPS = 20
MAX_BITS = 128  # of an integer: far above any price, count or date
MAX_PRECISION = 100  # digits of round()
MAX_SECONDS = 2.0  # of one render
MAX_INDENT = 16  # of tojson
MAX_LOOP_DEPTH = 2


@dataclass
class _Budget:
    """What one render may still spend: its deadline, and the bytes of values it built."""

    deadline: float = math.inf
    built: int = 0


# Outside a render (Jinja folds constants when it compiles), no deadline and no total.
_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)

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
_UNSAFE_METHODS = {
    "format", "format_map", "center", "ljust", "rjust", "zfill", "expandtabs", "to_bytes",
}  # fmt: skip
# Filters that write their value as text (str() of it): what they are given must be printable.
_TEXT_FILTERS = {
    "string", "e", "escape", "forceescape", "safe", "lower", "upper", "capitalize", "title",
    "trim", "striptags", "truncate", "wordcount", "urlize", "replace", "gsm",
}  # fmt: skip
# Filters that write each item (or key and value) of their value as text.
_ITEMS_FILTERS = {"urlencode", "xmlattr"}
# Filters whose other arguments are checked too (by name: they may be given as keywords).
_ARGUMENT_FILTERS = {"slice", "batch", "tojson", "round", "replace", "pprint", *_ITEMS_FILTERS}
# What str() writes as itself; inside a list or a mapping, only these plain types (a date
# there is written "datetime.date(2027, 1, 1)", a Markup "Markup('x')").
_SHOWN = (str, int, float, Decimal, dt.date, dt.time, dt.timedelta, type(None))
_PLAIN = (str, int, float, bool, type(None))
_CONTAINERS = (list, tuple, dict, set, frozenset)
_ATTRIBUTES = "_Namespace__attrs"  # where a Jinja namespace keeps its attributes
_NOTATION: tuple[Any, ...] = (list.__repr__, tuple.__repr__, dict.__repr__)


class TemplateRejected(Exception):
    """A template that the static checks refuse, with the template line at fault."""

    def __init__(self, message: str, lineno: int) -> None:
        super().__init__(message)
        self.lineno = lineno


def in_time() -> None:
    """Refuse to go on past the render's time budget (checked in every loop, call, filter and
    operator)."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise SecurityError(f"the template takes longer than {numbers.number(MAX_SECONDS)} seconds")


def _charge(nbytes: int) -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.built += nbytes
        if budget.built > MAX_BUILT:
            raise SecurityError(f"the template builds more than {MAX_BUILT // 1_000_000} MB")


def measure(value: Any, *, shown: bool = False) -> tuple[int, int, int]:
    """(size, bytes, depth) of ``value``. Its size is the characters of every text it holds and
    one for every other item (a number, a list, an empty text), all the way down and as often
    as it holds them: about what ``str(value)`` writes, or a comparison reads. Its bytes are
    those of everything it holds in memory, counted the same way.

    Refused when the size passes :data:`MAX_VALUE` or the depth :data:`MAX_DEPTH`, and with
    ``shown``, when ``str(value)`` would write Python's notation rather than text. The walk
    stops at the limit, so it costs at most :data:`MAX_VALUE` steps whatever ``value`` is.
    """
    if shown:
        _check_shown(value, None)
    if isinstance(value, str | bytes):
        return len(value), sys.getsizeof(value), 0
    size = deepest = 0
    nbytes = _bytes(value)
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack and size <= MAX_VALUE:
        holder, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SecurityError(f"a value nested more than {MAX_DEPTH} deep is refused")
        deepest = max(deepest, depth)
        if not isinstance(holder, _CONTAINERS):
            continue
        size += len(holder)  # one for each item; a text then counts its characters instead
        if size > MAX_VALUE:
            break
        items = (
            itertools.chain.from_iterable(holder.items()) if isinstance(holder, dict) else holder
        )
        for item in items:
            nbytes += _bytes(item)
            if shown:
                _check_shown(item, holder)
            if isinstance(item, str | bytes):
                size += len(item) - 1 if item else 0
                if size > MAX_VALUE:
                    break
            elif isinstance(item, _CONTAINERS):
                stack.append((item, depth + 1))
    if size > MAX_VALUE:
        raise SecurityError(
            f"a value of more than {numbers.count(MAX_VALUE)} characters or items is refused"
        )
    return size, nbytes, deepest


def _bytes(item: Any) -> int:
    """The bytes of ``item`` itself (of a namespace, with its table of attributes: its values
    were measured when they were made)."""
    if isinstance(item, Namespace):
        return sys.getsizeof(item) + sys.getsizeof(object.__getattribute__(item, _ATTRIBUTES))
    return sys.getsizeof(item, 64)


class _Namespace(Namespace):
    """Jinja's ``namespace()``, written ``<namespace>`` in an error's message: its attributes
    may change after it is measured, and Python writes ``[1].index(ns)``'s error with repr()."""

    def __repr__(self) -> str:
        return "<namespace>"


def _check_shown(item: Any, holder: Any) -> None:
    """Refuse ``item`` when str() of it (or of ``holder``, the list it is in) would write
    Python's notation: ``<class …>``, ``<generator object … at 0x…>``, ``Markup('x')``."""
    if isinstance(item, Undefined):
        item._fail_with_undefined_error()
    if holder is None:
        if isinstance(item, _SHOWN) or type(item).__repr__ in _NOTATION:
            return
        raise SecurityError(f"{_kind(item)} cannot be printed as text")
    if type(item) in _PLAIN or type(item).__repr__ in _NOTATION:
        return
    raise SecurityError(
        f"a {type(holder).__name__} holding {_kind(item)} cannot be printed as text: print "
        "its items one by one"
    )


def _kind(value: Any) -> str:
    """What a value is, as a message names it (never its repr)."""
    if isinstance(value, LoopContext):
        return "the loop variable"
    if isinstance(value, TemplateReference):
        return "self"
    if isinstance(value, Namespace):
        return "a namespace"
    if isinstance(value, Iterator):
        return "an iterator (add |list or |join)"
    if callable(value):
        return "a function (call it)"
    return f"a {type(value).__name__} value"


def built(value: Any) -> Any:
    """``value``, measured (see :func:`measure`) and counted in the render's total; refused
    too when it is an integer over :data:`MAX_BITS` bits."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_BITS:
        raise SecurityError("a number this large is refused")
    _charge(measure(value)[1])
    return value


def text(value: Any) -> str:
    """``str(value)``, refused when it would be Python's notation (see :func:`measure`)."""
    if isinstance(value, str):
        return value
    measure(value, shown=True)
    return str(value)


@pass_context
def _printed(context: Any, value: Any) -> Any:
    """What ``{{ value }}`` writes: its text (nothing for None), counted in the render's total
    (the text of a ``{% set %}`` block is kept until the block ends).

    Every ``{{ }}`` goes through it (see :class:`_Printed`); it takes the context so that Jinja
    does not run it when it compiles: Jinja escapes a constant of a layout before its
    ``finalize`` sees it (``{{ 'x'.upper }}`` would be the method's repr by then)."""
    in_time()
    if value is None:
        return ""
    shown = text(value)
    _charge(sys.getsizeof(shown))
    return value if isinstance(value, str) else shown


def bounded(items: Any) -> Iterator[Any]:
    """The items of a loop, refused beyond :data:`MAX_ITEMS`, each within the time budget."""
    taken = list(itertools.islice(iter(items), MAX_ITEMS + 1))
    if len(taken) > MAX_ITEMS:
        raise SecurityError(f"a loop may go over at most {numbers.count(MAX_ITEMS)} items")
    for item in taken:
        in_time()
        yield item


def _concat(parts: list[Any]) -> str:
    """``a ~ b ~ c``, refused before it is made when it would be too long."""
    in_time()
    texts = [text(part) for part in parts]
    if sum(map(len, texts)) > MAX_OUTPUT:
        raise SecurityError(
            f"joining text into more than {numbers.count(MAX_OUTPUT)} characters is refused"
        )
    joined = "".join(texts)
    built(joined)
    return joined


def _captured(parts: Iterable[str]) -> str:
    """The text of a ``{% set %}`` or ``{% filter %}`` block, refused when too long (Jinja
    joins it with the environment's ``concat``)."""
    taken = []
    size = 0
    for part in parts:
        size += len(part)
        if size > MAX_VALUE:
            raise SecurityError(
                f"a block of more than {numbers.count(MAX_VALUE)} characters is refused"
            )
        taken.append(part)
    joined = "".join(taken)
    built(joined)
    return joined


def _length(value: Any) -> int:
    return measure(value)[0] if isinstance(value, str | bytes | list | tuple) else 0


def _before_call(name: str, owner: Any, args: tuple[Any, ...]) -> None:
    """Refuse a text method (or filter) whose result would be too large, before it runs."""
    if name == "replace" and isinstance(owner, str | bytes) and len(args) >= 2:
        old, new = args[0], args[1]
        if not (isinstance(old, str | bytes) and isinstance(new, str | bytes)):
            return  # the method refuses them itself
        times = owner.count(old) if old else len(owner) + 1  # type: ignore[arg-type]
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            times = min(times, args[2])
        if len(owner) + times * (len(new) - len(old)) > MAX_VALUE:
            raise SecurityError(
                f"replace() would make more than {numbers.count(MAX_VALUE)} characters"
            )
    if name == "translate" and isinstance(owner, str) and args:
        table = args[0]
        values = table.values() if isinstance(table, dict) else table
        if isinstance(values, Iterable) and not isinstance(values, str):
            widest = max((len(v) for v in values if isinstance(v, str)), default=1)
            if len(owner) * max(widest, 1) > MAX_VALUE:
                raise SecurityError(
                    f"translate() would make more than {numbers.count(MAX_VALUE)} characters"
                )
    if name == "escape" and args:  # Markup.escape(x): str(x)
        text(args[0])


def _joinable(items: Any, separator: str | bytes) -> list[Any]:
    """The items ``join`` is given, each printable, refused when the joined text would be too
    long."""
    taken = list(itertools.islice(iter(items), MAX_VALUE + 1))
    if len(taken) > MAX_VALUE:
        raise SecurityError(f"join() would make more than {numbers.count(MAX_VALUE)} characters")
    size = len(separator) * len(taken)
    for item in taken:
        size += len(item) if isinstance(item, str | bytes) else len(text(item))
        if size > MAX_VALUE:
            raise SecurityError(
                f"join() would make more than {numbers.count(MAX_VALUE)} characters"
            )
    return taken


@pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: str | int | None = None) -> str:
    """Jinja's ``join``, given items measured first (see :func:`_joinable`)."""
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    return sync_do_join(eval_ctx, _joinable(value, text(d)), d)


@pass_environment
def _sum(
    environment: Any, iterable: Any, attribute: str | int | None = None, start: Any = 0
) -> Any:
    """Jinja's ``sum``; lists and tuples are concatenated once each (Python's ``sum`` copies
    the total for every item: quadratic), within :data:`MAX_VALUE`."""
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    if not isinstance(start, list | tuple):
        return sum(iterable, start)
    total = list(start)
    size = measure(start)[0]
    for item in iterable:
        in_time()
        if not isinstance(item, type(start)):
            name = type(start).__name__
            raise TypeError(f'can only concatenate {name} (not "{type(item).__name__}") to {name}')
        size += measure(item)[0]
        if size > MAX_VALUE:
            raise SecurityError(f"sum() would make more than {numbers.count(MAX_VALUE)} items")
        total.extend(item)
    return type(start)(total)


def _json_dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` written piece by piece, refused past :data:`MAX_VALUE` characters (an
    indent repeats on every line, as deep as the value nests)."""
    measure(value)
    pieces = []
    size = 0
    for piece in json.JSONEncoder(**options).iterencode(value):
        size += len(piece)
        if size > MAX_VALUE:
            raise SecurityError(
                f"tojson() would make more than {numbers.count(MAX_VALUE)} characters"
            )
        pieces.append(piece)
    return "".join(pieces)


def _items_shown(value: Any) -> Any:
    """``value`` (taken from its iterator), refused when an item, key or value of it would be
    written as Python's notation (``urlencode``, ``xmlattr``)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        text(value)
        return value
    if not isinstance(value, dict):
        value = list(itertools.islice(iter(value), MAX_VALUE + 1))
        measure(value)
    for item in value.items() if isinstance(value, dict) else value:
        for part in item if isinstance(item, list | tuple) else (item,):
            if not isinstance(part, Undefined):  # xmlattr leaves it out
                text(part)
    return value


def _before_filter(name: str, given: dict[str, Any], value_name: str) -> dict[str, Any]:
    """Refuse a filter whose arguments would make it too costly or print Python's notation
    (``given``: its arguments by name); returns them, the value taken from its iterator."""
    value = given.get(value_name)
    if name in _TEXT_FILTERS:
        text(value)
    if name in _ITEMS_FILTERS:
        given[value_name] = _items_shown(value)
    limits = {"slice": "slices", "batch": "linecount"}
    if name in limits and isinstance(count := given.get(limits[name]), int) and count > MAX_ITEMS:
        raise SecurityError(f"{name}() may make at most {numbers.count(MAX_ITEMS)} groups")
    if name == "tojson":
        indent = given.get("indent")
        if isinstance(indent, int) and indent > MAX_INDENT:
            raise SecurityError(f"tojson() may indent by at most {MAX_INDENT}")
    if name == "round":
        precision = given.get("precision", 0)
        if isinstance(precision, int) and abs(precision) > MAX_PRECISION:
            raise SecurityError(f"round() may keep at most {MAX_PRECISION} digits")
    if name == "replace":
        old, new, count = (given.get(k) for k in ("old", "new", "count"))
        replace = (text(value), text(old), text(new))
        _before_call("replace", replace[0], (*replace[1:], *([count] if count else [])))
    if name == "pprint":  # Python's notation, indented as deep as the value nests
        size, _, depth = measure(value)
        if size * (depth + 1) > MAX_VALUE:
            raise SecurityError("pprint() of a value this large or deep is refused")
        _check_plain(value)
    return given


def _check_plain(value: Any) -> None:
    """pprint writes every value as Python's notation: only plain values, all the way down."""
    stack = [value]
    while stack:
        item = stack.pop()
        if not (type(item) in _PLAIN or type(item).__repr__ in _NOTATION):
            raise SecurityError(f"pprint() of {_kind(item)} is refused")
        if isinstance(item, dict):
            stack.extend(itertools.chain.from_iterable(item.items()))
        elif isinstance(item, _CONTAINERS):
            stack.extend(item)


def _bounded_filter(name: str, filter_: Any) -> Any:
    """A filter whose arguments and result are checked (see the module docstring)."""
    # Jinja's filters that have an async form are wrappers, given the context before the
    # arguments of the function they wrap (whose signature inspect reports).
    inner = inspect.unwrap(filter_)
    signature = inspect.signature(inner)
    extra = int(hasattr(filter_, "jinja_pass_arg") and not hasattr(inner, "jinja_pass_arg"))
    names = list(signature.parameters)[int(hasattr(inner, "jinja_pass_arg")) :]
    value_name = names[0] if names else ""
    offset = len(signature.parameters) - len(names) + extra  # where the value is in args
    by_name = name in _ARGUMENT_FILTERS

    @functools.wraps(filter_)
    def checked(*args: Any, **kwargs: Any) -> Any:
        in_time()
        if by_name:
            try:
                bound = signature.bind(*args[extra:], **kwargs)
            except TypeError:  # the filter says so itself
                return filter_(*args, **kwargs)
            bound.arguments.update(_before_filter(name, dict(bound.arguments), value_name))
            args, kwargs = (*args[:extra], *bound.args), bound.kwargs
        elif name in _TEXT_FILTERS:
            text(args[offset] if len(args) > offset else kwargs.get(value_name))
        result = filter_(*args, **kwargs)
        return _built_items(result) if isinstance(result, Iterator) else built(result)

    return checked


def _built_items(items: Iterator[Any]) -> Iterator[Any]:
    """The items of a filter that gives them one by one (map, select, batch…), each measured
    as it comes, within the time budget: a chain of them is looped over by one call (``list``,
    ``join``), which the budget would not see otherwise."""
    for item in items:
        in_time()
        yield built(item)


def _bounded_test(name: str, test: Any) -> Any:
    """A test (``is …``) within the time budget (``select`` runs one per item); ``lower`` and
    ``upper`` read the text of their value."""

    @functools.wraps(test)
    def checked(*args: Any, **kwargs: Any) -> Any:
        in_time()
        if name in ("lower", "upper") and args:
            text(args[0])
        return test(*args, **kwargs)

    return checked


def bounded_range(*args: int) -> range:
    given = range(*args)
    if len(given) > MAX_ITEMS:
        raise SecurityError(f"range() may give at most {numbers.count(MAX_ITEMS)} numbers")
    return given


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits described in the module docstring."""

    intercepted_binops = frozenset({"*", "%", "**", "+", "-"})
    concat = staticmethod(_captured)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        in_time()
        if operator == "**":
            raise SecurityError("the power operator (**) is not allowed")
        if operator == "%" and isinstance(left, str | bytes):
            raise SecurityError("%-formatting of text is not allowed; join text with ~")
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                repeats = isinstance(sequence, str | bytes | list | tuple) and isinstance(
                    times, int
                )
                if repeats and _length(sequence) * times > MAX_VALUE:
                    raise SecurityError("repeating text or a list this many times is refused")
            integers = isinstance(left, int) and isinstance(right, int)
            if integers and left.bit_length() + right.bit_length() > MAX_BITS:
                raise SecurityError("a number this large is refused")
        if operator == "+" and _length(left) + _length(right) > MAX_VALUE:
            raise SecurityError(
                f"a value of more than {numbers.count(MAX_VALUE)} characters is refused"
            )
        return built(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        in_time()
        name = getattr(__obj, "__name__", "")
        if name in _UNSAFE_METHODS:
            hint = "; join text with ~" if name.startswith("format") else ""
            raise SecurityError(f"calling .{name}() is not allowed in templates{hint}")
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"calling {name or 'this object'} is not allowed in templates")
        owner = getattr(__obj, "__self__", None)
        _before_call(name, owner, args)
        if name == "join" and isinstance(owner, str | bytes) and args:
            args = (_joinable(args[0], owner), *args[1:])
        return built(super().call(__context, __obj, *args, **kwargs))


@functools.cache
def environment(autoescape: bool = False) -> Sandbox:
    """The one environment every channel template compiles in (compiled templates are cached);
    with ``autoescape``, the one of e-mail layouts, which write markup (every value escaped)."""
    env = Sandbox(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=False,
        auto_reload=False,
        cache_size=2_000,
        optimized=False,  # folding constants costs the cube of an expression's depth
    )
    for name in _UNSAFE_FILTERS:
        env.filters.pop(name, None)
    env.filters.update(join=_join, sum=_sum, **FILTERS)
    env.filters = {name: _bounded_filter(name, f) for name, f in env.filters.items()}
    env.filters["_bounded"] = bounded
    env.filters["_concat"] = _concat
    env.filters["_built"] = built
    env.filters["_printed"] = _printed
    env.tests = {name: _bounded_test(name, test) for name, test in env.tests.items()}
    env.policies["json.dumps_function"] = _json_dumps
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["range"] = bounded_range
    env.globals["namespace"] = _Namespace
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
        raise TemplateRejected(f"the template is longer than {numbers.count(limit)} characters", 1)
    env = environment(autoescape=markup)
    try:
        tree = env.parse(source, name=name, filename=name)
    except ValueError as exc:  # an integer longer than Python reads (4,300 digits)
        digits = sys.get_int_max_str_digits()
        lines = (n for n, kind, text in env.lex(source) if kind == "integer" and len(text) > digits)
        message = f"a number of more than {numbers.count(digits)} digits is refused"
        raise TemplateRejected(message, next(lines, 1)) from exc
    _check(tree)
    variables = _undeclared(tree)
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "_bounded", [], [], None, None, lineno=loop.lineno)
    tree = _BoundedLiterals().visit(tree)
    tree = _BoundedConcat().visit(tree)
    tree = _Printed().visit(tree)
    code = env.compile(tree, name=name, filename=name)
    return env.template_class.from_code(env, code, env.make_globals(None)), variables


class _Introspection(meta.TrackingCodeGenerator):
    """Jinja's way of finding the variables a template reads, without its optimizer."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.optimizer = None


def _undeclared(tree: nodes.Template) -> frozenset[str]:
    """The variables ``tree`` reads from its context (:func:`jinja2.meta.find_undeclared_variables`
    folds constants at every level of a nested expression: cubic in its depth)."""
    introspection = _Introspection(tree.environment)
    introspection.visit(tree)
    return frozenset(introspection.undeclared_identifiers)


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


class _BoundedLiterals(NodeTransformer):
    """``[a, a]``, ``(a, a)`` and ``{'k': a}`` become ``[a, a]|_built``: measured with what
    they hold (Jinja builds literals itself, out of reach of the sandbox's hooks)."""

    def _built(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Filter(node, "_built", [], [], None, None, lineno=node.lineno)

    def visit_List(self, node: nodes.List) -> nodes.Node:
        return self._built(node)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:
        return self._built(node)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        if node.ctx != "load":  # the names of {% for a, b in … %} or {% set a, b = … %}
            self.generic_visit(node)
            return node
        return self._built(node)


class _BoundedConcat(NodeTransformer):
    """``a ~ b`` becomes ``[a, b]|_concat``, which refuses a result over the limit before it
    is made (Jinja joins concatenations itself, out of reach of the sandbox's hooks)."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        items = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(items, "_concat", [], [], None, None, lineno=node.lineno)


class _Printed(NodeTransformer):
    """``{{ value }}`` becomes ``{{ value|_printed }}``: what is printed is checked (see
    :func:`_printed`)."""

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [
            child
            if isinstance(child, nodes.TemplateData)
            else nodes.Filter(child, "_printed", [], [], None, None, lineno=child.lineno)
            for child in node.nodes
        ]
        return node


def render_bounded(template: Any, context: dict[str, Any]) -> str:
    """Render within the time and memory budgets, stopping as soon as the output passes
    :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    size = 0
    token = _BUDGET.set(_Budget(deadline=time.monotonic() + MAX_SECONDS))
    try:
        for chunk in template.generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError(
                    f"the template produces more than {numbers.count(MAX_OUTPUT)} characters"
                )
            out.append(chunk)
    finally:
        _BUDGET.reset(token)
    return "".join(out)
