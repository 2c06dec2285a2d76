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

An export may be a pull request's files, so no engine is handed a folder or a glob to expand
itself: `mcplan.exports` lists and checks the files (no link out of the folder, no FIFO or
device, a size limit), and DuckDB and Spark get that list, every link resolved. DuckDB then
runs without external access (it opens those files and its spill folder only), without
loading or installing extensions, with its configuration locked; a local Spark session
listens on 127.0.0.1 only, without its web UI. What an engine says of a file it cannot read
is quoted as a bounded, escaped excerpt of its first line.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcplan.attribution import sql, stream
from mcplan.attribution.data import (
    COLUMNS,
    NAMES_SHOWN,
    AggregatedPath,
    Channels,
    Journeys,
    decay_shares,
    more,
    paths_journeys,
    read,
    resolve_columns,
    with_conversions,
)
from mcplan.errors import UsageError
from mcplan.exports import ENGINE_MAX_BYTES, GLOB, ExportFile, export_file, export_files, is_remote
from mcplan.printable import excerpt
from mcplan.suggest import did_you_mean
from mcplan.tabular import (
    Ambiguous,
    NumberError,
    Numbers,
    first_line,
    folded,
    parse_number,
    seconds_of,
    time_pattern,
)

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
    decimal: str | None = None,
    date_format: str | None = None,
) -> Journeys:
    """The journeys of an export (touches or paths), aggregated by ``engine``; ``decimal``
    and ``date_format`` as :func:`mcplan.attribution.data.read` takes them."""
    if engine not in ENGINES:
        raise UsageError(f"--engine: unknown engine '{engine}'; engines: {', '.join(ENGINES)}")
    Numbers(decimal)  # refuses a mark that is not one, whichever engine reads
    options: dict[str, Any] = {
        "known": known, "columns": columns, "aliases": aliases, "separator": separator,
        "currencies": currencies, "decimal": decimal, "date_format": time_pattern(date_format),
    }  # fmt: skip
    if engine == "spark":
        if date_format is not None:
            raise UsageError(
                "--date-format: not with --engine spark (Spark reads times as ISO 8601 or "
                "seconds); use --engine duckdb, or convert the times where the data is"
            )
        return _spark(source, half_life_days, options)
    if engine == "memory":
        if GLOB.search(source) or Path(source).is_dir():
            raise UsageError(f"{excerpt(source, 200)}: the memory engine reads one file")
        return read(Path(source), **options)
    found = _source(source)
    if not found.parquet and _is_paths(source, found.files[0]):
        return read(Path(source), **options)
    return _duckdb(found, half_life_days, memory_limit or default_memory_limit(), options)


@dataclass(frozen=True)
class Source:
    """The files of an export, each checked (`mcplan.exports`): one file, or the Parquet
    files of a folder or a glob with the folder they are in (``root``: their partitions'
    base)."""

    source: str  # as the user named it
    display: str  # the same, for messages
    files: list[ExportFile]
    parquet: bool
    root: Path | None = None


def _source(source: str) -> Source:
    """The files ``source`` names: a file, a folder of Parquet files or a glob of them."""
    display = excerpt(source, 200)
    glob = bool(GLOB.search(source))
    if glob and not source.lower().endswith(PARQUET):
        raise UsageError(f"{display}: a pattern names Parquet files (*.parquet)")
    if glob or Path(source).is_dir():
        root, files = export_files(source, suffixes=PARQUET)
        if not files:
            what = "no file matches this pattern" if glob else "no Parquet file in this folder"
            raise UsageError(f"{display}: {what}")
        return Source(source, display, files, True, root)
    file = export_file(source, max_bytes=ENGINE_MAX_BYTES)
    return Source(source, file.display, [file], source.lower().endswith(PARQUET))


def _is_paths(source: str, file: ExportFile) -> bool:
    """Whether a CSV file is a paths file (the row reader reads those: they are small; one
    too big for it is a touch log, for DuckDB)."""
    from mcplan.attribution.data import MAX_BYTES
    from mcplan.tabular import read_table

    if file.size > MAX_BYTES:
        return False
    with read_table(Path(source), max_bytes=MAX_BYTES, needs="data rows") as table:
        names = {folded(h) for h in table.header}
    return bool(names & set(COLUMNS["path"]))


# -- DuckDB ------------------------------------------------------------------------------


def _duckdb(
    found: Source, half_life_days: float, memory_limit: str, options: dict[str, Any]
) -> Journeys:
    import duckdb

    with (
        tempfile.TemporaryDirectory(prefix="mcplan-duckdb-") as spill,
        _connected(duckdb, memory_limit, spill, found) as con,
    ):
        try:
            return _aggregated(con, found, half_life_days, options)
        except duckdb.Error as exc:
            error = exc
    from mcplan.attribution.data import MAX_BYTES

    if not found.parquet and found.files[0].size <= MAX_BYTES:  # the row reader names the row
        return read(Path(found.source), **options)
    raise UsageError(f"{found.display}: cannot be read: {_said(error, found)}")


