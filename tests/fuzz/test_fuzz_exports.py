"""Fuzzing the export readers (touches, paths, results): whatever the cells, a reader returns
paths or rows, or raises UsageError naming the problem; nothing else, and no warning. The
touches are read by every engine in this process (the row reader, its columnar twin, DuckDB),
from CSV and from Parquet whose columns have any type a writer may give them."""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from mcplan import UsageError, load_workspace
from mcplan.attribution import attribute, read
from mcplan.attribution.engines import read_events
from mcplan.report.results import read_results

EXAMPLES = int(os.environ.get("MCPLAN_FUZZ_EXAMPLES", "20")) * 5
WORKSPACE = load_workspace(ROOT, discover=False)
HEADERS = [
    "journey_id,timestamp,channel,event,value",
    "journey_id,timestamp,channel,converted,value,cost",
    "path,conversions,value,null",
    "channel,sent,delivered,opened,clicked,converted,revenue,cost",
    "Canal;Envoyés;Convertis;Chiffre d'affaires;Coût",
]
CELLS = [
    "", "email", "SMS", "sms > email", " > ", "=HYPERLINK(\"x\")", "1", "0", "-1", "2.5", "1,234",
    "1 234,50 €", "1e400", "nan", "inf", "-inf", "1e300", "2027-01-13T09:00:00Z", "0001-01-01",
    "9999-12-31T23:59", "yesterday", "conversion", "touch", "yes", "maybe", "\"", "\"\"", ";",
    ",", "\x00", "\u2028", "a" * 300, "total", "Total",
]  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    st.sampled_from(HEADERS),
    st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=9), max_size=12),
    st.booleans(),
)
def test_no_export_crashes_a_reader(header: str, rows: list[list[str]], semicolons: bool) -> None:
    separator = ";" if semicolons or ";" in header else ","
    text = header + "\n" + "\n".join(separator.join(row) for row in rows) + "\n"
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy warning is a leak too
        path = Path(folder) / "export.csv"
        path.write_text(text, encoding="utf-8")
        with contextlib.suppress(UsageError):
            attribute(read(path, known=WORKSPACE.channel_lookup()), ["all"])
        with contextlib.suppress(UsageError):
            read_results(path, WORKSPACE)


def test_the_readers_name_what_they_refuse() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text("journey,time,channel\na,nan,email\n", encoding="utf-8")
        with pytest.raises(UsageError, match="row 2: time 'nan'"):
            read(path)


# Values of every type a Parquet writer may give a column, the extremes included: DuckDB's
# infinite dates and times, the largest UBIGINT, years Python has no date for.
TYPED = {
    "string": (pa.string(), st.sampled_from(CELLS)),
    "int64": (pa.int64(), st.sampled_from([0, 1, -1, 1_800_000_000, 2**63 - 1, -(2**63)])),
    "uint64": (pa.uint64(), st.sampled_from([0, 1, 1_800_000_000, 2**64 - 1])),
    "float64": (
        pa.float64(),
        st.sampled_from([0.0, 2.5, -1.0, 1e300, float("nan"), float("inf"), 1.8e9]),
    ),
    "date32": (pa.date32(), st.sampled_from([0, 20_000, -1, 2**31 - 1, -(2**31)])),
    "timestamp": (
        pa.timestamp("us"),
        st.sampled_from([0, 1_800_000_000_000_000, 2**63 - 1, -(2**63) + 1, -1]),
    ),
    "timestamp_s": (pa.timestamp("s", "UTC"), st.sampled_from([0, 1_800_000_000, 2**52])),
    "bool": (pa.bool_(), st.booleans()),
}
TOUCH_COLUMNS = ("journey_id", "timestamp", "channel", "event", "converted", "value", "cost")


@st.composite
def typed_tables(draw: st.DrawFn) -> pa.Table:
    names = draw(st.lists(st.sampled_from(TOUCH_COLUMNS), min_size=1, max_size=7, unique=True))
    n = draw(st.integers(1, 8))
    columns = {}
    for name in names:
        kind, values = TYPED[draw(st.sampled_from(sorted(TYPED)))]
        cells = draw(st.lists(st.one_of(st.none(), values), min_size=n, max_size=n))
        columns[name] = pa.array(cells, kind)
    return pa.table(columns)


@settings(max_examples=EXAMPLES // 2, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    st.sampled_from(HEADERS[:2]),
    st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=7), max_size=8),
    typed_tables(),
)
def test_no_touch_log_crashes_an_engine(
    header: str, rows: list[list[str]], table: pa.Table
) -> None:
    known = WORKSPACE.channel_lookup()
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("error")
        csv = Path(folder) / "touches.csv"
        csv.write_text(header + "\n" + "\n".join(",".join(r) for r in rows) + "\n", "utf-8")
        parquet = Path(folder) / "touches.parquet"
        pq.write_table(table, parquet)
        for path in (csv, parquet):
            for engine in ("memory", "duckdb"):
                with contextlib.suppress(UsageError):
                    attribute(read_events(str(path), engine=engine, known=known), ["all"])
