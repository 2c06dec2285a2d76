"""`mcplan plan` shows the journeys beside the campaigns (issue 29): in every format, with the
figures of `forecast_journey()` exactly, for the ids asked for; a workspace without journeys
prints what it always printed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from rich.cells import cell_len

from conftest import PERSONA, ROOT, WORKSPACES, Golden, cells
from mcplan import load_workspace, plan
from mcplan.output import as_text
from mcplan.output.plan import Plans, text
from mcplan.plan.journey import forecast_journey

GOLDEN = Path(__file__).parent / "golden"
CYCLO = WORKSPACES / "cyclo"  # en-IE: a broadcast and two journeys
RADHAUS = WORKSPACES / "journeys" / "clean"  # de-DE: two journeys, no campaign
FORMATS = {"text": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "root"), [("cyclo", CYCLO), ("radhaus", RADHAUS)])
def test_the_journeys_plan_is_stable(
    run: Callable, golden: Golden, fmt: str, name: str, root: Path
) -> None:
    result = run("plan", "-w", str(root), "--format", fmt, "--explain")
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"journeys-{name}.{FORMATS[fmt]}"
    golden(path, result.stdout, normalize=cells if fmt == "text" else None)


def test_the_json_figures_are_the_forecast_exactly(run: Callable) -> None:
    shown = json.loads(run("plan", "-w", str(CYCLO), "-f", "json").stdout)
    assert [c["campaign"] for c in shown["campaigns"]] == ["summer-sale-2028"]
    workspace = load_workspace(CYCLO)
    assert [j["id"] for j in shown["journeys"]] == sorted(workspace.journeys)
    for journey in shown["journeys"]:
        forecast = forecast_journey(workspace, workspace.journeys[journey["id"]])
        assert journey["entries_per_week"] == dict(forecast.entries_per_week)
        assert journey["sends_per_week"] == forecast.sends_per_week
        assert journey["cost"] == forecast.cost_per_week
        assert journey["conversions"] == forecast.conversions_per_week
        assert journey["revenue"] == forecast.revenue_per_week
        assert journey["total"]["cost"] == forecast.total.cost
        assert journey["total"]["revenue"] == forecast.revenue
        assert journey["period"] == {
            "first": forecast.first.isoformat(),
            "last": forecast.last.isoformat(),
            "weeks": forecast.weeks,
            "open_ended": forecast.open_ended,
        }
        assert [o["forecast"] for o in journey["objectives"]] == [
            o.forecast for o in forecast.objectives
        ]
        assert journey["held"]["on_cap"] == workspace.journeys[journey["id"]].on_cap.value
        assert [s["step"] for s in journey["steps"]] == [s.step for s in forecast.steps]
        for step, expected in zip(journey["steps"], forecast.steps, strict=True):
            assert step["channel"] == expected.channel
            assert step["sends_per_week"] == expected.total_sends_per_week
            assert step["cost"] == expected.weekly.cost
            assert {p: f["sends_per_week"] for p, f in step["personas"].items()} == (
                expected.sends_per_week
            )
            for persona, figures in step["personas"].items():
                funnel = expected.funnel(persona)
                assert figures["conversions"] == funnel.conversions
                assert figures["opens"] == funnel.opens


def test_each_step_says_its_line(run: Callable) -> None:
    shown = json.loads(run("plan", "welcome", "-w", str(CYCLO), "-f", "json").stdout)
    lines = (CYCLO / "journeys/welcome.yaml").read_text("utf-8").splitlines()
    for step in shown["journeys"][0]["steps"]:
        assert f"id: {step['step']}" in lines[step["line"] - 1]


def test_yaml_says_what_json_says(run: Callable) -> None:
    as_json = json.loads(run("plan", "-w", str(CYCLO), "-f", "json").stdout)
    assert yaml.safe_load(run("plan", "-w", str(CYCLO), "-f", "yaml").stdout) == as_json


def test_a_journey_id_plans_that_journey_alone(run: Callable) -> None:
    result = run("plan", "browse", "-w", str(CYCLO), "-f", "json")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["campaigns"] == []
    assert [j["id"] for j in shown["journeys"]] == ["browse"]
    both = run("plan", "welcome", "summer-sale-2028", "-w", str(CYCLO), "-f", "json").stdout
    both = json.loads(both)
    assert [c["campaign"] for c in both["campaigns"]] == ["summer-sale-2028"]
    assert [j["id"] for j in both["journeys"]] == ["welcome"]
    shown_text = run("plan", "welcome", "-w", str(CYCLO)).stdout
    assert shown_text.startswith("Journey Welcome to Cyclo (welcome): 579 sends and 1.2 conver")
    assert "Summer" not in shown_text
    assert "(browse):" not in shown_text  # named only as what holds welcome's sends


def test_campaign_ids_alone_give_the_list_as_before(run: Callable) -> None:
    """A script that plans its campaigns by id reads what it always read."""
    shown = json.loads(run("plan", "summer-sale-2028", "-w", str(CYCLO), "-f", "json").stdout)
    assert isinstance(shown, list)
    assert [c["campaign"] for c in shown] == ["summer-sale-2028"]
    assert "Journey" not in run("plan", "summer-sale-2028", "-w", str(CYCLO)).stdout


def test_an_unknown_id_suggests_a_campaign_or_a_journey(run: Callable) -> None:
    result = run("plan", "welcom", "-w", str(CYCLO))
    assert result.exit_code == 2
    assert "unknown campaign 'welcom' (did you mean the journey 'welcome'?)" in result.stderr
    result = run("plan", "summer-sale", "-w", str(CYCLO))
    assert "unknown campaign 'summer-sale' (did you mean 'summer-sale-2028'?)" in result.stderr


def test_a_journey_with_errors_is_named(run: Callable, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(CYCLO, root)
    (root / "journeys/browse.yaml").write_text("name: Broken\nsteps: 3\n", encoding="utf-8")
    result = run("plan", "browse", "-w", str(root))
    assert result.exit_code == 2
    assert "journey 'browse' has errors; run `mcplan validate`" in result.stderr


def test_a_journey_too_tangled_to_forecast_is_an_error_naming_its_file(
    run: Callable, tmp_path: Path
) -> None:
    """Branches that follow 7 earlier sends at once split the entrants 4⁷ ways: refused."""
    root = tmp_path / "ws"
    shutil.copytree(CYCLO, root)
    steps = "".join(f"  - {{id: s{i}, send: email}}\n" for i in range(7)) + "  - {wait: 1d}\n"
    steps += "".join(
        f"  - branch: [{{when: {{opened: s{i}}}, steps: [{{id: t{i}, send: sms}}]}}]\n"
        for i in range(7)
    )
    text = (root / "journeys/browse.yaml").read_text("utf-8").split("steps:\n")[0]
    (root / "journeys/browse.yaml").write_text(f"{text}steps:\n{steps}", encoding="utf-8")
    assert run("validate", "-w", str(root)).exit_code == 0
    result = run("plan", "-w", str(root))
    assert result.exit_code == 2
    assert "journeys/browse.yaml: journey 'browse' cannot be forecast: send 's6'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option", [["--write"], ["--diff"], ["--ics", "plan.ics"]])
def test_campaign_options_with_journeys_alone_are_a_usage_error(
    run: Callable, tmp_path: Path, option: list[str]
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(CYCLO, root)
    before = (root / "journeys/welcome.yaml").read_bytes()
    result = run("plan", "welcome", "-w", str(root), *option, cwd=tmp_path)
    assert result.exit_code == 2
    assert f"{option[0]}: for campaigns only, and 'welcome' is a journey" in result.stderr
    assert (root / "journeys/welcome.yaml").read_bytes() == before
    assert not (tmp_path / "plan.ics").exists()


def test_campaign_options_leave_the_journeys_out(run: Callable) -> None:
    """With every id, --diff shows the campaigns' changes only, and says nothing of them."""
    result = run("plan", "-w", str(CYCLO), "--diff")
    assert result.exit_code == 0, result.stderr
    assert "journeys/" not in result.stdout
    assert "journey" not in result.stderr


