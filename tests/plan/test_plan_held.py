"""`mcplan plan` says what the platform holds or skips of a journey's sends to keep the caps
(issue 29): the figures of `plan.journey.held` exactly, in JSON and in words; a journey whose
sends clash with nothing says nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import WORKSPACES
from mcplan import load_workspace
from mcplan.plan.journey.forecast import forecast_journeys
from mcplan.plan.journey.held import held

RADHAUS = WORKSPACES / "journeys" / "clean"  # de-DE: `willkommen` (hold) meets `fruehling`


def test_the_german_twins_held_figure_is_helds(run: Callable) -> None:
    shown = json.loads(run("plan", "-w", str(RADHAUS), "-f", "json").stdout)
    workspace = load_workspace(RADHAUS)
    forecasts = forecast_journeys(workspace)
    mine = next(f for f in forecasts if f.journey == "willkommen")
    expected = held(workspace, mine, forecasts)
    journey = next(j for j in shown["journeys"] if j["id"] == "willkommen")
    assert journey["held"]["on_cap"] == "hold"
    assert journey["held"]["held_per_week"] == pytest.approx(expected.held_per_week, rel=1e-12)
    assert expected.held_per_week > 1
    assert "fruehling" in [s.get("campaign") for s in journey["held"]["by"]]
    for step in journey["steps"]:
        figures = expected.step(step["step"])
        assert step["held"]["held_per_week"] == pytest.approx(figures.held_per_week, rel=1e-12)
        assert step["held"]["mean_hold_hours"] == pytest.approx(figures.mean_hold_hours)
        assert step["held"]["skipped_per_week"] == 0
    text = run("plan", "willkommen", "-w", str(RADHAUS)).stdout
    assert "Sendungen pro Woche zurückgehalten, im Schnitt etwa 19 Stunden, durch fruehling" in text
    assert "Schritt hallo: 1,6 Sendungen pro Woche zurückgehalten" in text


def test_a_journey_asked_alone_counts_the_others_sends(run: Callable) -> None:
    alone = json.loads(run("plan", "warenkorb", "-w", str(RADHAUS), "-f", "json").stdout)
    every = json.loads(run("plan", "-w", str(RADHAUS), "-f", "json").stdout)
    both = next(j for j in every["journeys"] if j["id"] == "warenkorb")
    assert alone["journeys"][0]["held"] == both["held"]
    assert "willkommen" in [s.get("journey") for s in both["held"]["by"]]


def test_nothing_that_clashes_says_nothing(run: Callable, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(RADHAUS, root)
    for path in [*root.glob("campaigns/*.yaml"), *root.glob("journeys/*.yaml")]:
        if path.stem != "warenkorb":
            path.unlink()
    text = run("plan", "-w", str(root), "--explain").stdout
    assert "warenkorb" in text
    assert "übersprungen" not in text
    assert "zurückgehalten" not in text
    shown = json.loads(run("plan", "-w", str(root), "-f", "json").stdout)
    assert shown["journeys"][0]["held"] == {
        "on_cap": "skip", "held_per_week": 0.0, "mean_hold_hours": 0.0,
        "skipped_per_week": 0.0, "by": [],
    }  # fmt: skip
