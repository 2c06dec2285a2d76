"""Read the exports mcplan is given after launch (results per channel, touchpoint logs): one
reader, one rule for numbers, every problem a message that names the file and the row.

Files
-----

A CSV file (UTF-8, with or without a byte order mark; its delimiter is ``,``, ``;`` or a tab,
the one that splits the header row into the most cells, a comma on a tie) or, with pyarrow
installed, a Parquet file (``.parquet``). The first row is the header; rows are numbered from
it (the header is row 1), blank rows included, as a spreadsheet numbers them.

Numbers
-------

Counts and amounts as people and spreadsheets write them, in French, English, German, Dutch,
Italian or Spanish: ``1234``; ``1 234`` (spaces, non-breaking too, between groups of three
digits); ``1234,5`` or ``1234.50``; ``1,234.50`` or ``1.234,50``; an amount may carry a
currency marker before or after it (``1 234,50 €``, ``EUR 1234.50``). Negative numbers and
percentages are refused: give counts, not rates. An empty cell is "not given".

A number with a single ``,`` or ``.`` followed by exactly three digits (``1,234``) is 1234 in
English and 1.234 in French: it is read by what the file's other numbers show
(:class:`Numbers`), as a spreadsheet's import decides from the whole file. ``12,5`` or
``1.234,50`` anywhere make ``,`` the decimal mark; ``0.25``, ``6.82`` or ``1,234.50`` make it
``.``; ``1 234`` (spaces group thousands) makes either mark a decimal one. So
ChannelAttribution's ``Data.csv`` (``3.195`` beside ``30.7346153846154``, no thousands
grouped anywhere) reads ``3.195`` as 3.195. A file that shows nothing, or both habits, is
refused at the first such cell, with how to write it, or the decimal mark to give
(``--decimal``).

Times
-----

ISO 8601 (``2027-07-02T15:00``, with an offset or in UTC) and seconds since 1970 are always
read; a ``--date-format`` (:func:`time_pattern`, a strftime pattern with a day, a month and a
year) reads times as a team's tools write them: ``%d/%m/%Y %H:%M`` reads ``02/07/2027 15:00``
as 2 July (:func:`seconds_of`).
"""

from __future__ import annotations

import contextlib
import csv
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from mcplan.errors import UsageError
from mcplan.exports import ExportFile, opened
from mcplan.numbers import sizes
from mcplan.printable import excerpt

DELIMITERS = (",", ";", "\t")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


@dataclass
class Table:
    """A file's header and its data rows, read as they come: ``(row number, cells)``."""

    display: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    header_row: int = 1  # blank rows before the header count
    delimiter: str | None = None  # a CSV's
    arrow: Any = None  # a Parquet file's pyarrow table, for a reader that takes columns
    file: ExportFile | None = None  # the file as checked, for a reader that opens it again


@contextlib.contextmanager
def read_table(path: Path, *, max_bytes: int, needs: str) -> Iterator[Table]:
    """The table in a CSV or Parquet file; ``needs`` says what its rows are, for messages.

    The file is opened as :func:`mcplan.exports.opened` opens an export (no link out of its
    folder, no FIFO or device, at most ``max_bytes``). Raises :class:`UsageError` for a file
    that is refused, missing, too big, not UTF-8, not CSV or empty.
    """
    with opened(path, max_bytes=max_bytes) as (handle, file):
        display = file.display
        if path.suffix.lower() == ".parquet":
            table = _parquet(handle, display, needs)
            table.file = file
            yield table
            return
        lines = _decoded(handle, display, max_bytes)
        before: list[str] = []  # blank lines before the header are rows too
        for line in lines:
            before.append(line)
            if line.strip():
                break
        if not before or not before[-1].strip():
            raise UsageError(f"{display}: the file is empty; it needs a header row and {needs}")
        delimiter = _delimiter(before[-1])
        reader = csv.reader(_chain(before, lines), delimiter=delimiter, strict=True)
        table = _csv(reader, display, needs)
        table.delimiter = delimiter
        table.file = file
        yield table


