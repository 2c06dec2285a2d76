"""The events aggregated in DuckDB, embedded: the default engine.

DuckDB reads one file, a glob or a folder of (hive-partitioned) Parquet files, or a CSV file,
out of core under a memory limit, and hands over the events sorted by contact and time, in
batches, which `mcplan.attribution.stream` cuts into paths and sums. Before it sorts, one
scan names the channels and looks for what would make the paths wrong (an empty contact id,
a time that is not one, a touch without a channel, a converted flag that is neither yes nor
no, a value that is not a number); a CSV file with any of them, or with channel names the
workspace does not know, goes to the row reader (`mcplan.attribution.data`), which names the
row and accepts what it can (a money amount written "12,50 €"), so that an export gives the
same result, or the same message, whichever engine reads it. For Parquet, a problem is named
by file and row.

DuckDB runs without external access (it opens the export's files and its spill folder
only), without loading or installing extensions, with its configuration locked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcplan.attribution import sql, stream
from mcplan.attribution.arrays import Paths
from mcplan.attribution.columns import NAMES_SHOWN, Channels, more, resolve_columns
from mcplan.attribution.data import read, with_conversions
from mcplan.attribution.engines import cells
from mcplan.attribution.engines.sources import Source, said, shown
from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.suggest import did_you_mean
from mcplan.tabular import first_line

_BATCH = 1 << 20  # events DuckDB hands over at a time, in contact order


def default_memory_limit() -> str:
    """Half of the machine's memory, as DuckDB writes sizes."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "2GB"
    return f"{max(total // 2 // 1024**2, 256)}MB"


def aggregated(
    found: Source, half_life_days: float, memory_limit: str, options: dict[str, Any]
) -> Paths:
    """The paths of the export ``found``, read by DuckDB (or by the row reader, which
    names the row, for a CSV file DuckDB cannot read)."""
    import duckdb

    with (
        tempfile.TemporaryDirectory(prefix="mcplan-duckdb-") as spill,
        connected(duckdb, memory_limit, spill, found) as con,
    ):
        try:
            return _aggregated(con, found, half_life_days, options)
        except duckdb.Error as exc:
            error = exc
    from mcplan.attribution.data import MAX_BYTES

    if not found.parquet and found.files[0].size <= MAX_BYTES:  # the row reader names the row
        return read(Path(found.source), **options)
    raise UsageError(f"{found.display}: cannot be read: {said(error, found)}")


def _aggregated(con: Any, found: Source, half_life_days: float, options: dict[str, Any]) -> Paths:
    """The paths of the events DuckDB reads (or the row reader's, for a CSV file with a
    problem it names by row)."""
    roles, types = _roles(con, found, options)
    if "path" in roles:
        if found.root is not None:
            raise UsageError(f"{found.display}: a paths table is one file")
        return read(Path(found.source), **options)
    pattern = options["date_format"]
    number = cells.registered(con, options["currencies"], options["decimal"], pattern)
    reading = _Reading.of(sql.Columns.of(roles), types, roles.get("cost"), pattern)
    problem, named = _scanned(con, reading, number, found)
    if problem is not None:
        if not found.parquet:  # the row reader says it as it says everything, or reads it
            return read(Path(found.source), **options)
        raise UsageError(f"{found.display}: {problem}")
    channels = Channels(options["known"], options["aliases"] or {})
    numbers = [channels(name, 0) for name, _ in named]  # as the row reader numbers them
    if channels.unknown:
        if not found.parquet:
            return read(Path(found.source), **options)
        raise _unknown(con, reading.columns, channels, found)
    c = reading.columns
    query = sql.sorted_events(c, table="events_file", time=reading.time, value=reading.value)
    # contacts in any order; each one's events in its order
    batches = con.sql(query).to_arrow_reader(_BATCH)
    seen = [name for name, _ in named]
    paths = stream.paths_of(batches, seen, numbers, channels.names, half_life_days, found.display)
    if "cost" in roles:
        paths = _with_costs(paths, numbers, [cost for _, cost in named])
    return with_conversions(paths, found.display)


