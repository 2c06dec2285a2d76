"""A report as plain data: the JSON format, for scripts (its fields are the users'
contract)."""

from __future__ import annotations

from typing import Any

from mcplan.json_text import json_text
from mcplan.numbers import rounded
from mcplan.plan.result import Funnel
from mcplan.report.compare import CampaignReport, ChannelReport, ObjectiveReport
from mcplan.report.counts import FIGURES, MONEY, Counts
from mcplan.report.experiments import ArmReport, HoldoutReport, TestReport
from mcplan.report.results import ChannelResult


def sig(value: float | None) -> float | None:
    """A p-value or a statistic for JSON: six significant digits."""
    return None if value is None else float(f"{value:.6g}")


def arm_dict(arm: ArmReport) -> dict[str, Any]:
    c = arm.comparison
    return {
        "arm": arm.arm,
        "contacts": arm.contacts,
        "successes": arm.successes,
        "rate": round(arm.rate, 8),
        "rate_low": round(arm.low, 8),
        "rate_high": round(arm.high, 8),
        "lift": rounded(c.lift, 6) if c else None,
        "lift_low": rounded(c.low, 6) if c else None,
        "lift_high": rounded(c.high, 6) if c else None,
        "p_value": sig(c.p_value) if c else None,
    }


def _test_dict(test: TestReport) -> dict[str, Any]:
    t, deciding = test.test, test.deciding
    c = deciding.comparison if deciding else None
    return {
        "id": t.id,
        "channel": t.channel,
        "part": t.part,
        "metric": t.metric.value,
        "denominator": test.denominator,
        "arms": [arm_dict(a) for a in test.arms],
        "lift": rounded(c.lift, 6) if c else None,
        "lift_low": rounded(c.low, 6) if c else None,
        "lift_high": rounded(c.high, 6) if c else None,
        "p_value": sig(c.p_value) if c else None,
        "winner": test.winner,
        "verdict": str(test.verdict),
        "confidence": 1 - test.alpha,
        "sample_ratio": {
            "chi2": sig(test.split_chi2),
            "p_value": sig(test.split_p),
            "mismatch": test.mismatch,
        },
    }


def _group_dict(row: ChannelResult) -> dict[str, Any]:
    """A holdout's group: its contacts, those who converted, and their rate."""
    contacts, converted = row.contacts or 0.0, row.converted or 0.0
    return {
        "contacts": contacts,
        "converted": converted,
        "rate": round(converted / contacts, 8),
    }


def _holdout_dict(holdout: HoldoutReport | None) -> dict[str, Any] | None:
    if holdout is None:
        return None
    c = holdout.comparison
    return {
        "treated": _group_dict(holdout.treated),
        "holdout": _group_dict(holdout.holdout),
        "lift": rounded(c.lift, 6),
        "lift_low": rounded(c.low, 6),
        "lift_high": rounded(c.high, 6),
        "p_value": sig(c.p_value),
        "significant": holdout.significant,
        "incremental_conversions": round(holdout.incremental, 2),
        "incremental_low": rounded(holdout.incremental_low),
        "incremental_high": rounded(holdout.incremental_high),
        "confidence": 1 - holdout.alpha,
    }


def forecast_dict(funnel: Funnel | None) -> dict[str, Any] | None:
    if funnel is None:
        return None
    return {
        "sent": rounded(funnel.sends, 1),
        "delivered": rounded(funnel.reached, 1),
        "opened": rounded(funnel.opens, 1),
        "clicked": rounded(funnel.clicks, 1),
        "converted": rounded(funnel.conversions),
        "cost": rounded(funnel.cost),
    }


def actual_dict(result: Counts | None) -> dict[str, Any] | None:
    """What a channel's or a journey step's row counts, its money rounded to the cent."""
    if result is None:
        return None
    return {
        name: rounded(getattr(result, name)) if name in MONEY else getattr(result, name)
        for name in FIGURES
    }


def _channel_dict(channel: ChannelReport) -> dict[str, Any]:
    return {
        "channel": channel.channel,
        "planned": channel.planned,
        "forecast": forecast_dict(channel.forecast),
        "actual": actual_dict(channel.actual),
        "gap": rounded(channel.gap),
        "gap_ratio": rounded(channel.gap_ratio, 4),
        "cost_per_conversion": rounded(channel.cost_per_conversion),
        "roi": rounded(channel.roi, 4),
    }


def objective_dict(objective: ObjectiveReport) -> dict[str, Any]:
    o = objective
    return {
        "kind": o.kind,
        "channel": o.channel,
        "unit": o.unit,
        "target": o.target,
        "forecast": rounded(o.forecast),
        "actual": rounded(o.actual),
        "attainment": rounded(o.attainment, 4),
        "vs_forecast": rounded(o.vs_forecast, 4),
        "missing": list(o.missing),
    }


def as_dict(review: CampaignReport) -> dict[str, Any]:
    """A review as plain data (the JSON format)."""
    return {
        "campaign": review.campaign,
        "name": review.name,
        "currency": review.currency,
        "cost_per_conversion": rounded(review.cost_per_conversion),
        "objectives": [objective_dict(o) for o in review.objectives],
        "channels": [
            {
                **_channel_dict(c),
                "recommendation": c.recommendation.value if c.recommendation else None,
                "reason": str(c.reason),
            }
            for c in review.channels
        ],
        "total": _channel_dict(review.total),
        "tests": [_test_dict(t) for t in review.tests],
        "holdout": _holdout_dict(review.holdout),
    }


def as_json(review: CampaignReport) -> str:
    return json_text(as_dict(review))
