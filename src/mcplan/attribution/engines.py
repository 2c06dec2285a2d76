"""Aggregate touches into paths where the events are: DuckDB, embedded, by default; Spark
through a SparkSession when pyspark is installed, with the query of `mcplan.attribution.sql`.

DuckDB reads one file, a glob or a folder of (hive-partitioned) Parquet files, or a CSV file,
out of core under a memory limit, and hands over the events sorted by journey and time, in
batches, which `mcplan.attribution.stream` cuts into paths and sums. Before it sorts, one
scan names the channels and looks for what would make the paths wrong (an empty journey id,
a time that is not one, a touch without a channel, a converted flag that is neither yes nor
no, a value that is not a number); a CSV file with any of them, or with channel names the
workspace does not know, goes to the row reader (`mcplan.attribution.data`), which names the
row and accepts what it can (a money amount written "12,50 €"), so that an export gives the
same result, or the same message, whichever engine reads it. For Parquet, a problem is named
by file and row.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from mcplan.attribution import sql, stream
from mcplan.attribution.data import (
    COLUMNS,
    AggregatedPath,
    Channels,
    Journeys,
    decay_shares,
    paths_journeys,
    read,
    resolve_columns,
    with_conversions,
)
from mcplan.errors import UsageError
from mcplan.suggest import did_you_mean
from mcplan.tabular import NumberError, parse_number

ENGINES = ("duckdb", "memory", "spark")
_BATCH = 1 << 20  # events DuckDB hands over at a time, in journey order
PARQUET = (".parquet", ".pq")


def default_memory_limit() -> str:
    """Half of the machine's memory, as DuckDB writes sizes."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "2GB"
    return f"{max(total // 2 // 1024**2, 256)}MB"


def read_events(
    source: str,
    *,
    engine: str = "duckdb",
    known: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
    aliases: Mapping[str, str] | None = None,
    separator: str = ">",
    currencies: Sequence[str] = (),
    half_life_days: float = 7.0,
    memory_limit: str | None = None,
) -> Journeys:
    """The journeys of an export (touches or paths), aggregated by ``engine``."""
    if engine not in ENGINES:
        raise UsageError(f"--engine: unknown engine '{engine}'; engines: {', '.join(ENGINES)}")
    options: dict[str, Any] = {
        "known": known, "columns": columns, "aliases": aliases, "separator": separator,
        "currencies": currencies,
    }  # fmt: skip
    path = Path(source)
    single = path.is_file()
    if engine == "memory" or (single and path.suffix.lower() not in PARQUET and _is_paths(path)):
        if not single:
            raise UsageError(f"{source}: no such file (the memory engine reads one file)")
        return read(path, **options)
    if engine == "spark":
        return _spark(source, half_life_days, options)
    return _duckdb(source, half_life_days, memory_limit or default_memory_limit(), options)


def _is_paths(path: Path) -> bool:
    """Whether a CSV file is a paths file (the row reader reads those: they are small; one
    too big for it is a touch log, for DuckDB)."""
    from mcplan.attribution.data import MAX_BYTES
    from mcplan.tabular import read_table

    if path.stat().st_size > MAX_BYTES:
        return False
    with read_table(path, max_bytes=MAX_BYTES, needs="data rows") as table:
        lower = {h.lower() for h in table.header}
    return bool(lower & {name.lower() for name in COLUMNS["path"]})


# -- DuckDB ------------------------------------------------------------------------------


