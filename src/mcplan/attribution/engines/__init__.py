"""Aggregate touches into paths where the events are: DuckDB, embedded, by default
(`on_duckdb`); Spark through a SparkSession when pyspark is installed, with the query of
`mcplan.attribution.sql` (`on_spark`); the row reader (`mcplan.attribution.data`) for one
file, and for a paths file. An export gives the same result, or the same message, whichever
engine reads it.

An export may be a pull request's files, so no engine is handed a folder or a glob to expand
itself: `mcplan.exports` lists and checks the files (no link out of the folder, no FIFO or
device, a size limit), and DuckDB and Spark get that list, every link resolved (`sources`).
DuckDB then runs without external access (it opens those files and its spill folder only),
without loading or installing extensions, with its configuration locked; a local Spark
session listens on 127.0.0.1 only, without its web UI. What an engine says of a file it
cannot read is quoted as a bounded, escaped excerpt of its first line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mcplan.attribution.arrays import Paths
from mcplan.attribution.data import read
from mcplan.attribution.engines import on_duckdb, on_spark, sources
from mcplan.errors import UsageError
from mcplan.exports import GLOB
from mcplan.printable import excerpt
from mcplan.tabular import Numbers, time_pattern

ENGINES = ("duckdb", "memory", "spark")


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
) -> Paths:
    """The paths of an export (touches or paths), aggregated by ``engine``; ``decimal``
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
        return on_spark.aggregated(source, half_life_days, options)
    if engine == "memory":
        if GLOB.search(source) or Path(source).is_dir():
            raise UsageError(f"{excerpt(source, 200)}: the memory engine reads one file")
        return read(Path(source), **options)
    found = sources.source(source)
    if not found.parquet and sources.is_paths(source, found.files[0]):
        return read(Path(source), **options)
    limit = memory_limit or on_duckdb.default_memory_limit()
    return on_duckdb.aggregated(found, half_life_days, limit, options)
