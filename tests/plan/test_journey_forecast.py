"""A journey's forecast (issue 29): each definition of the issue checked on figures worked out by
hand, and the exact walk checked against a Monte-Carlo simulation of entrants.

The workspace is an Irish bike shop (en-IE, EUR) with two personas of different sizes and
reach, and channels whose rates are round numbers, so that every figure below can be checked
with a pencil:

| channel | delivery | open | click | conversion | cost per send |
| --- | --- | --- | --- | --- | --- |
| email | 1 | 0.4 | 0.1 | 0.02 | €0.01 (fixed €100) |
| sms | 1 | 0.9 | 0.2 | 0.05 | €0.05 a segment (fixed €40) |
| mobile_push | 1 | 0.5 | 0.1 | 0.01 | €0.002 (fixed €20) |

| persona | size | email reach | sms reach | push reach |
| --- | --- | --- | --- | --- |
| aoife-commuter | 3,000 | 0.9 | 0.5 | 0.6 |
| cian-family | 1,000 | 0.6 | 0.8 | 0.3 |
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from conftest import WORKSPACES
from mcplan import load_workspace
from mcplan.errors import McplanError
from mcplan.lint.engine import validation
from mcplan.plan.journey import (
    DEFAULT_WEEKS,
    JourneyForecast,
    forecast_journey,
    forecast_journeys,
)
from mcplan.plan.journey.walk import Odds, walk
from mcplan.workspace import Workspace
from mcplan.workspace.journey_steps import Branch, Otherwise, Send, Step

SETTINGS = """
    brand = "Cyclo"
    locale = "en-IE"
    timezone = "Europe/Dublin"
    currency = "EUR"
"""
AOIFE = """
    name: Aoife, commuter
    market: b2c
    size: 3000
    stage: acquisition
    country: IE
    channels:
      email: {reach: 0.9, affinity: 0.6, consent: opt_in}
      sms: {reach: 0.5, affinity: 0.7, consent: opt_in}
      mobile_push: {reach: 0.6, affinity: 0.5, consent: opt_in}
"""
CIAN = """
    name: Cian, family rider
    market: b2c
    size: 1000
    stage: acquisition
    country: IE
    channels:
      email: {reach: 0.6, affinity: 0.6, consent: opt_in}
      sms: {reach: 0.8, affinity: 0.7, consent: opt_in}
      mobile_push: {reach: 0.3, affinity: 0.5, consent: opt_in}
"""


def _channel(base: str, cost: float, fixed: float, rates: str) -> str:
    return f"extends: {base}\ncost_per_contact: {cost}\nfixed_cost: {fixed}\nrates: {rates}\n"


CHANNELS = {
    "channel_rules/email.yaml": _channel(
        "email", 0.01, 100, "{delivery: 1, open: 0.4, click: 0.1, conversion: 0.02}"
    ),
    "channel_rules/sms.yaml": _channel(
        "sms", 0.05, 40, "{delivery: 1, open: 0.9, click: 0.2, conversion: 0.05}"
    ),
    "channel_rules/mobile_push.yaml": _channel(
        "mobile_push", 0.002, 20, "{delivery: 1, open: 0.5, click: 0.1, conversion: 0.01}"
    ),
}
HEAD = """\
id: {id}
name: Welcome to Cyclo
objectives: [{{kind: sales, target: 20000}}, {{kind: loyalty}}, {{kind: awareness, channel: sms}}]
average_order_value: 90
personas: [aoife-commuter, cian-family]
entry:
  event: signup
  per_week: {per_week}
  from: 2028-05-01{until}
re_entry: never
{exit}message: {{headline: Welcome to Cyclo, body: Ride more., url: "https://cyclo.ie/welcome"}}
steps:
"""
WELCOME_STEPS = """\
  - {id: hello, send: email}
  - {wait: 3d}
  - branch:
      - when: {share: 0.4}
        steps:
          - {id: sms-nudge, send: sms}
      - otherwise:
          - {id: push-nudge, send: mobile_push}
  - {wait: 5d}
  - {id: last-call, send: email, message: {headline: Your welcome code is waiting}}