def _aggregated(
    con: Any, found: Source, half_life_days: float, options: dict[str, Any]
) -> Journeys:
    """The journeys of the events DuckDB reads (or the row reader, for a CSV file with a
    problem it names by row)."""
    display, parquet = found.display, found.parquet
    con.execute(f"CREATE VIEW events_file AS SELECT * FROM {_relation(found)}")
    described = con.execute("DESCRIBE events_file").fetchall()
    names = [str(row[0]) for row in described]
    types = {str(row[0]): str(row[1]).upper() for row in described}
    if parquet:
        names = [n for n in names if n not in ("filename", "file_row_number")]
    roles = resolve_columns(names, options["columns"] or {}, display)
    if "path" in roles:
        if found.root is not None:
            raise UsageError(f"{display}: a paths table is one file")
        return read(Path(found.source), **options)
    columns = sql.Columns(**{r: roles[r] for r in roles if r in _ROLES})
    mcplan_number = NumberFunction(options["currencies"], Numbers(options["decimal"]))
    # NULL: not a number, or not a time, which the scan finds
    con.create_function(
        "mcplan_number", mcplan_number, ["VARCHAR", "BOOLEAN"], "DOUBLE", null_handling="special"
    )
    pattern = options["date_format"]
    if pattern is not None:
        con.create_function(
            "mcplan_time", _time(pattern), ["VARCHAR"], "DOUBLE", null_handling="special"
        )
    time = _seconds(columns.time, types[columns.time], pattern)
    read_row = sql.row_fields(columns)
    value = _amount(
        columns.value,
        types.get(columns.value or "", ""),
        f"({read_row['converts']}) OR ({read_row['flagged']})",
    )
    spent = roles.get("cost")
    problem, named = _scan(con, columns, time, value, spent, types, found)
    if problem is not None and mcplan_number.waiting:  # 1,234 and the like: the file has said
        mcplan_number.settled = True
        problem, named = _scan(con, columns, time, value, spent, types, found)
    if problem is not None:
        if not parquet:  # the row reader says it as it says everything, or reads it
            return read(Path(found.source), **options)
        if mcplan_number.unsettled is not None:
            problem = f"{problem}: {mcplan_number.unsettled}"
        raise UsageError(f"{display}: {problem}")
    channels = Channels(options["known"], options["aliases"] or {})
    numbers = [channels(name, 0) for name, _ in named]  # as the row reader numbers them
    if channels.unknown:
        if not parquet:
            return read(Path(found.source), **options)
        raise _unknown(con, columns, channels, found)
    query = sql.sorted_events(columns, table="events_file", time=time, value=value)
    # journeys in any order; each one's events in its order
    batches = con.sql(query).to_arrow_reader(_BATCH)
    seen = [name for name, _ in named]
    journeys = stream.journeys_of(batches, seen, numbers, channels.names, half_life_days, display)
    if "cost" in roles:
        per = [0.0] * len(journeys.channels)
        for number, (_, cost) in zip(numbers, named, strict=True):
            per[number] += cost
        journeys = dataclasses.replace(journeys, costs=tuple(per))
    return with_conversions(journeys, display)


_ROLES = ("journey", "time", "channel", "event", "converted", "value")


@contextlib.contextmanager
def _connected(duckdb: Any, memory_limit: str, spill: str, found: Source) -> Iterator[Any]:
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


def _relation(found: Source) -> str:
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


def _said(error: BaseException, found: Source) -> str:
    """What an engine says of the files: the first line of its message, each file's path
    as the user named it, bounded and escaped (DuckDB's CSV reader quotes lines)."""
    text = first_line(error)
    for file in found.files:
        if str(file.path) in text:
            text = text.replace(str(file.path), file.display)
    return excerpt(text, 160)


def _seconds(column: str, kind: str, pattern: str | None = None) -> str:
    """The time as seconds since 1970, by the column's type (text with ``pattern``: as the
    row reader reads it, `mcplan_time`)."""
    name = sql.quoted(column)
    if kind.startswith(("TIMESTAMP", "DATE")):
        return f"EPOCH({name})"
    if (kind.startswith("VARCHAR") or not kind) and pattern is not None:
        return f"mcplan_time({name})"
    if kind.startswith("VARCHAR") or not kind:
        return f"COALESCE(EPOCH(TRY_CAST({name} AS TIMESTAMPTZ)), TRY_CAST({name} AS DOUBLE))"
    return f"TRY_CAST({name} AS DOUBLE)"


