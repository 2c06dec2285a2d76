"""Exports that used to crash `mcplan attribute` (exit 3): values Python or DuckDB have no type
for, a Parquet page that belies its file's statistics, touches decades before their
conversion. Each is a result or a message naming the file, exit 0 or 2, with every engine
that reads it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import Result

from mcplan.attribution.sql import Columns, paths_query

ENGINES = ("memory", "duckdb")


def _duckdb_parquet(path: Path, select: str) -> Path:
    duckdb.sql(f"COPY ({select}) TO '{path}' (FORMAT PARQUET)")
    return path


def _no_crash(result: Result) -> None:
    said = result.stdout + result.stderr
    assert result.exit_code in (0, 2), said
    assert "internal error" not in said
    assert "Traceback" not in said


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", ["DATE", "TIMESTAMP"])
def test_an_infinite_time_is_named_by_its_row(
    run: Callable[..., Result], tmp_path: Path, engine: str, kind: str
) -> None:
    path = _duckdb_parquet(
        tmp_path / "log.parquet",
        f"SELECT * FROM (VALUES ('a', '2027-01-02'::{kind}, 'email'), "
        f"('a', 'infinity'::{kind}, '')) AS t(journey_id, timestamp, channel)",
    )
    result = run("attribute", str(path), "--engine", engine)
    _no_crash(result)
    assert result.exit_code == 2
    assert "log.parquet: row " in result.stderr  # its second data row
    assert "is not a date and time from 1970 to 2199" in result.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_the_largest_ubigint_is_a_value_like_any_other(
    run: Callable[..., Result], tmp_path: Path, engine: str
) -> None:
    path = _duckdb_parquet(
        tmp_path / "log.parquet",
        "SELECT * FROM (VALUES ('a', 1800000000, 'email', 0::UBIGINT), "
        "('a', 1800000060, '', 18446744073709551615::UBIGINT)) AS t(journey_id, timestamp, "
        "channel, value)",
    )
    result = run("attribute", str(path), "--engine", engine, "-m", "last", "-f", "csv")
    _no_crash(result)
    assert "last,email,1.0,1.8446744073709552e+19," in result.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_the_largest_ubigint_is_no_time(
    run: Callable[..., Result], tmp_path: Path, engine: str
) -> None:
    path = _duckdb_parquet(
        tmp_path / "log.parquet",
        "SELECT * FROM (VALUES ('a', 1800000000::UBIGINT, 'email'), "
        "('a', 18446744073709551615::UBIGINT, '')) AS t(journey_id, timestamp, channel)",
    )
    result = run("attribute", str(path), "--engine", engine)
    _no_crash(result)
    assert result.exit_code == 2
    assert "log.parquet: row " in result.stderr
    assert "is not a date and time from 1970 to 2199" in result.stderr


# -- a corrupt page: written by pyarrow (plain, uncompressed), one value's bytes replaced --------

SECONDS = [1_800_000_000, 1_800_003_600, 1_800_007_200, 1_800_010_800]


def _plain(path: Path) -> bytes:
    table = pa.table(
        {
            "journey_id": ["j1", "j1", "j2", "j2"],
            "timestamp": pa.array([s * 1_000_000 for s in SECONDS], pa.timestamp("us")),
            "channel": ["email", "", "sms", ""],
            "value": [0.0, 10.0, 0.0, 5.0],
        }
    )
    pq.write_table(table, path, compression="none", use_dictionary=False)
    return path.read_bytes()


def test_a_page_that_is_not_utf8_is_said(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    raw = _plain(path)
    assert raw.count(b"email") == 1  # in the data page only: the statistics say "" and "sms"
    path.write_bytes(raw.replace(b"email", b"\xff\xfe\xfd\xfc\xfb"))
    result = run("attribute", str(path))
    _no_crash(result)
    assert result.exit_code == 2
    assert f"{path}: cannot be read: " in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_time_its_file_s_statistics_deny_is_said(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """DuckDB trusts the statistics (from the first to the last time) and skips its check of
    each time; the time in the page is 100,000 years on."""
    path = tmp_path / "log.parquet"
    raw = _plain(path)
    second = (SECONDS[1] * 1_000_000).to_bytes(8, "little")  # neither the least nor the most
    assert raw.count(second) == 1
    path.write_bytes(raw.replace(second, (2**61).to_bytes(8, "little")))
    result = run("attribute", str(path))
    _no_crash(result)
    assert result.exit_code == 2
    assert "the file may be corrupt" in result.stderr


# -- touches decades before their conversion ---------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_touches_decades_before_their_conversion_share_it(
    run: Callable[..., Result], tmp_path: Path, engine: str
) -> None:
    """2 ** -(years / 7 days) is 0 for every touch: the weights are counted from the path's
    last touch, which gives the same shares."""
    path = tmp_path / "log.csv"
    path.write_text(
        "journey_id,timestamp,channel\na,1970-01-02,email\na,1970-01-09,sms\na,2190-01-01,\n",
        encoding="utf-8",
    )
    result = run("attribute", str(path), "--engine", engine, "-m", "time_decay", "-f", "csv")
    _no_crash(result)
    assert result.exit_code == 0
    assert "time_decay,email,0.3333,0.0,0.3333" in result.stdout
    assert "time_decay,sms,0.6667,0.0,0.6667" in result.stdout


def test_the_sql_weighs_touches_decades_before_their_conversion_too() -> None:
    """The query Spark runs and the warehouses are given: no division by a sum of zeros."""
    con = duckdb.connect()
    at = [datetime(1970, 1, 2, tzinfo=UTC), datetime(1970, 1, 9, tzinfo=UTC)]
    con.execute("CREATE TABLE touches (journey_id VARCHAR, timestamp TIMESTAMPTZ, channel VARCHAR)")
    con.executemany(
        "INSERT INTO touches VALUES (?, ?, ?)",
        [("a", at[0], "email"), ("a", at[1], "sms"), ("a", datetime(2190, 1, 1, tzinfo=UTC), None)],
    )
    con.execute("SET TimeZone = 'UTC'")
    query = paths_query(Columns("journey_id", "timestamp", "channel"), 7.0)
    [(path, conversions, _, _, decay, *_)] = con.execute(query).fetchall()
    assert (path, conversions) == ("email > sms", 1)
    assert [round(float(x), 4) for x in decay.split(" > ")] == [0.3333, 0.6667]
