"""`mcplan report --mmm meridian|robyn`: the campaigns' results exports as the weekly table a
media-mix model reads; read back, its sums are the exports'."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import WORKSPACES, Golden
from mcplan.report.mmm import media_mix
from mcplan.workspace import load_workspace

MMM = WORKSPACES / "mmm"
GOLDEN = Path(__file__).parent / "golden" / "mmm"
WORKSPACE = load_workspace(MMM, discover=False)
# What the exports of tests/workspaces/mmm/results/ add up to, per channel: two campaigns'
# and a journey's (its letters: 110 + 28 + 120 at 1 EUR each; its e-mails: 300).
COST = {"display": 1000 + 480 + 320 + 240, "mail": 2500 + 258}  # the paid channels' spend
SENT = {"display": 250000 + 260000, "mail": 2500 + 258, "email": 30400 + 30200 + 300, "sms": 10000}
CONVERSIONS = 310 + 95 + 120 + 75 + 140 + 40 + 30 + 120 + 20 + 23
REVENUE = 18600 + 5700 + 6000 + 6750 + 8400 + 2400 + 1800 + 7200 + 1200 + 1770


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the test workspace, to change."""
    return Path(shutil.copytree(MMM, tmp_path / "mmm"))


def _table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("tool", ["meridian", "robyn"])
def test_the_table_is_exactly_the_golden_file(run: Callable, tool: str, golden: Golden) -> None:
    result = run("report", "--mmm", tool, "-w", str(MMM))
    assert result.exit_code == 0, result.stderr
    golden(GOLDEN / f"{tool}.csv", result.stdout)
    assert f"{tool}: 7 weeks from the results of fruehling-2027, sommer-2027, willkommen" in (
        result.stderr
    )
    assert "amounts in EUR" in result.stderr


def test_robyn_read_back_adds_up_to_the_exports(run: Callable) -> None:
    text = run("report", "--mmm", "robyn", "-w", str(MMM)).stdout
    table = pacsv.read_csv(io.BytesIO(text.encode())).to_pydict()
    assert list(table)[:3] == ["DATE", "revenue", "conversions"]
    for channel, cost in COST.items():
        assert sum(table[f"{channel}_S"]) == pytest.approx(cost)
        assert sum(table[f"{channel}_I"]) == pytest.approx(SENT[channel])
    for owned in ("email", "sms"):  # organic: their sends, and no spend column
        assert sum(table[owned]) == pytest.approx(SENT[owned])
        assert f"{owned}_S" not in table
    assert sum(table["conversions"]) == pytest.approx(CONVERSIONS)
    assert sum(table["revenue"]) == pytest.approx(REVENUE)
    days = [d if isinstance(d, date) else date.fromisoformat(d) for d in table["DATE"]]
    assert all(d.weekday() == 0 for d in days)  # ISO weeks, by their Monday
    assert days == [days[0] + timedelta(weeks=n) for n in range(len(days))]  # no gap


def test_meridian_read_back_adds_up_to_the_exports_per_geo(run: Callable) -> None:
    rows = _table(run("report", "--mmm", "meridian", "-w", str(MMM)).stdout)
    assert {r["geo"] for r in rows} == {"DE", "AT"}
    by_geo = {geo: [r for r in rows if r["geo"] == geo] for geo in ("DE", "AT")}
    assert [r["time"] for r in by_geo["DE"]] == [r["time"] for r in by_geo["AT"]]  # a panel
    for channel, cost in COST.items():
        assert sum(float(r[f"{channel}_spend"]) for r in rows) == pytest.approx(cost, abs=1e-3)
        sent = sum(float(r[f"{channel}_impression"]) for r in rows)
        assert sent == pytest.approx(SENT[channel], abs=1e-2)
    assert sum(float(r["conversions"]) for r in rows) == pytest.approx(CONVERSIONS, abs=1e-2)
    revenue = sum(float(r["conversions"]) * float(r["revenue_per_kpi"]) for r in rows)
    assert revenue == pytest.approx(REVENUE, abs=1)
    # SMS and letters reach only the persona their touch (or the journey's row) names.
    assert sum(float(r["organic_sms_impression"]) for r in by_geo["AT"]) == 0
    assert sum(float(r["mail_spend"]) for r in by_geo["DE"]) == pytest.approx(110 + 120)
    # Display in both: by each persona's contacts on it (20,000 × 0.6 against 5,000 × 0.4).
    de = sum(float(r["display_spend"]) for r in by_geo["DE"])
    assert de == pytest.approx(COST["display"] * 12000 / 14000, abs=1e-3)
    assert {r["population"] for r in by_geo["AT"]} == {"5000"}