def _time(pattern: str) -> Any:
    def seconds(text: str | None) -> float | None:
        if text is None:
            return None
        found = seconds_of(text, pattern)
        return None if math.isnan(found) else found

    return seconds


def _amount(column: str | None, kind: str, read: str) -> str:
    """The value as a number: text as the row reader reads it (`mcplan_number`, which learns
    from the cells the row reader reads: those where ``read`` holds)."""
    if column is None:
        return "0.0"
    name = sql.quoted(column)
    if kind.startswith("VARCHAR"):
        return f"mcplan_number({name}, {read})"
    return f"TRY_CAST({name} AS DOUBLE)"


class NumberFunction:
    """`mcplan_number`: a cell of text as the row reader reads a number (NULL when it is not
    one). Until it is ``settled``, it learns how the file writes numbers from every cell,
    and an ambiguous one (``1,234``) is NULL and ``waiting``; then the whole file says what
    such a cell is (`mcplan.tabular.Numbers`), or ``unsettled`` says why it does not."""

    def __init__(self, currencies: Sequence[str], numbers: Numbers) -> None:
        self.currencies, self.numbers = currencies, numbers
        self.settled = False
        self.waiting = False
        self.unsettled: NumberError | None = None

    def __call__(self, text: str | None, read: bool | None) -> float | None:
        """``text``'s number; ``read``: whether the row reader reads it (a conversion's
        value, a touch's cost), and so learns from it."""
        if text is None:
            return None
        try:
            if self.settled:
                value = self.numbers.read(text, self.currencies)
            else:
                if read:
                    self.numbers.learn(text, self.currencies)
                value = parse_number(text, self.currencies, self.numbers.decimal)
        except Ambiguous as ambiguous:
            self.waiting = True
            if self.settled and self.unsettled is None:
                self.unsettled = ambiguous
            return None
        except NumberError:
            return None  # not a number: a problem the scan finds
        return 0.0 if value is None else value


def _scan(
    con: Any,
    c: sql.Columns,
    time: str,
    value: str,
    cost: str | None,
    types: Mapping[str, str],
    found: Source,
) -> tuple[str | None, list[tuple[str, float]]]:
    """One scan of the events for what the paths need first: the first row (by file, then
    row) that would make them wrong, if any (for a CSV file, only whether there is one: the
    row reader then says it), and each channel name in the order the rows first name it (the
    row reader numbers channels so, and results list them so), with the sum of its cost
    column. The rows are grouped by file and channel name (a few hundred groups) with plain
    minimums of the row number, which Python then compares."""
    parquet = found.parquet
    checks = sql.problems(c, time, value)
    touch = f"NOT ({sql.row_fields(c)['converts']})"
    spent = _amount(cost, types.get(cost, ""), touch) if cost else "0.0"
    if cost:  # a touch's cost, as the row reader reads it
        written = f"COALESCE(TRIM(CAST({sql.quoted(cost)} AS VARCHAR)), '') <> ''"
        checks[f"cost is not a number (column {cost})"] = (
            f"{touch} AND {written} AND NOT COALESCE(({spent}) >= 0, FALSE)",
            cost,
        )
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
        raise UsageError(f"{found.display}: no data rows under the header")
    problem = None
    for i, message in enumerate(checks):
        rows = [(g[0], g[4 + i]) for g in groups if g[4 + i] is not None]
        if rows:
            at_file, at_row = min(rows)
            shown = _shown(found, at_file)
            where = f"row {at_row + 1}" if shown is None else f"{shown}: row {at_row + 1}"
            problem = f"{where}: {message}" if parquet else message
            break
    first: dict[str, tuple[str, int]] = {}
    spent_on: dict[str, float] = {}
    for at_file, name, at_row, total, *_ in groups:
        if name:
            first[name] = min(first.get(name, (at_file, at_row)), (at_file, at_row))
            spent_on[name] = spent_on.get(name, 0.0) + float(total)
    return problem, [(name, spent_on[name]) for name in sorted(first, key=first.__getitem__)]


def _shown(found: Source, file: str) -> str | None:
    """A file of the export ``found`` as the user named it; None for the export itself."""
    shown = next((f.display for f in found.files if str(f.path) == file), excerpt(file, 200))
    return None if shown == found.display else shown


