"""docs/journeys.md's worked example of a journey's forecast (issue 29): the files its
"## Forecast" section writes are a workspace, and every figure it works out by hand is the
forecast's, as `forecast_journey()` and `mcplan plan --format json` give it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from mcplan import forecast_journey, load_workspace

DOC = ROOT / "docs" / "journeys.md"
SETTINGS = 'brand = "Cyclo"\nlocale = "en-IE"\ntimezone = "Europe/Dublin"\ncurrency = "EUR"\n'

# What the section works out by hand, as it writes it.
SENDS = {
    "hello": {"ana": 270, "ben": 60},
    "nudge": {"ana": 79.38, "ben": 28.224},
    "offer": {"ana": 132.21279, "ben": 29.555328},
}
WEEKLY = {"sends": 599.372118, "cost": 5.99372118, "conversions": 10.91140236}
REVENUE_PER_WEEK = 545.570118
TOTAL_COST = 171.92465416
REVENUE = 6546.841416


def section() -> str:
    text = DOC.read_text("utf-8")
    return text.split("\n## Forecast\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The section's files, each a YAML block whose first line names it."""
    root = tmp_path / "ws"
    blocks = re.findall(r"```yaml\n# (\S+)\n(.*?)```", section(), flags=re.DOTALL)
    assert [name for name, _ in blocks] == [
        "personas/ana.yaml",
        "personas/ben.yaml",
        "channel_rules/email.yaml",
        "channel_rules/mobile_push.yaml",
        "journeys/welcome.yaml",
    ]
    for name, text in blocks:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "mcplan.toml").write_text(SETTINGS, encoding="utf-8")
    return root


def test_the_section_writes_the_figures_it_checks() -> None:
    said = section()
    for step in SENDS.values():
        for figure in step.values():
            assert f"**{figure}**" in said, figure
    for figure in (*WEEKLY.values(), REVENUE_PER_WEEK, TOTAL_COST):
        assert str(figure) in said, figure
    assert "6,546.841416 €" in said
    assert "65 % of its sales target" in said


def test_the_worked_example_is_the_forecast(example: Path) -> None:
    workspace = load_workspace(example, discover=False)
    assert workspace.findings == []
    forecast = forecast_journey(workspace, workspace.journeys["welcome"])
    assert dict(forecast.entries_per_week) == {"ana": 300, "ben": 100}
    for step, expected in SENDS.items():
        assert forecast.step(step).sends_per_week == pytest.approx(expected, rel=1e-12)
    assert forecast.sends_per_week == pytest.approx(WEEKLY["sends"], rel=1e-12)
    assert forecast.cost_per_week == pytest.approx(WEEKLY["cost"], rel=1e-12)
    assert forecast.conversions_per_week == pytest.approx(WEEKLY["conversions"], rel=1e-12)
    assert forecast.revenue_per_week == pytest.approx(REVENUE_PER_WEEK, rel=1e-12)
    assert forecast.weeks == 12
    assert forecast.total.cost == pytest.approx(TOTAL_COST, rel=1e-12)
    assert forecast.revenue == pytest.approx(REVENUE, rel=1e-12)
    [sales] = forecast.objectives
    assert round(sales.share or 0, 2) == 0.65


def test_the_plan_json_writes_them(example: Path, run: Callable) -> None:
    result = run("plan", "welcome", "-w", str(example), "-f", "json")
    assert result.exit_code == 0, result.stderr
    [journey] = json.loads(result.stdout)["journeys"]
    for step in journey["steps"]:
        shown = {p: f["sends_per_week"] for p, f in step["personas"].items()}
        assert shown == pytest.approx(SENDS[step["step"]], rel=1e-12)
        assert step["sends_per_week"] == pytest.approx(sum(shown.values()), rel=1e-12)
    assert journey["cost"] == pytest.approx(WEEKLY["cost"], rel=1e-12)
    assert journey["total"]["revenue"] == pytest.approx(REVENUE, rel=1e-12)
