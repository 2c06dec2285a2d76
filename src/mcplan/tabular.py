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

Counts and amounts as people and spreadsheets write them, in French, English, German or
Dutch: ``1234``; ``1 234`` (spaces, non-breaking too, between groups of three digits);
``1234,5`` or ``1234.50``; ``1,234.50`` or ``1.234,50``; an amount may carry a currency
marker before or after it (``1 234,50 €``, ``EUR 1234.50``). A number with a single ``,`` or
``.`` followed by exactly three digits (``1,234``) is refused as ambiguous: 1234 in English,
1.234 in French. Negative numbers and percentages are refused: give counts, not rates. An
empty cell is "not given".
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from mcplan.errors import UsageError
from mcplan.exports import ExportFile, opened
from mcplan.findings import sizes
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
    try:
        return ["" if v is None else str(v) for v in column.to_pylist()]
    except (OverflowError, ValueError, ArithmeticError):
        pass
    import pyarrow as pa
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


# -- numbers ----------------------------------------------------------------------------------


class NumberError(ValueError):
    """A cell that is not a number mcplan reads; the message says why."""


_SPACE_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", re.ASCII)
_ONE_SEPARATOR = re.compile(r"(\d+)[.,](\d+)", re.ASCII)
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_DIGITS = re.compile(r"\d+", re.ASCII)


def parse_number(cell: str, currencies: Sequence[str] = ()) -> float | None:
    """A count or an amount as people write them (see the module docstring); None when empty.

    ``currencies``: markers a money cell may carry before or after the number (``€``, ``EUR``).
    Raises :class:`NumberError` for anything else.
    """
    text = cell.translate(_SPACES).strip()
    for marker in currencies:
        if text.casefold().endswith(marker.casefold()):
            text = text[: -len(marker)].strip()
            break
        if text.casefold().startswith(marker.casefold()):
            text = text[len(marker) :].strip()
            break
    if not text:
        return None
    if text.endswith("%"):
        raise NumberError("give counts, not percentages")
    if text.startswith(("-", "−")):
        raise NumberError("it must not be negative")
    if " " in text:
        if not _SPACE_GROUPED.fullmatch(text):
            raise NumberError("not a number")
        text = text.replace(" ", "")
    if _DIGITS.fullmatch(text):
        return float(text)
    if match := _ONE_SEPARATOR.fullmatch(text):
        whole, fraction = match.groups()
        if re.fullmatch(r"[1-9][0-9]{0,2}", whole) and len(fraction) == 3:
            raise NumberError(
                f"ambiguous: {whole}{fraction} or {whole}.{fraction}? Write {whole} {fraction} "
                f"for the first, {whole}.{fraction}0 for the second"
            )
        return float(f"{whole}.{fraction}")
    if _COMMA_GROUPED.fullmatch(text):
        return float(text.replace(",", ""))
    if _DOT_GROUPED.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    raise NumberError("not a number")


def currency_markers(currency: str, locale: str) -> tuple[str, ...]:
    """What a money cell may carry: the ISO code and its symbols (``EUR``, ``€``)."""
    from babel.numbers import get_currency_symbol

    markers = {currency}
    for name in ("en", "fr", locale.replace("-", "_")):
        with contextlib.suppress(Exception):  # a locale babel does not know: the code is enough
            markers.add(get_currency_symbol(currency, name))
    return tuple(sorted(markers, key=lambda m: (-len(m), m)))
