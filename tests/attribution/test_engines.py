"""The engines that aggregate touches into paths: DuckDB (a file, a folder of partitioned
Parquet, a glob), Spark in local mode, and the SQL printed for the warehouses. Every one gives
the row reader's result, on generated logs; bad input is named by file and row, or by
column, value and contact (`journey 'a'`, as the role is called)."""

from __future__ import annotations

import contextlib
import csv
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pytest
import sqlglot
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mcplan import UsageError
from mcplan.attribution import Options, attribute, read
from mcplan.attribution.engines import on_duckdb, on_spark, read_events
from mcplan.attribution.sql import DIALECTS, printed

START = datetime(2027, 3, 1, 9, tzinfo=UTC)
HEADER = ["journey_id", "timestamp", "channel", "event", "converted", "value"]
Row = tuple[str, datetime, str, str, str, str]


@st.composite
def logs(draw: st.DrawFn) -> list[Row]:
    """A touch log: contacts' touches, conversions and touches flagged converted, at hours
    that may be equal (ties are ordered the same in every engine)."""
    rows: list[Row] = []
    for j in range(draw(st.integers(1, 6))):
        for _ in range(draw(st.integers(1, 7))):
            at = START + timedelta(hours=draw(st.integers(0, 200)))
            kind = draw(st.sampled_from(["touch", "touch", "touch", "conversion", "flagged"]))
            value = draw(st.sampled_from(["0", "12.5", "30", "99.99"]))
            if kind == "conversion":
                rows.append((f"j{j}", at, "", "purchase", "", value))
            else:
                channel = draw(st.sampled_from(["email", "sms", "instagram", "website"]))
                flag = "yes" if kind == "flagged" else "no"
                rows.append((f"j{j}", at, channel, "touch", flag, value if flag == "yes" else ""))
    if not any(r[3] == "purchase" or r[4] == "yes" for r in rows):
        rows.append(("j0", START + timedelta(hours=300), "", "purchase", "", "10"))
    return rows


def _fixed() -> list[Row]:
    at = [START + timedelta(hours=h) for h in range(12)]
    return [
        ("a", at[0], "email", "touch", "no", ""),
        ("a", at[1], "sms", "touch", "no", ""),
        ("a", at[2], "", "purchase", "", "40"),
        ("a", at[3], "sms", "touch", "no", ""),
        ("b", at[0], "instagram", "touch", "no", ""),
        ("b", at[0], "email", "touch", "yes", "25"),  # a tie: email before instagram
        ("c", at[5], "", "purchase", "", "5"),  # no touch before it
        ("d", at[6], "website", "touch", "no", ""),
    ]


def _csv(rows: list[Row], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        out.writerows([(j, at.strftime("%Y-%m-%dT%H:%M:%S"), *rest) for j, at, *rest in rows])
    return path


def _parquet(rows: list[Row], folder: Path) -> Path:
    """The log as a folder of Parquet files, partitioned by day (hive style)."""
    columns = list(zip(*rows, strict=True))
    table = pa.table(
        {
            "journey_id": pa.array(columns[0]),
            "timestamp": pa.array(columns[1], pa.timestamp("s", tz="UTC")),
            "channel": pa.array(columns[2]),
            "event": pa.array(columns[3]),
            "converted": pa.array(columns[4]),
            "value": pa.array([float(v) if v else None for v in columns[5]]),
            "day": pa.array([at.strftime("%Y-%m-%d") for at in columns[1]]),
        }
    )
    ds.write_dataset(
        table,
        folder,
        format="parquet",
        partitioning=["day"],
        partitioning_flavor="hive",
        existing_data_behavior="overwrite_or_ignore",
    )
    return folder


def _results(paths: Any) -> dict[str, dict[str, tuple[float, float]]]:
    """Every model's credit per channel (conversions, value), and the conversions with no
    touch."""
    out = {}
    for result in attribute(paths, ["all"], Options()):
        credit = {
            c: (float(n), float(v))
            for c, n, v in zip(result.channels, result.conversions, result.value, strict=True)
        }
        credit["(no touch)"] = result.unattributed
        out[result.model] = credit
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a.keys() == b.keys()
    for model in a:
        assert a[model].keys() == b[model].keys(), model
        for channel, (n, v) in a[model].items():
            m, w = b[model][channel]
            assert math.isclose(n, m, rel_tol=1e-9, abs_tol=1e-9), (model, channel, n, m)
            assert math.isclose(v, w, rel_tol=1e-9, abs_tol=1e-7), (model, channel, v, w)


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    return lambda: tmp_path_factory.mktemp("log")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=logs())
def test_duckdb_gives_the_row_reader_s_result_on_csv_and_parquet(
    rows: list[Row], folder: Callable[[], Path]
) -> None:
    """Slow (about 7 s): 30 generated logs, each written as CSV and as Parquet and read six
    ways; the engines' agreement on ties and flags needs that many to be met."""
    where = folder()
    expected = _results(read(_csv(rows, where / "log.csv")))
    _same(_results(read_events(str(where / "log.csv"))), expected)
    parquet = _parquet(rows, where / "events")
    _same(_results(read_events(str(parquet))), expected)
    _same(_results(read_events(str(parquet / "*" / "*.parquet"))), expected)
    with mock.patch.object(on_duckdb, "_BATCH", 2):  # contacts cut across DuckDB's batches
        _same(_results(read_events(str(parquet))), expected)
    _same(_results(read(_sql_paths(parquet, where / "paths.csv"))), expected)


