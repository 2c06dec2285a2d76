"""`mcplan plan` on small workspaces, against figures computed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcplan import load_workspace
from mcplan.lint.engine import lint
from mcplan.plan import plan
from mcplan.plan.result import CampaignPlan
from mcplan.workspace import Workspace
from mcplan.workspace.settings import LintSettings

# Two channels with round figures, so that every number below can be checked by hand.
CHANNEL_A = """
    direction: outbound
    cost_per_contact: 0.1
    rates: {open: 0.5, click: 0.1, conversion: 0.05}
    fit: {objectives: {sales: 1}, stages: {loyalty: 1}}
"""
CHANNEL_B = """
    direction: outbound
    cost_per_contact: 0.01
    rates: {open: 0.5, click: 0.1, conversion: 0.01}
    fit: {objectives: {sales: 0.5}, stages: {loyalty: 1}}
"""
PERSONA = """
    market: b2c
    size: 1000
    stage: loyalty
    channels:
      a: {reach: 1, affinity: 1}
      b: {reach: 1, affinity: 0.5}
"""
CAMPAIGN = """
    personas: [marie]
    objectives: [{kind: sales, target: 1000}]
    average_order_value: 10
    message: {headline: Soldes, starts: 2027-03-01, ends: 2027-03-31}
"""


def workspace(
    make_workspace: Callable[..., Path], campaign: str = CAMPAIGN, **files: str
) -> Workspace:
    root = make_workspace(
        {
            "channel_rules/a.yaml": CHANNEL_A,
            "channel_rules/b.yaml": CHANNEL_B,
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": campaign,
            **files,
        }
    )
    return load_workspace(root)


def test_scores_and_forecast_by_hand(make_workspace: Callable) -> None:
    [result] = plan(workspace(make_workspace))
    by_channel = {c.channel: c for c in result.candidates}
    a, b = by_channel["a"], by_channel["b"]
    # a: 1000 reached, 50 conversions for 100 → 2 per conversion; efficiency 1/(1 + 2/10).
    assert a.funnel.conversions == pytest.approx(50)
    assert a.factors.efficiency == pytest.approx(1 / 1.2)
    assert a.score == pytest.approx(1 * 1 * 1 / 1.2)
    assert a.value == pytest.approx(50 / 1.2)
    # b: 10 conversions for 10 → 1 each; affinity 0.5, objective fit 0.5.
    assert b.factors.efficiency == pytest.approx(1 / 1.1)
    assert b.score == pytest.approx(0.5 * 0.5 * 1 / 1.1)
    assert result.chosen == ("a", "b")
    assert result.total.cost == pytest.approx(110)
    [sales] = result.objectives
    assert sales.forecast == pytest.approx(600)  # 60 conversions × 10
    assert sales.share == pytest.approx(0.6)


def test_awareness_counts_contacts_and_estimates_the_distinct_people(
    make_workspace: Callable,
) -> None:
    # marie is reached by both channels: 800 and 500 of her 1,000 people, 1,300 contacts.
    persona = PERSONA.replace("a: {reach: 1,", "a: {reach: 0.8,").replace(
        "b: {reach: 1,", "b: {reach: 0.5,"
    )
    campaign = CAMPAIGN.replace("kind: sales, target: 1000", "kind: awareness, target: 1000")
    awareness_b = CAMPAIGN.replace(
        "kind: sales, target: 1000", "kind: awareness, target: 1000, channel: b"
    )
    files = {
        "personas/marie.yaml": persona,
        "channel_rules/a.yaml": CHANNEL_A.replace("sales: 1}", "awareness: 1}"),
        "channel_rules/b.yaml": CHANNEL_B.replace("sales: 0.5}", "awareness: 1}"),
    }
    ws = workspace(make_workspace, campaign, **files)
    [result] = plan(ws)
    assert result.chosen == ("a", "b")
    [awareness] = result.objectives
    assert (awareness.unit, awareness.forecast) == ("contacts reached", pytest.approx(1300))
    # Reached by neither: 20 % × 50 %, so 900 distinct people; never more than the persona.
    assert awareness.people == pytest.approx(900)
    ws = workspace(make_workspace, awareness_b, **files)
    [on_b] = plan(ws)[0].objectives
    assert (on_b.forecast, on_b.people) == (pytest.approx(500), pytest.approx(500))


def test_max_channels_keeps_the_best(make_workspace: Callable) -> None:
    [result] = plan(workspace(make_workspace, CAMPAIGN + "    max_channels: 1\n"))
    assert result.chosen == ("a",)


def test_a_channel_over_the_budget_alone_is_rejected_with_its_reason(
    make_workspace: Callable,
) -> None:
    [result] = plan(workspace(make_workspace, CAMPAIGN + "    budget: 50\n"))
    assert result.chosen == ("b",)
    assert [(r.channel, r.reason) for r in result.rejections] == [
        ("a", "costs 100.00 EUR alone, over the budget of 50.00 EUR")
    ]


def test_the_campaign_channels_limit_the_candidates(make_workspace: Callable) -> None:
    [result] = plan(workspace(make_workspace, CAMPAIGN + "    channels: [b]\n"))
    assert result.chosen == ("b",)
    assert [(r.channel, r.reason) for r in result.rejections] == [
        ("a", "not in the campaign's channels")
    ]


def test_consent_is_checked_per_market(make_workspace: Callable) -> None:
    ws = workspace(
        make_workspace,
        CAMPAIGN.replace("[marie]", "[marie, paul, claire]"),
        **{
            "personas/paul.yaml": "market: b2c\nsize: 10\nstage: loyalty\n"
            "channels: {email: {reach: 1, affinity: 1, consent: opt_out}}\n",
            "personas/claire.yaml": "market: b2b\nsize: 10\nstage: loyalty\n"
            "channels: {email: {reach: 1, affinity: 1, consent: opt_out}}\n",
        },
    )
    [result] = plan(ws)
    email = [(c.persona, c.channel) for c in result.candidates if c.channel == "email"]
    assert email == [("claire", "email")]
    assert ("email", "paul", "consent: b2c needs opt_in, the persona has opt_out") in {
        (r.channel, r.persona, r.reason) for r in result.rejections
    }


def test_a_channel_without_a_window_in_the_dates_is_rejected(make_workspace: Callable) -> None:
    weekend = CAMPAIGN.replace("2027-03-01, ends: 2027-03-31", "2027-03-06, ends: 2027-03-07")
    ws = workspace(
        make_workspace,
        weekend,
        **{"channel_rules/a.yaml": CHANNEL_A + "    window: {days: [mon, tue, wed, thu, fri]}\n"},
    )
    [result] = plan(ws)
    assert result.chosen == ("b",)
    assert result.rejections[0].reason.startswith("no send window between 2027-03-06 and")


def test_nothing_to_plan_is_a_finding_with_the_reasons(make_workspace: Callable) -> None:
    [result] = plan(workspace(make_workspace, CAMPAIGN + "    budget: 5\n"))
    [finding] = result.findings
    assert finding.rule == "N101"
    assert "a: costs 100.00 EUR alone" in finding.message
    assert "b: costs 10.00 EUR alone" in finding.message


# -- schedules ------------------------------------------------------------------------------

SMS_PERSONA = """
    market: b2c
    size: 1000
    stage: loyalty
    channels:
      email: {reach: 0.9, affinity: 0.6, consent: opt_in}
      sms: {reach: 0.7, affinity: 0.8, consent: opt_in}
