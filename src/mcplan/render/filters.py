"""Locale-aware template filters: dates, money, percentages, and GSM-safe text for SMS.

Formatting comes from babel (CLDR data), so "9 février 2027", "29,90 €" and "-40 %" carry the
spaces each locale expects. Those are non-breaking spaces, which GSM-7 lacks: on a channel
counted in SMS segments the filters return ordinary spaces instead, so a filter never turns a
160-character SMS into 70-character parts.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_percent
from jinja2.exceptions import SecurityError

from mcplan.printable import excerpt
from mcplan.render import gsm

MAX_PATTERN = 64  # characters of a date pattern ("EEEE d MMMM y" is 13)


@dataclass
class RenderState:
    """What the filters need to know about the version being rendered."""

    locale: Locale
    currency: str
    gsm_safe: bool
    gsm_changes: Counter[tuple[str, str]] = field(default_factory=Counter)


_STATE: ContextVar[RenderState] = ContextVar("mcplan_render_state")


@contextlib.contextmanager
def rendering(state: RenderState) -> Iterator[RenderState]:
    """Make ``state`` the one the filters see while a version renders."""
    token = _STATE.set(state)
    try:
        yield state
    finally:
        _STATE.reset(token)


def _state() -> RenderState:
    return _STATE.get()


def _finish(text: str) -> str:
    state = _state()
    return gsm.to_gsm(text)[0] if state.gsm_safe else text


def date_filter(value: Any, format: str = "long") -> str:
    """``{{ m.ends | date }}`` → "9 février 2027"; also "short", "full" or a CLDR pattern."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise ValueError(f"date: expected a date, got {_what(value)}")
    if not isinstance(format, str) or len(format) > MAX_PATTERN:
        limit = f"a format is a name or a pattern of at most {MAX_PATTERN} characters"
        raise SecurityError(f"date: {limit}")
    locale = _state().locale
    if format in ("long", "full"):
        text = long_date(value, locale, format)
    else:
        text = _formatted(value, format, locale)
    return _finish(text)


@functools.lru_cache(maxsize=4096)
def _formatted(value: date, format: str, locale: Locale) -> str:
    """Babel's date format, once per date, format and language (campaigns share dates).

    Babel keeps the last 1,024 patterns it parsed, so a pattern is short
    (:data:`MAX_PATTERN`): a template's long patterns would stay in memory.
    """
    return format_date(value, format, locale=locale)


def long_date(value: date, locale: Locale | str, width: str = "long") -> str:
    """The date as the language writes it in a sentence (CLDR's long or full format):
    "9 février 2027", "9 February 2027", "9. Februar 2027", "9 de febrero de 2027"; French
    writes the first of the month "1er mars 2027"."""
    locale = Locale.parse(locale.replace("_", "-"), sep="-") if isinstance(locale, str) else locale
    text = _formatted(value, width, locale)
    if locale.language == "fr" and value.day == 1:
        text = re.sub(r"(?<!\d)1(?= )", "1er", text, count=1)
    return text


def money_filter(value: Any, currency: str | None = None) -> str:
    """``{{ 29.9 | money }}`` → "29,90 €"; whole amounts without cents: ``15 | money`` → "15 €"."""
    amount = _number(value, "money")
    state = _state()
    code = currency or state.currency
    if amount == amount.to_integral_value():
        pattern = state.locale.currency_formats["standard"].pattern.replace(".00", "")
        text = format_currency(amount, code, format=pattern, locale=state.locale,
                               currency_digits=False)  # fmt: skip
    else:
        text = format_currency(amount, code, locale=state.locale)
    return _finish(text)


def percent_filter(value: Any) -> str:
    """``{{ -0.4 | percent }}`` → "-40 %" (the value is a fraction: 0.4 is 40 %)."""
    return _finish(format_percent(_number(value, "percent"), locale=_state().locale))


def gsm_filter(value: Any) -> str:
    """Replace what would force an SMS into UCS-2 by GSM-7 look-alikes (’ → ', ê → e…)."""
    text, changes = gsm.to_gsm(str(value))
    _state().gsm_changes.update(changes)
    return text


def _number(value: Any, name: str) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, str):
        with contextlib.suppress(InvalidOperation):
            return Decimal(value.strip().replace("\u00a0", "").replace(" ", "").replace(",", "."))
    raise ValueError(f"{name}: expected a number, got {_what(value)}")


def _what(value: Any) -> str:
    """A value as a message quotes it: a short excerpt of a text or a number, else its type
    (never its repr, which may be huge or Python's notation)."""
    if isinstance(value, str):
        return f"'{excerpt(value, 40)}'"
    if isinstance(value, int | float | Decimal):
        return excerpt(str(value), 40)
    return f"a value of type {type(value).__name__}"


FILTERS = {
    "date": date_filter,
    "money": money_filter,
    "percent": percent_filter,
    "gsm": gsm_filter,
}
