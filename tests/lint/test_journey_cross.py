"""A journey's sends placed in time, and beside the campaigns' touches and the other journeys'
sends (issue 29): `schedule.journey_times`, `schedule.journey_cross` and lint's P107.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from conftest import PERSONA, WORKSPACES, planted
from mcplan import lint, load_workspace
from mcplan.schedule.journey_times import next_allowed
from mcplan.workspace import Window

PLANTED = WORKSPACES / "journeys" / "planted"
CLEAN = WORKSPACES / "journeys" / "clean"
SPAIN = WORKSPACES / "journeys_es"
MADRID = ZoneInfo("Europe/Madrid")

# -- placement ------------------------------------------------------------------------------


def test_a_send_goes_out_at_the_first_moment_its_window_allows() -> None:
    workspace = load_workspace(SPAIN, discover=False)
    persona = workspace.personas["ciclista"]
    window = Window.model_validate({"days": ["mon", "tue", "wed", "thu", "fri"],
                                    "hours": [["10:00", "14:00"], ["16:00", "20:00"]]})  # fmt: skip
    at = datetime(2028, 10, 3, 11, 20, tzinfo=MADRID)  # a Tuesday, inside
    assert next_allowed(window, persona, at) == at
    assert next_allowed(window, persona, at.replace(hour=14, minute=5)) == at.replace(
        hour=16, minute=0
    )
    assert next_allowed(window, persona, at.replace(hour=21)) == datetime(
        2028, 10, 4, 10, 0, tzinfo=MADRID
    )
    friday_night = datetime(2028, 10, 6, 20, 0, tzinfo=MADRID)  # the range's end is out
    assert next_allowed(window, persona, friday_night) == datetime(
        2028, 10, 9, 10, 0, tzinfo=MADRID
    )
    # With `at`: the next such local time the window allows.
    assert next_allowed(window, persona, at, "18:30") == at.replace(hour=18, minute=30)
    assert next_allowed(window, persona, at.replace(hour=19), "18:30") == datetime(
        2028, 10, 4, 18, 30, tzinfo=MADRID
    )
    assert next_allowed(window, persona, at, "15:00") is None  # never inside the window


def test_a_public_holiday_moves_a_send_where_the_channel_keeps_holidays() -> None:
    """12 October is Spain's national day: the SMS window keeps holidays (`holidays: false` in
    the workspace's sms channel), the e-mail's does not."""
    workspace = load_workspace(SPAIN, discover=False)
    persona = workspace.personas["ciclista"]
    sms = workspace.law("sms", persona).channel.window
    email = workspace.law("email", persona).channel.window
    at = datetime(2028, 10, 12, 11, 0, tzinfo=MADRID)  # a Thursday
    assert next_allowed(sms, persona, at) == datetime(2028, 10, 13, 10, 0, tzinfo=MADRID)
    assert next_allowed(email, persona, at) == at


# -- P107 -----------------------------------------------------------------------------------


def test_p107_is_at_the_journeys_step_with_the_campaign_touch_related() -> None:
    findings = [f for f in lint(load_workspace(PLANTED)).findings if f.rule == "P107"]
    marks = {m for m in planted(PLANTED) if m[2] == "P107"}
    assert {(f.location.file, f.location.line, f.rule) for f in findings} == marks
    # One finding for the campaign: the cap most of its entrants break (the e-mail's gap of
    # 24 hours: those who enter from 8 May 10:00 to 10 May 10:00 get it within a day of the
    # broadcast, 2/7 of 126), and every day any break a cap on.
    (touch,) = [f for f in findings if f.subject.campaign == "fruehling"]
    assert touch.message == (
        "email 'angebot' with email Wed 10 May 10:00 (fruehling) takes persona 'pendler' over "
        "its gap of 24 hours on email on 2028-05-09, 2028-05-10, 2028-05-11: about 36 of the "
        "126 entrants a week it sends to"
    )
    assert (touch.location.line, touch.location.column) == (12, 25)
    assert touch.related[0].location.file == "campaigns/fruehling.yaml"
    assert touch.related[0].location.line == 19
    assert touch.related[0].label == "email Wed 10 May 10:00 (fruehling): collides"
    assert touch.subject.journey == "sofort"
    assert touch.subject.persona == "pendler"
    # willkommen's e-mails are not dated: one comes in the day before an entrant's with the
    # chance its e-mails a week on the commuters ÷ their number × 1/7.
    (other,) = [f for f in findings if f.subject.campaign is None]
    assert other.message.startswith(
        "email 'angebot' and the sends of journey 'willkommen' take persona 'pendler' over its cap "
        "of 1 in one day on email: a member gets one of them in the 24 hours before"
    )
    assert other.related[0].location.file == "journeys/willkommen.yaml"


def test_the_clean_twin_has_overlaps_and_no_finding() -> None:
    """gleichtag (on_cap: send) pushes the evening of the broadcast's e-mail: the same day,
    no cap broken; willkommen and warenkorb collide with it, and the platform keeps the caps."""
    workspace = load_workspace(CLEAN, discover=False)
    assert [f for f in lint(workspace).findings if f.rule.startswith("P")] == []


def _workspace(make_workspace: Callable, journey: str, touches: str, pressure: str = "") -> object:
    return make_workspace(
        {
            "personas/marie.yaml": PERSONA + (f"    pressure: {pressure}\n" if pressure else ""),
            "journeys/welcome.yaml": "personas: [marie]\n"
            "entry: {event: signup, per_week: 168, from: 2028-05-01, until: 2028-05-28}\n"
            "message: {headline: Welcome}\n" + journey,
            "campaigns/mai.yaml": "personas: [marie]\n"
            "message: {headline: Mai, starts: 2028-05-01, ends: 2028-05-31}\n"
            "touches:\n" + touches,
        }
    )


def _p107(root: object) -> list[str]:
    findings = lint(load_workspace(root, discover=False)).findings  # type: ignore[arg-type]
    return [f.message for f in findings if f.rule == "P107"]


def test_an_overlap_that_breaks_no_cap_is_no_finding(make_workspace: Callable) -> None:
    journey = "on_cap: send\nsteps:\n  - {id: hello, send: sms, at: '18:00'}\n"
    touch = "  - {channel: email, at: 2028-05-10T09:00}\n"
    assert _p107(_workspace(make_workspace, journey, touch)) == []
    # Under a persona gap of 12 hours, the same day breaks it: for the SMS at 18:00 on the
    # 10th, those who enter in the 24 hours before (168 / 7 × the SMS reach 0.7).
    found = _p107(_workspace(make_workspace, journey, touch, "{min_gap_hours: 12}"))
    assert found == [
        "sms 'hello' with email Wed 10 May 09:00 (mai) takes persona 'marie' over its gap of "
        "12 hours on 2028-05-10: about 17 of the 118 entrants a week it sends to"
    ]


def test_hold_and_skip_are_no_finding(make_workspace: Callable) -> None:
    touch = "  - {channel: email, at: 2028-05-10T09:00}\n"
    for on_cap in ("hold", "skip"):
        journey = f"on_cap: {on_cap}\nsteps:\n  - {{id: hello, send: email}}\n"
        assert _p107(_workspace(make_workspace, journey, touch)) == []
    journey = "on_cap: send\nsteps:\n  - {id: hello, send: email}\n"
    (found,) = _p107(_workspace(make_workspace, journey, touch))
    assert "its gap of 24 hours on email on 2028-05-09, 2028-05-10, 2028-05-11:" in found


@pytest.mark.parametrize("weeks", [1, 20])
def test_many_touches_and_personas_are_checked_in_bounded_time(
    make_workspace: Callable, weeks: int
) -> None:
    """Personas with the same caps, windows and touches are placed once together."""
    files = {f"personas/p{i}.yaml": PERSONA for i in range(200)}
    ids = ", ".join(f"p{i}" for i in range(200))
    mondays = (date.fromordinal(date(2028, 5, 1).toordinal() + 7 * w) for w in range(weeks))
    touches = "".join(f"  - {{channel: email, at: {day}T09:00}}\n" for day in mondays)
    files["journeys/welcome.yaml"] = (
        f"personas: [{ids}]\nentry: {{event: signup, per_week: 1000, from: 2028-05-01}}\n"
        "message: {headline: Welcome}\non_cap: send\nsteps:\n  - {id: hello, send: email}\n"
        "  - {wait: 2d}\n  - {id: again, send: sms}\n"
    )
    files["campaigns/mai.yaml"] = (
        f"personas: [{ids}]\nmessage: {{headline: Mai}}\ntouches:\n" + touches
    )
    root = make_workspace(files)
    found = _p107(root)
    # Every persona is reported for each step (the linter shows 100 of a rule in a file).
    assert found[0] == (
        "and 100 more P107 findings in this file, not shown (at most 100 of a rule are shown "
        "in a file)"
    )


def test_a_journey_of_hundreds_of_sends_gets_a_bounded_answer(
    make_workspace: Callable, run: Callable
) -> None:
    """Each send placed for every entry moment would be millions of placements: past a bound
    the checks keep what they have, and the calendar its days."""
    steps = "".join(f"  - {{id: s{i}, send: email}}\n  - {{wait: 1h}}\n" for i in range(300))
    journey = "on_cap: send\nsteps:\n" + steps
    root = _workspace(make_workspace, journey, "  - {channel: email, at: 2028-05-10T09:00}\n")
    assert _p107(root)  # the first sends' clashes are found
    result = run("calendar", "-w", str(root), "--from", "2028-05-01", "--to", "2028-05-31")
    assert result.exit_code == 0, result.stderr
    assert "≈" in result.stdout  # the days placed so far
