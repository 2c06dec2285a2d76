"""Every value a template builds, measured with what it holds, and the render's budget.

A value is measured as it is made (:func:`built`): the characters of every text it holds and
one for every other item, all the way down and as often as it holds them; what is over
:data:`MAX_VALUE` or nested deeper than :data:`MAX_DEPTH` is refused, and every value counts
in the render's :data:`MAX_BUILT` bytes. What is printed must be text, a number, a date, or a
list or mapping of plain values (:func:`text`), never Python's notation. The render's time
budget (:func:`budget`) is checked at every loop item, call, filter, test and operator
(:func:`in_time`). The hooks the environment runs on what Jinja makes itself (a loop's items,
``~``, a ``{% set %}`` block, ``{{ }}``) are here too.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import itertools
import math
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, TemplateReference, Undefined
from jinja2.utils import Namespace, pass_context

from mcplan import numbers

MAX_OUTPUT = 100_000  # characters one part may produce
MAX_VALUE = 100_000  # characters and items of one value, counting what it holds
MAX_DEPTH = 100  # nesting of a value (a workspace's YAML nests at most 64 deep)
MAX_BUILT = 100_000_000  # bytes of values one render may build in all
MAX_ITEMS = 1_000  # items one loop may iterate
MAX_BITS = 128  # of an integer: far above any price, count or date

# What str() writes as itself; inside a list or a mapping, only these plain types (a date
# there is written "datetime.date(2027, 1, 1)", a Markup "Markup('x')").
_SHOWN = (str, int, float, Decimal, dt.date, dt.time, dt.timedelta, type(None))
PLAIN = (str, int, float, bool, type(None))
CONTAINERS = (list, tuple, dict, set, frozenset)
_ATTRIBUTES = "_Namespace__attrs"  # where a Jinja namespace keeps its attributes
NOTATION: tuple[Any, ...] = (list.__repr__, tuple.__repr__, dict.__repr__)


@dataclass
class _Budget:
    """What one render may still spend: its deadline (``seconds`` after it started), and the
    bytes of values it built."""

    deadline: float = math.inf
    seconds: float = math.inf
    built: int = 0


# Outside a render (Jinja folds constants when it compiles), no deadline and no total.
_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


@contextlib.contextmanager
def budget(seconds: float) -> Iterator[None]:
    """The budget of one render: ``seconds`` from now, and :data:`MAX_BUILT` bytes."""
    token = _BUDGET.set(_Budget(deadline=time.monotonic() + seconds, seconds=seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def in_time() -> None:
    """Refuse to go on past the render's time budget (checked in every loop, call, filter and
    operator)."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise SecurityError(
            f"the template takes longer than {numbers.number(budget.seconds)} seconds"
        )


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
        if not isinstance(holder, CONTAINERS):
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
            elif isinstance(item, CONTAINERS):
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


class TemplateNamespace(Namespace):
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
        if isinstance(item, _SHOWN) or type(item).__repr__ in NOTATION:
            return
        raise SecurityError(f"{kind(item)} cannot be printed as text")
    if type(item) in PLAIN or type(item).__repr__ in NOTATION:
        return
    raise SecurityError(
        f"a {type(holder).__name__} holding {kind(item)} cannot be printed as text: print "
        "its items one by one"
    )


def kind(value: Any) -> str:
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
def printed(context: Any, value: Any) -> Any:
    """What ``{{ value }}`` writes: its text (nothing for None), counted in the render's total
    (the text of a ``{% set %}`` block is kept until the block ends).

    Every ``{{ }}`` goes through it (see :class:`tree._Printed`); it takes the context so that Jinja
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


def bounded_range(*args: int) -> range:
    given = range(*args)
    if len(given) > MAX_ITEMS:
        raise SecurityError(f"range() may give at most {numbers.count(MAX_ITEMS)} numbers")
    return given


def concat(parts: list[Any]) -> str:
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


def captured(parts: Iterable[str]) -> str:
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


def length(value: Any) -> int:
    return measure(value)[0] if isinstance(value, str | bytes | list | tuple) else 0
