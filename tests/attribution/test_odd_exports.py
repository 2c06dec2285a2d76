"""Exports that used to crash `mcplan attribute` (exit 3): values Python or DuckDB have no type
for, a Parquet page that belies its file's statistics. Each is a result or a message naming
the file, exit 0 or 2, with every engine that reads it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import Result

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
