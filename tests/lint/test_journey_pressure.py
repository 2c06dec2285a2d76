"""Pressure on one entrant's path through a journey (P106, issue 29): the paths
(`schedule.journeys`), their bound, the minimal offsets, and each cap they are checked with.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import PERSONA, WORKSPACES, planted
from mcplan import lint, load_workspace
from mcplan.schedule.journeys import MAX_PATHS, paths
from mcplan.schedule.windows import allowed
from mcplan.workspace.journey import Journey

PLANTED = WORKSPACES / "journeys" / "planted"


def _journey(*steps: Any, personas: tuple[str, ...] = ("marie",)) -> Journey:
    return Journey.model_validate(
        {
            "id": "j",
            "personas": list(personas),
            "entry": {"event": "signup", "per_week": 100, "from": "2028-05-01"},
            "message": {"headline": "Hallo"},
            "steps": list(steps),
        }
    )


def _ways(journey: Journey) -> list[tuple[list[tuple[str, int]], set[str]]]:
    """Each path as [(send id, minimal offset)] and its personas."""
    return [
        ([(s.step.id, s.offset) for s in way.sends], set(way.personas))
        for way in paths(journey).paths
    ]


def _send(id_: str, channel: str = "email", **more: Any) -> dict[str, Any]:
    return {"id": id_, "send": channel, **more}


def _wait(text: str) -> dict[str, str]:
    return {"wait": text}


# -- the paths ------------------------------------------------------------------------------


def test_each_arm_is_a_path_and_the_offsets_are_the_waits_before() -> None:
    journey = _journey(
        _send("hello"),
        _wait("3d"),
        {"branch": [{"when": {"share": 0.4}, "steps": [_send("a", "sms")]},
                    {"otherwise": [_wait("12h"), _send("b")]}]},
        _wait("5d"),
        _send("last"),
    )  # fmt: skip
    assert _ways(journey) == [
        ([("hello", 0), ("a", 72), ("last", 192)], {"marie"}),
        ([("hello", 0), ("b", 84), ("last", 204)], {"marie"}),
    ]


def test_without_otherwise_those_who_match_no_arm_go_on() -> None:
    journey = _journey(
        _send("hello"),
        _wait("2d"),
        {"branch": [{"when": {"opened": "hello"}, "steps": [_send("thanks")]}]},
        _send("last", "sms"),
    )
    assert _ways(journey) == [
        ([("hello", 0), ("thanks", 48), ("last", 48)], {"marie"}),
        ([("hello", 0), ("last", 48)], {"marie"}),
    ]


def test_a_personas_arm_limits_who_takes_it_and_who_goes_on() -> None:
    only = {"when": {"personas": ["a"]}, "steps": [_send("for-a", "sms")]}
    journey = _journey(_send("hello"), {"branch": [only, {"otherwise": [_send("rest")]}]},
                       personas=("a", "b"))  # fmt: skip
    assert _ways(journey) == [
        ([("hello", 0), ("for-a", 0)], {"a"}),
        ([("hello", 0), ("rest", 0)], {"b"}),
    ]
    # With another condition too, persona a may not match it, and goes on with b.
    opened = {"when": {"personas": ["a"], "opened": "hello"}, "steps": [_send("for-a", "sms")]}
    journey = _journey(_send("hello"), _wait("1d"), {"branch": [opened]}, personas=("a", "b"))
    assert _ways(journey) == [
        ([("hello", 0), ("for-a", 24)], {"a"}),
        ([("hello", 0)], {"a", "b"}),
    ]
    # An arm none of the arriving personas may take is no path.
    nobody = {"when": {"personas": ["c"]}, "steps": [_send("for-c", "sms")]}
    assert _ways(_journey(_send("hello"), {"branch": [nobody]})) == [([("hello", 0)], {"marie"})]


def test_forty_sequential_branches_are_bounded() -> None:
    steps: list[Any] = []
    for i in range(40):
        arms = [{"when": {"share": 0.5}, "steps": [_send(f"a{i}")]},
                {"otherwise": [_send(f"b{i}", "sms")]}]  # fmt: skip
        steps += [{"branch": arms}, _wait("1d")]
    journey = _journey(*steps)
    ways = paths(journey)  # 2⁴⁰ paths would never end: the walk stops at MAX_PATHS
    assert not ways.complete
    assert len(ways.paths) == MAX_PATHS
    assert len({way.sends for way in ways.paths}) == MAX_PATHS
    # The first ones in the order written are kept: the first takes every first arm.
    assert [s.step.id for s in ways.paths[0].sends] == [f"a{i}" for i in range(40)]


def test_paths_that_are_the_same_are_followed_once() -> None:
    arms = [{"when": {"share": 0.5}, "steps": [_wait("1h")]}, {"otherwise": [_wait("1h")]}]
    ways = paths(_journey(*[{"branch": arms}] * 40, _send("end")))
    assert ways.complete
    assert [[(s.step.id, s.offset) for s in w.sends] for w in ways.paths] == [[("end", 40)]]


@pytest.mark.parametrize("clock", [None, "10:00"])
def test_a_window_or_an_at_never_makes_a_gap_smaller(clock: str | None) -> None:
    """Place each send as the platform does (the first allowed moment at or after its
    arrival, the next wait from then), for entrants at every hour of a week: no two sends of
    the path are closer than their minimal offsets say, and without `at` some entrant reaches
    them exactly."""
    workspace = load_workspace(WORKSPACES / "journeys" / "clean", discover=False)
    persona = workspace.personas["pendler"]
    c = _send("c", at=clock) if clock else _send("c")
    journey = _journey(_send("a", "sms"), _wait("20h"), _send("b", "sms"), _wait("6h"),
                       c, _wait("1d"), _send("d", "sms"))  # fmt: skip
    (way,) = paths(journey).paths
    minimal = [s.offset for s in way.sends]
    tight = set()
    zone = ZoneInfo("Europe/Berlin")
    for hour in range(24 * 7):
        at = datetime(2028, 5, 1, tzinfo=zone) + timedelta(hours=hour)
        placed = []
        for sent, before in zip(way.sends, [0, *minimal], strict=False):
            at += timedelta(hours=sent.offset - before)
            window = workspace.channels[sent.step.send].window
            while not allowed(window, persona, at) or (
                sent.step.at is not None and f"{at:%H:%M}" != sent.step.at
            ):
                at += timedelta(minutes=30)
            placed.append(at)
        gaps = [(b - a).total_seconds() / 3600 for a, b in itertools.pairwise(placed)]
        wanted = [b - a for a, b in itertools.pairwise(minimal)]
        assert all(g >= w for g, w in zip(gaps, wanted, strict=True))
        tight.add(gaps == wanted)
    assert (True in tight) is (clock is None)


# -- the caps -------------------------------------------------------------------------------


def _p106(make_workspace: Callable, *steps: str, pressure: str = "") -> list[str]:
    """The messages of P106 for a journey of marie's written ``steps``."""
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA + (f"    pressure: {pressure}\n" if pressure else ""),
            "journeys/welcome.yaml": "personas: [marie]\n"
            "entry: {event: signup, per_week: 100, from: 2028-05-01}\n"
            "message: {headline: Welcome}\n"
            "steps:\n" + "".join(f"  - {s}\n" for s in steps),
        }
    )
    findings = lint(load_workspace(root, discover=False)).findings
    return [f.message for f in findings if f.rule == "P106"]


