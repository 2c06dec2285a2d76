"""`mcplan diff` shows a journey change (issue 29): steps added, removed, moved and changed,
the keys of its file, weekly sends and cost before and after, and its findings added and
fixed; in the Leipzig bike shop's repository (de-DE), built by each test."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from conftest import WORKSPACES, Golden, cells, git
from mcplan.diff.steps import step_changes
from mcplan.workspace.journey import Journey
from mcplan.workspace.sourcemap import SourceMap

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GOLDEN = Path(__file__).parent / "output" / "golden"
WILLKOMMEN = "radhaus/journeys/willkommen.yaml"
WARENKORB = "radhaus/journeys/warenkorb.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose workspace, in `radhaus/`, is the clean Leipzig bike shop: two
    journeys (`willkommen`, `warenkorb`), no campaign, lint-clean."""
    folder = tmp_path / "repo"
    shutil.copytree(WORKSPACES / "journeys" / "clean", folder / "radhaus")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "the journeys")
    return folder


def _edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _diff(run: Callable[..., Result], repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("diff", *args, "-w", str(repo / "radhaus"), "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def _journey(data: dict[str, Any], journey_id: str) -> dict[str, Any]:
    [found] = [j for j in data["journeys"] if j["journey"] == journey_id]
    return found


def _steps(journey: dict[str, Any], change: str) -> list[tuple[Any, ...]]:
    return [
        (s["step"], s["kind"], s.get("before"), s.get("after"), s["line"])
        for s in journey["steps"][change]
    ]


LAST = (
    "  - {id: letzter-aufruf, send: email, message: {headline: Ihr Willkommensgeschenk wartet}}\n"
)


def test_a_step_added_is_listed_at_its_line_and_adds_its_weekly_sends(
    repo: Path, run: Callable[..., Result]
) -> None:
    _edit(repo / WILLKOMMEN, (LAST, LAST + "  - {wait: 2w}\n  - {id: tipps, send: email}\n"))
    code, data = _diff(run, repo)
    assert code == 0
    [willkommen] = data["journeys"]  # warenkorb is as it was
    assert willkommen["status"] == "changed"
    assert _steps(willkommen, "added") == [
        ("the wait after letzter-aufruf", "wait", None, None, 31),
        ("tipps", "send", None, None, 32),
    ]
    assert willkommen["steps"]["removed"] == willkommen["steps"]["moved"] == []
    tipps = [s for s in willkommen["step_sends_per_week"] if s["step"] == "tipps"]
    assert tipps == [{"step": "tipps", "channel": "email", "before": None, "after": 191.33}]
    sends = willkommen["sends_per_week"]
    assert sends["after"] == pytest.approx(sends["before"] + 191.33, abs=0.01)
    assert willkommen["cost_per_week"]["after"] > willkommen["cost_per_week"]["before"]


def test_a_step_removed_is_listed_at_its_line_in_the_old_file(
    repo: Path, run: Callable[..., Result]
) -> None:
    _edit(repo / WILLKOMMEN, ("  - {wait: 5d}\n" + LAST, ""))
    _, data = _diff(run, repo)
    willkommen = _journey(data, "willkommen")
    assert _steps(willkommen, "removed") == [
        ("the wait after the branch holding sms-erinnerung", "wait", None, None, 29),
        ("letzter-aufruf", "send", None, None, 30),
    ]
    assert willkommen["steps"]["added"] == []
    letzter = willkommen["step_sends_per_week"][-1]
    assert letzter == {"step": "letzter-aufruf", "channel": "email", "before": 191.5, "after": None}


def test_a_send_moved_into_a_branch_arm_is_moved_and_nothing_else_is(
    repo: Path, run: Callable[..., Result]
) -> None:
    push = "                  - {id: push-erinnerung, send: mobile_push}\n"
    _edit(
        repo / WILLKOMMEN,
        (LAST, ""),
        (push, push + LAST.replace("  - ", "                  - ")),
    )
    _, data = _diff(run, repo)
    willkommen = _journey(data, "willkommen")
    assert _steps(willkommen, "moved") == [
        (
            "letzter-aufruf", "send", "steps[4]",
            "steps[2].branch[0].steps[0].branch[1].otherwise[1]", 29,
        ),
    ]  # fmt: skip
    # The wait after the branch stays where it was, the steps before it are not moved.
    assert willkommen["steps"]["added"] == willkommen["steps"]["removed"] == []
    assert willkommen["steps"]["changed"] == []
    letzter = willkommen["step_sends_per_week"][-1]
    assert letzter["after"] < letzter["before"]  # only those who get the push reach it now


def test_steps_inserted_before_others_do_not_move_them_but_a_swap_does(
    repo: Path, run: Callable[..., Result]
) -> None:
    hallo = "  - {id: hallo, send: email}\n"
    _edit(repo / WILLKOMMEN, (hallo, "  - {id: vorab, send: email}\n  - {wait: 2d}\n" + hallo))
    _, data = _diff(run, repo)
    willkommen = _journey(data, "willkommen")
    assert [s[0] for s in _steps(willkommen, "added")] == ["vorab", "the wait after vorab"]
    assert willkommen["steps"]["moved"] == []  # hallo's key path shifted: not moved


SERIES = """\
name: Serie
personas: [pendler]
entry: {event: signup, per_week: 100, from: 2028-05-01}
message: {headline: Hallo, url: https://radhaus-leipzig.de/serie}
steps:
"""


def test_sends_swapped_in_their_arm_the_fewest_are_moved(
    repo: Path, run: Callable[..., Result]
) -> None:
    series = repo / "radhaus/journeys/serie.yaml"
    a, b, c = (f"  - {{id: {name}, send: email}}\n" for name in "abc")
    wait = "  - {wait: 3d}\n"
    series.write_text(SERIES + a + wait + b + wait + c, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a series")
    series.write_text(SERIES + c + wait + a + wait + b, encoding="utf-8")
    _, data = _diff(run, repo)
    serie = _journey(data, "serie")
    assert _steps(serie, "moved") == [("c", "send", "steps[4]", "steps[0]", 6)]
    assert [s[0] for s in _steps(serie, "added")] == ["the wait after c"]
    assert [s[0] for s in _steps(serie, "removed")] == ["the wait after b"]


def test_a_wait_changed_in_place_keeps_the_weekly_sends_and_adds_a_p106_going_back_fixes_it(
    repo: Path, run: Callable[..., Result]
) -> None:
    _edit(repo / WILLKOMMEN, ("{wait: 3d}", "{wait: 6h}"), ("{wait: 5d}", "{wait: 12h}"))
    code, data = _diff(run, repo)
    assert code == 1  # P106 is an error
    willkommen = _journey(data, "willkommen")
    assert _steps(willkommen, "changed") == [
        ("the wait after hallo", "wait", "3d", "6h", 19),
        ("the wait after the branch holding sms-erinnerung", "wait", "5d", "12h", 29),
    ]
    assert willkommen["sends_per_week"]["before"] == willkommen["sends_per_week"]["after"]
    assert willkommen["cost_per_week"]["before"] == willkommen["cost_per_week"]["after"]
    added = willkommen["findings"]["added"]
    assert {f["rule"] for f in added} == {"P106"}
    assert {f["line"] for f in added} == {30}
    assert all(f["subject"]["journey"] == "willkommen" for f in added)
    assert added == [f for f in data["new"] if f["subject"].get("journey") == "willkommen"]
    git(repo, "commit", "-qam", "shorter waits")
    code, back = _diff(run, repo, "HEAD", "--head", "HEAD~1")
    assert code == 0
    fixed = _journey(back, "willkommen")["findings"]
    assert fixed["added"] == []
    assert {f["rule"] for f in fixed["fixed"]} == {"P106"}


def test_a_journey_added_and_one_removed(repo: Path, run: Callable[..., Result]) -> None:
    (repo / WARENKORB).rename(repo / "radhaus/journeys/stoebern.yaml")
    _, data = _diff(run, repo)
    added, removed = _journey(data, "stoebern"), _journey(data, "warenkorb")
    assert (added["status"], removed["status"]) == ("added", "removed")
    assert added["sends_per_week"]["before"] is None
    assert added["sends_per_week"]["after"] == removed["sends_per_week"]["before"] > 0
    assert removed["sends_per_week"]["after"] is None
    assert added["steps"] == removed["steps"] == {
        "added": [], "removed": [], "moved": [], "changed": []
    }  # fmt: skip
    assert [s["step"] for s in added["step_sends_per_week"]] == ["erinnerung", "letzte-chance"]


def test_the_keys_that_say_who_enters_and_how(repo: Path, run: Callable[..., Result]) -> None:
    _edit(
        repo / WARENKORB,
        ("per_week: 300", "per_week: 600"),
        ("on_cap: skip", "on_cap: send"),
        ("re_entry: 30d", "re_entry: never"),
    )
    _, data = _diff(run, repo)
    warenkorb = _journey(data, "warenkorb")
    assert warenkorb["settings"] == [
        {"key": "entry.per_week", "before": 300.0, "after": 600.0},
        {"key": "re_entry", "before": "30d", "after": "never"},
        {"key": "on_cap", "before": "skip", "after": "send"},
    ]
    sends = warenkorb["sends_per_week"]
    assert sends["after"] == pytest.approx(2 * sends["before"], abs=0.02)
    assert warenkorb["steps"] == {"added": [], "removed": [], "moved": [], "changed": []}


def test_no_change_to_the_journeys_lists_none(repo: Path, run: Callable[..., Result]) -> None:
    code, data = _diff(run, repo)
    assert (code, data["journeys"]) == (0, [])
    result = run("diff", "-w", str(repo / "radhaus"), "-f", "markdown")
    assert "Die Änderung ändert nichts" in result.stdout


def _reviewed(repo: Path) -> None:
    """The change of the goldens: the welcome series' waits shortened (a P106), the abandoned
    cart sends a voucher a week later, to every entrant whatever the caps."""
    _edit(repo / WILLKOMMEN, ("{wait: 3d}", "{wait: 6h}"), ("{wait: 5d}", "{wait: 12h}"))
    _edit(
        repo / WARENKORB,
        ("on_cap: skip", "on_cap: send"),
        (
            "nicht geklickt hat}\n",
            "nicht geklickt hat}\n  - {wait: 1w}\n  - {id: gutschein, send: email}\n",
        ),
    )


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_the_golden_change(
    repo: Path, run: Callable[..., Result], golden: Golden, fmt: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("COLUMNS", "80")
    _reviewed(repo)
    result = run("diff", "-w", str(repo / "radhaus"), "-f", fmt)
    assert result.exit_code == 1, result.stderr
    suffix = {"text": "txt", "json": "json", "markdown": "md"}[fmt]
    golden(
        GOLDEN / f"diff_journeys.{suffix}",
        result.stdout,
        normalize=cells if fmt == "text" else None,
    )


def test_a_journey_that_no_longer_reads_is_changed_with_the_finding_that_says_why(
    repo: Path, run: Callable[..., Result]
) -> None:
    with (repo / WARENKORB).open("a", encoding="utf-8") as file:
        file.write("  - {wait: [\n")
    code, data = _diff(run, repo)
    assert code == 1
    warenkorb = _journey(data, "warenkorb")
    assert warenkorb["status"] == "changed"  # not removed: its file is there
    assert warenkorb["sends_per_week"]["after"] is None
    assert [(f["rule"], f["file"]) for f in warenkorb["findings"]["added"]] == [
        ("S101", "journeys/warenkorb.yaml")
    ]


def _series(order: list[str]) -> Journey:
    return Journey.model_validate({
        "id": "serie", "personas": ["pendler"],
        "entry": {"event": "signup", "per_week": 1, "from": "2028-05-01"},
        "message": {"headline": "Hallo"},
        "steps": [{"id": step, "send": "email"} for step in order],
    })  # fmt: skip


@given(st.permutations([f"s{i}" for i in range(9)]))
def test_a_reordering_moves_the_fewest_sends_and_keeps_the_others_in_order(
    order: list[str],
) -> None:
    written = sorted(order)
    here = SourceMap("journeys/serie.yaml")
    changes = step_changes(_series(written), _series(order), here, here)
    assert {c.change for c in changes} <= {"moved"}
    moved = {c.step for c in changes}
    kept = [step for step in order if step not in moved]
    assert kept == sorted(kept)  # in the order they were
    longest = [1] * len(order)  # the longest run kept in order, the slow way
    for i in range(len(order)):
        for j in range(i):
            if order[j] < order[i]:
                longest[i] = max(longest[i], longest[j] + 1)
    assert len(kept) == max(longest)
