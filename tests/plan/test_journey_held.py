"""What the platform holds or skips of a journey's sends beside the campaigns and the other
journeys (`plan.journey.held`, issue 29): the worked example of docs/journeys.md, another
journey's sends, and a simulation of entrants.
"""

from __future__ import annotations

import random
import tempfile
import textwrap
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcplan import load_workspace
from mcplan.plan.journey.forecast import forecast_journey, forecast_journeys
from mcplan.plan.journey.held import held
from mcplan.schedule.caps import over_caps, too_close
from mcplan.schedule.windows import allowed
from mcplan.workspace import Workspace

MARIE = """
    market: b2c
    size: 1000
    stage: loyalty
    channels:
      email: {reach: 1.0, affinity: 0.5, consent: opt_in}
      sms: {reach: 1.0, affinity: 0.8, consent: opt_in}
"""
SETTINGS = 'timezone = "Europe/Paris"\nlocale = "fr-FR"\n'


def _journey(steps: str, on_cap: str = "hold", per_week: int = 168, id_: str = "bienvenue") -> str:
    return (
        f"id: {id_}\npersonas: [marie]\non_cap: {on_cap}\n"
        f"entry: {{event: signup, per_week: {per_week}, from: 2028-05-01, until: 2028-05-28}}\n"
        f"message: {{headline: Bienvenue}}\nsteps:\n{steps}"
    )


def _campaign(*touches: str) -> str:
    lines = "".join(f"  - {{channel: {t.split()[0]}, at: {t.split()[1]}}}\n" for t in touches)
    return "personas: [marie]\nmessage: {headline: Mai}\ntouches:\n" + lines


def _held(make_workspace: Callable, files: dict[str, str], journey: str = "bienvenue") -> Any:
    root = make_workspace({"mcplan.toml": SETTINGS, "personas/marie.yaml": MARIE, **files})
    workspace = load_workspace(root, discover=False)
    forecasts = forecast_journeys(workspace)
    found = next(f for f in forecasts if f.journey == journey)
    return held(workspace, found, forecasts)


def test_the_worked_example(make_workspace: Callable) -> None:
    """docs/journeys.md: 168 entrants a week for 4 weeks, each sent an e-mail at once (the
    e-mail's window is 07:00 to 22:00; caps: 1 a day, 24 hours apart); a campaign's e-mail on
    Wednesday 10 May at 09:00. Those who enter from Tuesday 09:00 to Thursday 09:00 (48 hours,
    48 entrants) would break a cap with it: 48 in 4 weeks, 12 a week. Held, each waits for
    Thursday 09:00: 1,071 hours in all over 48 sends."""
    files = {
        "journeys/bienvenue.yaml": _journey("  - {id: bonjour, send: email}\n"),
        "campaigns/mai.yaml": _campaign("email 2028-05-10T09:00"),
    }
    result = _held(make_workspace, files)
    step = result.step("bonjour")
    assert step.held_per_week == pytest.approx(12)
    assert step.mean_hold_hours == pytest.approx(1071 / 48)
    assert step.skipped_per_week == 0
    assert step.to_dict() == {
        "step": "bonjour",
        "held_per_week": 12.0,
        "mean_hold_hours": 22.3125,
        "skipped_per_week": 0.0,
        "by": [{"campaign": "mai", "touch": 0, "per_week": 12.0}],
    }
    docs = (Path(__file__).resolve().parents[2] / "docs" / "journeys.md").read_text("utf-8")
    example = " ".join(docs.split("A worked example", 1)[1].split())
    assert "**12 a week**" in example
    assert f"**mean hold of {step.mean_hold_hours:.1f} hours**" in example
    assert "1,071 hours in all" in example
    assert f"{step.mean_hold_hours * 48:,.0f}" == "1,071"
    files["journeys/bienvenue.yaml"] = _journey("  - {id: bonjour, send: email}\n", "skip")
    skipped = _held(make_workspace, files).step("bonjour")
    assert (skipped.held_per_week, skipped.skipped_per_week) == (0, pytest.approx(12))
    files["journeys/bienvenue.yaml"] = _journey("  - {id: bonjour, send: email}\n", "send")
    sent = _held(make_workspace, files)
    assert sent.to_dict()["steps"] == [
        {"step": "bonjour", "held_per_week": 0.0, "mean_hold_hours": 0.0,
         "skipped_per_week": 0.0, "by": []}
    ]  # fmt: skip


