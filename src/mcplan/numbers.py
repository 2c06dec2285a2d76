"""Numbers as mcplan shows them to people, and stores them (in JSON): the one formatter.

Money, amounts, counts, rates, percentages and times follow the workspace's locale
(`in_locale`, which the command line sets for each command, as soon as it has read the
workspace's settings): ``15 505,00 €``, ``1 234``, ``25,01 %`` in French, ``€15,505.00``,
``1,234``, ``25.01%`` in English, ``15.505,00 €``, ``1.234``, ``25,01 %`` in German, all
written by babel from CLDR. Without one (the library, or an export read without a workspace)
they are written as English writes them, money as ``15,505.00 EUR``. A half is rounded up
(away from zero), as people and spreadsheets round: 9.65 % is ``9,7 %``. Whatever shows a number
to a person (a report, a table, a finding's message, a status line) writes it through this
module; JSON and CSV store plain numbers, whatever the locale.

English counts of things (``plural``: ``1 error``, ``2 errors``) and sizes (``sizes``: ``1.5 MB``)
are here too: finding messages, status lines and errors write them.

What is not a quantity is not written here: a line or a row of a file, an id, a code, a
version, a date or a time of day as the user wrote it.
"""

from __future__ import annotations

import copy
import decimal as decimals
import math
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.numbers import NumberPattern

NONE = "–"  # a figure nobody knows
FALLBACK = "en"  # how numbers are written without a locale: 1,234.5 and 25%
_LOCALE: ContextVar[str | None] = ContextVar("mcplan_report_locale", default=None)
_EPSILON = 1e-9  # a limit is met exactly at the limit, whatever float rounding does
ROI_LIMITS = (0.0, 1.0)  # an ROI that covers its cost, and one that doubles it


@contextmanager
def in_locale(locale: str | None) -> Iterator[None]:
    """Numbers inside the block are written for ``locale`` (``fr-FR``; None: the default)."""
    token = _LOCALE.set(_babel(locale))
    try:
        yield
    finally:
        _LOCALE.reset(token)


def set_locale(locale: str | None) -> None:
    """Numbers are written for ``locale`` until the context ends (one command of the CLI)."""
    _LOCALE.set(_babel(locale))


def current_locale() -> str | None:
    """The locale numbers are written in now (babel's name, ``fr_FR``), or None."""
    return _LOCALE.get()


def _babel(locale: str | None) -> str | None:
    """``fr_FR``, babel's name of ``fr-FR``."""
    return locale.replace("-", "_") if locale else None


def _locale() -> str:
    return _LOCALE.get() or FALLBACK


def money(value: float | None, currency: str, *, whole: bool = False) -> str:
    """`15 505,00 €` in the report's locale (`1,234.50 EUR` without one), or – when unknown.

    ``whole``: without cents, the currency where the locale puts it (``£25,500``, ``25 500 €``:
    a large figure in a summary, a price that has none)."""
    if value is None:
        return NONE
    locale = _LOCALE.get()
    if locale is None:
        return f"{decimal(value, 0 if whole else 2)} {currency}"
    from babel.numbers import format_currency

    with _half_up():
        if not whole:
            return format_currency(value, currency, locale=locale)
        pattern = _whole_money(locale)
        return format_currency(value, currency, pattern, locale=locale, currency_digits=False)


@cache
def _whole_money(locale: str) -> NumberPattern:
    """The locale's currency pattern (``#,##0.00 ¤`` in French) without decimals."""
    from babel import Locale

    pattern: NumberPattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (0, 0)
    return pattern


def unit_price(value: float, currency: str) -> str:
    """A price per unit (a contact, an SMS segment) with the decimals it has, two at least and
    six at most: `0,045 €` in French, `€0.045` in English (`0.045 EUR` without a locale)."""
    value = round(value, 6)
    locale = _LOCALE.get()
    if locale is None:
        digits = f"{value:,.6f}".rstrip("0")
        return f"{digits}{'0' * max(0, 2 - len(digits.partition('.')[2]))} {currency}"
    from babel.numbers import format_currency

    return format_currency(value, currency, locale=locale, decimal_quantization=False)


