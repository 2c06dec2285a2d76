"""Reading an engagement export (issue 30): local weekdays and hours across clock changes,
both forms alike, CSV and Parquet alike, headers in other languages, bad rows named."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from mcplan.errors import UsageError
from mcplan.timing import TimingResult, learn, read_engagement
from mcplan.timing.read import CLICKED, OPENED, SENT
from mcplan.timing.zones import breakpoints
from mcplan.workspace import Workspace, load_workspace
from timing.simulate import Persona, events, write_csv

WORKSPACE = Path(__file__).parents[1] / "workspaces" / "timing"
HEADER = "persona,channel,sent_at,opened_at,clicked_at\n"


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return load_workspace(WORKSPACE)


def _write(tmp_path: Path, text: str, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_local_hours_follow_each_zones_clock_changes(workspace: Workspace, tmp_path: Path) -> None:
    # 18:00 UTC is 19:00 in Berlin before 28 March 2027 and 20:00 after; 12:00 UTC is 7:00
    # in New York before 14 March and 8:00 after.
    path = _write(tmp_path, HEADER + (
        "pendler,email,2027-03-16T18:00:00Z,2027-03-16T19:30:00+01:00,\n"  # Tuesday 19:00
        "pendler,email,2027-03-30T18:00:00Z,,\n"  # Tuesday 20:00 (summer time)
        "pendler,email,2027-03-30T19:00+02:00,,2027-03-30T19:05+02:00\n"  # an offset: 19:00
        "commuter,sms,2027-03-09T12:00:00Z,,\n"  # Tuesday 7:00 in New York
        "commuter,sms,2027-03-16T12:00:00Z,,\n"  # Tuesday 8:00
    ))  # fmt: skip
    found = read_engagement(workspace, path)
    assert found.pairs == (("commuter", "sms"), ("pendler", "email"))
    commuter, pendler = found.counts
    assert (pendler[SENT, 1, 19], pendler[SENT, 1, 20]) == (2, 1)
    assert (pendler[OPENED, 1, 19], pendler[CLICKED, 1, 19]) == (1, 1)
    assert (commuter[SENT, 1, 7], commuter[SENT, 1, 8]) == (1, 1)
    assert found.counts.sum() == 5 + 2
    assert found.rows == 5


ZONES = ("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu")


def test_local_hours_are_zoneinfos_through_a_year_of_clock_changes(tmp_path: Path) -> None:
    """Sends every 3.5 hours through 2027 and a second before, at and after each clock
    change, in zones that change by an hour, by half an hour (Lord Howe) or never (Kathmandu,
    at +5:45), counted by the query DuckDB runs: each at its local weekday and hour as
    zoneinfo gives them."""
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    for number, zone in enumerate(ZONES):
        (tmp_path / "ws" / "personas" / f"z{number}.yaml").write_text(
            f"name: Z{number}\nmarket: b2c\nsize: 10\nstage: loyalty\ntimezone: {zone}\n"
            "channels:\n  email: {reach: 0.9, affinity: 0.6, consent: opt_in}\n",
            encoding="utf-8",
        )
    workspace = load_workspace(tmp_path / "ws")
    start = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2028, 1, 1, tzinfo=UTC).timestamp())
    lines, expected = [HEADER], np.zeros((len(ZONES), 7, 24), dtype=np.int64)
    for number, zone in enumerate(ZONES):
        changes = breakpoints(zone, start, end)[0][1:].tolist()
        instants = [*range(start, end, 12_600), *(c + d for c in changes for d in (-1, 0, 1))]
        for second in instants:
            at = datetime.fromtimestamp(second, ZoneInfo(zone))
            expected[number, at.weekday(), at.hour] += 1
            sent = datetime.fromtimestamp(second, UTC).isoformat()
            lines.append(f"z{number},email,{sent},,\n")
    found = read_engagement(workspace, _write(tmp_path, "".join(lines)))
    assert found.pairs == tuple((f"z{n}", "email") for n in range(len(ZONES)))
    assert (found.counts[:, SENT] == expected).all()


def _aggregated(rows: list[dict[str, str]], zones: dict[str, str], path: Path) -> Path:
    """The same sends as the aggregated form, with a German header and day names."""
    days = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    counted: Counter[tuple[str, str, int, int, str]] = Counter()
    for row in rows:
        sent = datetime.fromisoformat(row["sent_at"]).astimezone(ZoneInfo(zones[row["persona"]]))
        key = (row["persona"], row["channel"], sent.weekday(), sent.hour)
        counted[(*key, "sent")] += 1
        counted[(*key, "opened")] += bool(row["opened_at"])
        counted[(*key, "clicked")] += bool(row["clicked_at"])
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file, delimiter=";")
        out.writerow(
            ["Persona", "Kanal", "Wochentag", "Stunde", "Gesendet", "Geöffnet", "Geklickt"]
        )
        keys = sorted({k[:4] for k in counted})
        for persona, channel, day, hour in keys:
            out.writerow([persona, channel, days[day], hour] + [
                counted[(persona, channel, day, hour, what)]
                for what in ("sent", "opened", "clicked")
            ])  # fmt: skip
    return path


def _learned(result: TimingResult) -> list[tuple[object, ...]]:
    return [(s.persona, s.channel, s.metric, s.best, s.rate, s.cells) for s in result.send_times]


def _learned(result: TimingResult) -> list[tuple[object, ...]]:
    return [(s.persona, s.channel, s.metric, s.best, s.rate, s.cells) for s in result.send_times]


def test_both_forms_and_parquet_give_the_same_result(workspace: Workspace, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    personas = [
        Persona("pendler", "Europe/Berlin", 900, (2, 18)),
        Persona("commuter", "America/New_York", 700, (None, 9), channel="sms"),
    ]
    rows = events(personas, seed=7)
    from_csv = learn(workspace, read_engagement(workspace, write_csv(rows, tmp_path / "e.csv")))
    aggregated = _aggregated(rows, {p.id: p.zone for p in personas}, tmp_path / "a.csv")
    from_counts = learn(workspace, read_engagement(workspace, aggregated))
    table = pa.table({k: [r[k] or None for r in rows] for k in rows[0]})
    pq.write_table(table, tmp_path / "e.parquet")
    from_parquet = learn(workspace, read_engagement(workspace, tmp_path / "e.parquet"))
    assert _learned(from_csv) == _learned(from_counts) == _learned(from_parquet)
    assert from_csv.send_times[0].period is not None
    assert from_counts.send_times[0].period is None  # the aggregated form has no dates


def test_headers_in_german(workspace: Workspace, tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "Persona;Kanal;Gesendet am;Geöffnet am\n"
        "Berliner Pendler;E-Mail;2027-03-16T18:00:00Z;2027-03-16T18:30:00Z\n"
    ))  # fmt: skip
    found = read_engagement(workspace, path)
    assert found.pairs == (("pendler", "email"),)
    assert found.metrics == {"open"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("pendler,email,gestern,,",
         "events.csv: row 3: the send time is not a date and time from 1970 to 2199 (column "
         "sent_at)"),
        (",email,2027-03-16T18:00:00Z,,",
         "events.csv: row 3: the persona is empty (column persona)"),
        ("pendler,email,2027-03-16T18:00:00Z,vielleicht,",
         "events.csv: row 3: opened_at is not a date and time, a yes or a no (column opened_at)"),
        ("pendlr,email,2027-03-16T18:00:00Z,,",
         "events.csv: unknown personas: 'pendlr' (row 3) (did you mean 'pendler'?)"),
        ("pendler,emial,2027-03-16T18:00:00Z,,",
         "events.csv: unknown channels: 'emial' (row 3) (did you mean 'email'?)"),
    ],
)  # fmt: skip
def test_bad_rows_are_named(workspace: Workspace, tmp_path: Path, row: str, message: str) -> None:
    good = "pendler,email,2027-03-16T18:00:00Z,,\n"
    path = _write(tmp_path, HEADER + good + row + "\n" + good)
    with pytest.raises(UsageError) as error:
        read_engagement(workspace, path)
    assert message in str(error.value)


def test_bad_aggregated_rows_are_named(workspace: Workspace, tmp_path: Path) -> None:
    header = "persona,channel,weekday,hour,sent,opened,clicked\n"
    for row, message in [
        ("pendler,email,someday,19,10,2,1", "row 3: weekday 'someday' is not a day of the week"),
        ("pendler,email,-1,19,10,2,1", "row 3: weekday '-1' is not a day of the week"),
        ("pendler,email,8,19,10,2,1", "row 3: weekday '8' is not a day of the week"),
        ("pendler,email,tuesday,25,10,2,1", "row 3: hour '25' is not an hour from 0 to 23"),
        ("pendler,email,tuesday,19,10,12,1", "row 3: 12 opens but 10 sends"),
        ("pendler,email,tuesday,19,ten,2,1", "row 3: sends 'ten' is not a number"),
    ]:
        path = _write(tmp_path, header + "pendler,email,2,19,10,2,1\n" + row + "\n", "a.csv")
        with pytest.raises(UsageError) as error:
            read_engagement(workspace, path)
        assert f"a.csv: {message}" in str(error.value)


def test_an_export_without_rows_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"events\.csv: no data rows under the header"):
        read_engagement(workspace, _write(tmp_path, HEADER))


def test_a_missing_column_is_named(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"events\.csv: row 1: missing column sent_at"):
        read_engagement(workspace, _write(tmp_path, "persona,channel,opened_at\np,e,\n"))


def test_rows_are_numbered_as_a_spreadsheet_does(workspace: Workspace, tmp_path: Path) -> None:
    good = "pendler,email,2027-03-16T18:00:00Z,,\n"
    path = _write(tmp_path, HEADER + good + "\n" + good + "pendler,email,nie,,\n")
    with pytest.raises(UsageError, match=r"events\.csv: row 5: the send time is not"):
        read_engagement(workspace, path)
    path = _write(tmp_path, HEADER + good + "\n" + "pendlr,email,2027-03-16T18:00:00Z,,\n")
    with pytest.raises(UsageError, match=r"'pendlr' \(row 4\)"):
        read_engagement(workspace, path)


def test_aggregated_rows_are_numbered_as_a_spreadsheet_does(
    workspace: Workspace, tmp_path: Path
) -> None:
    header = "persona,channel,weekday,hour,sent,opened\n"
    good = "pendler,email,1,10,10,1\n"
    path = _write(tmp_path, header + good + "\n\n" + "pendler,email,1,25,10,1\n", "a.csv")
    with pytest.raises(UsageError, match=r"a\.csv: row 5: hour '25' is not an hour"):
        read_engagement(workspace, path)
    path = _write(tmp_path, header + good + "\n" + "pendlr,email,1,10,10,1\n", "a.csv")
    with pytest.raises(UsageError, match=r"'pendlr' \(row 4\)"):
        read_engagement(workspace, path)


def test_a_persona_without_a_zone_counts_in_the_workspaces(tmp_path: Path) -> None:
    """`timezone:` left empty in a persona's file: its sends count at the workspace's local
    time (Berlin: 18:00 UTC is 19:00 in March), not in UTC."""
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    commuter = tmp_path / "ws" / "personas" / "commuter.yaml"
    commuter.write_text(
        commuter.read_text("utf-8").replace("timezone: America/New_York", "timezone:"), "utf-8"
    )
    workspace = load_workspace(tmp_path / "ws")
    assert workspace.personas["commuter"].timezone is None
    path = _write(tmp_path, HEADER + "commuter,email,2027-03-16T18:00:00Z,,\n")
    (counts,) = read_engagement(workspace, path).counts
    assert counts[SENT, 1, 19] == 1
