"""`mcplan timing EXPORT` (issue 30): what a user sees, the JSON's fields, exit codes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
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


def test_write_then_plan_sends_at_the_learned_slots(
    run: Callable[..., Result], export: Path, tmp_path: Path
) -> None:
    """The issue's round trip: `timing --write` keeps the slots with enough data in the
    persona files (not the persona of 40 sends), the workspace still validates, and
    `plan --write` puts a campaign without touches at each persona's slot."""
    root = tmp_path / "ws"
    shutil.copytree(WORKSPACE, root)
    campaign = root / "campaigns" / "fruehling.yaml"
    campaign.write_text(campaign.read_text("utf-8").split("touches:")[0], "utf-8")
    before = (root / "personas" / "neukunde.yaml").read_bytes()
    shown = run("timing", str(export), "--diff", "-w", str(root))
    assert shown.exit_code == 0, shown.output
    assert "+send_times:" in shown.stdout
    assert "send_times" not in (root / "personas" / "pendler.yaml").read_text("utf-8")
    written = run("timing", str(export), "--write", "--format", "json", "-w", str(root))
    assert written.exit_code == 0, written.output
    assert "updated personas/pendler.yaml" in written.stderr
    assert (root / "personas" / "neukunde.yaml").read_bytes() == before
    pendler = yaml.safe_load((root / "personas" / "pendler.yaml").read_text("utf-8"))
    assert pendler["send_times"]["email"]["weekday"] == "tuesday"
    assert pendler["send_times"]["email"]["hour"] == 19
    assert run("validate", "-w", str(root)).exit_code == 0
    planned = run("plan", "fruehling", "--write", "-w", str(root))
    assert planned.exit_code == 0, planned.output
    touches = yaml.safe_load(campaign.read_text("utf-8"))["touches"]
    assert any(t["at"].endswith("T19:00") and t.get("personas") == ["pendler"] for t in touches)
    assert any(t["at"].endswith("T08:00") and t.get("personas") == ["commuter"] for t in touches)


def test_column_names_the_aggregated_forms_counts(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    # Headers no language list knows, named with the issue's names of the aggregated form.
    path = tmp_path / "counts.csv"
    path.write_text(
        "who,via,T,S,zugestellt,auf\npendler,email,Di,19,300,90\npendler,email,Mo,10,300,20\n",
        encoding="utf-8",
    )
    given = ["persona=who", "channel=via", "weekday=T", "hour=S", "sent=zugestellt",
             "opened=auf"]  # fmt: skip
    options = [part for name in given for part in ("--column", name)]
    result = run("timing", str(path), *options, "-f", "json", "-w", str(WORKSPACE))
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["send_times"]
    assert (found["sends"], found["engaged"], found["metric"]) == (600, 110, "open")


def test_the_default_metric_is_one_the_export_has(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """Opens where there are any, else clicks where there is a column of them, else opens
    that are all 0 (not clicks the export never counted); an export of sends alone says
    there is nothing to learn from."""
    path = tmp_path / "counts.csv"
    path.write_text("persona,channel,weekday,hour,sent,opened\npendler,email,2,19,100,0\n")
    result = run("timing", str(path), "-f", "json", "-w", str(WORKSPACE))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["send_times"][0]["metric"] == "open"
    path.write_text("persona,channel,weekday,hour,sent\npendler,email,2,19,100\n")
    result = run("timing", str(path), "-f", "json", "-w", str(WORKSPACE))
    assert result.exit_code == 2
    assert "counts.csv: no column of opens or clicks, nothing to learn a send time from" in (
        result.stderr
    )
    assert result.stdout == ""


def test_sends_at_neighbouring_hours_alone_are_not_enough(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """96 % at 19:00 and 10 % at 20:00, and no send two hours or more from 19:00: nothing
    compares with the best hour, so there is not enough data (never an hour not tried as
    the runner-up), and the advice is to send at other hours."""
    path = tmp_path / "counts.csv"
    path.write_text(
        "persona,channel,weekday,hour,sent,opened\n"
        "pendler,email,2,19,100,96\npendler,email,3,20,100,10\n",
        encoding="utf-8",
    )
    result = run("timing", str(path), "-f", "json", "-w", str(WORKSPACE))
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.stdout)["send_times"]
    assert (found["enough_data"], found["best"], found["sends"]) == (False, None, 200)
    assert found["sends_needed"] > 0
