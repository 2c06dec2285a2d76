"""Read touchpoint exports into paths: the sequences of channels that led to a conversion,
or not.

Two layouts are read, from CSV (or Parquet, when pyarrow is installed):

- **touches**, one row per event: a contact's id (the `journey` column), a time, a channel,
  and conversion rows with a value (or a ``converted`` flag on the touch that converted, which
  reads as that touch then a conversion at the same time). A conversion closes the
  contact's path: the touches before it (since the previous conversion of the same contact)
  led to it; touches after the last conversion form a path that did not convert. A
  conversion with no touch before it is counted apart ("no touch"), so totals always equal
  the conversions in the file.
- **paths**, the aggregated form of attribution tools: a path such as `email > sms > store`,
  its conversions, their value, and how many contacts took that path without converting.

Column names have defaults (`columns`, in order of preference) and can be given. Channel names
are mapped to the workspace's channel ids: the id, the channel's name (any case), or the
`utm_source` value that `mcplan render` puts in links (the id). A name that maps to nothing is
an error that names its rows.

With pyarrow installed, a touches export is read a column at a time (`columnar`, 3–4× faster);
whatever that reader is not sure of comes back to the row reader (`touches`), for the same
paths and the same messages; a paths table is read by `paths`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mcplan.attribution.arrays import Paths, in_time_order
from mcplan.attribution.columns import CHANNEL_ATTRIBUTION, WANTED, Channels
from mcplan.attribution.paths import learn_paths, read_paths
from mcplan.attribution.touches import read_touches
from mcplan.errors import UsageError
from mcplan.tabular import HeaderRow, Numbers, Table, read_table, resolve, time_pattern

MAX_BYTES = 2 * 1024**3  # a touchpoint export may be large; still, not unbounded


def read(
    path: Path,
    *,
    known: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    separator: str = ">",
    currencies: Sequence[str] = (),
    decimal: str | None = None,
    date_format: str | None = None,
) -> Paths:
    """Read an export (touches or paths, CSV or Parquet) into paths.

    ``currencies`` are the markers a value or cost cell may carry (``€``, ``EUR``);
    ``decimal`` the file's decimal mark, for numbers such as ``1,234`` that the file's other
    numbers do not settle (:class:`mcplan.tabular.Numbers`); ``date_format`` a strftime
    pattern its times are written in (`time_pattern`), beside ISO 8601 and seconds.
    """
    display = str(path)
    pattern = time_pattern(date_format)
    how = _How(currencies, decimal, Numbers(decimal), pattern)
    with read_table(path, max_bytes=MAX_BYTES, needs="data rows") as table:
        header = HeaderRow(display, table.header_row, table.header)
        chosen = resolve(WANTED, header, columns or {})
        channels = Channels(known, aliases or {})
        if "path" in chosen:
            found = _paths(path, table, chosen, channels, separator, how)
        else:
            fast = _columnar(table, chosen, channels, how)
            if fast is None:  # the row reader says what is wrong, and on which row
                channels = Channels(known, aliases or {})
            found = (
                fast
                if fast is not None
                else read_touches(
                    table.rows, chosen, channels, display, currencies, how.numbers, pattern
                )
            )
    channels.check(display)
    return with_conversions(found, display)


@dataclass(frozen=True)
class _How:
    """How an export's cells are read: the markers a value or cost may carry, the decimal
    mark given, the file's numbers (`Numbers`), the pattern of its times."""

    currencies: Sequence[str]
    decimal: str | None
    numbers: Numbers
    pattern: str | None


def _paths(
    path: Path,
    table: Table,
    chosen: Mapping[str, int],
    channels: Channels,
    separator: str,
    how: _How,
) -> Paths:
    """The paths of a paths table, its numbers read in two passes."""
    numbers = how.numbers
    if how.decimal is None and {h.strip() for h in table.header} >= CHANNEL_ATTRIBUTION:
        # ChannelAttribution's own table (R's write.table: `.` for decimals, no thousands
        # separator): its 3.195 is 3.195, even where no other cell says so.
        numbers = Numbers(".")
    # A first pass says how the file writes its numbers (`Numbers`), the second reads them:
    # a paths table may be large, and is not held in memory.
    with read_table(path, max_bytes=MAX_BYTES, needs="data rows") as first:
        learn_paths(first.rows, chosen, numbers, how.currencies)
    return read_paths(table.rows, chosen, channels, separator, str(path), how.currencies, numbers)


def with_conversions(paths: Paths, display: str) -> Paths:
    """The paths, when they have a conversion to attribute."""
    if not paths.conversions.sum() and not paths.unattributed[0]:
        raise UsageError(f"{display}: no conversion in the file, nothing to attribute; {_HOW}")
    return paths


def _columnar(
    table: Table,
    chosen: Mapping[str, int],
    channels: Channels,
    how: _How,
) -> Paths | None:
    """The paths read a column at a time (`columnar`), or None when it is not sure."""
    if table.header_row != 1:
        return None
    from mcplan.attribution import columnar

    read = columnar.read_columns(table)
    events = (
        None
        if read is None
        else columnar.touches(read, chosen, channels, how.currencies, how.decimal, how.pattern)
    )
    if events is None:
        return None
    contact, times, channel, value, is_conversion, costs = events
    paths = in_time_order(contact, times, channel, value, is_conversion, channels.names)
    if costs is None:
        return paths
    return dataclasses.replace(paths, costs=tuple(float(c) for c in costs))


_HOW = (
    "a conversion is a row whose event is conversion, purchase, order or sale (--column "
    "event=NAME), a row without a channel, a touch whose converted column says 1 or yes "
    "(--column converted=NAME), or, in a paths file, a path's conversions (--column "
    "conversions=NAME)"
)