"""
PER_PERSONA = "{aoife-commuter: 200, cian-family: 50}"


def journey_file(
    steps: str,
    *,
    per_week: str = PER_PERSONA,
    exit: bool = True,
    until: str | None = None,
    id: str = "welcome",
) -> str:
    head = HEAD.format(
        id=id,
        per_week=per_week,
        until="" if until is None else f"\n  until: {until}",
        exit="exit: {event: purchase}\n" if exit else "",
    )
    return head + steps


def bike_shop(
    make_workspace: Callable,
    steps: str = WELCOME_STEPS,
    files: dict[str, str] | None = None,
    **options: object,
) -> Workspace:
    """The bike shop with one journey, `welcome`, written with `journey_file`'s arguments."""
    root = make_workspace(
        {
            "mcplan.toml": SETTINGS,
            "personas/aoife-commuter.yaml": AOIFE,
            "personas/cian-family.yaml": CIAN,
            "journeys/welcome.yaml": journey_file(steps, **options),  # type: ignore[arg-type]
            **CHANNELS,
            **(files or {}),
        }
    )
    return load_workspace(root, discover=False)


@pytest.fixture
def forecast(make_workspace: Callable) -> Callable[..., JourneyForecast]:
    """The forecast of one journey, written with `journey_file`'s arguments."""

    def make(
        steps: str = WELCOME_STEPS, files: dict[str, str] | None = None, **options: object
    ) -> JourneyForecast:
        workspace = bike_shop(make_workspace, steps, files, **options)
        return forecast_journey(workspace, workspace.journeys["welcome"])

    return make


def sends(result: JourneyForecast) -> dict[str, dict[str, float]]:
    return {s.step: s.sends_per_week for s in result.steps}


def approx(expected: dict[str, dict[str, float]]) -> object:
    return {k: pytest.approx(v, rel=1e-12, abs=1e-12) for k, v in expected.items()}


# -- the welcome series of the issue, worked by hand ----------------------------------------


def test_the_welcome_series_with_its_exit_goal(forecast: Callable) -> None:
    # Aoife, 200 a week. hello: 200 × 0.9 = 180 sends; 180 × 0.02 = 3.6 convert and leave, so
    # 196.4 reach the branch. sms arm: 0.4 × 196.4 = 78.56, × 0.5 = 39.28 sends, 1.964 leave;
    # push arm: 117.84 × 0.6 = 70.704 sends, 0.70704 leave; 193.72896 go on, and last-call
    # goes to 193.72896 × 0.9 = 174.356064.
    # Cian, 50 a week. hello: 30 sends, 0.6 leave (49.4 go on). sms: 19.76 × 0.8 = 15.808
    # (0.7904 leave); push: 29.64 × 0.3 = 8.892 (0.08892 leave); last-call: 48.52068 × 0.6
    # = 29.112408.
    result = forecast()
    assert result.journey == "welcome"
    assert result.entries_per_week == (("aoife-commuter", 200.0), ("cian-family", 50.0))
    assert sends(result) == approx(
        {
            "hello": {"aoife-commuter": 180, "cian-family": 30},
            "sms-nudge": {"aoife-commuter": 39.28, "cian-family": 15.808},
            "push-nudge": {"aoife-commuter": 70.704, "cian-family": 8.892},
            "last-call": {"aoife-commuter": 174.356064, "cian-family": 29.112408},
        }
    )
    assert result.step("last-call").total_sends_per_week == pytest.approx(203.468472)
    assert result.step("sms-nudge").path == ("steps", 2, "branch", 0, "steps", 0)
    # Each step's funnel is the plan's: conversions = sends × 0.02 on e-mail, and so on.
    email = 180 + 30 + 174.356064 + 29.112408
    sms, push = 39.28 + 15.808, 70.704 + 8.892
    assert result.weekly.sends == pytest.approx(email + sms + push)
    assert result.conversions_per_week == pytest.approx(email * 0.02 + sms * 0.05 + push * 0.01)
    assert result.cost_per_week == pytest.approx(email * 0.01 + sms * 0.05 + push * 0.002)
    assert result.revenue_per_week == pytest.approx(result.conversions_per_week * 90)
    assert result.weekly.opens == pytest.approx(email * 0.4 + sms * 0.9 + push * 0.5)
    # SMS is billed per segment: the step's text renders, in one segment.
    assert result.unmeasured == ()