def _unknown(con: Any, c: sql.Columns, channels: Channels, found: Source) -> UsageError:
    """Channel names the workspace does not know, each with the first file and row."""
    channel = sql.row_fields(c)["channel"]
    known = sorted(set((channels.known or {}).values()))
    said = []
    for name in list(channels.unknown)[:NAMES_SHOWN]:
        file, row = con.execute(
            f"SELECT filename, file_row_number + 1 FROM events_file WHERE {channel} = ? "
            "ORDER BY filename, file_row_number LIMIT 1",
            [name],
        ).fetchone()
        shown = _shown(found, file)
        where = f"row {row}" if shown is None else f"{shown}, row {row}"
        said.append(f"'{excerpt(name)}' ({where}){did_you_mean(name, known)}")
    return UsageError(
        f"{found.display}: unknown channels: {'; '.join(said)}{more(len(channels.unknown))}. "
        "Use workspace channel ids, or map a name with --alias NAME=CHANNEL"
    )


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
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException
        from pyspark.logger import PySparkLogger
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(
            "--engine spark needs pyspark: pip install 'mcplan[spark]' (and Java 17 or later)"
        ) from None
    csv = source.lower().endswith((".csv", ".tsv", ".txt"))
    if is_remote(source):  # on the cluster's storage (s3://…, abfss://…): Spark's to read
        display, paths, base = excerpt(source, 200), [source], None
    else:  # checked here first, as DuckDB's are, before Spark starts
        found = _source(source) if not csv else None
        if found is None:
            file = export_file(source, max_bytes=ENGINE_MAX_BYTES)
            display, paths, base = file.display, [str(file.path)], None
        else:
            display, paths, base = found.display, [str(f.path) for f in found.files], found.root
    try:
        with _quiet([PySparkLogger.getLogger(name) for name in _SPARK_LOGGERS]):
            spark = session(SparkSession)
            return _spark_read(spark, csv, paths, base, display, half_life_days, options)
    except (PySparkException, Py4JError) as exc:
        said = excerpt(first_line(exc), 160)
        for path in paths:
            said = said.replace(path, display)
        raise UsageError(f"{display}: Spark cannot read it: {said}") from None


# pyspark logs a failed query's message whole, with the cells it quotes, before it raises.
_SPARK_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")


@contextlib.contextmanager
def _quiet(loggers: Sequence[logging.Logger]) -> Iterator[None]:
    """The ``loggers`` silent, then as they were."""
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, was in zip(loggers, before, strict=True):
            logger.disabled = was


def _spark_read(
    spark: Any,
    csv: bool,
    paths: list[str],
    base: Path | None,
    display: str,
    half_life_days: float,
    options: dict[str, Any],
) -> Journeys:
    reader = spark.read
    if csv:
        frame = reader.option("header", True).csv(paths[0])
    else:  # a Parquet file, or the files of a folder with their partitions
        if base is not None:
            reader = reader.option("basePath", str(base))
        frame = reader.parquet(*paths)
    return _spark_journeys(spark, frame, display, half_life_days, options)


def _spark_journeys(
    spark: Any, frame: Any, display: str, half_life_days: float, options: dict[str, Any]
) -> Journeys:
    names = list(frame.columns)
    roles = resolve_columns(names, options["columns"] or {}, display)
    if "path" in roles:
        raise UsageError(f"{display}: a paths file: read it without --engine spark")
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
        raise UsageError(f"{display}: {problem}")
    rows = [tuple(row) for row in spark.sql(query.rstrip().rstrip(";")).collect()]
    channels = Channels(options["known"], options["aliases"] or {})
    journeys = from_aggregated(rows, channels, half_life_days, display)
    channels.check(display)
    return with_conversions(journeys, display)


# What a local session mcplan starts listens on and calls itself: this machine only, without
# looking its name up (Spark resolves the host name otherwise, and binds every interface).
LOCAL_SPARK = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",  # the command line shows its own
    "spark.sql.session.timeZone": "UTC",
}
_LOCAL_SPARK_ENVIRONMENT = {"SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOCAL_HOSTNAME": "127.0.0.1"}


def session(spark_session: Any) -> Any:
    """The active SparkSession (a cluster's, on Databricks or EMR: left as it is), else a
    local one on 127.0.0.1 (`LOCAL_SPARK`); ``spark_session`` is pyspark's class."""
    active = spark_session.getActiveSession()
    if active is not None:
        return active
    builder = spark_session.builder.master("local[*]").appName("mcplan")
    for key, value in LOCAL_SPARK.items():
        builder = builder.config(key, value)
    with _environment(_LOCAL_SPARK_ENVIRONMENT):  # read when the JVM starts
        spark = builder.getOrCreate()
    # What fails is said once, bounded, by mcplan: Spark's own logs would repeat it whole,
    # cells of the export included.
    spark.sparkContext.setLogLevel("OFF")
    return spark


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in the process's environment, then the environment as it was."""
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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
            return f"journey '{excerpt(str(journey_id))}': {message}: '{excerpt(str(shown))}'"
    return None
