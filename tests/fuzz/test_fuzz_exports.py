"""Fuzzing the export readers (touches, paths, results): whatever the cells, a reader returns
journeys or rows, or raises UsageError naming the problem; nothing else, and no warning."""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from mcplan import UsageError, load_workspace
from mcplan.attribution import attribute, read
from mcplan.review.results import read_results

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