def test_without_an_exit_goal_nobody_leaves(forecast: Callable) -> None:
    result = forecast(exit=False)
    assert sends(result) == approx(
        {
            "hello": {"aoife-commuter": 180, "cian-family": 30},
            "sms-nudge": {"aoife-commuter": 40, "cian-family": 16},  # 0.4 × 200 × 0.5
            "push-nudge": {"aoife-commuter": 72, "cian-family": 9},  # 0.6 × 200 × 0.6
            "last-call": {"aoife-commuter": 180, "cian-family": 30},
        }
    )
    # Conversions are still forecast (the plan's rate of each send); they just do not leave.
    assert result.conversions_per_week == pytest.approx(420 * 0.02 + 56 * 0.05 + 81 * 0.01)


def test_a_single_per_week_is_split_by_persona_size(forecast: Callable) -> None:
    # 250 a week, 3,000 : 1,000 → 187.5 and 62.5.
    result = forecast(per_week="250", exit=False)
    assert result.entries_per_week == (("aoife-commuter", 187.5), ("cian-family", 62.5))
    assert result.step("hello").sends_per_week == pytest.approx(
        {"aoife-commuter": 187.5 * 0.9, "cian-family": 62.5 * 0.6}
    )


# -- each definition on its own ---------------------------------------------------------------


def test_a_share_arm_takes_its_share_and_the_rest_goes_on(forecast: Callable) -> None:
    steps = """\
  - branch:
      - when: {share: 0.25}
        steps: [{id: a, send: email}]
      - when: {share: 0.5}
        steps: [{id: b, send: email}]
  - {id: after, send: email}
"""
    result = forecast(steps, exit=False)
    assert result.step("a").sends_per_week["aoife-commuter"] == pytest.approx(0.25 * 200 * 0.9)
    assert result.step("b").sends_per_week["aoife-commuter"] == pytest.approx(0.5 * 200 * 0.9)
    # Whoever matches no arm (a quarter) goes on after the branch, as do the arms' entrants.
    assert result.step("after").sends_per_week["aoife-commuter"] == pytest.approx(180)


def test_engagement_arms_take_the_open_and_click_odds_among_those_reached(
    forecast: Callable,
) -> None:
    # hello goes to 180 of Aoife's 200: 18 click (0.1), 54 open without clicking (0.3), 108
    # do neither; the 20 it did not reach match no engagement arm.
    steps = """\
  - {id: hello, send: email}
  - {wait: 2d}
  - branch:
      - when: {clicked: hello}
        steps: [{id: thanks, send: sms}]
      - when: {opened: hello}
        steps: [{id: opened-push, send: mobile_push}]
      - otherwise: [{id: again, send: email}]
  - {wait: 2d}
  - branch:
      - when: {not_opened: hello}
        steps: [{id: not-opened-sms, send: sms}]
  - branch:
      - when: {not_clicked: hello}
        steps: [{id: not-clicked-push, send: mobile_push}]
"""
    got = forecast(steps, exit=False).step
    assert got("thanks").sends_per_week["aoife-commuter"] == pytest.approx(18 * 0.5)
    # First match wins: those who clicked opened too, but took the arm before.
    assert got("opened-push").sends_per_week["aoife-commuter"] == pytest.approx(54 * 0.6)
    assert got("again").sends_per_week["aoife-commuter"] == pytest.approx((108 + 20) * 0.9)
    # What each did with hello is remembered past the first branch.
    assert got("not-opened-sms").sends_per_week["aoife-commuter"] == pytest.approx(108 * 0.5)
    assert got("not-clicked-push").sends_per_week["aoife-commuter"] == pytest.approx(162 * 0.6)
    # Cian: hello goes to 30; 3 click, 9 open only, 18 do neither.
    assert got("thanks").sends_per_week["cian-family"] == pytest.approx(3 * 0.8)
    assert got("again").sends_per_week["cian-family"] == pytest.approx((18 + 20) * 0.6)