"""


def sms_workspace(make_workspace: Callable, starts: str, ends: str, **files: str) -> Workspace:
    campaign = f"""
        personas: [marie]
        objectives: [{{kind: sales}}]
        max_channels: 2
        message: {{headline: Soldes, starts: {starts}, ends: {ends}}}
    """
    root = make_workspace(
        {"personas/marie.yaml": SMS_PERSONA, "campaigns/c.yaml": campaign, **files}
    )
    return load_workspace(root)


def touches(result: CampaignPlan) -> list[tuple[str, str, str | None]]:
    return [(t.channel, t.at.isoformat(timespec="minutes"), t.after) for t in result.touches]


def test_a_cross_channel_sequence_inside_the_windows(make_workspace: Callable) -> None:
    # Sunday 7 March: no SMS on Sundays, so the sequence starts on Monday... the lead is the
    # SMS (it brings the most), email follows two days later and links to it.
    [result] = plan(sms_workspace(make_workspace, "2027-03-07", "2027-03-20"))
    assert result.proposed
    assert touches(result) == [
        ("sms", "2027-03-08T10:00", None),
        ("email", "2027-03-10T10:00", "sms"),
    ]


def test_public_holidays_are_skipped(make_workspace: Callable) -> None:
    # Saturday 8 May 2027 is Victoire 1945 and the 9th a Sunday: the SMS goes on the 10th.
    [result] = plan(sms_workspace(make_workspace, "2027-05-08", "2027-05-20"))
    assert touches(result)[0] == ("sms", "2027-05-10T10:00", None)


def test_daylight_saving_time_keeps_the_local_clock(make_workspace: Callable) -> None:
    # Clocks go forward on Sunday 28 March 2027 in Paris: 10:00 stays 10:00 local.
    ws = sms_workspace(make_workspace, "2027-03-26", "2027-04-10")
    [result] = plan(ws)
    assert touches(result) == [
        ("sms", "2027-03-26T10:00", None),
        ("email", "2027-03-28T10:00", "sms"),
    ]
    assert not _lint_with(ws, [result], ["C1", "P1", "S3"])


def test_caps_are_kept_with_another_campaign_in_the_calendar(make_workspace: Callable) -> None:
    other = """
        personas: [marie]
        message: {headline: Autre, starts: 2027-03-01, ends: 2027-03-31}
        touches:
          - {channel: sms, at: 2027-03-08T10:00}
          - {channel: email, at: 2027-03-09T10:00}
          - {channel: sms, at: 2027-03-11T10:00}
    """
    ws = sms_workspace(
        make_workspace, "2027-03-08", "2027-03-31", **{"campaigns/other.yaml": other}
    )
    [result] = plan(ws, ["c"])
    # Three touches from 8 to 11 March fill the week (3) and the SMS week (2); the next SMS
    # slot that keeps every cap and gap is on the 15th.
    assert touches(result)[0] == ("sms", "2027-03-15T10:00", None)
    assert not _lint_with(ws, [result], ["P101", "P102", "P103", "C1"])


def _lint_with(ws: Workspace, plans: list[CampaignPlan], select: list[str]) -> list[str]:
    """Lint the workspace as if the proposed touches were written into the campaigns."""
    from mcplan.workspace import Touch

    for result in plans:
        new = [
            Touch(channel=t.channel, at=t.at, personas=list(t.personas) if t.personas else None,
                  after=t.after)
            for t in result.touches
        ]  # fmt: skip
        ws.campaigns[result.campaign.id] = result.campaign.model_copy(update={"touches": new})
    result_lint = lint(ws, settings=LintSettings(select=select))
    return [str(f) for f in result_lint.findings]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    starts=st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 1)),
    weeks=st.integers(1, 4),
    others=st.lists(
        st.tuples(st.sampled_from(["email", "sms"]), st.integers(0, 30), st.integers(8, 19)),
        max_size=6,
    ),
)
def test_proposed_schedules_never_break_a_window_or_a_cap(
    make_workspace: Callable, starts: dt.date, weeks: int, others: list[tuple[str, int, int]]
) -> None:
    lines = "\n".join(
        f"          - {{channel: {c}, at: {starts + dt.timedelta(days=d)}T{h:02d}:00}}"
        for c, d, h in others
    )
    other = f"""
        personas: [marie]
        message: {{headline: Autre, starts: {starts}, ends: {starts + dt.timedelta(days=40)}}}
        touches:
{lines or "          []"}
    """
    ends = starts + dt.timedelta(weeks=weeks)
    ws = sms_workspace(make_workspace, str(starts), str(ends), **{"campaigns/other.yaml": other})
    [result] = plan(ws, ["c"])
    placed = [f for f in result.findings if f.rule == "N102"]
    found = _lint_with(ws, [result], ["C101", "C102", "P101", "P102", "P103"])
    # A campaign's own touches never break a rule; the other campaign's may already.
    assert not [f for f in found if f.startswith("campaigns/c.yaml")], (found, placed)