def test_two_emails_six_hours_apart_break_the_email_gap(make_workspace: Callable) -> None:
    found = _p106(make_workspace, "{id: hello, send: email}", "{wait: 6h}",
                  "{id: reminder, send: email}")  # fmt: skip
    assert (
        "email 'hello' and 'reminder' are 6 hours apart on the path 'hello' → 'reminder': "
        "persona 'marie' needs at least 24 hours between two touches on email"
    ) in found
    assert any("at most 1 in one day" in m for m in found)  # the e-mail's max_per_day


def test_the_persona_gap_counts_across_channels(make_workspace: Callable) -> None:
    found = _p106(make_workspace, "{id: hello, send: email}", "{wait: 10h}",
                  "{id: nudge, send: sms}", pressure="{min_gap_hours: 12}")  # fmt: skip
    assert found == [
        "email 'hello' and sms 'nudge' are 10 hours apart on the path 'hello' → 'nudge': "
        "persona 'marie' needs at least 12 hours between two touches"
    ]


def test_a_week_cap_counts_a_rolling_seven_days(make_workspace: Callable) -> None:
    steps = ["{id: a, send: email}", "{wait: 2d}", "{id: b, send: sms}", "{wait: 2d}",
             "{id: c, send: email}", "{wait: 2d}", "{id: d, send: sms}"]  # fmt: skip
    found = _p106(make_workspace, *steps, pressure="{max_per_week: 3}")
    assert found == [
        "4 touches from 'a' to 'd', 144 hours apart on the path 'a' → 'b' → 'c' → 'd': "
        "persona 'marie' gets at most 3 in 7 days"
    ]
    steps[-2] = "{wait: 3d}"  # d 7 days after a: another week
    assert _p106(make_workspace, *steps, pressure="{max_per_week: 3}") == []