def _duckdb(
    source: str, half_life_days: float, memory_limit: str, options: dict[str, Any]
) -> Journeys:
    import duckdb

    relation, parquet, display = _relation(source)
    with (
        tempfile.TemporaryDirectory(prefix="mcplan-duckdb-") as spill,
        _connected(duckdb, memory_limit, spill) as con,
    ):
        try:
            con.execute(f"CREATE VIEW events_file AS SELECT * FROM {relation}")
            described = con.execute("DESCRIBE events_file").fetchall()
        except duckdb.Error as exc:
            raise UsageError(f"{display}: cannot be read: {_first_line(exc)}") from None
        names = [str(row[0]) for row in described]
        types = {str(row[0]): str(row[1]).upper() for row in described}
        if parquet:
            names = [n for n in names if n not in ("filename", "file_row_number")]
        roles = resolve_columns(names, options["columns"] or {}, display)
        if "path" in roles:
            if parquet and not Path(source).is_file():
                raise UsageError(f"{display}: a paths table is one file")
            return read(Path(source), **options)
        columns = sql.Columns(**{r: roles[r] for r in roles if r in _ROLES})
        con.create_function("mcplan_number", _number(options["currencies"]), ["VARCHAR"], "DOUBLE")
        time = _seconds(columns.time, types[columns.time])
        value = _amount(columns.value, types.get(columns.value or "", ""))
        spent = roles.get("cost")
        problem, named = _scan(con, columns, time, value, spent, types, parquet, display)
        if problem is not None:
            if not parquet:  # the row reader says it as it says everything, or reads it
                return read(Path(source), **options)
            raise UsageError(f"{display}: {problem}")
        channels = Channels(options["known"], options["aliases"] or {})
        numbers = [channels(name, 0) for name, _ in named]  # as the row reader numbers them
        if channels.unknown:
            if not parquet:
                return read(Path(source), **options)
            raise _unknown(con, columns, channels, display)
        query = sql.sorted_events(columns, table="events_file", time=time, value=value)
        try:  # journeys in any order; each one's events in its order
            con.execute("SET preserve_insertion_order = false")
            batches = con.sql(query).to_arrow_reader(_BATCH)
            seen = [name for name, _ in named]
            journeys = stream.journeys_of(batches, seen, numbers, channels.names, half_life_days)
        except duckdb.Error as exc:
            raise UsageError(f"{display}: {_first_line(exc)}") from None
    if "cost" in roles:
        per = [0.0] * len(journeys.channels)
        for number, (_, cost) in zip(numbers, named, strict=True):
            per[number] += cost
        journeys = dataclasses.replace(journeys, costs=tuple(per))
    return with_conversions(journeys, display)


_ROLES = ("journey", "time", "channel", "event", "converted", "value")


@contextlib.contextmanager
def _connected(duckdb: Any, memory_limit: str, spill: str) -> Iterator[Any]:
    try:
        con = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": spill})
    except duckdb.Error as exc:
        raise UsageError(f"--memory-limit {memory_limit}: {_first_line(exc)}") from None
    # A time without an offset is UTC, as the row reader reads it, whatever the machine's
    # zone (without the ICU extension, DuckDB has no other zone).
    with contextlib.suppress(duckdb.Error):
        con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # the command line shows its own
    try:
        yield con
    finally:
        con.close()


def _relation(source: str) -> tuple[str, bool, str]:
    """How DuckDB reads the source, whether it is Parquet, and its name in messages."""
    path = Path(source)
    literal = "'" + source.replace("'", "''") + "'"
    if path.is_dir():
        pattern = "'" + str(path / "**" / "*.parquet").replace("'", "''") + "'"
        if not any(path.rglob("*.parquet")):
            raise UsageError(f"{source}: no Parquet file in this folder")
        return (
            f"read_parquet({pattern}, hive_partitioning = true, filename = true, "
            "file_row_number = true, union_by_name = true)",
            True,
            source,
        )
    glob = any(c in source for c in "*?[")
    if not glob and not path.exists():
        raise UsageError(f"{source}: no such file")
    if not glob and not path.is_file():
        raise UsageError(f"{source}: not a regular file")
    if source.lower().endswith(PARQUET):
        return (
            f"read_parquet({literal}, hive_partitioning = {str(glob).lower()}, filename = true, "
            "file_row_number = true, union_by_name = true)",
            True,
            source,
        )
    if glob:
        raise UsageError(f"{source}: a pattern names Parquet files (*.parquet)")
    return f"read_csv({literal}, header = true, all_varchar = true)", False, source


