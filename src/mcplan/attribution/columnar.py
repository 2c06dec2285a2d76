"""The fast way to read a touches export: whole columns at once, with pyarrow.

`mcplan.attribution.data` reads an export row by row, and says exactly what is wrong and on
which row. A million touch rows take it seconds; pyarrow's CSV and Parquet readers and its
column functions take a fraction of that. So, when pyarrow is installed, a touches export
is read here first, and anything this reader is not sure of (a cell that is not plainly a
time, a number or a yes/no, an unknown channel, an empty journey id, a blank row, a header
that is not on the first line, a row with another number of cells) sends the whole file back
to the row reader: it gives the same journeys and the same messages, naming the row.

The journeys are the row reader's to the last bit: journeys and channels numbered in the
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
    """(journey, times, channel, value, is_conversion, costs per channel or None) as the
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
    import pyarrow as pa
    import pyarrow.compute as pc

    from mcplan.attribution.columns import CONVERSION_EVENTS, NO, YES

    n = table.num_rows
    columns = {role: table.column(i).combine_chunks() for role, i in chosen.items()}
    text = [c.combine_chunks() for c in table.columns if pa.types.is_string(c.type)]
    if len(text) == table.num_columns:  # a row of blank cells is no row to the row reader
        blank = np.ones(n, bool)
        for column in text:
            blank &= np.asarray(pc.equal(pc.utf8_trim_whitespace(column), ""))
        if blank.any():
            return _TOO_UNSURE
    journey_text = _text(columns["journey"])
    if journey_text is None:
        return _TOO_UNSURE
    journey_key = pc.utf8_trim_whitespace(journey_text)
    if pc.any(pc.equal(journey_key, "")).as_py():
        return _TOO_UNSURE
    names = _text(columns["channel"])
    if names is None:
        return _TOO_UNSURE
    name_key = pc.utf8_trim_whitespace(names)
    if "event" in columns:
        event = _text(columns["event"])
        if event is None:
            return _TOO_UNSURE
        converts = np.asarray(
            pc.is_in(
                pc.utf8_lower(pc.utf8_trim_whitespace(event)), pa.array(sorted(CONVERSION_EVENTS))
            )
        )
        if (~converts & np.asarray(pc.equal(name_key, ""))).any():
            return _TOO_UNSURE  # a touch without a channel
    else:
        converts = np.asarray(pc.equal(name_key, ""))
    flagged = np.zeros(n, bool)
    if "converted" in columns:
        flag = _text(columns["converted"])
        if flag is None:
            return _TOO_UNSURE
        word = pc.utf8_lower(pc.utf8_trim_whitespace(flag))
        yes = np.asarray(pc.is_in(word, pa.array(sorted(YES))))
        no = np.asarray(pc.is_in(word, pa.array(sorted(NO))))
        if (~converts & ~yes & ~no).any():
            return _TOO_UNSURE
        flagged = ~converts & yes
    seconds = _seconds(columns["time"], pattern)
    if seconds is None:
        return _TOO_UNSURE
    # Every value and cost cell says how the file writes numbers before any is read, as the
    # row reader reads them (`Numbers`): conversions' values, touches' costs.
    touch = ~converts
    read = [(role, wanted) for role, wanted in (("value", converts | flagged), ("cost", touch))]
    read = [(role, wanted) for role, wanted in read if role in columns]
    for role, wanted in read:
        if _numbers(columns[role], wanted, currencies, numbers, learn=True) is None:
            return _TOO_UNSURE
    value = np.zeros(n)
    if "value" in columns:
        parsed = _numbers(columns["value"], converts | flagged, currencies, numbers)
        if parsed is None:
            return _TOO_UNSURE
        value = parsed
    # Journeys and channels, numbered in the order they first appear.
    encoded = pc.dictionary_encode(journey_key)
    journey_of_row = np.asarray(encoded.indices, np.int64)
    channel_of_row = np.full(n, -1, np.int64)
    if touch.any():
        touch_names = pc.filter(names, pa.array(touch))
        coded = pc.dictionary_encode(touch_names)
        ids = np.array([channels(name, 0) for name in coded.dictionary.to_pylist()], np.int64)
        if (ids < 0).any():
            return _TOO_UNSURE  # the row reader names the rows of an unknown channel
        channel_of_row[touch] = ids[np.asarray(coded.indices, np.int64)]
    costs = None
    if "cost" in columns:
        spent = _numbers(columns["cost"], touch, currencies, numbers)
        if spent is None:
            return _TOO_UNSURE
        costs = np.bincount(channel_of_row[touch], spent[touch], minlength=len(channels.index))
    # Events in row order: a flagged touch, then its conversion.
    repeat = 1 + flagged
    rows = np.repeat(np.arange(n), repeat)
    second = np.zeros(len(rows), bool)
    second[np.cumsum(repeat)[flagged] - 1] = True
    is_conversion = converts[rows] | second
    channel = np.where(is_conversion, -1, channel_of_row[rows])
    worth = np.where(is_conversion, value[rows], 0.0)
    return journey_of_row[rows], seconds[rows], channel, worth, is_conversion, costs


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