def test_a_thirty_day_cap(make_workspace: Callable) -> None:
    steps = ["{id: a, send: email}", "{wait: 8d}", "{id: b, send: email}", "{wait: 8d}",
             "{id: c, send: email}"]  # fmt: skip
    found = _p106(make_workspace, *steps, pressure="{max_per_30_days: 2}")
    assert found == [
        "3 touches from 'a' to 'c', 384 hours apart on the path 'a' → 'b' → 'c': "
        "persona 'marie' gets at most 2 in 30 days"
    ]


def test_the_channel_week_cap(make_workspace: Callable) -> None:
    steps = ["{id: a, send: sms}", "{wait: 2d}", "{id: b, send: sms}", "{wait: 2d}",
             "{id: c, send: sms}"]  # fmt: skip
    found = _p106(make_workspace, *steps, pressure="{max_per_week: 5}")
    assert found == [
        "3 touches on sms from 'a' to 'c', 96 hours apart on the path 'a' → 'b' → 'c': "
        "persona 'marie' gets at most 2 in 7 days"
    ]


def test_a_same_day_overlap_that_breaks_no_cap_is_no_finding(make_workspace: Callable) -> None:
    assert _p106(make_workspace, "{id: a, send: email}", "{wait: 2h}",
                 "{id: b, send: sms}") == []  # fmt: skip


def test_arms_are_checked_apart(make_workspace: Callable) -> None:
    """Two arms' sends never reach the same entrant: no cap counts them together."""
    arms = ("[{when: {share: 0.5}, steps: [{id: a, send: email}]},"
            " {otherwise: [{id: b, send: email}]}]")  # fmt: skip
    assert _p106(make_workspace, f"{{branch: {arms}}}") == []


def test_p106_is_at_the_step_with_the_step_it_collides_with() -> None:
    findings = [f for f in lint(load_workspace(PLANTED)).findings if f.rule == "P106"]
    found = {(f.location.file, f.location.line, f.rule) for f in findings}
    marks = {m for m in planted(PLANTED) if m[0] == "journeys/druck.yaml"}
    assert {m for m in found if m[0] == "journeys/druck.yaml"} == marks
    gap = next(f for f in findings if "6 hours apart" in f.message and "needs" in f.message)
    assert (gap.location.line, gap.location.column) == (9, 24)  # the `send` key's value
    assert gap.related[0].location.line == 7
    assert gap.related[0].label == "step 'erste': collides"
    assert gap.subject.journey == "druck"
    assert gap.subject.persona in {"pendler", "werkstatt"}


def test_the_clean_twin_has_no_journey_pressure() -> None:
    workspace = load_workspace(WORKSPACES / "journeys" / "clean", discover=False)
    assert [f for f in lint(workspace).findings if f.rule.startswith("P")] == []


def test_personas_with_the_same_caps_are_each_reported(make_workspace: Callable) -> None:
    """Personas with the same caps are checked once together, and each gets its finding; a
    persona arm after the send that breaks a cap does not hide one of them."""
    steps = [
        "{id: hello, send: email}",
        "{wait: 6h}",
        "{id: reminder, send: email}",
        "{branch: [{when: {personas: [a]}, steps: [{id: x, send: sms}]},"
        " {otherwise: [{wait: 1d}, {id: y, send: sms}]}]}",
    ]
    root = make_workspace(
        {
            "personas/a.yaml": PERSONA,
            "personas/b.yaml": PERSONA,
            "personas/c.yaml": PERSONA + "    pressure: {max_per_week: 5, min_gap_hours: 12}\n",
            "journeys/welcome.yaml": "personas: [a, b, c]\n"
            "entry: {event: signup, per_week: 100, from: 2028-05-01}\n"
            "message: {headline: Welcome}\n"
            "steps:\n" + "".join(f"  - {s}\n" for s in steps),
        }
    )
    findings = [f for f in lint(load_workspace(root, discover=False)).findings if f.rule == "P106"]
    gaps = {(f.subject.persona, f.location.line) for f in findings if "on email" in f.message}
    assert gaps == {("a", 7), ("b", 7), ("c", 7)}
    own = [(f.subject.persona, f.location.line) for f in findings if "touches on" not in f.message
           and "between two touches on" not in f.message]  # fmt: skip
    assert own == [("c", 7)]  # c's own 12 hours between any two touches
