"""What an engagement export's cells mean to `mcplan timing` (issue 30): a no in any case is
not an open, a send time needs a date and a time of day, a number is a time only as seconds
since 2000 or later; each refusal names its file, row and column."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import Result

WORKSPACE = Path(__file__).parents[1] / "workspaces" / "timing"


def _timing(run: Callable[..., Result], path: Path, *options: str) -> Result:
    return run("timing", str(path), *options, "-f", "json", "-w", str(WORKSPACE))


def test_a_no_in_capitals_is_not_an_open(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    sent = "pendler,email,2027-03-16T18:00:00Z,"
    path.write_text(
        "persona,channel,sent_at,opened_at\n"
        + "".join(f"{sent}{said}\n" for said in ("No", "FALSE", "Nein", "Yes")),
        encoding="utf-8",
    )
    result = _timing(run, path, "--metric", "open")
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["send_times"]
    assert (found["sends"], found["engaged"]) == (4, 1)


GOOD = "pendler,email,2027-03-16T18:00:00Z,"
BAD_ROWS = [
    ("pendler,email,2027-03-16,",
     "the send time is a date: a send time needs a time of day (column sent_at)"),
    ("pendler,email,46462.75,",  # an Excel serial day
     "the send time is a number, not a date and time: seconds since 1970 are read from 2000 "
     "on (946684800; column sent_at)"),
    ("pendler,email,20270316,", "the send time is a number, not a date and time"),
    ("pendler,email,gestern,",
     "the send time is not a date and time from 1970 to 2199 (column sent_at)"),
    ("pendler,email,nan,", "the send time is not a date and time from 1970 to 2199"),
    ("pendler,email,2027-03-16T18:00:00Z,vielleicht",
     "opened_at is not a date and time, a yes or a no (column opened_at)"),
    (",email,2027-03-16T18:00:00Z,", "the persona is empty (column persona)"),
]  # fmt: skip


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_send_time_is_refused_at_its_row(
    run: Callable[..., Result], tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(f"persona,channel,sent_at,opened_at\n{GOOD}\n{row}\n{GOOD}\n", "utf-8")
    result = _timing(run, path)
    assert result.exit_code == 2, result.output
    assert f"events.csv: row 3: {message}" in result.stderr


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_duckdbs_checks_say_what_the_row_readers_say(
    run: Callable[..., Result], tmp_path: Path, row: str, message: str
) -> None:
    """A Parquet file of text is checked by the SQL of each check, a CSV file's bad row by
    its Python twin: both refuse the same row with the same message."""
    header = ["persona", "channel", "sent_at", "opened_at"]
    rows = [GOOD.split(","), row.split(","), GOOD.split(",")]
    table = pa.table({name: [r[i] or None for r in rows] for i, name in enumerate(header)})
    pq.write_table(table, tmp_path / "events.parquet")
    result = _timing(run, tmp_path / "events.parquet")
    assert result.exit_code == 2, result.output
    assert f"events.parquet: row 2: {message}" in result.stderr


def test_parquet_dates_and_numbers_are_refused(run: Callable[..., Result], tmp_path: Path) -> None:
    """Columns typed by Parquet: a date has no time of day, a NaN beside good times is no
    time, seconds before 2000 are no send; seconds since 1970 from 2000 on are read."""
    cases = [
        (pa.array([date(2027, 3, 16)], pa.date32()), "row 1: the send time is a date"),
        (pa.array([1805220000.5, math.nan]), "row 2: the send time is not a date and time"),
        (pa.array([1805220000, 46462]), "row 2: the send time is a number, not a date"),
    ]
    for sent_at, message in cases:
        size = len(sent_at)
        table = pa.table({"persona": ["pendler"] * size, "channel": ["email"] * size,
                          "sent_at": sent_at})  # fmt: skip
        pq.write_table(table, tmp_path / "sends.parquet")
        result = _timing(run, tmp_path / "sends.parquet")
        assert result.exit_code == 2, result.output
        assert f"sends.parquet: {message}" in result.stderr
        assert "internal error" not in result.output
    table = pa.table({"persona": ["pendler"], "channel": ["email"], "sent_at": [1805220000],
                      "opened_at": [True]})  # fmt: skip
    pq.write_table(table, tmp_path / "sends.parquet")
    result = _timing(run, tmp_path / "sends.parquet")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["send_times"][0]["period"] == ["2027-03-16", "2027-03-16"]


def test_a_date_format_without_an_hour_is_refused(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    path.write_text("persona,channel,sent_at\npendler,email,16/03/2027\n", "utf-8")
    result = _timing(run, path, "--date-format", "%d/%m/%Y")
    assert result.exit_code == 2, result.output
    assert "--date-format: '%d/%m/%Y' has no hour (%H): a send time needs a time of day" in (
        result.stderr
    )


def test_a_count_too_large_is_refused_at_its_row(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """A count over 10^12 is a wrong cell: refused at its row, never an internal error or a
    sum wrapped round to a negative number of sends."""
    path = tmp_path / "counts.csv"
    path.write_text(
        "persona,channel,weekday,hour,sent,opened\npendler,email,1,10,100,1\n"
        "pendler,email,1,10,99999999999999999999,1\n",
        encoding="utf-8",
    )
    result = _timing(run, path)
    assert result.exit_code == 2, result.output
    assert (
        "counts.csv: row 3: sends '99999999999999999999' is over 10^12, no count of messages "
        "(column sent)"
    ) in result.stderr
    big = pa.table({"persona": ["pendler"] * 2, "channel": ["email"] * 2, "weekday": [2, 2],
                    "hour": [19, 19], "sent": [2**62, 2**62], "opened": [1, 1]})  # fmt: skip
    pq.write_table(big, tmp_path / "counts.parquet")
    result = _timing(run, tmp_path / "counts.parquet")
    assert result.exit_code == 2, result.output
    assert f"counts.parquet: row 1: sends '{2**62}' is over 10^12" in result.stderr
