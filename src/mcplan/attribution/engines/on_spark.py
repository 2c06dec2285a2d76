"""The events aggregated in Spark, through a SparkSession when pyspark is installed: the
paths query of `mcplan.attribution.sql`, transpiled to Spark's SQL, run where the data is
(a cluster's session, on Databricks or EMR, is left as it is), its rows read back as a paths
file's. A local session mcplan starts listens on 127.0.0.1 only, without its web UI."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from mcplan.attribution import sql
from mcplan.attribution.arrays import AggregatedPath, Paths, aggregated_paths
from mcplan.attribution.columns import Channels, resolve_columns
from mcplan.attribution.data import with_conversions
from mcplan.attribution.engines.sources import source
from mcplan.attribution.paths import decay_shares
from mcplan.errors import UsageError
from mcplan.exports import ENGINE_MAX_BYTES, export_file, is_remote
from mcplan.printable import excerpt
from mcplan.tabular import first_line


def aggregated(named: str, half_life_days: float, options: dict[str, Any]) -> Paths:
    """The paths of the export ``named``, aggregated by Spark."""
    try:
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException
        from pyspark.logger import PySparkLogger
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(
            "--engine spark needs pyspark: pip install 'mcplan[spark]' (and Java 17 or later)"
        ) from None
    csv = named.lower().endswith((".csv", ".tsv", ".txt"))
    if is_remote(named):  # on the cluster's storage (s3://…, abfss://…): Spark's to read
        display, paths, base = excerpt(named, 200), [named], None
    else:  # checked here first, as DuckDB's are, before Spark starts
        found = source(named) if not csv else None
        if found is None:
            file = export_file(named, max_bytes=ENGINE_MAX_BYTES)
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
) -> Paths:
    reader = spark.read
    if csv:
        frame = reader.option("header", True).csv(paths[0])
    else:  # a Parquet file, or the files of a folder with their partitions
        if base is not None:
            reader = reader.option("basePath", str(base))
        frame = reader.parquet(*paths)
    return _spark_paths(spark, frame, display, half_life_days, options)


def _spark_paths(
    spark: Any, frame: Any, display: str, half_life_days: float, options: dict[str, Any]
) -> Paths:
    names = list(frame.columns)
    roles = resolve_columns(names, options["columns"] or {}, display)
    if "path" in roles:
        raise UsageError(f"{display}: a paths file: read it without --engine spark")
    columns = sql.Columns.of(roles)
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
    paths = from_aggregated(rows, channels, half_life_days, display)
    channels.check(display)
    return with_conversions(paths, display)


def _spark_problem(spark: Any, c: sql.Columns, time: str | None) -> str | None:
    """The first problem of the events in Spark, named by column, value and contact (the
    message says `journey`, the role's name)."""
    seconds = time or f"EPOCH(TRY_CAST({sql.quoted(c.time)} AS TIMESTAMP))"  # bad: NULL
    amount = f"TRY_CAST({sql.quoted(c.value)} AS DOUBLE)" if c.value else "0.0"
    contact = sql.row_fields(c)["journey"]
    for message, (test, column) in sql.problems(c, seconds, amount).items():
        query = sql.transpile(
            f"SELECT {contact}, CAST({sql.quoted(column)} AS VARCHAR) FROM {sql.TABLE} "
            f"WHERE {test} LIMIT 1",
            "spark",
        )
        found = spark.sql(query.rstrip().rstrip(";")).collect()
        if found:
            contact_id, shown = found[0]
            return f"journey '{excerpt(str(contact_id))}': {message}: '{excerpt(str(shown))}'"
    return None


def from_aggregated(
    rows: Sequence[Sequence[Any]], channels: Channels, half_life_days: float, display: str
) -> Paths:
    """Paths from the query's rows: (path, conversions, value, null, decay, decay_value,
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

    return aggregated_paths(entries(), channels, half_life_days)


# -- the session ----------------------------------------------------------------------------

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
