"""P108: a hand-written touch far from a persona's learned send time, when the slot is
credibly better (`send_times`, issue 30), on the send_times workspace and its clean twin."""

from __future__ import annotations

from conftest import WORKSPACES, planted
from mcplan import load_workspace
from mcplan.findings import Level
from mcplan.lint.engine import lint
from mcplan.workspace.settings import LintSettings

ROOT = WORKSPACES / "send_times"


def test_planted_touches_far_from_their_slots_are_found_at_their_lines() -> None:
    root = ROOT / "planted"
    result = lint(load_workspace(root, discover=False), settings=LintSettings(select=["P"]))
    reported = {(f.location.file, f.location.line, f.rule) for f in result.findings}
    assert reported == planted(root)


def test_the_finding_gives_the_figures_and_the_send_times_line() -> None:
    result = lint(load_workspace(ROOT / "planted", discover=False))
    email = [f for f in result.findings if f.subject.channel == "email"]
    assert {f.subject.persona for f in email} == {"lectores", "canarias"}  # not estudiantes
    lectores = next(f for f in email if f.subject.persona == "lectores")
    assert lectores.level is Level.INFO
    assert lectores.message == (
        "email reaches persona 'lectores' on tuesday 10:00, far from its learned slot tuesday "
        "19:00 (open rate 23.1%, 90 % interval 21.2%–25.1%, +4.1 points over 10:00, "
        "probability 97% that it is better)"
    )
    (related,) = lectores.related
    assert (related.location.file, related.location.line) == ("personas/lectores.yaml", 10)
    (sms,) = [f for f in result.findings if f.subject.channel == "sms"]
    assert sms.location.file == "campaigns/reservas.yaml"
    assert "learned slot 21:00, 19:00 in the channel's window" in sms.message
    assert (sms.related[0].location.line, sms.location.line) == (21, 17)


def test_the_clean_twin_has_no_finding_at_all() -> None:
    assert lint(load_workspace(ROOT / "clean", discover=False)).findings == []
