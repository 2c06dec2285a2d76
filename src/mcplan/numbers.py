"""Numbers as mcplan shows them to people, and stores them (in JSON): the one formatter.

Money, amounts, counts, rates and times follow the workspace's locale (`in_locale`, which the
command line sets for each command): ``15 505,00 €`` in French, ``€15,505.00`` in English,
``15.505,00 €`` in German. Without one (the library, or an export read without a workspace)
they read ``15,505.00 EUR``. Whatever shows a number to a person (a report, a table, a
finding's message) writes it through this module; JSON stores plain numbers, whatever the
locale.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

NONE = "–"  # a figure nobody knows
_LOCALE: ContextVar[str | None] = ContextVar("mcplan_report_locale", default=None)


@contextmanager
def in_locale(locale: str | None) -> Iterator[None]:
    """Reports inside the block format money, counts and times for ``locale`` (``fr-FR``)."""
    token = _LOCALE.set(_babel(locale))
    try:
        yield
    finally:
        _LOCALE.reset(token)


def set_locale(locale: str | None) -> None:
    """Reports format for ``locale`` until the context ends (one command of the CLI)."""
    _LOCALE.set(_babel(locale))


def current_locale() -> str | None:
    """The locale numbers are written in now (babel's name, ``fr_FR``), or None."""
    return _LOCALE.get()


def _babel(locale: str | None) -> str | None:
    """``fr_FR``, babel's name of ``fr-FR``."""
    return locale.replace("-", "_") if locale else None


def money(value: float | None, currency: str) -> str:
    """`15 505,00 €` in the report's locale (`1,234.50 EUR` without one), or – when unknown."""
    if value is None:
        return NONE
    locale = _LOCALE.get()
    if locale is None:
        return f"{value:,.2f} {currency}"
    from babel.numbers import format_currency

    return format_currency(value, currency, locale=locale)


def amount(value: float | None) -> str:
    """`15 505,00` (in a column whose header names the currency), or – when unknown."""
    if value is None:
        return NONE
    locale = _LOCALE.get()
    if locale is None:
        return f"{value:,.2f}"
    from babel.numbers import format_decimal

    return format_decimal(value, "#,##0.00", locale=locale)


def quantity(value: float) -> str:
    """A count or a forecast in a report: ``1 234``, ``57``, ``0,1`` in French (whole from 10,
    or when whole; one decimal under, so a forecast of 0.1 does not read 0)."""
    whole = abs(value) >= 10 or value == int(value)
    locale = _LOCALE.get()
    if locale is None:
        return f"{value:,.0f}" if whole else f"{value:,.1f}"
    from babel.numbers import format_decimal

    return format_decimal(
        round(value, 0 if whole else 1), "#,##0" if whole else "#,##0.0", locale=locale
    )


def decimal(value: float, places: int) -> str:
    """A figure with ``places`` decimals: ``0.310``, ``0,310`` in French."""
    locale = _LOCALE.get()
    if locale is None:
        return f"{value:.{places}f}"
    from babel.numbers import format_decimal

    return format_decimal(value, "0." + "0" * places, locale=locale)


def moment(at: datetime) -> str:
    """A touch's time in a report: ``Wed 13 Jan 2027 09:00``, ``mer. 13 janv. 2027 09:00``."""
    locale = _LOCALE.get()
    if locale is None:
        return f"{at:%a %d %b %Y %H:%M}"
    from babel.dates import format_datetime

    return format_datetime(at, "EEE d MMM y HH:mm", locale=locale)


def percent(share: float) -> str:
    """A share as it was written: ``0.025`` → ``2.5%``, ``0.35`` → ``35%``, ``0.0005`` →
    ``0.05%`` (never rounded to a figure the file does not say)."""
    return f"{share * 100:.4g}%"


def rounded(value: float | None, places: int = 2) -> float | None:
    """`value` rounded for JSON, None kept."""
    return None if value is None else round(value, places)