def _sql_paths(parquet: Path, paths: Path) -> Path:
    """The paths file the printed SQL makes of a Parquet log, run in DuckDB."""
    query = printed({"converted": "converted"}, 7.0, "duckdb")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE TABLE touches AS SELECT * FROM read_parquet('{parquet}/**/*.parquet')")
    con.execute(f"COPY ({query.rstrip().rstrip(';')}) TO '{paths}' (HEADER, DELIMITER ',')")
    return paths


def test_paths_longer_than_a_key_holds_are_summed_too(tmp_path: Path) -> None:
    """A path of up to some twenty steps is summed as one integer; a longer one apart."""
    rows: list[Row] = []
    for j, channels, steps in (("a", ["email", "sms"], 45), ("b", ["email", "sms"], 45),
                               ("c", ["email", "sms", "website", "instagram"], 30)):  # fmt: skip
        for i in range(steps):
            at = START + timedelta(hours=i)
            rows.append((j, at, channels[i * 7 % len(channels)], "touch", "no", ""))
        rows.append((j, START + timedelta(hours=steps), "", "purchase", "", "50"))
    rows.append(("d", START, "sms", "touch", "no", ""))
    expected = _results(read(_csv(rows, tmp_path / "log.csv")))
    parquet = _parquet(rows, tmp_path / "events")
    _same(_results(read_events(str(parquet))), expected)
    _same(_results(read(_sql_paths(parquet, tmp_path / "paths.csv"))), expected)


def test_the_printed_sql_run_where_the_data_is_gives_a_paths_file_that_reads_back(
    tmp_path: Path,
) -> None:
    rows = _fixed()
    expected = _results(read(_csv(rows, tmp_path / "log.csv")))
    paths = _sql_paths(_parquet(rows, tmp_path / "p"), tmp_path / "paths.csv")
    _same(_results(read(paths)), expected)
    with pytest.raises(UsageError, match="aggregated for a half-life of 7 days, not 3"):
        attribute(read(paths), ["time_decay"], Options(half_life_days=3))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_sql_is_printed_for_each_dialect_with_the_columns_given(dialect: str) -> None:
    text = printed({"journey": "user_id", "time": "event_time"}, 7.0, dialect, "events")
    assert text.startswith("-- mcplan attribute: the paths of the touches in events")
    assert "user_id" in text
    assert "event_time" in text
    sqlglot.parse_one(text.split("\n", 2)[2].rstrip().rstrip(";"), read=dialect)