def _decoded(handle: BinaryIO, display: str, max_bytes: int) -> Iterator[str]:
    """Each line as text (blank lines before the header counted), or a message naming it; no
    more than ``max_bytes`` + 1 bytes are read, whatever the file said its size was."""
    read = 0
    number = 0
    while raw := handle.readline(max_bytes - read + 1):
        number += 1
        read += len(raw)
        if read > max_bytes:
            _, limit = sizes(read, max_bytes)
            raise UsageError(f"{display}: the file is over {limit}; files over {limit} are refused")
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"{display}: row {number}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save "
                "it as CSV UTF-8"
            ) from None
        yield text


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _delimiter(header: str) -> str:
    """The delimiter that splits the header row into the most cells (a comma on a tie)."""
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))


def _csv(reader: Iterator[list[str]], display: str, needs: str) -> Table:
    header: list[str] = []
    row = 0
    try:
        for cells in reader:
            row += 1
            if any(c.strip() for c in cells):
                header = [c.strip() for c in cells]
                break
    except csv.Error as exc:
        raise UsageError(f"{display}: row {row + 1}: not valid CSV: {exc}") from None
    if not header:
        raise UsageError(f"{display}: the file is empty; it needs a header row and {needs}")
    return Table(display, header, _data(reader, display, row), row)


def _data(
    reader: Iterator[list[str]], display: str, header_row: int
) -> Iterator[tuple[int, list[str]]]:
    row = header_row
    try:
        for row, cells in enumerate(reader, start=header_row + 1):
            if any(c.strip() for c in cells):
                yield row, cells
    except csv.Error as exc:
        raise UsageError(f"{display}: row {row + 1}: not valid CSV: {exc}") from None


def _parquet(handle: BinaryIO, display: str, needs: str) -> Table:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            f"{display}: reading Parquet needs pyarrow (pip install 'mcplan[parquet]')"
        ) from None
    try:
        table = pq.read_table(handle)
    except (OSError, ValueError, pa.ArrowException) as exc:  # ArrowInvalid is a ValueError
        raise UsageError(
            f"{display}: not a Parquet file that can be read ({excerpt(first_line(exc), 120)})"
        ) from None
    header = [str(n) for n in table.column_names]
    if not header:
        raise UsageError(f"{display}: the file is empty; it needs a header row and {needs}")
    return Table(display, header, _parquet_rows(table), arrow=table)


def _parquet_rows(table: Any) -> Iterator[tuple[int, list[str]]]:
    """Each row's cells as text (an empty cell as ""), made only when the rows are read."""
    columns = [_texts(column) for column in table.columns]
    for n, values in enumerate(zip(*columns, strict=True)):
        yield n + 2, list(values)


def _texts(column: Any) -> list[str]:
    """A column's cells as ``str`` writes their Python values; a value Python has no type
    for (DuckDB's ``infinity`` date, a time past year 9999) as Arrow writes it, such as
    ``<value out of range: 2147483647>``, for the reader to refuse at its row."""
    import pyarrow as pa

    try:
        texts = ["" if v is None else str(v) for v in column.to_pylist()]
    except (OverflowError, ValueError, ArithmeticError):
        pass
    else:
        if pa.types.is_floating(column.type) or pa.types.is_decimal(column.type):
            # 3.195 is a decimal there, not 3195: write it so
            texts = [t + "0" if _ONE_SEPARATOR_3.fullmatch(t) else t for t in texts]
        return texts
    import pyarrow.compute as pc

    texts = []
    for scalar in column:
        try:
            value = scalar.as_py()
        except (OverflowError, ValueError, ArithmeticError):
            try:
                value = pc.cast(scalar, pa.string()).as_py()
            except (pa.ArrowException, ValueError):
                value = "<not readable>"
        texts.append("" if value is None else str(value))
    return texts