def _roles(
    con: Any, found: Source, options: dict[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """The column of each role (journey, time…) among those DuckDB reads of ``found``
    (`events_file`), and each column's type."""
    con.execute(f"CREATE VIEW events_file AS SELECT * FROM {relation(found)}")
    described = con.execute("DESCRIBE events_file").fetchall()
    names = [str(row[0]) for row in described]
    types = {str(row[0]): str(row[1]).upper() for row in described}
    if found.parquet:
        names = [n for n in names if n not in ("filename", "file_row_number")]
    return resolve_columns(names, options["columns"] or {}, found.display), types


def _with_costs(paths: Paths, numbers: list[int], costs: list[float]) -> Paths:
    """``paths`` with each channel's cost: the sum of the costs of the names it was
    given (``numbers``: the channel of each name)."""
    per = [0.0] * len(paths.channels)
    for number, cost in zip(numbers, costs, strict=True):
        per[number] += cost
    return dataclasses.replace(paths, costs=tuple(per))


@contextlib.contextmanager
def connected(duckdb: Any, memory_limit: str, spill: str, found: Source) -> Iterator[Any]:
    """A DuckDB connection that may read ``found``'s files and spill into ``spill``, and
    nothing else: no other file, no extension loaded or installed on its own, no setting
    changed afterwards (https://duckdb.org/docs/stable/operations_manual/securing_duckdb)."""
    config = {
        "memory_limit": memory_limit,
        "temp_directory": spill,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        # A Parquet row's number is its file's; a CSV row's is its place in the scan.
        "preserve_insertion_order": not found.parquet,
    }
    try:
        con = duckdb.connect(config=config)
    except duckdb.Error as exc:
        raise UsageError(
            f"--memory-limit {memory_limit}: {excerpt(first_line(exc), 120)}"
        ) from None
    try:
        # A time without an offset is UTC, as the row reader reads it, whatever the machine's
        # zone (without the ICU extension, DuckDB has no other zone).
        with contextlib.suppress(duckdb.Error):
            con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")  # the command line shows its own
        con.execute("SET allowed_paths = ?", [[str(f.path) for f in found.files]])
        con.execute("SET enable_external_access = false")  # after allowed_paths: it locks them
        con.execute("SET lock_configuration = true")
        yield con
    finally:
        con.close()


def relation(found: Source) -> str:
    """How DuckDB reads the files: each one by its path, links resolved (never a glob)."""
    paths = [_literal(str(f.path)) for f in found.files]
    if found.parquet:
        hive = str(found.root is not None).lower()
        return (
            f"read_parquet([{', '.join(paths)}], hive_partitioning = {hive}, filename = true, "
            "file_row_number = true, union_by_name = true)"
        )
    return f"read_csv({paths[0]}, header = true, all_varchar = true)"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# -- the scan before the sort -------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """How the events are read: the columns of their roles, each column's type, a row's
    time (seconds since 1970) and value (a number) in SQL, and the cost column if any."""

    columns: sql.Columns
    types: Mapping[str, str]
    time: str
    value: str
    cost: str | None

    @classmethod
    def of(
        cls, columns: sql.Columns, types: Mapping[str, str], cost: str | None, pattern: str | None
    ) -> _Reading:
        time = cells.seconds(columns.time, types[columns.time], pattern)
        row = sql.row_fields(columns)
        value = cells.amount(
            columns.value,
            types.get(columns.value or "", ""),
            f"({row['converts']}) OR ({row['flagged']})",
        )
        return cls(columns, types, time, value, cost)

    @property
    def touch(self) -> str:
        """Whether a row is a touch, in SQL."""
        return f"NOT ({sql.row_fields(self.columns)['converts']})"

    @property
    def spent(self) -> str:
        """A touch's cost as a number, in SQL, as the row reader reads it."""
        if not self.cost:
            return "0.0"
        return cells.amount(self.cost, self.types.get(self.cost, ""), self.touch)


def _scanned(
    con: Any, reading: _Reading, number: cells.NumberFunction, found: Source
) -> tuple[str | None, list[tuple[str, float]]]:
    """The scan (`_scan`); again when it found a problem while ``number`` waited for the
    file to say what an ambiguous number (1,234 and the like) is, which it now has said.
    A problem then says what the file's numbers left unsettled, if anything."""
    problem, named = _scan(con, reading, found)
    if problem is not None and number.waiting:
        number.settled = True
        problem, named = _scan(con, reading, found)
    if problem is not None and number.unsettled is not None:
        problem = f"{problem}: {number.unsettled}"
    return problem, named


def _scan(con: Any, reading: _Reading, found: Source) -> tuple[str | None, list[tuple[str, float]]]:
    """One scan of the events for what the paths need first: the first row (by file, then
    row) that would make them wrong, if any (for a CSV file, only whether there is one: the
    row reader then says it), and each channel name in the order the rows first name it (the
    row reader numbers channels so, and results list them so), with the sum of its cost
    column."""
    checks = _checks(reading)
    groups = con.execute(_scan_query(reading, checks, found.parquet)).fetchall()
    if not groups:
        raise UsageError(f"{found.display}: no data rows under the header")
    return _first_problem(groups, list(checks), found), _channels_in_order(groups)


def _checks(reading: _Reading) -> dict[str, tuple[str, str]]:
    """What would make the paths wrong (`mcplan.attribution.sql.problems`), and a touch's
    cost that is not a number, as the row reader reads it."""
    checks = sql.problems(reading.columns, reading.time, reading.value)
    cost = reading.cost
    if cost:
        written = f"COALESCE(TRIM(CAST({sql.quoted(cost)} AS VARCHAR)), '') <> ''"
        checks[f"cost is not a number (column {cost})"] = (
            f"{reading.touch} AND {written} AND NOT COALESCE(({reading.spent}) >= 0, FALSE)",
            cost,
        )
    return checks


def _scan_query(reading: _Reading, checks: Mapping[str, tuple[str, str]], parquet: bool) -> str:
    """The scan's query: the rows grouped by file and channel name (a few hundred groups),
    each group's first row, its cost, and its first row that meets each check (plain
    minimums of the row number, which Python then compares)."""
    file, row = ("filename", "file_row_number") if parquet else ("''", "ROW_NUMBER() OVER ()")
    tests = "".join(f",\n    ({test}) AS p{i}" for i, (test, _) in enumerate(checks.values()))
    firsts = "".join(f", MIN(CASE WHEN p{i} THEN row END)" for i in range(len(checks)))
    return f"""
SELECT file, name, MIN(row), SUM(COALESCE(spent, 0.0)){firsts} FROM (
  SELECT {file} AS file, {row} AS row, {sql.row_fields(reading.columns)["channel"]} AS name,
    {reading.spent} AS spent{tests}
  FROM events_file
) AS rows GROUP BY file, name"""


def _first_problem(
    groups: Sequence[Sequence[Any]], messages: list[str], found: Source
) -> str | None:
    """The message of the first check a row meets, that row named (by file and row, for
    Parquet) by the scan's ``groups``; None when no row meets any."""
    for i, message in enumerate(messages):
        rows = [(g[0], g[4 + i]) for g in groups if g[4 + i] is not None]
        if rows:
            at_file, at_row = min(rows)
            named = shown(found, at_file)
            where = f"row {at_row + 1}" if named is None else f"{named}: row {at_row + 1}"
            return f"{where}: {message}" if found.parquet else message
    return None


def _channels_in_order(groups: Sequence[Sequence[Any]]) -> list[tuple[str, float]]:
    """Each channel name of the scan's ``groups`` in the order the rows first name it, with
    its cost."""
    first: dict[str, tuple[str, int]] = {}
    spent_on: dict[str, float] = {}
    for at_file, name, at_row, total, *_ in groups:
        if name:
            first[name] = min(first.get(name, (at_file, at_row)), (at_file, at_row))
            spent_on[name] = spent_on.get(name, 0.0) + float(total)
    return [(name, spent_on[name]) for name in sorted(first, key=first.__getitem__)]


def _unknown(con: Any, c: sql.Columns, channels: Channels, found: Source) -> UsageError:
    """Channel names the workspace does not know, each with the first file and row."""
    channel = sql.row_fields(c)["channel"]
    known = sorted(set((channels.known or {}).values()))
    listed = []
    for name in list(channels.unknown)[:NAMES_SHOWN]:
        file, row = con.execute(
            f"SELECT filename, file_row_number + 1 FROM events_file WHERE {channel} = ? "
            "ORDER BY filename, file_row_number LIMIT 1",
            [name],
        ).fetchone()
        named = shown(found, file)
        where = f"row {row}" if named is None else f"{named}, row {row}"
        listed.append(f"'{excerpt(name)}' ({where}){did_you_mean(name, known)}")
    return UsageError(
        f"{found.display}: unknown channels: {'; '.join(listed)}{more(len(channels.unknown))}. "
        "Use workspace channel ids, or map a name with --alias NAME=CHANNEL"
    )