def test_parquet_problems_are_named_by_file_and_row(tmp_path: Path) -> None:
    rows = _fixed()
    rows[3] = ("a", rows[3][1], "newsletter", "touch", "no", "")
    with pytest.raises(
        UsageError, match=r"unknown channels: 'newsletter' \(.*day=2027-03-01.*\.parquet, row \d+\)"
    ):
        read_events(
            str(_parquet(rows, tmp_path / "p")),
            known={"email": "email", "sms": "sms", "instagram": "instagram", "website": "website"},
        )
    rows = _fixed()
    rows[0] = ("", rows[0][1], "email", "touch", "no", "")
    with pytest.raises(UsageError, match=r"\.parquet: row 1: the journey id is empty"):
        read_events(str(_parquet(rows, tmp_path / "q")))


def test_a_bad_csv_row_is_said_as_the_row_reader_says_it(tmp_path: Path) -> None:
    rows = _fixed()
    path = _csv(rows, tmp_path / "log.csv")
    text = path.read_text("utf-8").replace("2027-03-01T10:00:00", "yesterday", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as memory:
        read(path)
    with pytest.raises(UsageError) as embedded:
        read_events(str(path))
    assert str(embedded.value) == str(memory.value)
    assert "row 3: time 'yesterday'" in str(memory.value)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing.csv", "missing.csv: no such file"),
        ("empty", "no Parquet file in this folder"),
        ("*.csv", "a pattern names Parquet files"),
    ],
)
def test_what_is_not_an_export_is_said(tmp_path: Path, source: str, message: str) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match=message):
        read_events(str(tmp_path / source))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "no data rows under the header"),
        ([("a", START, "email", "touch", "no", "")], "no conversion in the file"),
    ],
)
def test_a_log_without_a_conversion_is_said_as_the_row_reader_says_it(
    tmp_path: Path, rows: list[Row], message: str
) -> None:
    path = _csv(rows, tmp_path / "log.csv")
    with pytest.raises(UsageError, match=message):
        read(path)
    with pytest.raises(UsageError, match=message):
        read_events(str(path))
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{tmp_path}/log.parquet'"
    )
    with pytest.raises(UsageError, match=message):
        read_events(str(tmp_path / "log.parquet"))


def test_a_memory_limit_duckdb_refuses_is_said(tmp_path: Path) -> None:
    path = _csv(_fixed(), tmp_path / "log.csv")
    with pytest.raises(UsageError, match="--memory-limit lots"):
        read_events(str(path), memory_limit="lots")


# -- Spark, in local mode ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """The local session `--engine spark` starts (one for the module: a JVM takes seconds)."""
    from pyspark.sql import SparkSession

    session = on_spark.session(SparkSession)
    session.conf.set("spark.sql.shuffle.partitions", "1")  # a few rows: one task each
    yield session
    session.stop()