def test_one_country_is_one_national_geo(run: Callable, workspace: Path) -> None:
    wien = workspace / "personas" / "wien.yaml"
    wien.write_text(wien.read_text("utf-8").replace("country: AT", "country: DE"), "utf-8")
    rows = _table(run("report", "--mmm", "meridian", "-w", str(workspace)).stdout)
    assert {(r["geo"], r["population"]) for r in rows} == {("national", "25000")}
    assert len(rows) == 7


def test_one_campaign_and_its_export(run: Callable, tmp_path: Path) -> None:
    export = tmp_path / "sommer.csv"
    export.write_text(
        "date,channel,sent,converted,cost\n2027-04-06,display,1000,3,4\n2027-03-30,email,500,1,\n",
        "utf-8",
    )
    args = ["report", "sommer-2027", "--mmm", "robyn", "-w", str(MMM)]
    result = run(*args, "--results", str(export))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "DATE,conversions,display_S,display_I,email\n2027-03-29,1,0,0,500\n2027-04-05,3,4,1000,0\n"
    )
    assert "no revenue column" in result.stderr
    given = run(*args)  # its export in results/
    assert given.exit_code == 0, given.stderr
    assert [r["DATE"] for r in _table(given.stdout)] == ["2027-03-29", "2027-04-05", "2027-04-12"]


def test_a_journey_s_rows_go_to_their_weeks_and_personas(run: Callable, tmp_path: Path) -> None:
    export = tmp_path / "willkommen.csv"
    export.write_text(
        "from,to,step,persona,sent,converted,cost\n"
        "2027-03-04,2027-03-10,hallo,,70,7,\n"  # Thursday to Wednesday: 4 days, then 3
        "2027-03-08,2027-03-08,katalog,wien,10,1,10\n",
        "utf-8",
    )
    args = ["report", "willkommen", "--results", str(export), "-w", str(MMM)]
    rows = _table(run(*args, "--mmm", "meridian").stdout)
    cells = {(r["geo"], r["time"]): r for r in rows}
    assert set(cells) == {(g, t) for g in ("DE", "AT") for t in ("2027-03-01", "2027-03-08")}
    email = {key: float(r["organic_email_impression"]) for key, r in cells.items()}
    assert email[("DE", "2027-03-01")] + email[("AT", "2027-03-01")] == pytest.approx(40)
    assert email[("DE", "2027-03-08")] + email[("AT", "2027-03-08")] == pytest.approx(30)
    assert email[("DE", "2027-03-01")] / email[("AT", "2027-03-01")] == pytest.approx(
        20000 * 0.8 / (5000 * 0.7), rel=1e-4
    )
    assert float(cells[("AT", "2027-03-08")]["mail_spend"]) == 10
    assert float(cells[("DE", "2027-03-08")]["mail_spend"]) == 0
    missing = tmp_path / "ohne-katalog.csv"
    missing.write_text("week,step,sent,converted\n2027-W10,hallo,5,0\n", "utf-8")
    result = run(
        "report", "willkommen", "--results", str(missing), "-w", str(MMM), "--mmm", "robyn"
    )
    assert result.exit_code == 2
    assert "no row for step 'katalog' (mail) of journey 'willkommen'" in result.stderr