def test_another_journeys_sends(make_workspace: Callable) -> None:
    """relance sends 70 e-mails a week to marie's 1,000 members: one comes in the 24 hours
    before a bienvenue e-mail with the chance 70 / 1,000 / 7 = 1 %, and that breaks the
    e-mail's cap of 1 a day: 1 % of bienvenue's 168 sends a week are held, half a day each."""
    files = {
        "journeys/bienvenue.yaml": _journey("  - {id: bonjour, send: email}\n"),
        "journeys/relance.yaml": _journey("  - {id: rappel, send: email}\n", "skip", 70, "relance"),
    }
    step = _held(make_workspace, files).step("bonjour")
    assert step.held_per_week == pytest.approx(168 * 0.01)
    assert step.mean_hold_hours == pytest.approx(12)
    assert [s.to_dict() for s in step.by] == [
        {"journey": "relance", "per_week": pytest.approx(1.68)}
    ]
    docs = (Path(__file__).resolve().parents[2] / "docs" / "journeys.md").read_text("utf-8")
    assert "1.68 of the 168 a week are held, 12 hours on" in " ".join(docs.split())
    other = _held(make_workspace, files, "relance").step("rappel")
    assert other.skipped_per_week == pytest.approx(70 * 168 / 1000 / 7)


def test_a_same_day_overlap_that_breaks_no_cap_holds_nothing(make_workspace: Callable) -> None:
    files = {
        "journeys/bienvenue.yaml": _journey("  - {id: sms, send: sms, at: '18:00'}\n"),
        "campaigns/mai.yaml": _campaign("email 2028-05-10T09:00"),
    }
    assert _held(make_workspace, files).step("sms").held_per_week == 0


def test_the_example_workspaces_journeys() -> None:
    """The example's welcome series holds, its abandoned browse skips, beside the winter sales
    and the spring campaigns."""
    workspace = load_workspace(Path(__file__).resolve().parents[2])
    forecasts = forecast_journeys(workspace)
    found = {f.journey: held(workspace, f, forecasts) for f in forecasts}
    welcome = found["bienvenue"].step("bonjour")
    assert welcome.held_per_week > 0
    assert welcome.skipped_per_week == 0
    assert {s.id for s in welcome.by} >= {"soldes-hiver-2027", "navigation-abandonnee"}
    browse = found["navigation-abandonnee"].step("rappel")
    assert browse.skipped_per_week > 0
    assert browse.held_per_week == 0


# -- a simulation of entrants ---------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2028, 5, 1, tzinfo=PARIS)
WEEKS = 4


def _placed(workspace: Workspace, channel: str, arrival: datetime, clock: str | None) -> datetime:
    """The platform's placement, the slow way: hour by hour until the window (and the
    clock) allows (every window and clock here is on the hour)."""
    persona = workspace.personas["marie"]
    window = workspace.law(channel, persona).channel.window
    at = arrival
    while not allowed(window, persona, at) or (clock is not None and f"{at:%H:%M}" != clock):
        at = at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return at


def _breaks(
    workspace: Workspace, sends: list[tuple[datetime, str]], touches: list[tuple[datetime, str]]
) -> bool:
    """Whether the last of an entrant's ``sends`` takes a cap over with a campaign touch
    counted (caps.over_caps and too_close on every touch, as P101 and P103 count)."""
    persona = workspace.personas["marie"]
    at, channel = sends[-1]
    everything = sorted(
        [(t, c, "own") for t, c in sends[:-1]]
        + [(t, c, "touch") for t, c in touches]
        + [(at, channel, "self")]
    )
    caps = [(persona.pressure, everything)]
    caps.append((workspace.law(channel, persona).channel.pressure,
                 [e for e in everything if e[1] == channel]))  # fmt: skip
    for pressure, counted in caps:
        if pressure is None:
            continue
        times = [e[0] for e in counted]
        me = next(i for i, e in enumerate(counted) if e[2] == "self")
        for i, first, *_ in over_caps(times, pressure):
            if first <= me <= i and any(e[2] == "touch" for e in counted[first : i + 1]):
                return True
        for i in too_close(times, pressure):
            if me in (i - 1, i) and "touch" in (counted[i - 1][2], counted[i][2]):
                return True
    return False