def _seconds(column: str, kind: str) -> str:
    """The time as seconds since 1970, by the column's type."""
    name = sql.quoted(column)
    if kind.startswith(("TIMESTAMP", "DATE")):
        return f"EPOCH({name})"
    if kind.startswith("VARCHAR") or not kind:
        return f"COALESCE(EPOCH(TRY_CAST({name} AS TIMESTAMPTZ)), TRY_CAST({name} AS DOUBLE))"
    return f"TRY_CAST({name} AS DOUBLE)"


def _amount(column: str | None, kind: str) -> str:
    """The value as a number: text as the row reader reads it (`mcplan_number`)."""
    if column is None:
        return "0.0"
    name = sql.quoted(column)
    if kind.startswith("VARCHAR"):
        return f"mcplan_number({name})"
    return f"TRY_CAST({name} AS DOUBLE)"


def _number(currencies: Sequence[str]) -> Any:
    def number(text: str | None) -> float | None:
        if text is None:
            return None
        try:
            value = parse_number(text, currencies)
        except NumberError:
            return None  # not a number: a problem the scan finds
        return 0.0 if value is None else value

    return number


def _scan(
    con: Any,
    c: sql.Columns,
    time: str,
    value: str,
    cost: str | None,
    types: Mapping[str, str],
    parquet: bool,
    display: str,
) -> tuple[str | None, list[tuple[str, float]]]:
    """One scan of the events for what the paths need first: the first row (by file, then
    row) that would make them wrong, if any (for a CSV file, only whether there is one: the
    row reader then says it), and each channel name in the order the rows first name it (the
    row reader numbers channels so, and results list them so), with the sum of its cost
    column. The rows are grouped by file and channel name (a few hundred groups) with plain
    minimums of the row number, which Python then compares."""
    checks = sql.problems(c, time, value)
    spent = _amount(cost, types.get(cost, "")) if cost else "0.0"
    file, row = ("filename", "file_row_number") if parquet else ("''", "ROW_NUMBER() OVER ()")
    tests = "".join(f",\n    ({test}) AS p{i}" for i, (test, _) in enumerate(checks.values()))
    firsts = "".join(f", MIN(CASE WHEN p{i} THEN row END)" for i in range(len(checks)))
    query = f"""
SELECT file, name, MIN(row), SUM(COALESCE(spent, 0.0)){firsts} FROM (
  SELECT {file} AS file, {row} AS row, {sql.row_fields(c)["channel"]} AS name,
    {spent} AS spent{tests}
  FROM events_file
) AS rows GROUP BY file, name"""
    groups = con.execute(query).fetchall()
    if not groups:
        raise UsageError(f"{display}: no data rows under the header")
    problem = None
    for i, message in enumerate(checks):
        found = [(g[0], g[4 + i]) for g in groups if g[4 + i] is not None]
        if found:
            at_file, at_row = min(found)
            problem = f"{at_file}: row {at_row + 1}: {message}" if parquet else message
            break
    first: dict[str, tuple[str, int]] = {}
    spent_on: dict[str, float] = {}
    for at_file, name, at_row, total, *_ in groups:
        if name:
            first[name] = min(first.get(name, (at_file, at_row)), (at_file, at_row))
            spent_on[name] = spent_on.get(name, 0.0) + float(total)
    return problem, [(name, spent_on[name]) for name in sorted(first, key=first.__getitem__)]


def _unknown(con: Any, c: sql.Columns, channels: Channels, display: str) -> UsageError:
    """Channel names the workspace does not know, each with the first file and row."""
    channel = sql.row_fields(c)["channel"]
    known = sorted(set((channels.known or {}).values()))
    said = []
    for name in channels.unknown:
        file, row = con.execute(
            f"SELECT filename, file_row_number + 1 FROM events_file WHERE {channel} = ? "
            "ORDER BY filename, file_row_number LIMIT 1",
            [name],
        ).fetchone()
        said.append(f"'{name}' ({file}, row {row}){did_you_mean(name, known)}")
    return UsageError(
        f"{display}: unknown channels: {'; '.join(said)}. Use workspace channel ids, or map "
        "a name with --alias NAME=CHANNEL"
    )


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


