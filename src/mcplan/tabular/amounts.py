"""Counts and amounts as people and spreadsheets write them (see `mcplan.tabular`).

``1234``; ``1 234`` (spaces, non-breaking too, between groups of three digits); ``1234,5`` or
``1234.50``; ``1,234.50`` or ``1.234,50``; an amount may carry a currency marker before or
after it (``1 234,50 €``, ``EUR 1234.50``). Negative numbers and percentages are refused:
give counts, not rates. An empty cell is "not given". A cell such as ``1,234`` is read by what
the file's other numbers show (:class:`Numbers`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence

from mcplan.errors import UsageError
from mcplan.printable import excerpt

# The spaces a cell may group digits or words with, as a plain space.
SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


class NumberError(ValueError):
    """A cell that is not a number mcplan reads; the message says why."""


class Ambiguous(NumberError):
    """``1,234``: 1234 or 1.234, which the cell alone does not say."""

    def __init__(self, whole: str, fraction: str, mark: str, why: str = "") -> None:
        self.whole, self.fraction, self.mark = whole, fraction, mark
        written = f"Write {whole} {fraction} for the first, {whole}.{fraction}0 for the second"
        if why:
            written = (
                f"{why[:1].upper()}{why[1:]}: write {whole} {fraction} for the first or "
                f"{whole}.{fraction}0 for the second, or give the file's decimal mark "
                "(--decimal . or --decimal ,)"
            )
        super().__init__(f"ambiguous: {whole}{fraction} or {whole}.{fraction}? {written}")

    @property
    def grouped(self) -> float:
        """The number read with ``mark`` grouping thousands: ``1,234`` → 1234."""
        return float(int(self.whole + self.fraction))


DECIMAL_MARKS = (".", ",")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", re.ASCII)
_ONE_SEPARATOR = re.compile(r"(\d+)([.,])(\d+)", re.ASCII)
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)
_AMBIGUOUS_WHOLE = re.compile(r"[1-9][0-9]{0,2}", re.ASCII)


def parse_number(
    cell: str, currencies: Sequence[str] = (), decimal: str | None = None
) -> float | None:
    """A count or an amount as people write them (see the module docstring); None when empty.

    ``currencies``: markers a money cell may carry before or after the number (``€``, ``EUR``).
    ``decimal``: the file's decimal mark (``.`` or ``,``), which reads ``1,234``; without it,
    such a cell raises :class:`Ambiguous`. Raises :class:`NumberError` for anything else.
    """
    text = _bare(cell, currencies)
    if not text:
        return None
    if _DIGITS.fullmatch(text):
        return float(text)
    if match := _ONE_SEPARATOR.fullmatch(text):
        whole, mark, fraction = match.groups()
        if _AMBIGUOUS_WHOLE.fullmatch(whole) and len(fraction) == 3 and mark != decimal:
            if decimal is None:
                raise Ambiguous(whole, fraction, mark)
            return float(whole + fraction)  # the other mark is the decimal one
        return float(f"{whole}.{fraction}")
    if _COMMA_GROUPED.fullmatch(text):
        return float(text.replace(",", ""))
    if _DOT_GROUPED.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    raise NumberError("not a number")


def _bare(cell: str, currencies: Sequence[str]) -> str:
    """A cell's number without its currency marker and with its space groups joined; a
    :class:`NumberError` for a percentage, a negative number or spaces that do not group
    thousands."""
    text = _unmarked(cell, currencies)
    if text.endswith("%"):
        raise NumberError("give counts, not percentages")
    if text.startswith(("-", "−")):
        raise NumberError("it must not be negative")
    if " " in text:
        if not _SPACE_GROUPED.fullmatch(text):
            raise NumberError("not a number")
        text = text.replace(" ", "")
    return text


def _unmarked(cell: str, currencies: Sequence[str]) -> str:
    """A cell without its surrounding spaces and its currency marker (``1 234,50 €`` →
    ``1 234,50``)."""
    text = cell.translate(SPACES).strip()
    for marker in currencies:
        if text.casefold().endswith(marker.casefold()):
            return text[: -len(marker)].strip()
        if text.casefold().startswith(marker.casefold()):
            return text[len(marker) :].strip()
    return text


def _marks(cell: str, currencies: Sequence[str]) -> tuple[str, str]:
    """What a cell shows of its file's habits: (the mark it uses for decimals, the one it
    groups thousands with), each "" when it shows none (``1,234`` shows neither)."""
    try:
        spaced = " " in _unmarked(cell, currencies)  # 1 234,50 €: spaces group thousands
        text = _bare(cell, currencies)
    except NumberError:
        return "", ""
    grouping = " " if spaced else ""
    if _DIGITS.fullmatch(text):
        return "", grouping
    if match := _ONE_SEPARATOR.fullmatch(text):
        whole, mark, fraction = match.groups()
        if _AMBIGUOUS_WHOLE.fullmatch(whole) and len(fraction) == 3 and not spaced:
            return "", ""
        return mark, grouping
    if _COMMA_GROUPED.fullmatch(text):
        return ("." if "." in text else ""), ","
    if _DOT_GROUPED.fullmatch(text):
        return ("," if "," in text else ""), "."
    return "", grouping


class Numbers:
    """How one file writes its numbers, learnt from all its number cells before any is read,
    as a spreadsheet's import decides a column's format from the whole column.

    A cell such as ``1,234`` is read by what the file's other cells show: ``12,5`` or
    ``1.234,50`` elsewhere make ``,`` the decimal mark (1.234); ``0.25``, ``30.7346`` or
    ``1,234.50`` make it the thousands separator (1234), as does ``1 234`` for either mark
    (a file that groups with spaces writes ``.`` or ``,`` only for decimals). A file that
    shows nothing, or both habits (``2.5`` and ``1.234.567``), leaves it ambiguous, unless
    ``decimal`` (``--decimal``) says which mark the file uses for decimals.

    Readers call :meth:`learn` on every number cell, then :meth:`read`; a reader that
    streams its rows calls :meth:`provisional` instead and :meth:`is_decimal` at the end.
    """

    def __init__(self, decimal: str | None = None) -> None:
        if decimal is not None and decimal not in DECIMAL_MARKS:
            raise UsageError(f"--decimal: '{excerpt(decimal)}' is not . or ,")
        self.decimal = decimal
        self.decimals: set[str] = set()  # marks the file's cells use for decimals
        self.groups: set[str] = set()  # and to group thousands (" " too)

    def learn(self, cell: str, currencies: Sequence[str] = ()) -> None:
        decimal, grouping = _marks(cell, currencies)
        if decimal:
            self.decimals.add(decimal)
        if grouping:
            self.groups.add(grouping)

    def is_decimal(self, mark: str) -> bool | None:
        """Whether ``mark`` is the file's decimal mark (False: its thousands separator), or
        None when the file does not say, or says both."""
        if self.decimal is not None:
            return mark == self.decimal
        if self._both_ways():
            return None
        other = "," if mark == "." else "."
        if mark in self.groups:
            return False
        if mark in self.decimals:
            return True
        if other in self.decimals:  # and so "." groups thousands, unless spaces do
            return None if " " in self.groups else False
        if other in self.groups or " " in self.groups:
            return True
        return None

    def _both_ways(self) -> bool:
        """Whether the file's cells contradict each other (``2.5`` and ``1.234.567``)."""
        marks = set(DECIMAL_MARKS)
        return bool(
            self.decimals & self.groups
            or marks <= self.decimals
            or marks <= self.groups
            or (self.decimals and " " in self.groups and marks <= self.decimals | self.groups)
        )

    def read(self, cell: str, currencies: Sequence[str] = ()) -> float | None:
        """The cell's number by the file's habits (:meth:`learn` every cell first)."""
        try:
            return parse_number(cell, currencies)
        except Ambiguous as ambiguous:
            return self.settle(ambiguous)

    def settle(self, ambiguous: Ambiguous) -> float:
        """An ambiguous cell's number by the file's habits, or the error that says why the
        file leaves it ambiguous."""
        decimal = self.is_decimal(ambiguous.mark)
        if decimal is None:
            raise self.unsettled(ambiguous) from None
        return float(f"{ambiguous.whole}.{ambiguous.fraction}") if decimal else ambiguous.grouped

    def unsettled(self, ambiguous: Ambiguous) -> Ambiguous:
        """The error for an ambiguous cell the file does not settle."""
        why = (
            "the file writes its numbers both ways"
            if self._both_ways()
            else "no other number in the file shows which"
        )
        return Ambiguous(ambiguous.whole, ambiguous.fraction, ambiguous.mark, why)

    def provisional(self, cell: str, currencies: Sequence[str] = ()) -> tuple[float | None, str]:
        """Learn from a cell and read it: (its number, "") or, for an ambiguous cell, (its
        number with ``mark`` grouping thousands, ``mark``), for :meth:`is_decimal` to settle
        once every cell is read (``1,234`` → 1234.0 or 1234.0 / 1000, which is 1.234)."""
        self.learn(cell, currencies)
        try:
            return parse_number(cell, currencies), ""
        except Ambiguous as ambiguous:
            return ambiguous.grouped, ambiguous.mark


def currency_markers(currency: str, locale: str) -> tuple[str, ...]:
    """What a money cell may carry: the ISO code and its symbols (``EUR``, ``€``)."""
    from babel.numbers import get_currency_symbol

    markers = {currency}
    for name in ("en", "fr", locale.replace("-", "_")):
        with contextlib.suppress(Exception):  # a locale babel does not know: the code is enough
            markers.add(get_currency_symbol(currency, name))
    return tuple(sorted(markers, key=lambda m: (-len(m), m)))
