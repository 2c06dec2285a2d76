"""A campaign's results against its plan as rich tables, JSON and Markdown."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from conftest import ROOT, Golden, cells
from mcplan.output import as_text, report, show
from mcplan.plan import plan
from mcplan.report.compare import CampaignReport, compare
from mcplan.report.results import ChannelResult, read_results
from mcplan.workspace import Workspace, load_workspace

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return load_workspace(ROOT, discover=False)


@pytest.fixture(scope="module")
def review(workspace: Workspace) -> CampaignReport:
    forecast = plan(workspace, ["soldes-hiver-2027"])[0]
    return compare(forecast, read_results(DATA / "soldes-hiver-2027.csv", workspace), workspace)


def text(review: CampaignReport, workspace: Workspace) -> str:
    return as_text(report.tables(review), width=160)


OUTPUTS: dict[str, Callable[[CampaignReport, Workspace], str]] = {
    "review.txt": text,
    "review.json": lambda review, workspace: report.as_json(review),
    "review.md": lambda review, workspace: report.as_markdown(review),
}


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_output_is_exactly_the_golden_file(
    name: str, review: CampaignReport, workspace: Workspace, golden: Golden
) -> None:
    output = OUTPUTS[name](review, workspace)
    golden(GOLDEN / name, output, normalize=cells if name.endswith(".txt") else None)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_output_is_deterministic(name: str, review: CampaignReport, workspace: Workspace) -> None:
    forecast = plan(workspace, ["soldes-hiver-2027"])[0]
    again = compare(
        forecast, read_results(DATA / "resultats-soldes-hiver-2027.csv", workspace), workspace
    )
    assert OUTPUTS[name](again, workspace) == OUTPUTS[name](review, workspace)


def test_json_carries_every_figure(review: CampaignReport) -> None:
    data = json.loads(report.as_json(review))
    assert data["campaign"] == "soldes-hiver-2027"
    assert data["currency"] == "EUR"
    assert data["cost_per_conversion"] == 6.12  # 2 405 / 393
    sales = data["objectives"][0]
    assert (sales["target"], sales["actual"], sales["attainment"]) == (150000, 33559, 0.2237)
    assert [(c["channel"], c["planned"], c["recommendation"]) for c in data["channels"]] == [
        ("email", True, "widen"), ("facebook", False, "try"), ("instagram", True, "drop"),
        ("sms", True, "keep"),
    ]  # fmt: skip
    email = data["channels"][0]
    assert email["forecast"]["converted"] == 45.94
    assert email["actual"]["converted"] == 62
    assert (email["gap"], email["gap_ratio"], email["roi"]) == (16.06, 0.3495, 13.1266)
    facebook = data["channels"][1]
    assert (facebook["forecast"], facebook["gap"]) == (None, None)
    assert data["total"]["actual"]["revenue"] == 33559
    assert "recommendation" not in data["total"]


def test_tables_colour_the_recommendations_on_a_terminal(
    review: CampaignReport, workspace: Workspace
) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, force_terminal=True, color_system="standard")
    show(report.tables(review), console)
    output = buffer.getvalue()
    assert "\x1b[1;32mwiden" in output  # bold green
    assert "\x1b[1;31mdrop" in output  # bold red
    assert "\x1b[36mkeep" in output  # cyan
    assert "\x1b[33mtry" in output  # yellow


def test_human_numbers(review: CampaignReport, workspace: Workspace) -> None:
    output = text(review, workspace)
    assert "150,000 EUR" in output  # thousands separators and the workspace currency
    assert "33,559 EUR" in output
    assert "22%" in output  # attainment of the sales target
    assert "1,313%" in output  # email's ROI
    assert "+35%" in output  # email's gap
    assert "facebook *" in output
    assert "* not in the plan" in output


def test_a_channel_without_results_and_unknown_figures(workspace: Workspace) -> None:
    forecast = plan(workspace, ["soldes-hiver-2027"])[0]
    rows = [ChannelResult("sms", converted=300), ChannelResult("email", converted=50, cost=400)]
    review = compare(forecast, rows, workspace)
    output = text(review, workspace)
    assert "no results" in output
    assert "instagram: no results" in output
    markdown = report.as_markdown(review)
    assert "| instagram | 2.6 | – | – | – | 300.00 EUR | – | – | – | – | **no results** |" in (
        markdown
    )
    # The sales objective is measured from conversions × 85 (no revenue column).
    assert "| sales: revenue | 150,000.00 EUR | 31,261.50 EUR | 29,750.00 EUR | 20% | 95% |" in (
        markdown
    )
    data = json.loads(report.as_json(review))
    assert data["channels"][1] == {
        "channel": "instagram",
        "planned": True,
        "forecast": {"sent": 26400.0, "delivered": 5280.0, "opened": 3168.0, "clicked": 63.4,
                     "converted": 2.64, "cost": 300.0},
        "actual": None,
        "gap": None,
        "gap_ratio": None,
        "cost_per_conversion": None,
        "roi": None,
        "recommendation": None,
        "reason": "no results",
    }  # fmt: skip
    assert data["total"]["roi"] is None  # no revenue anywhere


def test_a_campaign_without_objectives_shows_only_its_channels(workspace: Workspace) -> None:
    forecast = plan(workspace, ["soldes-hiver-2027"])[0]
    forecast.campaign = forecast.campaign.model_copy(update={"objectives": []})
    review = compare(forecast, [ChannelResult("sms", converted=1)], workspace)
    assert "objectives" not in text(review, workspace)
    markdown = report.as_markdown(review).splitlines()
    assert markdown[2].startswith("| channel | forecast conv. |")
    assert json.loads(report.as_json(review))["objectives"] == []
