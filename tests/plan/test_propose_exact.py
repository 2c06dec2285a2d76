"""The proposed schedule is searched for every persona at once (arrays of contacts per day);
it must be exactly what the plain search gives: each persona, day after day from its target,
the first day within the window and holidays, every cap and every minimum gap, a day of its
own first. Random workspaces: time zones, countries (their law, their holidays), caps and
gaps per persona, touches already written, several campaigns proposed one after another."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcplan import load_workspace
from mcplan.plan import aims, plan, propose
from mcplan.schedule.caps import WINDOWS, elapsed
from mcplan.schedule.windows import allowed
from mcplan.workspace import Channel, Persona, Pressure

ZONES = ["Europe/Paris", "Europe/London", "America/New_York", "Asia/Tokyo"]
COUNTRIES = ["FR", "DE", "GB", "FR-57", None]
CHANNELS = ["email", "sms", "phone", "mobile_push", "instagram"]


def fits(times: list[datetime], at: datetime, pressure: Pressure | None) -> bool:
    """One more contact at `at` keeps to `pressure`, counted one contact at a time."""
    if pressure is None:
        return True
    if pressure.min_gap_hours is not None:
        gap = timedelta(hours=pressure.min_gap_hours)
        if any(abs(elapsed(t, at)) < gap for t in times):
            return False
    days = [t.date() for t in times]
    for key, length, _ in WINDOWS:
        cap = getattr(pressure, key)
        for start in (at.date() - timedelta(days=k) for k in range(length)):
            inside = sum(1 for d in days if start <= d < start + timedelta(days=length))
            if cap is not None and inside + 1 > cap:
                return False
    return True


def place_one_by_one(
    channel: Channel,
    personas: list[Persona],
    target: date,
    end: date,
    audience: object,
    pressure: propose._Pressure | None,
) -> list[tuple[datetime, list[Persona]]]:
    """The plain search, standing in for `propose._place`."""
    workspace = WORKSPACE[0]
    placed: dict[datetime, list[Persona]] = defaultdict(list)
    added = []
    for persona in personas:
        ruled = workspace.law(channel.id, persona).channel
        clock = aims.default_clock(ruled)
        zone = ZoneInfo(persona.timezone or "UTC")
        slot = None
        for same_day_ok in (False, True):
            day = target
            while slot is None and day <= end:
                local = datetime.combine(day, clock)
                at = local.replace(tzinfo=zone)
                ok = allowed(ruled.window, persona, local)
                if ok and pressure is not None:
                    times = pressure.calendar.times
                    mine = times.get(persona.id, [])
                    ok = (same_day_ok or all(t.date() != day for t in mine)) and (
                        fits(mine, at, persona.pressure)
                        and fits(times.get((persona.id, channel.id), []), at, ruled.pressure)
                    )
                if ok:
                    slot = local
                day += timedelta(days=1)
        if slot is not None:
            placed[slot].append(persona)
            added.append((persona.id, slot.replace(tzinfo=zone)))
    if pressure is not None:
        pressure.add(channel.id, added)
    return sorted(placed.items())


WORKSPACE: list = []
caps = st.one_of(st.none(), st.integers(1, 4))
personas = st.lists(
    st.fixed_dictionaries(
        {
            "zone": st.sampled_from(ZONES),
            "country": st.sampled_from(COUNTRIES),
            "channels": st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=4, unique=True),
            "day": caps,
            "week": caps,
            "gap": st.one_of(st.none(), st.sampled_from([12, 24, 47.5, 72, 1000])),
        }
    ),
    min_size=1,
    max_size=6,
)
campaigns = st.lists(
    st.fixed_dictionaries(
        {
            "start": st.integers(0, 10),
            "days": st.integers(0, 20),
            "touches": st.lists(
                st.tuples(
                    st.sampled_from(["email", "sms"]), st.integers(0, 20), st.integers(7, 21)
                ),
                max_size=3,
            ),
        }
    ),
    min_size=1,
    max_size=4,
)


def write(root: Path, people: list[dict], plans: list[dict]) -> None:
    for folder in ("personas", "campaigns"):
        (root / folder).mkdir()
    (root / "mcplan.toml").write_text("[pressure]\nmax_per_30_days = 6\n", "utf-8")
    for i, p in enumerate(people):
        pressure = {k: p[k] for k in ("day", "week", "gap") if p[k] is not None}
        names = {"day": "max_per_day", "week": "max_per_week", "gap": "min_gap_hours"}
        caps_text = ", ".join(f"{names[k]}: {v}" for k, v in pressure.items())
        links = "".join(
            f"  {c}: {{reach: 0.5, affinity: 0.7, consent: opt_in}}\n" for c in p["channels"]
        )
        country = f"country: {p['country']}\n" if p["country"] else ""
        (root / f"personas/p{i}.yaml").write_text(
            f"market: b2c\nsize: {100 + i}\nstage: loyalty\ntimezone: {p['zone']}\n{country}"
            f"pressure: {{{caps_text}}}\nchannels:\n{links}",
            "utf-8",
        )
    ids = ", ".join(f"p{i}" for i in range(len(people)))
    for j, c in enumerate(plans):
        starts = date(2027, 3, 1) + timedelta(days=c["start"])
        touches = "".join(
            f"  - {{channel: {ch}, at: {starts + timedelta(days=d)}T{h:02d}:00}}\n"
            for ch, d, h in c["touches"]
        )
        (root / f"campaigns/c{j}.yaml").write_text(
            f"personas: [{ids}]\nobjectives: [{{kind: sales}}]\nmax_channels: 3\n"
            f"message: {{headline: Offre, starts: {starts}, "
            f"ends: {starts + timedelta(days=c['days'])}}}\n"
            + (f"touches:\n{touches}" if touches else ""),
            "utf-8",
        )


def same_schedule(root: Path) -> list:
    """Plan the workspace with the array search and with the plain one: the same touches and
    the same findings. Returns the plans."""
    workspace = load_workspace(root, discover=False)
    assert not [f for f in workspace.findings if f.level.value == "error"], workspace.findings
    fast = plan(workspace)
    WORKSPACE[:] = [workspace]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(propose, "_place", place_one_by_one)
        plain = plan(workspace)
    for a, b in zip(fast, plain, strict=True):
        assert a.touches == b.touches
        assert [f.message for f in a.findings] == [f.message for f in b.findings]
    return fast


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=personas, plans=campaigns)
def test_the_schedule_is_the_one_a_day_by_day_search_finds(
    people: list[dict], plans: list[dict]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), people, plans)
        same_schedule(Path(folder))


def test_a_crowded_month_is_searched_the_same_way(tmp_path: Path) -> None:
    """Four campaigns over the same weeks, caps and gaps that push touches to later days,
    and one persona who finds no slot: the case the search exists for."""
    people = [
        {"zone": "Europe/Paris", "country": "FR", "channels": ["email", "sms"], "day": 1,
         "week": 2, "gap": 47.5},
        {"zone": "America/New_York", "country": None, "channels": ["email", "sms", "phone"],
         "day": None, "week": 1, "gap": None},
        {"zone": "Asia/Tokyo", "country": "DE", "channels": ["email", "mobile_push"],
         "day": 1, "week": None, "gap": 24},
        {"zone": "Europe/London", "country": "GB", "channels": ["email", "sms"], "day": None,
         "week": None, "gap": None},  # only the workspace's cap: a day of its own first
    ]  # fmt: skip
    plans = [
        {"start": 0, "days": 3, "touches": [("email", 0, 9), ("sms", 1, 18)]},
        {"start": 0, "days": 6, "touches": []},
        {"start": 2, "days": 4, "touches": []},
        {"start": 3, "days": 10, "touches": []},
    ]
    write(tmp_path, people, plans)
    planned = same_schedule(tmp_path)
    proposed = [t for p in planned if p.proposed for t in p.touches]
    assert len({t.at.date() for t in proposed}) >= 3  # spread over days by the caps
    assert any(t.personas for t in proposed)  # personas that could not all go together
    assert any(f.rule == "N102" for p in planned for f in p.findings)


def test_a_calendar_that_lets_its_blocks_go_plans_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Campaigns years apart: the calendar keeps its counts per day within a budget, and
    counts a block again from its log when it is needed."""
    people = [
        {"zone": "Europe/Paris", "country": "FR", "channels": ["email", "sms"], "day": 1,
         "week": None, "gap": 24},
    ] * 3  # fmt: skip
    plans = [
        {"start": 3650 * (j % 2) + j, "days": 9, "touches": [("email", 1, 9)] if j % 3 else []}
        for j in range(6)
    ]
    write(tmp_path, people, plans)
    monkeypatch.setattr(propose, "_KEPT_BYTES", 1)  # every block let go for the next
    planned = same_schedule(tmp_path)
    years = {t.at.year for p in planned if p.proposed for t in p.touches}
    assert years == {2027, 2037}
