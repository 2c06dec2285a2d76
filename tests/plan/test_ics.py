"""The schedule as an iCalendar file: one event per touch and time zone, the same bytes each run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from conftest import ROOT
from mcplan import __version__, load_workspace
from mcplan.output.ics import calendar
from mcplan.plan.result import CampaignPlan, ProposedTouch
from mcplan.workspace import Workspace

GOLDEN = Path(__file__).parent / "golden" / "ics-schedule.ics"
MONTREAL = "America/Toronto"  # Montreal's rules; America/Montreal is an alias of it


def claire_in_montreal() -> Workspace:
    """The example workspace, with Claire moved to Montreal: two time zones."""
    ws = load_workspace(ROOT, discover=False)
    claire = ws.personas["claire-acheteuse-pme"]
    ws.personas[claire.id] = claire.model_copy(update={"timezone": MONTREAL})
    return ws


def small_plan(ws: Workspace) -> list[CampaignPlan]:
    soldes = ws.campaigns["soldes-hiver-2027"]
    retour = ws.campaigns["retour-printemps-2027"]
    return [
        CampaignPlan(
            soldes,
            touches=[
                ProposedTouch("email", datetime(2027, 1, 13, 9, 0), None),  # Marie and Claire
                ProposedTouch("sms", datetime(2027, 1, 15, 18, 30), ("marie-citadine",), "email"),
                ProposedTouch("email", datetime(2027, 2, 3, 10, 15), ("claire-acheteuse-pme",)),
            ],
        ),
        CampaignPlan(
            retour,  # either side of the change to summer time
            touches=[
                ProposedTouch("mail", datetime(2027, 3, 22, 8, 0), None),
                ProposedTouch("sms", datetime(2027, 4, 13, 11, 0), None, after="mail"),
            ],
        ),
    ]


@pytest.fixture
def workspace() -> Workspace:
    return claire_in_montreal()


@pytest.fixture
def plans(workspace: Workspace) -> list[CampaignPlan]:
    return small_plan(workspace)


def events(data: bytes) -> list[Event]:
    return list(Calendar.from_ical(data).events)


_TIMEZONES = re.compile(rb"BEGIN:VTIMEZONE\r?\n.*?END:VTIMEZONE\r?\n", re.S)


def without_time_zones(data: bytes) -> tuple[bytes, list[bytes]]:
    """The file less its VTIMEZONE blocks (icalendar writes them from the machine's time zone
    database, which changes with its releases), and their TZIDs."""
    tzids = re.findall(rb"BEGIN:VTIMEZONE\r?\nTZID:([^\r\n]+)", data)
    # Compared without line ends, which git may rewrite on checkout; they are checked below.
    return _TIMEZONES.sub(b"", data).replace(b"\r\n", b"\n"), tzids


def test_golden(plans: list[CampaignPlan], workspace: Workspace, update_goldens: bool) -> None:
    data = calendar(plans, workspace)
    if update_goldens:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(data)
    assert without_time_zones(data) == without_time_zones(GOLDEN.read_bytes())
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # RFC 5545: every line ends with CRLF


def test_two_runs_give_the_same_bytes(plans: list[CampaignPlan], workspace: Workspace) -> None:
    assert calendar(plans, workspace) == calendar(small_plan(claire_in_montreal()), workspace)


SCRIPT = """
import sys
sys.path[:0] = [{tests!r}, {here!r}]
from test_ics import calendar, claire_in_montreal, small_plan
ws = claire_in_montreal()
sys.stdout.buffer.write(calendar(small_plan(ws), ws))
"""


def test_the_same_bytes_in_another_process(plans: list[CampaignPlan], workspace: Workspace) -> None:
    """Set and dict orders of text change from one process to the next (PYTHONHASHSEED)."""
    here = Path(__file__).parent
    script = SCRIPT.format(tests=str(here.parent), here=str(here))
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, check=True
        ).stdout
        assert out == calendar(plans, workspace)


def test_each_event_starts_at_the_touch_s_local_time_in_its_time_zone(
    plans: list[CampaignPlan], workspace: Workspace
) -> None:
    parsed = events(calendar(plans, workspace))
    expected = []
    for plan in plans:
        for touch in plan.touches:
            personas = touch.personas or plan.campaign.personas
            zones = sorted({workspace.personas[p].timezone or "" for p in personas})
            expected += [(plan.campaign.name, touch, zone) for zone in zones]
    assert len(parsed) == len(expected) == 6
    seen = set()
    for event in parsed:
        start = event.start
        assert isinstance(start, datetime)
        assert isinstance(start.tzinfo, ZoneInfo)
        zone = start.tzinfo.key
        local = start.replace(tzinfo=None)
        matches = [
            (name, touch)
            for name, touch, z in expected
            if z == zone and touch.at == local and str(event["SUMMARY"]).endswith(f"— {name}")
        ]
        assert len(matches) == 1, (event["SUMMARY"], start)
        name, touch = matches[0]
        seen.add((name, touch, zone))
        channel = workspace.channels[touch.channel].title(workspace.settings.locale)
        assert str(event["SUMMARY"]) == f"{channel} — {name}"
        assert event.duration == timedelta(minutes=15)
        assert [str(c) for c in event.categories] == [touch.channel]
        assert str(event["UID"]).endswith("@mcplan")
    assert len(seen) == 6
    zones = {e.start.tzinfo.key for e in parsed if isinstance(e.start, datetime) and e.start.tzinfo}
    assert zones == {"Europe/Paris", MONTREAL}


def test_a_touch_for_personas_in_two_time_zones_is_two_events(
    plans: list[CampaignPlan], workspace: Workspace
) -> None:
    first = [e for e in events(calendar(plans[:1], workspace)) if e.start.day == 13]
    assert sorted(str(e.start) for e in first) == [
        "2027-01-13 09:00:00+01:00",  # Marie, Paris
        "2027-01-13 09:00:00-05:00",  # Claire, Montreal
    ]
    assert "Marie, citadine connectée" in str(first[0]["DESCRIPTION"])
    assert "Claire, acheteuse en PME" in str(first[1]["DESCRIPTION"])
    assert b"DTSTART;TZID=America/Toronto:20270113T090000" in calendar(plans, workspace)


def test_description_names_the_personas_and_the_touch_it_follows(
    plans: list[CampaignPlan], workspace: Workspace
) -> None:
    sms = [e for e in events(calendar(plans[:1], workspace)) if "sms" in e.categories]
    # In the workspace's language, French.
    assert str(sms[0]["DESCRIPTION"]) == "Personas :\n- Marie, citadine connectée\nAprès : E-mail"


def test_calendar_properties(plans: list[CampaignPlan], workspace: Workspace) -> None:
    cal = Calendar.from_ical(calendar(plans, workspace))
    assert str(cal["PRODID"]) == f"-//mcplan//mcplan {__version__}//EN"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Soldes d'hiver 2027, On vous attend au printemps"
    assert {tz.tz_name for tz in cal.timezones} == {"Europe/Paris", MONTREAL}
    assert cal.get_missing_tzids() == set()


def test_events_are_sorted_by_start_then_uid(
    plans: list[CampaignPlan], workspace: Workspace
) -> None:
    parsed = events(calendar(plans[::-1], workspace))
    keys = [(e.start, str(e["UID"])) for e in parsed]
    assert keys == sorted(keys)


def test_stamp_and_uids_come_from_the_plan_not_the_clock(
    plans: list[CampaignPlan], workspace: Workspace
) -> None:
    parsed = events(calendar(plans, workspace))
    stamps = {e.get("SUMMARY").split(" — ")[1]: e.DTSTAMP for e in parsed}
    assert stamps == {
        "Soldes d'hiver 2027": datetime(2027, 1, 13, tzinfo=UTC),
        "On vous attend au printemps": datetime(2027, 3, 22, tzinfo=UTC),
    }
    uids = [str(e["UID"]) for e in parsed]
    assert len(set(uids)) == len(uids)
    # A UID names a touch (campaign, index, time zone): moving it keeps its UID.
    moved = [CampaignPlan(plans[0].campaign, touches=list(plans[0].touches))]
    moved[0].touches[1] = ProposedTouch("sms", datetime(2027, 1, 16, 18, 30), ("marie-citadine",))
    assert {str(e["UID"]) for e in events(calendar(moved, workspace))} == {
        str(e["UID"]) for e in events(calendar(plans[:1], workspace))
    }


def test_a_touch_written_with_an_offset_is_one_event_at_that_moment(
    plans: list[CampaignPlan], workspace: Workspace
) -> None:
    at = datetime(2027, 1, 13, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    plan = CampaignPlan(plans[0].campaign, touches=[ProposedTouch("email", at, None)])
    (event,) = events(calendar([plan], workspace))
    assert event.start == at
    assert event.start.utcoffset() == timedelta(0)
    assert b"DTSTART:20270113T080000Z" in calendar([plan], workspace)


def test_no_touches_is_a_calendar_without_events(workspace: Workspace) -> None:
    cal = Calendar.from_ical(calendar([], workspace))
    assert list(cal.events) == []
    assert cal.timezones == []
    assert str(cal["X-WR-CALNAME"]) == "mcplan"