def test_a_personas_arm_takes_the_personas_listed(forecast: Callable) -> None:
    steps = """\
  - branch:
      - when: {personas: [cian-family]}
        steps: [{id: family, send: sms}]
      - otherwise: [{id: others, send: email}]
"""
    result = forecast(steps, exit=False)
    assert result.step("family").sends_per_week == pytest.approx(
        {"aoife-commuter": 0, "cian-family": 40}
    )
    assert result.step("others").sends_per_week == pytest.approx(
        {"aoife-commuter": 180, "cian-family": 0}
    )


def test_the_exit_goal_removes_each_sends_converters(forecast: Callable) -> None:
    steps = "  - {id: one, send: sms}\n  - {id: two, send: sms}\n"
    # Aoife: 100 sends, 5 leave; two goes to 195 × 0.5.
    assert forecast(steps).step("two").sends_per_week["aoife-commuter"] == pytest.approx(97.5)
    assert forecast(steps, exit=False).step("two").sends_per_week["aoife-commuter"] == 100


def test_a_channel_that_delivers_less_opens_less(forecast: Callable) -> None:
    # The plan counts opens as sends × delivery × open: with delivery 0.5, an engagement arm
    # on e-mail takes 0.5 × 0.4 of those hello went to.
    email = _channel("email", 0.01, 100, "{delivery: 0.5, open: 0.4, click: 0.1, conversion: 0.02}")
    steps = """\
  - {id: hello, send: email}
  - {wait: 2d}
  - branch:
      - when: {opened: hello}
        steps: [{id: opened, send: sms}]
"""
    result = forecast(steps, files={"channel_rules/email.yaml": email}, exit=False)
    assert result.step("opened").sends_per_week["aoife-commuter"] == pytest.approx(180 * 0.2 * 0.5)


# -- the live period and its objectives -------------------------------------------------------


def test_the_live_period_totals_and_objectives(forecast: Callable) -> None:
    # 2028-05-01 to 2028-07-23: 84 days, 12 weeks.
    result = forecast(until="2028-07-23")
    assert (result.first, result.last, result.weeks) == (date(2028, 5, 1), date(2028, 7, 23), 12)
    assert not result.open_ended
    assert result.fixed_cost == 160  # e-mail, SMS and push, once each
    assert result.total.sends == pytest.approx(result.weekly.sends * 12)
    assert result.total.cost == pytest.approx(result.weekly.cost * 12 + 160)
    assert result.revenue == pytest.approx(result.total.conversions * 90)
    sales, loyalty, awareness = result.objectives
    assert (sales.kind, sales.target, sales.unit) == ("sales", 20000, "revenue")
    assert sales.forecast == pytest.approx(result.revenue)
    assert loyalty.forecast == pytest.approx(result.total.conversions)
    # Awareness on SMS: the people its sends reach (delivered) over the period.
    assert awareness.forecast == pytest.approx((39.28 + 15.808) * 12)


def test_without_until_the_period_is_a_year_of_weeks(forecast: Callable) -> None:
    result = forecast()
    assert result.open_ended
    assert result.weeks == DEFAULT_WEEKS == 52
    assert result.last == date(2029, 4, 29)
    assert result.total.conversions == pytest.approx(result.weekly.conversions * 52)


def test_a_send_on_a_channel_the_persona_lacks_sends_it_nothing(forecast: Callable) -> None:
    # (validate reports it: S305.)
    cian = "\n".join(line for line in CIAN.splitlines() if "sms:" not in line)
    result = forecast(
        "  - {id: one, send: sms}\n  - {id: two, send: email}\n",
        files={"personas/cian-family.yaml": cian},
        exit=False,
    )
    assert result.step("one").sends_per_week == {"aoife-commuter": 100, "cian-family": 0}
    assert result.step("two").sends_per_week["cian-family"] == pytest.approx(30)