def amount(value: float | None) -> str:
    """`15 505,00` (in a column whose header names the currency), or – when unknown."""
    return NONE if value is None else decimal(value, 2)


def count(value: float) -> str:
    """A whole number of things: ``1 234`` in French, ``1,234`` in English, ``1.234`` in
    German (people, files, characters, findings; a fraction is rounded)."""
    return _decimal(value, "#,##0")


def quantity(value: float, *, signed: bool = False) -> str:
    """A count or a forecast in a report: ``1 234``, ``57``, ``0,1`` in French (whole from 10,
    or when whole; one decimal under, so a forecast of 0.1 does not read 0). ``signed``
    writes ``+142`` for a gain (a figure that reads 0 has no sign)."""
    whole = abs(value) >= 10 or value == int(value)
    text = _decimal(value, "#,##0" if whole else "#,##0.0")
    return _sign(value, text) if signed else text


def decimal(value: float, places: int, *, signed: bool = False) -> str:
    """A figure with ``places`` decimals: ``0,310`` in French, ``1,234.50`` in English."""
    text = _decimal(value, "#,##0" + ("." + "0" * places if places else ""))
    return _sign(value, text) if signed else text


def number(value: float, places: int = 6) -> str:
    """A figure as it was written, with at most ``places`` decimals and none that is 0:
    ``0,05``, ``1 500``, ``12,5`` in French (a cost per contact, a limit, alpha)."""
    return _decimal(value, "#,##0" + ("." + "#" * places if places else ""))


def percent(
    ratio: float,
    places: int | None = None,
    *,
    trim: bool = False,
    signed: bool = False,
    limits: Sequence[float] = (),
) -> str:
    """A ratio as a percentage, as the locale writes one: ``35 %`` in French, ``35%`` in
    English, ``35 %`` in German.

    ``places`` decimals (``trim``: those that are not 0); None: as the ratio was written
    (``0.025`` → ``2,5 %``, ``0.0005`` → ``0,05 %``, at most four significant digits).
    ``limits``: as many more decimals as it takes not to round to the other side of one of
    them (+9.65 % is ``+9,7 %``, not the +10 % that widens; -0.4 % is not the 0 % that
    covers a cost). ``signed``: ``+12 %`` for a gain; a ratio that reads 0 has no sign.
    """
    if places is None:
        shown = Decimal(f"{ratio * 100:.4g}") if math.isfinite(ratio) else Decimal(0)
        places, trim = max(0, -int(shown.as_tuple().exponent)), True
    text = ""
    for extra in range(4 if limits else 1):
        text = _percent(ratio, places + extra, trim)
        if all(_meets(ratio, limit) == _meets(_round(ratio, places + extra + 2), limit)
               for limit in limits):  # fmt: skip
            break
    return _sign(ratio, text) if signed else _unsigned_zero(text)


def probability(value: float) -> str:
    """A probability as a whole percentage that never reads as a certainty it is not:
    ``> 99 %`` from 0.995 (which rounds to 100 %) to below 1, ``< 1 %`` above 0 and below
    0.005 (which rounds to 0 %)."""
    if 0.995 <= value < 1:
        return f"> {percent(0.99, 0)}"
    if 0 < value < 0.005:
        return f"< {percent(0.01, 0)}"
    return percent(value, 0)


def roi(ratio: float) -> str:
    """A return on investment, as ``report`` and ``attribute`` both show it: whole percents
    (``2 376 %`` in French), or the decimals it takes not to read as covering its cost (0 %)
    or doubling it (100 %, from where ``report`` widens a channel) when it does not."""
    return percent(ratio, 0, limits=ROI_LIMITS)


def _meets(value: float, limit: float) -> bool:
    return value >= limit - _EPSILON


def _round(value: float, places: int) -> float:
    """``value`` rounded as it is shown: its decimals as written, a half up."""
    if not math.isfinite(value):
        return value
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), decimals.ROUND_HALF_UP)
    return float(exact)