JOURNEYS = st.lists(
    st.tuples(st.sampled_from([6, 12, 24, 36, 48, 72]), st.sampled_from(["email", "sms"]),
              st.sampled_from([None, None, "09:00", "18:00"])),
    min_size=1, max_size=3,
)  # fmt: skip
TOUCHES = st.lists(
    st.tuples(st.integers(0, 27), st.integers(8, 20), st.sampled_from(["email", "sms"])),
    min_size=1, max_size=3,
)  # fmt: skip


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(JOURNEYS, TOUCHES, st.sampled_from([None, 2, 3]), st.booleans(), st.integers(0, 10**6))
def test_skipped_sends_agree_with_a_simulation_of_entrants(
    steps: list[tuple[int, str, str | None]],
    touches: list[tuple[int, int, str]],
    week_cap: int | None,
    split: bool,
    seed: int,
) -> None:
    """Entrants enter at random moments of 4 weeks; each goes down a random arm; each send is
    placed hour by hour and checked with the dated touches: the skipped sends per step agree
    with the forecast within five standard errors of the binomial (and at least 5)."""
    written = ""
    for k, (wait, channel, clock) in enumerate(steps):
        at = f", at: '{clock}'" if clock else ""
        written += f"  - {{wait: {wait}h}}\n" if k else ""
        written += f"  - {{id: s{k}, send: {channel}{at}}}\n"
    if split:  # a random split after the sends: 30 % get one more SMS
        written += ("  - {wait: 1d}\n  - branch:\n      - when: {share: 0.3}\n"
                    "        steps: [{id: extra, send: sms}]\n")  # fmt: skip
    cap = f"    pressure: {{max_per_week: {week_cap}}}\n" if week_cap else ""
    dated = [(START + timedelta(days=d, hours=h), c) for d, h, c in touches]
    files = {
        "mcplan.toml": SETTINGS,
        "personas/marie.yaml": MARIE + cap,
        "journeys/bienvenue.yaml": _journey(written, "skip", per_week=168),
        "campaigns/mai.yaml": _campaign(*(f"{c} {t:%Y-%m-%dT%H:%M}" for t, c in dated)),
    }
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        workspace = load_workspace(root, discover=False)
        forecast = forecast_journey(workspace, workspace.journeys["bienvenue"])
        expected = held(workspace, forecast, [forecast])
    counts = _simulate(workspace, steps, split, dated, random.Random(seed))
    for step in expected.steps:
        want = step.skipped_per_week * WEEKS
        n = 168 * WEEKS
        tolerance = max(5.0, 5 * (want * (1 - min(1.0, want / n))) ** 0.5)
        assert abs(counts.get(step.step, 0) - want) <= tolerance, (step.step, counts, want)


def _simulate(
    workspace: Workspace,
    steps: list[tuple[int, str, str | None]],
    split: bool,
    touches: list[tuple[datetime, str]],
    rng: random.Random,
) -> dict[str, int]:
    """The skipped sends of each step, for 168 entrants a week over 4 weeks."""
    counts: dict[str, int] = {}
    for _ in range(168 * WEEKS):
        at = START + timedelta(hours=rng.uniform(0, 24 * 7 * WEEKS))
        sends: list[tuple[datetime, str]] = []
        for k, (wait, channel, clock) in enumerate(steps):
            at = _placed(workspace, channel, at + timedelta(hours=wait if k else 0), clock)
            sends.append((at, channel))
            if _breaks(workspace, sends, touches):
                counts[f"s{k}"] = counts.get(f"s{k}", 0) + 1
        if split and rng.random() < 0.3:
            at = _placed(workspace, "sms", at + timedelta(days=1), None)
            sends.append((at, "sms"))
            if _breaks(workspace, sends, touches):
                counts["extra"] = counts.get("extra", 0) + 1
    return counts
