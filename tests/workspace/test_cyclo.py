"""The issue's own example (issue 29): Cyclo, a bike shop in Dublin (en-IE, Europe/Dublin,
Irish law), with the welcome journey exactly as the issue writes it and an abandoned-browse
journey beside a summer broadcast. It must validate, lint clean, and forecast as defined."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import WORKSPACES
from mcplan import lint, load_workspace
from mcplan.plan.journey import forecast_journey

CYCLO = WORKSPACES / "cyclo"


def test_it_is_valid_and_counts_its_journeys(run: Callable) -> None:
    result = run("validate", "-w", str(CYCLO))
    assert result.exit_code == 0, result.output
    assert "workspace valid: 2 personas, 1 campaign, 2 journeys, 14 channels" in result.stderr


def test_it_is_lint_clean(run: Callable) -> None:
    assert lint(load_workspace(CYCLO)).findings == []
    result = run("lint", "-w", str(CYCLO))
    assert result.exit_code == 0
    assert "no findings in 2 personas, 1 campaign, 2 journeys" in result.stderr


def test_the_first_send_reaches_the_entrants_times_the_reach() -> None:
    workspace = load_workspace(CYCLO)
    forecast = forecast_journey(workspace, workspace.journeys["welcome"])
    hello = forecast.step("hello")
    assert hello.sends_per_week == pytest.approx({"aoife-commuter": 180, "cian-family": 42.5})
    assert hello.total_sends_per_week == pytest.approx(222.5)


@pytest.mark.parametrize(("persona", "sms", "push"), [("aoife-commuter", 0.7, 0.5),
                                                    ("cian-family", 0.5, 0.3)])  # fmt: skip
def test_both_arms_of_a_share_split_see_the_same_arrivals(
    persona: str, sms: float, push: float
) -> None:
    """40 % take the SMS arm and 60 % the push one, of the same arrivals; each send then
    reaches its channel's share of them."""
    workspace = load_workspace(CYCLO)
    forecast = forecast_journey(workspace, workspace.journeys["welcome"])
    arrived_sms = forecast.step("sms-nudge").sends_per_week[persona] / (0.4 * sms)
    arrived_push = forecast.step("push-nudge").sends_per_week[persona] / (0.6 * push)
    assert arrived_sms == pytest.approx(arrived_push)
    entered = dict(forecast.entries_per_week)[persona]
    assert 0.99 * entered < arrived_sms < entered  # a few converted after the e-mail and left


def test_a_single_weekly_number_is_split_by_persona_size() -> None:
    workspace = load_workspace(CYCLO)
    forecast = forecast_journey(workspace, workspace.journeys["browse"])
    assert dict(forecast.entries_per_week) == pytest.approx(
        {"aoife-commuter": 300, "cian-family": 100}  # 400 × 9,000 / 12,000 and × 3,000 / 12,000
    )
    assert forecast.step("reminder").sends_per_week == pytest.approx(
        {"aoife-commuter": 270, "cian-family": 85}
    )


def test_a_journey_named_like_a_campaign_is_an_error_at_its_id(
    run: Callable, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(CYCLO, workspace)
    (workspace / "journeys" / "summer-sale-2028.yaml").write_text(
        (CYCLO / "journeys" / "browse.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run("validate", "-w", str(workspace), "-f", "json")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert (finding["rule"], finding["line"]) == ("S302", 1)
    assert finding["file"].endswith("journeys/summer-sale-2028.yaml")
    assert "used by a campaign and a journey" in finding["message"]
    assert finding["related"][0]["file"].endswith("campaigns/summer-sale-2028.yaml")