def _half_up() -> AbstractContextManager[decimals.Context]:
    """Babel rounds in the current decimal context: a half up in the block, not to even."""
    return decimals.localcontext(rounding=decimals.ROUND_HALF_UP)


def _percent(ratio: float, places: int, trim: bool) -> str:
    from babel.numbers import format_percent

    with _half_up():
        return format_percent(ratio, _percent_pattern(_locale(), places, trim), locale=_locale())


@cache
def _percent_pattern(locale: str, places: int, trim: bool) -> NumberPattern:
    """The locale's percent pattern (``#,##0 %`` in French) with ``places`` decimals."""
    from babel import Locale

    pattern: NumberPattern = copy.copy(Locale.parse(locale).percent_formats[None])
    pattern.frac_prec = (0 if trim else places, places)
    return pattern


def _decimal(value: float, pattern: str) -> str:
    from babel.numbers import format_decimal

    with _half_up():
        return _unsigned_zero(format_decimal(value, pattern, locale=_locale()))


def _unsigned_zero(text: str) -> str:
    """``0`` for the ``-0`` of a tiny loss rounded away."""
    return text[1:] if text[:1] in "-−" and not _reads_nonzero(text) else text


def _reads_nonzero(text: str) -> bool:
    """Whether a digit of ``text`` is not 0, in whatever digits the locale writes."""
    return any(unicodedata.digit(c, 0) for c in text)


def _sign(value: float, text: str) -> str:
    """``text`` (the number written) with the locale's plus sign for a gain; none for what
    reads 0."""
    text = _unsigned_zero(text)
    if value <= 0 or not _reads_nonzero(text):
        return text
    from babel.numbers import get_plus_sign_symbol

    return get_plus_sign_symbol(_locale()) + text


def size(value: float, unit: str) -> str:
    """A size in ``unit`` to one decimal, none when it is 0: ``1,5 MB``, ``12 kB``."""
    return f"{number(value, 1)} {unit}"


def plural(n: float, noun: str, many: str | None = None, *, shown: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``3 entries`` (with ``many``), ``1.5 hours``.

    ``shown`` is the number as written (``1,234``, ``2.7``; by default ``n`` in the locale of
    the command, ``1 234 errors`` in French): the noun is singular when the number reads
    ``1``, as English has it (``0 conversions``, ``1.0 conversions``).
    """
    if shown is None:
        shown = number(n) if isinstance(n, float) else count(n)
    return f"{shown} {noun if shown == '1' else many or noun + 's'}"


def sizes(*byte_counts: int) -> list[str]:
    """Sizes as a person reads them (``50 MB``, ``1.5 MB``, ``12 kB``, ``1 byte``), exact to
    the byte when rounding would make two different sizes read alike (a file 1 byte over a
    1 MB limit is not "1.0 MB, more than the 1 MB allowed")."""
    rounded = [_in_unit(n) for n in byte_counts]
    if len(set(rounded)) < len(set(byte_counts)):
        return [plural(n, "byte") for n in byte_counts]
    return [size(value, unit) if unit != "byte" else plural(n, unit)
            for n, (value, unit) in zip(byte_counts, rounded, strict=True)]  # fmt: skip


def _in_unit(n: int) -> tuple[float, str]:
    """The size in its unit, to one decimal: (1.5, 'MB')."""
    for unit, name in ((1024**3, "GB"), (1024**2, "MB"), (1024, "kB")):
        if n >= unit:
            return round(n / unit, 1), name
    return n, "byte"


def moment(at: datetime) -> str:
    """A touch's time in a report: ``Wed 13 Jan 2027 09:00``, ``mer. 13 janv. 2027 09:00``."""
    locale = _LOCALE.get()
    if locale is None:
        return f"{at:%a %d %b %Y %H:%M}"
    from babel.dates import format_datetime

    return format_datetime(at, "EEE d MMM y HH:mm", locale=locale)


def rounded(value: float | None, places: int = 2) -> float | None:
    """`value` rounded for JSON, None kept."""
    return None if value is None else round(value, places)