def test_output_file_is_never_overwritten_without_force(run: Callable, tmp_path: Path) -> None:
    target = tmp_path / "mmm" / "robyn.csv"
    args = ["report", "--mmm", "robyn", "-w", str(MMM), "--output", str(target)]
    first = run(*args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert target.read_text("utf-8") == run("report", "--mmm", "robyn", "-w", str(MMM)).stdout
    again = run(*args)
    assert again.exit_code == 2
    assert "already exists; add --force to overwrite it" in again.stderr
    assert run(*args, "--force").exit_code == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("fruehling-2027.csv", "sms;10000;9900;;640;120;6000,00;450,00\n", ""),
            "fruehling-2027.csv: no row for channel 'sms', which campaign 'fruehling-2027' "
            "sends on 2027-03-10",
        ),
        (
            ("fruehling-2027.csv", "1000,00\n", "\n"),
            "fruehling-2027.csv: row 3: paid channel 'display' has no cost",
        ),
        (
            ("fruehling-2027.csv", "email;30400;29800;", "email;;;"),
            "fruehling-2027.csv: row 2: channel 'email' has no sent (or delivered) figure",
        ),
        (
            ("sommer-2027.csv", "2027-04-08;", "8. April;"),
            "sommer-2027.csv: row 4: column 'Datum': '8. April' is not a date",
        ),
        (
            ("sommer-2027.csv", "2027-04-08;display", ";display"),
            "sommer-2027.csv: row 4: column 'Datum': '' is not a date",
        ),
        (
            ("sommer-2027.csv", "240,00\n", "240,00\n;mail;100;1;0,00;5,00\n"),
            "sommer-2027.csv: row 7: no date in column 'Datum' (the media-mix export puts "
            "every row on its week)",
        ),
    ],
)
def test_an_export_that_cannot_feed_the_model_is_named_by_row(
    run: Callable, workspace: Path, change: tuple[str, str, str], message: str
) -> None:
    name, old, new = change
    export = workspace / "results" / name
    text = export.read_text("utf-8")
    assert old in text
    export.write_text(text.replace(old, new), "utf-8")
    result = run("report", "--mmm", "meridian", "-w", str(workspace))
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_channel_without_touch_or_date_cannot_be_dated(run: Callable, workspace: Path) -> None:
    export = workspace / "results" / "fruehling-2027.csv"
    export.write_text(export.read_text("utf-8") + "x;100;;;;1;;\n", "utf-8")
    result = run("report", "--mmm", "robyn", "-w", str(workspace))
    assert result.exit_code == 2
    assert (
        "fruehling-2027.csv: row 6: campaign 'fruehling-2027' has no touch on channel 'x'"
        in result.stderr
    )


def test_no_export_is_a_clear_error(run: Callable, workspace: Path, tmp_path: Path) -> None:
    shutil.rmtree(workspace / "results")
    result = run("report", "--mmm", "robyn", "-w", str(workspace))
    assert result.exit_code == 2
    assert "no results export to read: put each campaign's (or journey's) in results/<id>.csv" in (
        result.stderr
    )
    one = run("report", "sommer-2027", "--mmm", "robyn", "-w", str(workspace))
    assert one.exit_code == 2
    assert "'sommer-2027' has no results export: give it with --results" in one.stderr


