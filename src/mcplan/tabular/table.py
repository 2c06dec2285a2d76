"""A CSV or Parquet export as a header and rows of text cells (see `mcplan.tabular`).

A CSV file (UTF-8, with or without a byte order mark; its delimiter is ``,``, ``;`` or a tab,
the one that splits the header row into the most cells, a comma on a tie) or, with pyarrow
installed, a Parquet file (``.parquet``). The first row is the header; rows are numbered from
it (the header is row 1), blank rows included, as a spreadsheet numbers them.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from mcplan.errors import UsageError
from mcplan.exports import ExportFile, opened
from mcplan.numbers import sizes
from mcplan.printable import excerpt

DELIMITERS = (",", ";", "\t")
_ONE_SEPARATOR_3 = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}", re.ASCII)  # what 1.234 looks like


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
