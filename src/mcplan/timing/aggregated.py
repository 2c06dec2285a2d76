"""The aggregated form: a row per persona, channel, local weekday and hour with its sends,
opens and clicks (a few thousand rows, read as text and checked one by one). Weekdays are
names in six languages or numbers as cron writes them (1 Monday … 7 Sunday, 0 Sunday too),
hours 0 to 23; counts are read by the one rule for numbers (`mcplan.tabular.Numbers`); rows
of the same persona, channel, weekday and hour are added up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.tabular import NumberError, Numbers, is_total
from mcplan.timing import rows as csv_rows
from mcplan.timing import scan
from mcplan.timing.columns import hour_of, weekday_of
from mcplan.timing.lookup import Lookup

if TYPE_CHECKING:
    from mcplan.attribution.engines.sources import Source
    from mcplan.timing.read import Engagement

_COUNTS = ("sends", "opens", "clicks")
# a row's count at most: a trillion messages to one persona at one hour is a wrong cell, and
# rows of at most this many add up without overflow (int64 holds nine million of them)
MAX_COUNT = 10**12


def read_aggregated(
    con: Any, found: Source, roles: Mapping[str, str], lookup: Lookup, decimal: str | None
) -> Engagement:
    """The counts of an aggregated export, per persona, channel, weekday and hour."""
    from mcplan.attribution.engines.sources import shown
    from mcplan.timing.read import Engagement, metrics_of

    if csv_rows.rereadable(found):  # numbered as a spreadsheet numbers them
        rows = csv_rows.aggregated_rows(found.source, roles)
    else:
        rows = con.execute(scan.aggregated_query(roles, found.parquet)).fetchall()
    rows = [r for r in rows if not is_total(r[2] or "")]
    if not rows:
        raise UsageError(f"{found.display}: no data rows under the header")
    numbers = Numbers(decimal)
    for row in rows:
        for cell in row[6:9]:
            if cell:
                numbers.learn(cell)
    read: list[tuple[str, str, int, int, list[int]]] = []
    for row in rows:
        where = found.display if not found.parquet else (shown(found, row[0]) or found.display)
        read.append(_row(row, roles, lookup, numbers, f"{where}: row {row[1]}"))
    lookup.check()
    pairs = sorted({(persona, channel) for persona, channel, *_ in read})
    code = {pair: i for i, pair in enumerate(pairs)}
    counts = np.zeros((len(pairs), 3, 7, 24), dtype=np.int64)
    for persona, channel, weekday, hour, sent in read:
        counts[code[(persona, channel)], :, weekday, hour] += sent
    periods = (None,) * len(pairs)
    return Engagement(
        found.display, "aggregated", len(rows), tuple(pairs), counts, periods,
        metrics_of(list(roles)),
    )  # fmt: skip


def _row(
    row: Sequence[Any], roles: Mapping[str, str], lookup: Lookup, numbers: Numbers, where: str
) -> tuple[str, str, int, int, list[int]]:
    """One row's persona, channel, weekday, hour and counts, or the error that names it
    (an unknown persona or channel is kept for `Lookup.check`, with its row)."""
    _, _, persona_name, channel_name, day, hour_text, *cells = (c or "" for c in row)
    number = int(row[1])
    for role, cell in (("persona", persona_name), ("channel", channel_name)):
        if not cell:
            raise UsageError(f"{where}: the {role} is empty (column {roles[role]})")
    persona = lookup.persona(persona_name, number) or ""
    channel = lookup.channel(channel_name, number) or ""
    weekday, hour = weekday_of(day), hour_of(hour_text)
    if weekday is None:
        raise UsageError(
            f"{where}: weekday '{excerpt(day)}' is not a day of the week (a name, or 1 for "
            f"Monday to 7 for Sunday; column {roles['weekday']})"
        )
    if hour is None:
        raise UsageError(
            f"{where}: hour '{excerpt(hour_text)}' is not an hour from 0 to 23 (column "
            f"{roles['hour']})"
        )
    counts = [
        _count(cell, role, roles, numbers, where) for cell, role in zip(cells, _COUNTS, strict=True)
    ]
    for what, value in zip(_COUNTS[1:], counts[1:], strict=True):
        if value > counts[0]:
            raise UsageError(
                f"{where}: {value} {what} but {counts[0]} sends: a count cannot exceed the sends"
            )
    return persona, channel, weekday, hour, counts


def _count(cell: str, role: str, roles: Mapping[str, str], numbers: Numbers, where: str) -> int:
    """A count cell as a whole number (empty: 0)."""
    if not cell:
        return 0
    try:
        value = numbers.read(cell)
    except NumberError as exc:
        raise UsageError(
            f"{where}: {role} '{excerpt(cell)}' is not a number ({exc}; column {roles[role]})"
        ) from None
    if value is None or value != int(value):
        raise UsageError(
            f"{where}: {role} '{excerpt(cell)}' is not a whole number (column {roles[role]})"
        )
    if value > MAX_COUNT:
        raise UsageError(
            f"{where}: {role} '{excerpt(cell)}' is over 10^12, no count of messages (column "
            f"{roles[role]})"
        )
    return int(value)