def test_a_send_to_a_persona_without_consent_sends_it_nothing(make_workspace: Callable) -> None:
    # As the plan leaves the persona out; validate reports it (S318).
    cian = CIAN.replace("affinity: 0.7, consent: opt_in}", "affinity: 0.7, consent: none}")
    steps = "  - {id: one, send: sms}\n"
    workspace = bike_shop(make_workspace, steps, {"personas/cian-family.yaml": cian}, exit=False)
    assert [f.rule for f in validation(workspace).findings] == ["S318"]
    result = forecast_journey(workspace, workspace.journeys["welcome"])
    assert result.step("one").sends_per_week == {"aoife-commuter": 100, "cian-family": 0}


def test_the_clean_journeys_of_the_german_workspace(make_workspace: Callable) -> None:
    # Bundled channels: e-mail delivers 0.98, opens 0.25, converts 0.001 of those reached.
    # warenkorb: 300 a week × 0.9 = 270 reminders; 270 × 0.98 × 0.001 leave; those who did
    # not click (1 − 0.98 × 0.025) and the 30 it did not reach get the SMS (reach 0.6).
    workspace = load_workspace(WORKSPACES / "journeys" / "clean", discover=False)
    found = {f.journey: f for f in forecast_journeys(workspace)}
    assert sorted(found) == ["gleichtag", "warenkorb", "willkommen"]
    cart = found["warenkorb"]
    assert cart.step("erinnerung").sends_per_week == {"pendler": 270}
    stayed = 270 * (1 - 0.98 * 0.001)
    expected = (30 + stayed * (1 - 0.98 * 0.025)) * 0.6
    assert cart.step("letzte-chance").sends_per_week["pendler"] == pytest.approx(expected)
    assert cart.revenue_per_week is None  # no average_order_value
    assert cart.weeks == pytest.approx(245 / 7)  # 2028-05-01 to 2028-12-31
    # willkommen's reminders go to the commuters who did not open hallo (a personas arm).
    welcome = found["willkommen"]
    assert welcome.step("sms-erinnerung").sends_per_week["werkstatt"] == 0
    not_opened = 180 * (1 - 0.98 * 0.001) * (1 - 0.98 * 0.25)
    assert welcome.step("sms-erinnerung").sends_per_week["pendler"] == pytest.approx(
        not_opened * 0.4 * 0.6
    )


def test_a_journey_of_a_thousand_steps_is_forecast_at_once(forecast: Callable) -> None:
    steps = "".join(f"  - {{id: s{i}, send: email}}\n" for i in range(1000))
    result = forecast(steps, exit=False, per_week="1e9")
    assert result.step("s999").total_sends_per_week == pytest.approx(0.75e9 * 0.9 + 0.25e9 * 0.6)


def test_too_many_sends_followed_at_once_is_a_clear_error(forecast: Callable) -> None:
    # Every send named by a branch after the last one: 4⁷ splits of the entrants.
    steps = "".join(f"  - {{id: s{i}, send: email}}\n" for i in range(7)) + "  - {wait: 1d}\n"
    steps += "".join(
        f"  - branch: [{{when: {{opened: s{i}}}, steps: [{{id: t{i}, send: sms}}]}}]\n"
        for i in range(7)
    )
    with pytest.raises(McplanError, match="follow more earlier sends at once"):
        forecast(steps)


# -- the exact walk against a simulation of entrants ------------------------------------------

STEPS: TypeAdapter[list[Step]] = TypeAdapter(list[Step])
CHANNEL_IDS = ("a", "b", "c")
PERSONAS = ("p", "q")
CONDITIONS = ("opened", "clicked", "not_opened", "not_clicked")


@st.composite
def step_lists(draw: st.DrawFn) -> list[dict]:
    """Random steps: sends, and branches on a share, an earlier send of the path or a persona
    (nested up to 3 deep), each send with an id of its own."""
    return _steps(draw, itertools.count(), (), 0)


