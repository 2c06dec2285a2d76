"""`mcplan timing EXPORT` (issue 30): what a user sees, the JSON's fields, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from timing.simulate import Persona, events, write_csv

WORKSPACE = Path(__file__).parents[1] / "workspaces" / "timing"
FIELDS = [
    "persona", "channel", "metric", "sends", "best", "rate", "interval", "current", "gain",
    "probability_better", "enough_data",
]  # fmt: skip


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    personas = [
        Persona("pendler", "Europe/Berlin", 2500, (1, 19)),
        Persona("commuter", "America/New_York", 2500, (None, 8)),
        Persona("neukunde", "Europe/Berlin", 40, (3, 12)),
    ]
    return write_csv(events(personas), tmp_path_factory.mktemp("cli") / "events.csv")


def test_json_has_the_issues_fields(run: Callable[..., Result], export: Path) -> None:
    result = run("timing", str(export), "--format", "json", "-w", str(WORKSPACE))
    assert result.exit_code == 0, result.output
    found = {s["persona"]: s for s in json.loads(result.stdout)["send_times"]}
    for entry in found.values():
        assert list(entry)[: len(FIELDS)] == FIELDS
    assert found["pendler"]["best"] == {"weekday": "tuesday", "hour": 19}
    assert found["commuter"]["best"] == {"weekday": None, "hour": 8}
    assert found["neukunde"]["best"] is None
    assert found["neukunde"]["enough_data"] is False
    assert found["neukunde"]["sends"] == 40
    assert found["pendler"]["current"] == {"weekday": "tuesday", "hour": 10}
    assert 0.99 < found["pendler"]["probability_better"] <= 1


def test_text_in_the_workspaces_language(run: Callable[..., Result], export: Path) -> None:
    result = run("timing", str(export), "-w", str(WORKSPACE))
    assert result.exit_code == 0
    for pair in ("commuter · email", "neukunde · email", "pendler · email"):
        assert pair in result.stdout
    assert "Dienstag 19:00" in result.stdout  # the workspace's German


def test_every_format(run: Callable[..., Result], export: Path) -> None:
    for name in ("markdown", "html"):
        result = run("timing", str(export), "-f", name, "-w", str(WORKSPACE))
        assert result.exit_code == 0
        assert "pendler" in result.stdout


def test_metric_click(run: Callable[..., Result], export: Path) -> None:
    result = run("timing", str(export), "--metric", "click", "-f", "json", "-w", str(WORKSPACE))
    assert result.exit_code == 0
    assert {s["metric"] for s in json.loads(result.stdout)["send_times"]} == {"click"}


def test_a_metric_the_export_lacks(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "sends.csv"
    path.write_text("persona,channel,sent_at,clicked_at\npendler,sms,2027-03-01T09:00Z,\n")
    result = run("timing", str(path), "--metric", "open", "-w", str(WORKSPACE))
    assert result.exit_code == 2
    assert "--metric open: " in result.stderr
    assert "has no column of opens" in result.stderr
    default = run("timing", str(path), "-f", "json", "-w", str(WORKSPACE))
    assert json.loads(default.stdout)["send_times"][0]["metric"] == "click"


def test_a_bad_row_exits_with_its_row(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("persona,channel,sent_at\npendler,email,2027-03-01T09:00Z\npendler,email,x\n")
    result = run("timing", str(path), "-w", str(WORKSPACE))
    assert result.exit_code == 2
    assert "events.csv: row 3: the send time is not a date and time" in result.stderr
    assert "Traceback" not in result.output


def test_usage(run: Callable[..., Result], export: Path) -> None:
    assert run("timing", str(export), "--metric", "views", "-w", str(WORKSPACE)).exit_code == 2
    assert run("timing", "-w", str(WORKSPACE)).exit_code == 2
    missing = run("timing", "nowhere.csv", "-w", str(WORKSPACE))
    assert missing.exit_code == 2
    assert "nowhere.csv" in missing.stderr
