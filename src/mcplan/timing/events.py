"""The form with one row per message sent, counted by DuckDB: one scan names the first bad
row and each persona and channel as written; the sends are then counted per persona,
channel, local weekday and hour, each at its zone's offset (`mcplan.timing.zones`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from mcplan.errors import UsageError
from mcplan.timing import checks, scan, zones
from mcplan.timing import rows as csv_rows
from mcplan.timing.lookup import Lookup

if TYPE_CHECKING:
    from mcplan.attribution.engines.sources import Source
    from mcplan.timing.read import Engagement

_FILE, _PERSONA, _CHANNEL, _ROWS, _FIRST, _EARLIEST, _LATEST, _CHECKS = range(8)


def read_events(
    con: Any,
    found: Source,
    roles: Mapping[str, str],
    types: Mapping[str, str],
    lookup: Lookup,
    pattern: str | None,
) -> Engagement:
    """The sends of an export with a row per message sent, counted."""
    from mcplan.attribution.engines import cells
    from mcplan.timing.read import Engagement, metrics_of

    c = scan.EventColumns(
        roles["persona"], roles["channel"], roles["sent_at"], roles.get("opened_at"),
        roles.get("clicked_at"), types, pattern,
    )  # fmt: skip
    checks.with_time_of_day(pattern)
    if pattern is not None:
        cells.registered(con, (), None, pattern)  # mcplan_time
    found_checks = checks.checks(c)
    query = scan.scan_query(c, [check.sql for check in found_checks], found.parquet)
    groups = con.execute(query).fetchall()
    if not groups:
        raise UsageError(f"{found.display}: no data rows under the header")
    _first_problem(groups, found_checks, found)
    keyed = _keys(groups, lookup, found, c)
    pairs = sorted(set(keyed.values()))
    code = {pair: i for i, pair in enumerate(pairs)}
    zone_names = sorted({lookup.zone(p) for p, _ in pairs})
    zone_of = [zone_names.index(lookup.zone(p)) for p, _ in pairs]
    keys = {(g[_PERSONA], g[_CHANNEL], code[k], zone_of[code[k]]) for g, k in _named(groups, keyed)}
    spans = _spans(groups, keyed, code, len(pairs))
    scan.keys_table(con, sorted(keys))
    query = scan.counts_query(c, _shifts(zone_names, zone_of, spans))
    counts = np.zeros((len(pairs), 3, 7, 24), dtype=np.int64)
    for number, weekday, hour, *sent in con.execute(query).fetchall():
        counts[number, :, weekday, hour] += [n or 0 for n in sent]
    periods = tuple(
        (zones.local_day(first, lookup.zone(p)), zones.local_day(last, lookup.zone(p)))
        for (p, _), (first, last) in zip(pairs, spans, strict=True)
    )
    return Engagement(
        found.display, "events", sum(g[_ROWS] for g in groups), tuple(pairs), counts,
        periods, metrics_of(list(roles)),
    )  # fmt: skip


def _first_problem(
    groups: Sequence[Sequence[Any]], found_checks: Sequence[checks.Check], found: Source
) -> None:
    """Refuse the export at the first row (by file, then row) that meets a check, with the
    first check it meets (a CSV file's row as a spreadsheet numbers it: `mcplan.timing.rows`)."""
    from mcplan.attribution.engines.sources import shown

    rows = [
        (g[_FILE], g[_CHECKS + i], i)
        for g in groups
        for i in range(len(found_checks))
        if g[_CHECKS + i] is not None
    ]
    if not rows:
        return
    if csv_rows.rereadable(found):
        problem = csv_rows.first_problem(found.source, found_checks)
        if problem is not None:
            raise UsageError(problem)
    at_file, at_row, i = min(rows)
    named = shown(found, at_file) if found.parquet else None
    where = found.display if named is None else named
    raise UsageError(f"{where}: row {at_row}: {found_checks[i].message}")


def _keys(
    groups: Sequence[Sequence[Any]], lookup: Lookup, found: Source, c: scan.EventColumns
) -> dict[tuple[str, str], tuple[str, str]]:
    """Each persona and channel as written → their ids (unknown ones refused, by row)."""
    keyed: dict[tuple[str, str], tuple[str, str]] = {}
    for g in sorted(groups, key=lambda g: (g[_FILE], g[_FIRST])):
        persona = lookup.persona(g[_PERSONA], g[_FIRST])
        channel = lookup.channel(g[_CHANNEL], g[_FIRST])
        if persona is not None and channel is not None:
            keyed[(g[_PERSONA], g[_CHANNEL])] = (persona, channel)
    if (lookup.unknown or lookup.channels.unknown) and csv_rows.rereadable(found):
        personas, channels = csv_rows.rows_of(
            found.source, c, lookup.unknown, lookup.channels.unknown
        )
        lookup.unknown.update(personas)
        lookup.channels.unknown.update(channels)
    lookup.check()
    return keyed


def _named(
    groups: Sequence[Sequence[Any]], keyed: Mapping[tuple[str, str], tuple[str, str]]
) -> list[tuple[Sequence[Any], tuple[str, str]]]:
    return [(g, keyed[(g[_PERSONA], g[_CHANNEL])]) for g in groups]


def _spans(
    groups: Sequence[Sequence[Any]],
    keyed: Mapping[tuple[str, str], tuple[str, str]],
    code: Mapping[tuple[str, str], int],
    size: int,
) -> list[tuple[float, float]]:
    """Each pair's first and last send (seconds since 1970)."""
    spans = [(np.inf, -np.inf)] * size
    for g, key in _named(groups, keyed):
        i = code[key]
        spans[i] = (min(spans[i][0], g[_EARLIEST]), max(spans[i][1], g[_LATEST]))
    return spans


def _shifts(
    zone_names: Sequence[str], zone_of: Sequence[int], spans: Sequence[tuple[float, float]]
) -> list[tuple[list[int], list[int]]]:
    """Each zone's breakpoints and offsets over the sends of its personas."""
    shifts = []
    for number, name in enumerate(zone_names):
        own = [span for span, zone in zip(spans, zone_of, strict=True) if zone == number]
        starts, offsets = zones.breakpoints(name, min(s[0] for s in own), max(s[1] for s in own))
        shifts.append((starts.tolist(), offsets.tolist()))
    return shifts