def _steps(draw: st.DrawFn, ids: Iterator[int], earlier: tuple[str, ...], depth: int) -> list:
    out: list[dict] = []
    seen = list(earlier)
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.booleans()):
            out.append({"branch": _arms(draw, ids, tuple(seen), depth)})
            continue
        send = f"s{next(ids)}"
        out.append({"id": send, "send": draw(st.sampled_from(CHANNEL_IDS))})
        seen.append(send)
    return out


def _arms(draw: st.DrawFn, ids: Iterator[int], earlier: tuple[str, ...], depth: int) -> list:
    arms: list[dict] = []
    if draw(st.booleans()):
        shares = draw(st.lists(st.floats(0.05, 0.6), min_size=1, max_size=3))
        arms += [{"when": {"share": s}} for s in shares]
    for _ in range(draw(st.integers(0 if arms else 1, 3))):
        condition: dict = {}
        if earlier and draw(st.booleans()):
            condition[draw(st.sampled_from(CONDITIONS))] = draw(st.sampled_from(earlier))
        if not condition or draw(st.booleans()):
            condition["personas"] = [draw(st.sampled_from(PERSONAS))]
        arms.append({"when": condition})
    for arm in arms:
        arm["steps"] = _steps(draw, ids, earlier, depth + 1)
    if draw(st.booleans()):
        arms.append({"otherwise": _steps(draw, ids, earlier, depth + 1)})
    return arms


def _simulate(
    steps: Sequence[Step],
    odds: dict[str, Odds],
    n: int,
    exits: bool,
    seed: int,
    personas: Sequence[str] = PERSONAS,
) -> dict[str, np.ndarray]:
    """Sends per step and persona of `n` entrants of each persona, drawn one by one."""
    rng = np.random.default_rng(seed)
    persona = np.repeat(np.arange(len(personas)), n)
    did: dict[str, np.ndarray] = {}  # send → per entrant: -1 not sent, 0 nothing, 1 open, 2 click
    counts: dict[str, np.ndarray] = {}
    accepts = {"opened": (1, 2), "clicked": (2,), "not_opened": (0,), "not_clicked": (0, 1)}

    def run(steps: Sequence[Step], who: np.ndarray) -> np.ndarray:
        for step in steps:
            if isinstance(step, Send):
                o = odds[step.send]
                p = persona[who]
                sent = rng.random(len(who)) < o.reach[p]
                counts[step.id] = np.bincount(p[sent], minlength=len(personas))
                u = rng.random(len(who))
                outcome = np.where(u < o.click[p], 2, np.where(u < o.open[p], 1, 0))
                did[step.id] = np.full(len(persona), -1)
                did[step.id][who[sent]] = outcome[sent]
                if exits:
                    left = sent & (rng.random(len(who)) < o.conversion[p])
                    who = who[~left]
            elif isinstance(step, Branch):
                who = branch(step, who)
        return who

    def branch(step: Branch, who: np.ndarray) -> np.ndarray:
        draw, start = rng.random(len(who)), 0.0
        free = np.ones(len(who), bool)
        kept = []
        for arm in step.branch:
            if isinstance(arm, Otherwise):
                take, inner = free.copy(), arm.otherwise
            else:
                take, inner = free.copy(), arm.steps
                if arm.when.share is not None:
                    take &= (draw >= start) & (draw < start + arm.when.share)
                    start += arm.when.share
                for key, send in arm.when.engagement:
                    take &= np.isin(did[send][who], accepts[key])
                if arm.when.personas is not None:
                    listed = [list(personas).index(x) for x in arm.when.personas]
                    take &= np.isin(persona[who], listed)
            free &= ~take
            kept.append(run(inner, who[take]))
        return np.concatenate([who[free], *kept])

    run(steps, np.arange(len(persona)))
    return counts