def first_line(error: BaseException) -> str:
    """The first line of an error's message (an engine's may quote the file's lines after),
    or its type's name when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def columns_found(header: Sequence[str], limit: int = 12) -> str:
    """The names of a header row for a message: bounded and escaped, at most ``limit`` of
    them, each cut to 40 characters (a header row may be anything a file starts with)."""
    names = [f"'{excerpt(h, 40)}'" for h in header[:limit] if h]
    more = len([h for h in header[limit:] if h])
    return (", ".join(names) or "nothing") + (f" and {more} more" if more else "")


def folded(name: str) -> str:
    """A header or a word as exports are matched: ``' Coût '`` → ``cout``, ``"Chiffre
    d'affaires"`` → ``chiffre_d_affaires``, ``Journey ID`` → ``journey_id`` (case, accents,
    surrounding spaces and the spaces, hyphens or apostrophes between words do not count)."""
    text = unicodedata.normalize("NFKD", name.translate(_SPACES).strip().casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’]+", "_", text).strip("_")


# What the row of totals a spreadsheet adds under a table is called, in each bundled language
# (as `folded` gives it): a row whose first cell says so is skipped.
TOTALS = frozenset(
    {
        "total", "totals", "grand_total", "sum",  # en
        "totaux", "total_general", "somme",  # fr
        "gesamt", "summe", "gesamtsumme", "insgesamt", "gesamtergebnis",  # de
        "totaal", "som", "eindtotaal",  # nl
        "totale", "totali", "totale_generale", "somma", "totale_complessivo",  # it
        "totales", "suma",  # es (and total_general)
    }
)  # fmt: skip


def is_total(cell: str) -> bool:
    """Whether a cell names a row of totals (``Totale``, ``Total general``, ``Summe``)."""
    return folded(cell) in TOTALS


# -- numbers ----------------------------------------------------------------------------------


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
_ONE_SEPARATOR_3 = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}", re.ASCII)  # what 1.234 looks like


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
    text = cell.translate(_SPACES).strip()
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


# -- times --------------------------------------------------------------------------------


def time_pattern(pattern: str | None) -> str | None:
    """A ``--date-format`` that reads dates: a strftime pattern such as ``%d/%m/%Y %H:%M``
    (Italian, Spanish, French exports: 02/07/2027 15:00 is 2 July) or ``%m/%d/%Y %I:%M %p``
    (American ones), which reads back a date it writes."""
    if pattern is None:
        return None
    sample = datetime(2027, 7, 2, 15, 4, 5, tzinfo=UTC)
    try:
        back = datetime.strptime(sample.strftime(pattern), pattern)
    except ValueError:
        back = None
    if "%" not in pattern or back is None or (back.year, back.month, back.day) != (2027, 7, 2):
        raise UsageError(
            f"--date-format: '{excerpt(pattern)}' is not a strftime pattern with a day, a month "
            "and a year, such as %d/%m/%Y %H:%M"
        )
    return pattern


# The times an export may hold, as seconds: from 1970-01-01 to before 2200-01-01 (UTC). Every
# reader (rows, columns, results' days) refuses a time outside them, at its row.
FIRST_TIME, END_TIME = 0.0, datetime(2200, 1, 1, tzinfo=UTC).timestamp()


def seconds_of(text: str, pattern: str | None = None) -> float:
    """A time as seconds since 1970 (nan when it is not one): as ``pattern`` (`time_pattern`)
    writes it, when it is given, else seconds since 1970 or ISO 8601; without an offset, in
    UTC."""
    value = text.strip()
    at = None
    if pattern is not None:
        with contextlib.suppress(ValueError):
            at = datetime.strptime(value, pattern)
    if at is None:
        try:
            return float(value)  # seconds since the epoch
        except ValueError:
            pass
        try:
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return math.nan
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


def currency_markers(currency: str, locale: str) -> tuple[str, ...]:
    """What a money cell may carry: the ISO code and its symbols (``EUR``, ``€``)."""
    from babel.numbers import get_currency_symbol

    markers = {currency}
    for name in ("en", "fr", locale.replace("-", "_")):
        with contextlib.suppress(Exception):  # a locale babel does not know: the code is enough
            markers.add(get_currency_symbol(currency, name))
    return tuple(sorted(markers, key=lambda m: (-len(m), m)))
