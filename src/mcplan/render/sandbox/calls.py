"""What a template may call, and at what cost: methods, filters, tests and operators.

Each is checked before it runs, so that what it would make is refused before it is made where
making it is the cost (``*``, ``+``, ``replace``, ``translate``, ``join``, ``sum``, ``slice``,
``batch``, ``round``, ``tojson``, ``pprint``), and what it makes is measured (see `values`).
Filters and methods that allocate by a width argument (``center``, ``indent``, ``format``…)
or are random are gone. :func:`environment` is the one Jinja environment, built of these.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter, sync_do_join
from jinja2.runtime import Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_environment, pass_eval_context

from mcplan import numbers
from mcplan.render.filters import FILTERS
from mcplan.render.sandbox.values import (
    CONTAINERS,
    MAX_BITS,
    MAX_ITEMS,
    MAX_VALUE,
    NOTATION,
    PLAIN,
    TemplateNamespace,
    bounded,
    bounded_range,
    built,
    captured,
    concat,
    in_time,
    kind,
    length,
    measure,
    printed,
    text,
)

MAX_PRECISION = 100  # digits of round()
MAX_INDENT = 16  # of tojson

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


def _before_call(name: str, owner: Any, args: tuple[Any, ...]) -> None:
    """Refuse a text method (or filter) whose result would be too large, before it runs."""
    if name == "replace" and isinstance(owner, str | bytes) and len(args) >= 2:
        _before_replace(owner, args)
    if name == "translate" and isinstance(owner, str) and args:
        _before_translate(owner, args[0])
    if name == "escape" and args:  # Markup.escape(x): str(x)
        text(args[0])


def _before_replace(owner: str | bytes, args: tuple[Any, ...]) -> None:
    """``owner.replace(old, new[, count])``, refused when it would be too long."""
    old, new = args[0], args[1]
    if not (isinstance(old, str | bytes) and isinstance(new, str | bytes)):
        return  # the method refuses them itself
    times = owner.count(old) if old else len(owner) + 1  # type: ignore[arg-type]
    if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
        times = min(times, args[2])
    if len(owner) + times * (len(new) - len(old)) > MAX_VALUE:
        raise SecurityError(f"replace() would make more than {numbers.count(MAX_VALUE)} characters")


def _before_translate(owner: str, table: Any) -> None:
    """``owner.translate(table)``, refused when its widest replacement would make it too
    long."""
    values = table.values() if isinstance(table, dict) else table
    if isinstance(values, Iterable) and not isinstance(values, str):
        widest = max((len(v) for v in values if isinstance(v, str)), default=1)
        if len(owner) * max(widest, 1) > MAX_VALUE:
            raise SecurityError(
                f"translate() would make more than {numbers.count(MAX_VALUE)} characters"
            )


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
        if not (type(item) in PLAIN or type(item).__repr__ in NOTATION):
            raise SecurityError(f"pprint() of {kind(item)} is refused")
        if isinstance(item, dict):
            stack.extend(itertools.chain.from_iterable(item.items()))
        elif isinstance(item, CONTAINERS):
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


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the limits described in the module docstring."""

    intercepted_binops = frozenset({"*", "%", "**", "+", "-"})
    concat = staticmethod(captured)

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
                if repeats and length(sequence) * times > MAX_VALUE:
                    raise SecurityError("repeating text or a list this many times is refused")
            integers = isinstance(left, int) and isinstance(right, int)
            if integers and left.bit_length() + right.bit_length() > MAX_BITS:
                raise SecurityError("a number this large is refused")
        if operator == "+" and length(left) + length(right) > MAX_VALUE:
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
    env.filters["_concat"] = concat
    env.filters["_built"] = built
    env.filters["_printed"] = printed
    env.tests = {name: _bounded_test(name, test) for name, test in env.tests.items()}
    env.policies["json.dumps_function"] = _json_dumps
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["range"] = bounded_range
    env.globals["namespace"] = TemplateNamespace
    return env
