"""An engagement export read (issue 30, see docs/timing.md "The export"): one row per message
sent (persona, channel, sent_at, opened_at, clicked_at) or aggregated (persona, channel,
weekday, hour, sent, opened, clicked), a CSV or Parquet file (or a folder or glob of Parquet
files), as `mcplan attribute` reads its exports: the files checked (`mcplan.exports`), DuckDB
locked to them, the columns found by `mcplan.tabular.resolve` in six languages, the first
bad row named. Sends are counted per persona, channel, and local weekday and hour in the
persona's time zone (clock changes included: `mcplan.timing.zones`) by DuckDB, out of core.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mcplan.errors import UsageError
from mcplan.tabular import HeaderRow, folded, resolve, time_pattern
from mcplan.timing import columns as names
from mcplan.timing import rows as csv_rows
from mcplan.timing.lookup import Lookup

if TYPE_CHECKING:
    from mcplan.attribution.engines.sources import Source
    from mcplan.workspace import Workspace

SENT, OPENED, CLICKED = 0, 1, 2  # the counts' first axis


@dataclass(frozen=True)
class Engagement:
    """What an export says, per persona and channel: its sends, opens and clicks at each
    local weekday and hour (``counts[pair, SENT | OPENED | CLICKED, weekday, hour]``)."""

    display: str  # the export, as the user named it
    form: str  # "events" or "aggregated"
    rows: int
    pairs: tuple[tuple[str, str], ...]  # (persona id, channel id), sorted
    counts: np.ndarray  # int64, (pairs, 3, 7, 24)
    periods: tuple[tuple[date, date] | None, ...]  # first and last local day (events only)
    metrics: frozenset[str]  # what the export has columns for: "open", "click"


def read_engagement(
    workspace: Workspace,
    path: str | Path,
    *,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    date_format: str | None = None,
    decimal: str | None = None,
    memory_limit: str | None = None,
) -> Engagement:
    """The export at ``path`` counted per persona, channel, local weekday and hour.
    ``columns``: COLUMN → header (``--column``); ``aliases``: a channel name → its id
    (``--alias``); ``date_format``: how the times are written, when not ISO 8601 (a
    strftime pattern); ``decimal``: the aggregated form's decimal mark."""
    import duckdb

    from mcplan.attribution.engines import on_duckdb, sources

    pattern = time_pattern(date_format)
    found = sources.source(str(path))
    if not found.parquet:
        known = {n for listed in names.COLUMNS.values() for n in listed}
        csv_rows.check_header(found.source, known | {folded(v) for v in (columns or {}).values()})
    limit = memory_limit or on_duckdb.default_memory_limit()
    lookup = Lookup(workspace, aliases or {}, found.display)
    with (
        tempfile.TemporaryDirectory(prefix="mcplan-duckdb-") as spill,
        on_duckdb.connected(duckdb, limit, spill, found) as con,
    ):
        try:
            return _read(con, found, dict(columns or {}), lookup, pattern, decimal)
        except duckdb.Error as exc:
            error = exc
    if csv_rows.rereadable(found):
        csv_rows.read_through(found.source)  # names a row not UTF-8, or not CSV
    raise UsageError(f"{found.display}: cannot be read: {sources.said(error, found)}")


def _read(
    con: Any,
    found: Source,
    given: dict[str, str],
    lookup: Lookup,
    pattern: str | None,
    decimal: str | None,
) -> Engagement:
    """The export's header resolved, then its form read."""
    from mcplan.attribution.engines import on_duckdb

    con.execute(f"CREATE VIEW events_file AS SELECT * FROM {on_duckdb.relation(found)}")
    described = con.execute("DESCRIBE events_file").fetchall()
    header = [str(row[0]) for row in described]
    if found.parquet:
        header = [n for n in header if n not in ("filename", "file_row_number")]
    types = {str(row[0]): str(row[1]).upper() for row in described}
    given = {names.GIVEN.get(k, k): v for k, v in given.items()}
    where = HeaderRow(found.display, None if found.parquet else 1, header)
    index = names.counts_of(resolve(names.wanted(), where, given))
    roles = {role: header[i] for role, i in index.items()}
    if names.form(roles) == "aggregated":
        from mcplan.timing.aggregated import read_aggregated

        return read_aggregated(con, found, roles, lookup, decimal)
    from mcplan.timing.events import read_events

    return read_events(con, found, roles, types, lookup, pattern)


def metrics_of(roles: Sequence[str]) -> frozenset[str]:
    """The metrics an export's columns give: opens with an open column (a click counts as
    an open, but a file of clicks alone says nothing of opens), clicks with a click one."""
    has = set()
    if {"opened_at", "opens"} & set(roles):
        has.add("open")
    if {"clicked_at", "clicks"} & set(roles):
        has.add("click")
    return frozenset(has)