def test_plan_still_gives_a_list_of_campaign_plans() -> None:
    workspace = load_workspace(CYCLO)
    [summer] = plan(workspace, ["summer-sale-2028"])
    assert summer.campaign.id == "summer-sale-2028"
    everything = plan(workspace)
    assert [p.campaign.id for p in everything] == ["summer-sale-2028"]
    assert [j.journey for j in everything.journeys] == ["browse", "welcome"]
    assert plan(workspace, ["summer-sale-2028"]).journeys == ()


def _example_without_journeys(root: Path) -> Path:
    for folder in ("personas", "campaigns", "channel_rules"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mcplan.toml", root / "mcplan.toml")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "yaml", "markdown"])
def test_a_workspace_without_journeys_prints_what_it_printed(
    run: Callable, tmp_path: Path, fmt: str
) -> None:
    """The example without its journeys prints the campaigns as the golden files have them
    (its journeys come after, in a part of their own)."""
    root = _example_without_journeys(tmp_path / "ws")
    without = run("plan", "-w", str(root), "-f", fmt, "--explain").stdout
    with_them = run("plan", "-w", str(ROOT), "-f", fmt, "--explain").stdout
    if fmt in ("json", "yaml"):
        load = json.loads if fmt == "json" else yaml.safe_load
        assert isinstance(load(without), list)
        assert load(without) == load(with_them)["campaigns"]
    else:
        assert with_them.startswith(without)
        assert "Parcours" not in without


@pytest.mark.parametrize("root", [ROOT, CYCLO, RADHAUS])
def test_the_journeys_fit_80_columns(root: Path) -> None:
    workspace = load_workspace(root)
    result = plan(workspace)
    shown = as_text(text(Plans([], workspace, True, result.journeys)), width=80)
    assert shown.count("\n") > 20
    assert max(cell_len(line) for line in shown.splitlines()) <= 80


def test_many_personas_are_in_the_json_and_summed_in_the_text(
    make_workspace: Callable, run: Callable
) -> None:
    """Past a few personas a step is one row (the terminal keeps to its width, Markdown to a
    readable table); JSON has every persona's figures still."""
    personas = [f"p{i}" for i in range(6)]
    root = make_workspace(
        {
            **{f"personas/{p}.yaml": PERSONA for p in personas},
            "journeys/hello.yaml": f"""
                name: Hello
                personas: [{", ".join(personas)}]
                entry: {{event: signup, per_week: 600, from: 2027-03-01}}
                message: {{headline: Bonjour, url: https://example.com}}
                steps:
                  - {{id: hello, send: email}}
            """,
        }
    )
    shown = run("plan", "-w", str(root))
    assert shown.exit_code == 0, shown.stderr
    assert "hello" in shown.stdout
    assert "p0" not in shown.stdout  # no row per persona
    assert "entrées par semaine : 600\n" in shown.stdout
    brief = run("plan", "-w", str(root), "-f", "markdown").stdout
    assert "| étape | canal | envois par semaine | conversions | coût |" in brief
    [journey] = json.loads(run("plan", "-w", str(root), "-f", "json").stdout)["journeys"]
    assert journey["steps"][0]["personas"].keys() == set(personas)
    assert journey["steps"][0]["sends_per_week"] == pytest.approx(600 * 0.9)
