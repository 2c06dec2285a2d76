"""The fast way to read a touches export: whole columns at once, with pyarrow.

`mcplan.attribution.data` reads an export row by row, and says exactly what is wrong and on
which row. A million touch rows take it seconds; pyarrow's CSV and Parquet readers and its
column functions take a fraction of that. So, when pyarrow is installed, a touches export
is read here first, and anything this reader is not sure of (a cell that is not plainly a
time, a number or a yes/no, an unknown channel, an empty contact id, a blank row, a header
that is not on the first line, a row with another number of cells) sends the whole file back
to the row reader: it gives the same paths and the same messages, naming the row.

The paths are the row reader's to the last bit: contacts and channels numbered in the
order they first appear, events in the order of the rows (a touch flagged `converted`
followed by its conversion), the same arithmetic on times, values and costs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from mcplan.exports import reopened
from mcplan.tabular import END_TIME, FIRST_TIME, NumberError, Numbers, Table

_TOO_UNSURE = None  # what the reader returns to hand the file back to the row reader


def read_columns(table: Table) -> Any:
    """The file as a pyarrow table (a CSV's cells as text), or None when pyarrow is not
    installed or the file is not one this reader is sure to read as the row reader does.
    ``table``: the file as the row reader opened it (its header on the first line); a CSV
    file is opened again as that reader checked it (`mcplan.exports.reopened`)."""
    if table.arrow is not None:  # a Parquet file, read once
        columns = table.arrow
    else:
        try:
            import pyarrow as pa
            import pyarrow.csv as pv
        except ImportError:
            return _TOO_UNSURE
        if table.file is None:
            return _TOO_UNSURE
        try:
            with reopened(table.file) as handle:
                columns = pv.read_csv(
                    handle,
                    read_options=pv.ReadOptions(column_names=table.header, skip_rows=1),
                    parse_options=pv.ParseOptions(
                        delimiter=table.delimiter, newlines_in_values=True
                    ),
                    convert_options=pv.ConvertOptions(
                        column_types=dict.fromkeys(table.header, pa.string()),
                        strings_can_be_null=False,
                    ),
                )
        except (OSError, ValueError, pa.ArrowException):
            return _TOO_UNSURE
    if [str(n).strip() for n in columns.column_names] != table.header or not columns.num_rows:
        return _TOO_UNSURE
    return columns


def touches(
    table: Any,
    chosen: Mapping[str, int],
    channels: Any,
    currencies: Sequence[str],
    decimal: str | None = None,
    pattern: str | None = None,
) -> tuple[Any, ...] | None:
    """(contact, times, channel, value, is_conversion, costs per channel or None) as the
    row reader builds them (`chosen`: the column of each role), or None to hand the file
    back to it: a value pyarrow cannot compute on (a time past year 9999, the largest
    UBIGINT) is one this reader is not sure of."""
    import pyarrow as pa

    try:
        return _touches(table, chosen, channels, currencies, Numbers(decimal), pattern)
    except (pa.ArrowException, OverflowError):
        return _TOO_UNSURE


def _touches(
    table: Any,
    chosen: Mapping[str, int],
    channels: Any,
    currencies: Sequence[str],
    numbers: Numbers,
    pattern: str | None,
) -> tuple[Any, ...] | None:
    import pyarrow.compute as pc

    columns = {role: table.column(i).combine_chunks() for role, i in chosen.items()}
    contact_key = _trimmed(columns["journey"])
    names = _text(columns["channel"])
    if _blank_rows(table) or contact_key is None or names is None:
        return _TOO_UNSURE
    if pc.any(pc.equal(contact_key, "")).as_py():
        return _TOO_UNSURE
    converting = _conversions(columns, pc.utf8_trim_whitespace(names), table.num_rows)
    seconds = _seconds(columns["time"], pattern)
    if converting is None or seconds is None:
        return _TOO_UNSURE
    converts, flagged = converting
    value = _values(columns, converts, flagged, currencies, numbers)
    if value is None:
        return _TOO_UNSURE
    channel_of_row = _channel_numbers(names, ~converts, channels)
    if channel_of_row is None:
        return _TOO_UNSURE  # the row reader names the rows of an unknown channel
    costs = None
    if "cost" in columns:
        touch = ~converts
        spent = _numbers(columns["cost"], touch, currencies, numbers)
        if spent is None:
            return _TOO_UNSURE
        costs = np.bincount(channel_of_row[touch], spent[touch], minlength=len(channels.index))
    contact_of_row = np.asarray(pc.dictionary_encode(contact_key).indices, np.int64)
    return (
        *_in_row_order(contact_of_row, seconds, channel_of_row, value, converts, flagged),
        costs,
    )


def _blank_rows(table: Any) -> bool:
    """Whether a row's cells are all blank (no row to the row reader), in a file of text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = [c.combine_chunks() for c in table.columns if pa.types.is_string(c.type)]
    if len(text) != table.num_columns:
        return False
    blank = np.ones(table.num_rows, bool)
    for column in text:
        blank &= np.asarray(pc.equal(pc.utf8_trim_whitespace(column), ""))
    return bool(blank.any())


def _trimmed(column: Any) -> Any:
    """A column's text without surrounding spaces, or None when it is not text."""
    import pyarrow.compute as pc

    text = _text(column)
    return None if text is None else pc.utf8_trim_whitespace(text)


def _conversions(columns: Mapping[str, Any], name_key: Any, n: int) -> tuple[Any, Any] | None:
    """(rows that are conversions, touches flagged ``converted``), as the row reader reads
    an event and a flag; None when one is not plainly a conversion, a touch, a yes or a no."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from mcplan.attribution.columns import CONVERSION_EVENTS, NO, YES

    if "event" in columns:
        event = _trimmed(columns["event"])
        if event is None:
            return None
        converts = np.asarray(pc.is_in(pc.utf8_lower(event), pa.array(sorted(CONVERSION_EVENTS))))
        if (~converts & np.asarray(pc.equal(name_key, ""))).any():
            return None  # a touch without a channel
    else:
        converts = np.asarray(pc.equal(name_key, ""))
    if "converted" not in columns:
        return converts, np.zeros(n, bool)
    flag = _trimmed(columns["converted"])
    if flag is None:
        return None
    word = pc.utf8_lower(flag)
    yes = np.asarray(pc.is_in(word, pa.array(sorted(YES))))
    no = np.asarray(pc.is_in(word, pa.array(sorted(NO))))
    if (~converts & ~yes & ~no).any():
        return None
    return converts, ~converts & yes


def _values(
    columns: Mapping[str, Any],
    converts: np.ndarray,
    flagged: np.ndarray,
    currencies: Sequence[str],
    numbers: Numbers,
) -> np.ndarray | None:
    """Each conversion's value (0 for a touch). Every value and cost cell says how the file
    writes numbers before any is read, as the row reader reads them (`Numbers`)."""
    worth = converts | flagged
    cells = {"value": worth, "cost": ~converts}  # conversions' values, touches' costs
    for role, wanted in cells.items():
        if (
            role in columns
            and _numbers(columns[role], wanted, currencies, numbers, learn=True) is None
        ):
            return None
    if "value" not in columns:
        return np.zeros(len(converts))
    return _numbers(columns["value"], worth, currencies, numbers)


def _channel_numbers(names: Any, touch: np.ndarray, channels: Any) -> np.ndarray | None:
    """Each touch's channel number (-1 for a conversion), numbered in the order they first
    appear; None for an unknown channel."""
    import pyarrow as pa
    import pyarrow.compute as pc

    channel_of_row = np.full(len(touch), -1, np.int64)
    if not touch.any():
        return channel_of_row
    coded = pc.dictionary_encode(pc.filter(names, pa.array(touch)))
    ids = np.array([channels(name, 0) for name in coded.dictionary.to_pylist()], np.int64)
    if (ids < 0).any():
        return None
    channel_of_row[touch] = ids[np.asarray(coded.indices, np.int64)]
    return channel_of_row


def _in_row_order(
    contact_of_row: np.ndarray,
    seconds: np.ndarray,
    channel_of_row: np.ndarray,
    value: np.ndarray,
    converts: np.ndarray,
    flagged: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """(contact, times, channel, value, is_conversion) of the events in row order: a flagged
    touch, then its conversion."""
    repeat = 1 + flagged
    rows = np.repeat(np.arange(len(converts)), repeat)
    second = np.zeros(len(rows), bool)
    second[np.cumsum(repeat)[flagged] - 1] = True
    is_conversion = converts[rows] | second
    channel = np.where(is_conversion, -1, channel_of_row[rows])
    worth = np.where(is_conversion, value[rows], 0.0)
    return contact_of_row[rows], seconds[rows], channel, worth, is_conversion


def _text(column: Any) -> Any:
    import pyarrow as pa

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column.fill_null("")  # as the row reader reads an empty Parquet cell
    if pa.types.is_integer(column.type) and column.null_count == 0:
        return column.cast(pa.string())  # as str() writes an integer
    return None


def _seconds(column: Any, pattern: str | None = None) -> np.ndarray | None:
    """Seconds since 1970 of every time, when each is plainly one, from 1970 to 2199; with a
    ``pattern`` (``--date-format``), of text times only when every one is written so."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.null_count:
        return None
    seconds: np.ndarray | None
    if pattern is not None and pa.types.is_string(column.type):
        if "%z" in pattern or "%Z" in pattern:
            return None  # offsets: the row reader's to read
        try:
            parsed = pc.strptime(
                pc.utf8_trim_whitespace(column), format=pattern, unit="us", error_is_null=False
            )
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        seconds = np.asarray(parsed.cast(pa.int64()), np.int64) / 1e6
    elif pa.types.is_timestamp(column.type):
        micro = column.cast(pa.timestamp("us", column.type.tz)).cast(pa.int64())
        seconds = np.asarray(micro, np.int64) / 1e6
    elif pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        seconds = np.asarray(column.cast(pa.float64(), safe=False), np.float64)  # as float()
    elif pa.types.is_string(column.type):
        seconds = None
        kinds = [pa.float64(), pa.timestamp("us", "UTC"), pa.timestamp("us")]
        if "-" in column[0].as_py():  # a date: try the times first
            kinds.append(kinds.pop(0))
        for kind in kinds:
            try:
                parsed = pc.cast(column, kind)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
            if kind == pa.float64():
                seconds = np.asarray(parsed, np.float64)
            else:
                seconds = np.asarray(parsed.cast(pa.int64()), np.int64) / 1e6
            break
        if seconds is None:
            return None
    else:
        return None
    inside: np.ndarray = (seconds >= FIRST_TIME) & (seconds < END_TIME)
    return seconds if inside.all() else None


def _numbers(
    column: Any,
    wanted: np.ndarray,
    currencies: Sequence[str],
    numbers: Numbers,
    *,
    learn: bool = False,
) -> np.ndarray | None:
    """Each wanted cell as the row reader reads a number (0 when empty), by what the file's
    numbers say (``numbers``; with ``learn``, only learn from them), or None when one is not
    a number. Every distinct text is read once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.zeros(len(wanted))
    if not wanted.any():
        return out
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        values = np.asarray(column.cast(pa.float64(), safe=False).fill_null(0.0))  # empty: 0
        if (values[wanted] < 0).any() or not np.isfinite(values[wanted]).all():
            return None
        out[wanted] = values[wanted]
        return out
    text = _text(column)
    if text is None:
        return None
    coded = pc.dictionary_encode(pc.filter(text, pa.array(wanted)))
    cells = coded.dictionary.to_pylist()
    if learn:
        for cell in cells:
            numbers.learn(cell, currencies)
        return out
    parsed = []
    for cell in cells:
        try:
            number = numbers.read(cell, currencies)
        except NumberError:
            return None
        parsed.append(0.0 if number is None else number)
    if any(math.isnan(x) for x in parsed):
        return None
    out[wanted] = np.asarray(parsed, np.float64)[np.asarray(coded.indices, np.int64)]
    return out