# -- the aggregated rows -----------------------------------------------------------------------


def from_aggregated(
    rows: Sequence[Sequence[Any]], channels: Channels, half_life_days: float, display: str
) -> Journeys:
    """Journeys from the query's rows: (path, conversions, value, null, decay, decay_value,
    half_life_days), read as a paths file's."""
    separator = sql.SEPARATOR.strip()

    def entries() -> Iterator[AggregatedPath]:
        for number, (path, conv, worth, null, *decays) in enumerate(rows, start=1):
            steps = [p.strip() for p in (path or "").split(separator) if p.strip()]
            shares = [
                decay_shares(text or "", separator, len(steps), number, display)
                for text in decays[:2]
            ]
            yield AggregatedPath(
                number,
                steps,
                float(conv or 0),
                float(worth or 0),
                float(null or 0),
                (shares[0], shares[1]),
            )

    return paths_journeys(entries(), channels, half_life_days)


# -- Spark --------------------------------------------------------------------------------


def _spark(source: str, half_life_days: float, options: dict[str, Any]) -> Journeys:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(
            "--engine spark needs pyspark: pip install 'mcplan[spark]' (and Java 17 or later)"
        ) from None
    spark = session(SparkSession)
    reader = spark.read
    if source.lower().endswith((".csv", ".tsv", ".txt")):
        frame = reader.option("header", True).csv(source)
    else:  # a Parquet file or folder, here or on the cluster's storage (s3://…, abfss://…)
        frame = reader.parquet(source)
    names = list(frame.columns)
    roles = resolve_columns(names, options["columns"] or {}, source)
    if "path" in roles:
        raise UsageError(f"{source}: a paths file: read it without --engine spark")
    columns = sql.Columns(**{r: roles[r] for r in roles if r in _ROLES})
    kinds = dict(frame.dtypes)
    frame.createOrReplaceTempView(sql.TABLE)
    time_kind = kinds[columns.time]
    time = (
        f"CAST({sql.quoted(columns.time)} AS DOUBLE)"
        if time_kind in ("int", "bigint", "double", "float", "decimal")
        else None
    )
    query = sql.transpile(sql.paths_query(columns, half_life_days, time=time), "spark")
    problem = _spark_problem(spark, columns, time)
    if problem is not None:
        raise UsageError(f"{source}: {problem}")
    rows = [tuple(row) for row in spark.sql(query.rstrip().rstrip(";")).collect()]
    channels = Channels(options["known"], options["aliases"] or {})
    journeys = from_aggregated(rows, channels, half_life_days, source)
    channels.check(source)
    return with_conversions(journeys, source)


def session(spark_session: Any) -> Any:
    """The active SparkSession (a cluster's, on Databricks or EMR), else a local one;
    ``spark_session`` is pyspark's class."""
    active = spark_session.getActiveSession()
    if active is not None:
        return active
    return (
        spark_session.builder.master("local[*]")
        .appName("mcplan")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def _spark_problem(spark: Any, c: sql.Columns, time: str | None) -> str | None:
    """The first problem of the events in Spark, named by column, value and journey."""
    seconds = time or f"EPOCH(TRY_CAST({sql.quoted(c.time)} AS TIMESTAMP))"  # bad: NULL
    amount = f"TRY_CAST({sql.quoted(c.value)} AS DOUBLE)" if c.value else "0.0"
    journey = sql.row_fields(c)["journey"]
    for message, (test, column) in sql.problems(c, seconds, amount).items():
        query = sql.transpile(
            f"SELECT {journey}, CAST({sql.quoted(column)} AS VARCHAR) FROM {sql.TABLE} "
            f"WHERE {test} LIMIT 1",
            "spark",
        )
        found = spark.sql(query.rstrip().rstrip(";")).collect()
        if found:
            journey_id, shown = found[0]
            return f"journey '{journey_id}': {message}: '{shown}'"
    return None