def test_the_local_spark_session_listens_on_this_machine_only(spark: Any) -> None:
    """Bound to 127.0.0.1, never resolving this machine's name, without the web UI: the
    driver's ports are no one else's to reach."""
    conf = dict(spark.sparkContext.getConf().getAll())
    assert conf["spark.driver.host"] == "127.0.0.1"
    assert conf["spark.driver.bindAddress"] == "127.0.0.1"
    assert conf["spark.ui.enabled"] == "false"
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    jvm = Path(f"/proc/{spark.sparkContext._gateway.proc.pid}")
    if not all(t.exists() for t in tables) or not jvm.exists():
        return  # no /proc to list the JVM's sockets
    environment = (jvm / "environ").read_bytes().split(b"\0")  # its own name is an address
    assert b"SPARK_LOCAL_HOSTNAME=127.0.0.1" in environment
    assert b"SPARK_LOCAL_IP=127.0.0.1" in environment
    sockets = set()
    for fd in (jvm / "fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                sockets.add(target[len("socket:[") : -1])
    listening = [  # (local address, state, …, inode): hex, 0A when listening
        fields[1].split(":")[0]
        for table in tables
        for fields in (line.split() for line in table.read_text().splitlines()[1:])
        if fields[3] == "0A" and fields[9] in sockets
    ]
    loopback = {"0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"}
    assert listening
    assert set(listening) <= loopback


def test_an_active_spark_session_is_left_as_it_is(spark: Any) -> None:
    from pyspark.sql import SparkSession

    assert on_spark.session(SparkSession) is spark
    assert spark.conf.get("spark.sql.shuffle.partitions") == "1"


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=logs())
@example(rows=_fixed())  # ties, a flagged touch, a conversion without a touch
def test_spark_gives_the_row_reader_s_result(
    rows: list[Row], folder: Callable[[], Path], spark: Any
) -> None:
    """Slow (about 4 s a log, 4 logs): each is a dozen Spark jobs (the export's checks, then
    its paths), each job a second or less of a JVM's work on the module's one session."""
    where = folder()
    expected = _results(read(_csv(rows, where / "log.csv")))
    _same(_results(read_events(str(_parquet(rows, where / "events")), engine="spark")), expected)


def test_spark_names_the_column_value_and_contact_of_a_bad_row(tmp_path: Path, spark: Any) -> None:
    path = _csv(_fixed(), tmp_path / "log.csv")
    text = path.read_text("utf-8").replace("2027-03-01T10:00:00", "yesterday", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        UsageError, match=r"journey 'a': time is not a date and time .*: 'yesterday'"
    ):
        read_events(str(path), engine="spark")


def test_without_pyspark_the_spark_engine_says_what_to_install(tmp_path: Path) -> None:
    path = _csv(_fixed(), tmp_path / "log.csv")
    script = (
        "import sys; sys.modules['pyspark'] = None\n"
        "from mcplan.attribution.engines import read_events\n"
        "from mcplan import UsageError\n"
        f"try: read_events({str(path)!r}, engine='spark')\n"
        "except UsageError as e: print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "pip install 'mcplan[spark]'" in done.stdout


def test_the_command_prints_the_sql_and_says_what_it_needs(run: Callable, tmp_path: Path) -> None:
    printed_sql = run(
        "attribute", "--sql", "snowflake", "--column", "journey=user_id", "--table", "raw.touches"
    )
    assert printed_sql.exit_code == 0, printed_sql.stderr
    assert "LISTAGG" in printed_sql.stdout
    assert "raw.touches" in printed_sql.stdout
    unknown = run("attribute", "--sql", "oracle")
    assert unknown.exit_code == 2
    assert (
        "unknown dialect 'oracle'; dialects: duckdb, spark, bigquery, snowflake" in unknown.stderr
    )
    nothing = run("attribute")
    assert nothing.exit_code == 2
    assert "give the export to attribute" in nothing.stderr


def test_a_folder_of_parquet_files_from_the_command_line(run: Callable, tmp_path: Path) -> None:
    folder = _parquet(_fixed(), tmp_path / "lake")
    csv_file = _csv(_fixed(), tmp_path / "log.csv")
    from_folder = run("attribute", str(folder), "-f", "json", "--memory-limit", "256MB")
    from_csv = run("attribute", str(csv_file), "-f", "json")
    assert from_folder.exit_code == 0, from_folder.stderr
    assert from_folder.stdout == from_csv.stdout


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=logs())
@example(rows=_fixed())
def test_bigquery_s_form_of_the_query_gives_the_same_paths(
    rows: list[Row], folder: Callable[[], Path]
) -> None:
    """BigQuery's window functions take no ordered aggregate: its query names each path by a
    GROUP BY joined back to the events; run in DuckDB, both forms give the same rows."""
    from mcplan.attribution.sql import Columns, paths_query

    where = _parquet(rows, folder() / "p")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"CREATE TABLE touches AS SELECT * FROM read_parquet('{where}/**/*.parquet')")
    columns = Columns("journey_id", "timestamp", "channel", "event", "converted", "value")
    windowed = con.execute(paths_query(columns, 7.0)).fetchall()
    joined = con.execute(paths_query(columns, 7.0, joined=True)).fetchall()
    assert [(r[0], r[1], r[3]) for r in joined] == [(r[0], r[1], r[3]) for r in windowed]
    for a, b in zip(joined, windowed, strict=True):  # value and shares, summed in any order
        assert math.isclose(a[2], b[2], rel_tol=1e-12, abs_tol=1e-12)
        for x, y in zip(a[4:6], b[4:6], strict=True):
            numbers = [
                (float(p), float(q))
                for p, q in zip((x or "").split(">"), (y or "").split(">"), strict=True)
                if p.strip()
            ]
            assert all(math.isclose(p, q, rel_tol=1e-12, abs_tol=1e-12) for p, q in numbers)
