"""`mcplan report JOURNEY --results EXPORT`: each send step against its forecast, which arm of
each branch did better, in every format; the export read as every export is."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, WORKSPACES, Golden, cells
from mcplan.errors import UsageError
from mcplan.plan.journey import forecast_journey
from mcplan.report.journey import report_journey
from mcplan.workspace import load_workspace

DATA = Path(__file__).parent / "data" / "journeys"
GOLDEN = Path(__file__).parent / "golden" / "journeys"
GERMAN = WORKSPACES / "journeys" / "clean"

# (golden name, journey, export, workspace, options)
CASES = {
    "bienvenue": ("bienvenue", DATA / "bienvenue.csv", ROOT, []),
    "willkommen": (
        "willkommen", DATA / "willkommen.csv", GERMAN, ["--date-format", "%d.%m.%Y"],
    ),
}  # fmt: skip
GERMAN_WORKSPACE = load_workspace(GERMAN, discover=False)
SUFFIX = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("output_format", sorted(SUFFIX))
@pytest.mark.parametrize("name", sorted(CASES))
def test_output_is_exactly_the_golden_file(
    name: str,
    output_format: str,
    run: Callable,
    golden: Golden,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    journey, export, workspace, options = CASES[name]
    result = run(
        "report", journey, "--results", str(export), "-w", str(workspace), "-f", output_format,
        *options,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    if output_format == "text":
        assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    path = GOLDEN / f"{name}.{SUFFIX[output_format]}"
    golden(path, text, normalize=cells if output_format == "text" else None)


def test_json_has_each_step_against_its_forecast(run: Callable) -> None:
    journey, export, workspace, options = CASES["willkommen"]
    args = ["report", journey, "--results", str(export), "-w", str(workspace), *options]
    data = json.loads(run(*args, "-f", "json").stdout)
    steps = {s["step"]: s for s in data["steps"]}
    assert list(steps) == ["hallo", "sms-erinnerung", "push-erinnerung", "letzter-aufruf"]
    assert steps["hallo"]["actual"]["sent"] == 731 + 46
    assert data["weeks"] == 4
    ws = load_workspace(GERMAN, discover=False)
    weekly = forecast_journey(ws, ws.journeys["willkommen"]).step("hallo").total_sends_per_week
    assert steps["hallo"]["forecast"]["sent"] == pytest.approx(weekly * 4, abs=0.05)
    personas = {p["persona"]: p["actual"]["converted"] for p in steps["hallo"]["personas"]}
    assert personas == {"pendler": 3, "werkstatt": 0}


def test_the_random_split_has_a_winner_and_the_engagement_branch_none(run: Callable) -> None:
    journey, export, workspace, options = CASES["willkommen"]
    args = ["report", journey, "--results", str(export), "-w", str(workspace), *options]
    outer, split = json.loads(run(*args, "-f", "json").stdout)["branches"]
    assert (outer["random"], outer["winner"], len(outer["arms"])) == (False, None, 1)
    assert split["random"] is True
    assert [a["arm"] for a in split["arms"]] == ["sms-erinnerung", "push-erinnerung"]
    assert split["arms"][0]["rate"] == pytest.approx(11 / 134)
    assert split["winner"] == "sms-erinnerung"
    assert split["p_value"] < 0.05


def test_a_difference_that_is_not_credible_names_no_winner(tmp_path: Path) -> None:
    export = tmp_path / "results.csv"
    export.write_text(
        "step,sent,converted,week\nhallo,800,4,2028-W19\nsms-erinnerung,130,3,2028-W19\n"
        "push-erinnerung,135,2,2028-W19\nletzter-aufruf,760,3,2028-W19\n",
        encoding="utf-8",
    )
    ws = load_workspace(GERMAN, discover=False)
    review = report_journey(ws, "willkommen", export)
    split = review.branches[1]
    assert split.winner is None
    assert str(split.verdict).startswith("no credible difference between the arms (p 0.")
    assert review.weeks == 1


def test_weeks_are_the_days_the_periods_cover(tmp_path: Path) -> None:
    export = tmp_path / "results.csv"
    export.write_text(
        "step,sent,converted,date\nhallo,30,0,2028-05-01\nhallo,31,1,2028-05-14\n"
        "letzter-aufruf,29,0,2028-05-14\n",
        encoding="utf-8",
    )
    ws = load_workspace(GERMAN, discover=False)
    review = report_journey(ws, "willkommen", export)
    assert review.weeks == pytest.approx(2 / 7)  # two days: the rows' days, not the span
    assert review.step("hallo").actual is not None
    assert review.step("hallo").actual.sent == 61
    assert review.step("sms-erinnerung").actual is None
    # The total compares the steps the export gives: a step it leaves out is no gap.
    given = review.step("hallo").forecast.sends + review.step("letzter-aufruf").forecast.sends
    assert review.total.forecast.sends == pytest.approx(given)
    assert review.total.actual is not None
    assert review.total.actual.sent == 61 + 29


@pytest.mark.parametrize(
    ("name", "row", "suggestion"),
    [("bienvenue", 9, "rappel-sms"), ("willkommen", 7, "letzter-aufruf")],
)
def test_an_unknown_step_is_named_at_its_row_with_a_close_id(
    name: str, row: int, suggestion: str, run: Callable
) -> None:
    journey, _, workspace, options = CASES[name]
    bad = {
        "bienvenue": "bienvenue-etape-inconnue.csv",
        "willkommen": "willkommen-falscher-schritt.csv",
    }
    result = run(
        "report", journey, "--results", str(DATA / bad[name]), "-w", str(workspace), *options
    )
    assert result.exit_code == 2
    assert f"{bad[name]}: row {row}: journey '{journey}' has no send step" in result.stderr
    assert f"(did you mean '{suggestion}'?)" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("step,sent,converted\nhallo,3,0\n", "missing column week (looked for week, semaine"),
        ("step,sent,converted,from\nhallo,3,0,2028-05-01\n", "missing column to"),
        ("Schritt,Gesendet,Bestellungen,KW\nhallo,3,,2028-W19\n", "row 2: no value in column"),
        ("step,sent,converted,week\nhallo,3,0,week 19\n", "row 2: column 'week': 'week 19'"),
        ("step,sent,converted,persona,week\nhallo,3,0,pendlr,2028-W19\n", "did you mean 'pendler'"),
        (
            "step,sent,converted,week\nhallo,3,0,2028-W19\nhallo,4,0,2028-W19\n",
            "row 3: step 'hallo' is given twice for 2028-05-08 to 2028-05-14 (first on row 2)",
        ),
        ("step,sent,converted,from,to\nhallo,3,0,2028-05-09,2028-05-01\n", "the period ends"),
    ],
)
def test_bad_exports_say_what_and_where(tmp_path: Path, text: str, message: str) -> None:
    export = tmp_path / "results.csv"
    export.write_text(text, encoding="utf-8")
    ws = load_workspace(GERMAN, discover=False)
    with pytest.raises(UsageError) as raised:
        report_journey(ws, "willkommen", export)
    assert message in str(raised.value)


def test_columns_named_on_the_command_line_and_parquet(run: Callable, tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pyarrow.table(
        {
            "Node": ["hallo", "letzter-aufruf"],
            "Delivered count": [200, 190],
            "Sales": [1, 2],
            "KW": ["2028-W19", "2028-W19"],
            "Sendungen": [204, 193],
        }
    )
    export = tmp_path / "export.parquet"
    pq.write_table(table, export)
    given = ["--column", "step=Node", "--column", "converted=Sales", "--column", "sent=Sendungen"]
    given += ["--column", "delivered=Delivered count"]
    args = ["report", "willkommen", "--results", str(export), "-w", str(GERMAN), "-f", "json"]
    result = run(*args, *given)
    assert result.exit_code == 0, result.stderr
    steps = {s["step"]: s["actual"] for s in json.loads(result.stdout)["steps"]}
    assert steps["letzter-aufruf"]["sent"] == 193
    assert steps["letzter-aufruf"]["converted"] == 2
    assert steps["hallo"]["delivered"] == 200


def test_an_unknown_id_suggests_campaigns_and_journeys(run: Callable, tmp_path: Path) -> None:
    export = tmp_path / "results.csv"
    export.write_text("channel,converted\nsms,12\n", encoding="utf-8")
    result = run("report", "bienvenu", "--results", str(export), "-w", str(ROOT))
    assert result.exit_code == 2
    assert "unknown campaign or journey 'bienvenu' (did you mean 'bienvenue'?)" in result.stderr
    result = run("report", "soldes-hiver-2072", "--results", str(export), "-w", str(ROOT))
    assert "(did you mean 'soldes-hiver-2027'?)" in result.stderr


def test_an_unknown_journey_in_the_library(tmp_path: Path) -> None:
    ws = load_workspace(GERMAN, discover=False)
    with pytest.raises(
        UsageError, match=r"unknown journey 'wilkommen' \(did you mean 'willkommen'"
    ):
        report_journey(ws, "wilkommen", tmp_path / "results.csv")


@settings(max_examples=30, deadline=None)
@given(
    weeks=st.lists(st.integers(1, 52), min_size=1, max_size=8, unique=True),
    sent=st.lists(st.integers(0, 5000), min_size=8, max_size=8),
)
def test_an_export_split_by_week_reads_as_its_weeks_added_up(
    weeks: list[int], sent: list[int], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """However a step's rows are split by week, its figures are their sum and the export's
    weeks are the distinct weeks it gives."""
    export = tmp_path_factory.mktemp("split") / "results.csv"
    rows = [f"hallo,{n},0,2028-W{w:02d}" for w, n in zip(weeks, sent, strict=False)]
    export.write_text("step,sent,converted,week\n" + "\n".join(rows) + "\n", encoding="utf-8")
    review = report_journey(GERMAN_WORKSPACE, "willkommen", export)
    assert review.weeks == len(weeks)
    actual = review.step("hallo").actual
    assert actual is not None
    assert actual.sent == sum(sent[: len(weeks)])
    forecast = review.step("hallo").forecast.sends
    weekly = forecast_journey(GERMAN_WORKSPACE, GERMAN_WORKSPACE.journeys["willkommen"]).step(
        "hallo"
    )
    assert forecast == pytest.approx(weekly.total_sends_per_week * len(weeks))


def test_an_id_of_a_campaign_and_a_journey_is_refused(run: Callable, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(GERMAN, workspace)
    (workspace / "campaigns").mkdir(exist_ok=True)
    (workspace / "campaigns" / "willkommen.yaml").write_text(
        "name: Willkommen\npersonas: [pendler]\nobjectives: [{kind: sales, target: 1000}]\n"
        "message: {headline: Hallo}\n",
        encoding="utf-8",
    )
    export = tmp_path / "results.csv"
    export.write_text("step,sent,converted,week\nhallo,3,0,2028-W19\n", encoding="utf-8")
    result = run("report", "willkommen", "--results", str(export), "-w", str(workspace))
    assert result.exit_code == 2
    assert "'willkommen' is both a campaign and a journey" in result.stderr