def _tolerance(n: int, p: np.ndarray | float) -> np.ndarray:
    """How far `n` entrants' count of an event of probability `p` may be from n × p: five
    standard errors of the binomial, and never less than five entrants (a rare event's count
    is not normal: with n × p = 0.02, one entrant in 50 runs is seen once)."""
    return 5 * np.sqrt(np.maximum(n * p * (1 - p), 1.0))


ODDS = st.builds(
    lambda r, o, c, v: Odds(np.array(r), np.array(o), np.array(o) * np.array(c), np.array(v)),
    *(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=2) for _ in range(4)),
)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    data=step_lists(),
    odds=st.fixed_dictionaries(dict.fromkeys(CHANNEL_IDS, ODDS)),
    exits=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_exact_walk_agrees_with_a_simulation_of_entrants(
    data: list[dict], odds: dict[str, Odds], exits: bool, seed: int
) -> None:
    # Shares adding up to more than 1 are cut at 1, in both.
    steps = STEPS.validate_python(data)
    n = 10_000
    exact = walk(steps, PERSONAS, np.full(len(PERSONAS), 1.0), odds, exits=exits)
    simulated = _simulate(steps, odds, n, exits, seed)
    assert set(simulated) <= set(exact.sends)
    for send, expected in exact.sends.items():
        count = simulated.get(send, np.zeros(len(PERSONAS)))
        # Each entrant gets a send at most once: a Bernoulli of the walk's probability.
        p = np.clip(expected, 0.0, 1.0)
        tolerance = _tolerance(n, p)
        assert np.all(np.abs(count - n * expected) <= tolerance), (send, count, n * expected)


def test_a_forecast_is_the_walk_of_the_workspace(forecast: Callable) -> None:
    # The library call and the walk agree: the welcome series' sends for one entrant.
    result = forecast(exit=False, per_week="{aoife-commuter: 1, cian-family: 1}")
    assert result.step("sms-nudge").sends_per_week == pytest.approx(
        {"aoife-commuter": 0.2, "cian-family": 0.32}
    )


ENGAGED_STEPS = """\
  - {id: hello, send: email}
  - {wait: 3d}
  - branch:
      - when: {share: 0.4}
        steps: [{id: sms-nudge, send: sms}]
      - otherwise: [{id: push-nudge, send: mobile_push}]
  - {wait: 2d}
  - branch:
      - when: {not_opened: hello, personas: [aoife-commuter]}
        steps:
          - {id: reminder, send: email}
          - {wait: 2d}
          - branch:
              - when: {clicked: reminder}
                steps: [{id: thanks, send: sms}]
      - when: {clicked: hello}
        steps: [{id: clicked-push, send: mobile_push}]
      - otherwise: [{id: others, send: mobile_push}]
  - {wait: 5d}
  - {id: last-call, send: email}
"""


def test_a_workspaces_forecast_agrees_with_a_simulation_of_its_entrants(
    make_workspace: Callable,
) -> None:
    workspace = bike_shop(make_workspace, ENGAGED_STEPS)
    assert validation(workspace).findings == []
    journey = workspace.journeys["welcome"]
    result = forecast_journey(workspace, journey)
    # The odds of the tables above, written out again (every channel delivers 1).
    reach = {"email": [0.9, 0.6], "sms": [0.5, 0.8], "mobile_push": [0.6, 0.3]}
    rates = {"email": (0.4, 0.1, 0.02), "sms": (0.9, 0.2, 0.05), "mobile_push": (0.5, 0.1, 0.01)}
    odds = {c: Odds(np.array(reach[c]), *(np.full(2, r) for r in rates[c])) for c in reach}
    n = 20_000
    simulated = _simulate(journey.steps, odds, n, True, 29, journey.personas)
    entries = dict(result.entries_per_week)
    assert entries == {"aoife-commuter": 200, "cian-family": 50}
    for step in result.steps:
        for i, persona in enumerate(journey.personas):
            p = step.sends_per_week[persona] / entries[persona]
            tolerance = _tolerance(n, p)
            assert abs(simulated[step.step][i] - n * p) <= tolerance, (step.step, persona)