def test_files_of_no_campaign_are_left_out_and_said(run: Callable, workspace: Path) -> None:
    (workspace / "results" / "herbst-2027.csv").write_text("channel,converted\n", "utf-8")
    (workspace / "results" / "notes.txt").write_text("not an export", "utf-8")
    result = run("report", "--mmm", "robyn", "-w", str(workspace))
    assert result.exit_code == 0, result.stderr
    assert "results/herbst-2027.csv left out: no campaign or journey 'herbst-2027'" in (
        result.stderr
    )
    assert "notes.txt" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mmm", "prophet"], "unknown media-mix tool 'prophet'; known: meridian, robyn"),
        (["--mmm", "robyn", "-f", "json"], "--mmm writes CSV; --format does not apply to it"),
        (
            ["--mmm", "robyn", "--results", "x.csv"],
            "--results is one campaign's (or journey's) export",
        ),
        (
            ["sommer", "--mmm", "robyn"],
            "unknown campaign or journey 'sommer' (did you mean 'sommer-2027'?)",
        ),
        (["--output", "x.csv"], "--output writes --mmm's table"),
        ([], "give a campaign or journey id and its --results FILE (or --mmm TOOL)"),
    ],
)
def test_usage_errors(run: Callable, args: list[str], message: str) -> None:
    result = run("report", *args, "-w", str(MMM))
    assert result.exit_code == 2
    assert message in result.stderr


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 120),  # days after 2027-03-29
            st.sampled_from(["display", "email", "mail"]),
            st.integers(0, 10_000),  # sent
            st.integers(0, 50),  # converted
            st.integers(0, 900),  # cost
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda r: (r[0], r[1]),
    ),
    tool=st.sampled_from(["meridian", "robyn"]),
)
def test_every_export_adds_up_whatever_its_days(
    rows: list[tuple[int, str, int, int, int]],
    tool: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Spread on weeks and geos, an export's spend, impressions and conversions are kept,
    and the weeks run from the first row's to the last's without a gap."""
    export = tmp_path_factory.mktemp("mmm") / "sommer.csv"
    start = date(2027, 3, 29)
    lines = [
        f"{(start + timedelta(days=d)).isoformat()},{c},{s},{k},{cost}" for d, c, s, k, cost in rows
    ]
    touched = {c for _, c, *_ in rows}
    for missing in {"email", "display"} - touched:  # the campaign's touches need a row each
        lines.append(f"{start.isoformat()},{missing},0,0,0")
    export.write_text("date,channel,sent,converted,cost\n" + "\n".join(lines) + "\n", "utf-8")
    mix = media_mix(WORKSPACE, [("sommer-2027", export)], tool)
    header = list(mix.header)
    spend = "display_S" if tool == "robyn" else "display_spend"
    column = [row[header.index(spend)] for row in mix.rows] if "display" in touched else [0.0]
    assert sum(map(float, column)) == pytest.approx(sum(r[4] for r in rows if r[1] == "display"))
    kpi = header.index("conversions")
    assert sum(float(row[kpi]) for row in mix.rows) == pytest.approx(sum(r[3] for r in rows))
    days = sorted({str(row[0 if tool == "robyn" else 1]) for row in mix.rows})
    given = [start + timedelta(days=r[0]) for r in rows]
    first, last = (d - timedelta(days=d.weekday()) for d in (min(given), max(given)))
    if {"display", "email"} - touched:
        first = start  # the rows added for the touches' channels
    assert (days[0], days[-1]) == (first.isoformat(), last.isoformat())
    assert len(days) == (last - first).days // 7 + 1


def test_a_problem_names_the_export_from_the_working_folder(run: Callable, workspace: Path) -> None:
    """Not by the machine's absolute path: the message lands in CI logs."""
    export = workspace / "results" / "sommer-2027.csv"
    export.unlink()
    os.mkfifo(export)
    result = run("report", "--mmm", "robyn", cwd=workspace)
    assert result.exit_code == 2
    assert "mcplan: error: results/sommer-2027.csv: a FIFO" in result.stderr
    assert str(workspace) not in result.stderr


def test_two_exports_of_one_journey_are_refused(run: Callable, workspace: Path) -> None:
    """results/willkommen.csv and results/willkommen.parquet: both read, the journey's
    results would count twice."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = workspace / "results" / "willkommen.csv"
    header, *rows = csv.reader(io.StringIO(source.read_text("utf-8")), delimiter=";")
    table = pa.table({name: [r[i] for r in rows] for i, name in enumerate(header)})
    pq.write_table(table, workspace / "results" / "willkommen.parquet")
    result = run("report", "--mmm", "robyn", "-w", str(workspace))
    assert result.exit_code == 2
    assert (
        "results/willkommen.csv and results/willkommen.parquet are both the results of "
        "'willkommen': keep one"
    ) in result.stderr
    assert result.stdout == ""
