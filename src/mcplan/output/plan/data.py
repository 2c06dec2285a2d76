"""A plan as plain data: the JSON and YAML formats, for scripts (their fields are the users'
contract)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import yaml

from mcplan.json_text import json_text
from mcplan.numbers import rounded
from mcplan.output.plan.journey_data import journey_dict
from mcplan.plan.experiments import PlannedHoldout, PlannedTest
from mcplan.plan.result import CampaignPlan, ChannelCandidates, Funnel

if TYPE_CHECKING:
    from mcplan.output.plan import Plans


def _funnel(funnel: Funnel) -> dict[str, Any]:
    f = funnel
    return _counts(f.sends, f.reached, f.opens, f.clicks, f.conversions, f.cost)


def _counts(
    sends: float, reached: float, opens: float, clicks: float, conversions: float, cost: float
) -> dict[str, Any]:
    """A funnel's figures, rounded (the columns FUNNEL, in order)."""
    return {
        "sends": round(sends, 1),
        "reached": round(reached, 1),
        "opens": round(opens, 1),
        "clicks": round(clicks, 1),
        "conversions": round(conversions, 2),
        "cost": round(cost, 2),
        "cost_per_conversion": round(cost / conversions, 2) if conversions else None,
    }


def _candidates(block: ChannelCandidates) -> Iterator[dict[str, Any]]:
    """Each candidate of one channel, as `Candidate` would write it, from its columns: what the
    channel's candidates share is written once (a plan for 1,000 personas has 85,000)."""
    objectives = [{"kind": k, "weight": w, "fit": x} for k, w, x in block.objectives]
    shared = {
        "objective_fit": round(block.objective_fit, 4),
        "efficiency": round(block.efficiency, 4),
        "cost_per_outcome": rounded(block.cost_per_outcome),
        "reference": rounded(block.reference),
    }
    funnels = block.funnels.tolist()
    columns = zip(
        block.personas, block.reach.tolist(), block.affinity.tolist(), block.stage_fit.tolist(),
        block.scores.tolist(), block.values.tolist(), block.outcomes.tolist(), funnels,
        strict=True,
    )  # fmt: skip
    for persona, reach, affinity, stage_fit, score, value, outcome, funnel in columns:
        yield {
            "persona": persona,
            "channel": block.channel,
            "score": round(score, 4),
            "value": round(value, 4),
            "factors": {
                "reach": reach,
                "affinity": affinity,
                "objective_fit": shared["objective_fit"],
                "objectives": objectives,
                "stage_fit": stage_fit,
                "efficiency": shared["efficiency"],
                "cost_per_outcome": shared["cost_per_outcome"],
                "reference": shared["reference"],
            },
            "outcome": round(outcome, 4),
            "forecast": _counts(*funnel),
        }


def _lift(value: float | None) -> float | None:
    """A lift for JSON: None when none can be detected (no contacts)."""
    return None if value is None or math.isinf(value) else round(value, 6)


def _test(planned: PlannedTest) -> dict[str, Any]:
    test = planned.test
    return {
        "id": test.id,
        "channel": test.channel,
        "part": test.part,
        "metric": test.metric.value,
        "min_lift": test.min_lift,
        "arms": [
            {
                "arm": arm.arm,
                "share": round(arm.share, 6),
                "contacts": rounded(arm.contacts, 1),
                "reached": rounded(arm.reached, 1),
                "min_detectable_lift": _lift(arm.min_detectable_lift),
            }
            for arm in planned.arms
        ],
        "baseline_rate": planned.baseline_rate,
        "min_detectable_lift": _lift(planned.min_detectable_lift),
        "powered": planned.powered,
        "contacts_needed": None
        if math.isinf(planned.contacts_needed)
        else math.ceil(planned.contacts_needed),
        "alpha": planned.alpha,
        "power": planned.power,
    }


def _holdout(holdout: PlannedHoldout | None) -> dict[str, Any] | None:
    if holdout is None:
        return None
    return {
        "share": holdout.share,
        "contacts": rounded(holdout.contacts, 1),
        "treated": rounded(holdout.treated, 1),
        "baseline_rate": round(holdout.baseline_rate, 8),
        "min_detectable_lift": _lift(holdout.min_detectable_lift),
    }


def _channels(plan: CampaignPlan) -> list[dict[str, Any]]:
    return [
        {
            "channel": c.channel,
            "personas": list(c.personas),
            "value": round(c.value, 4),
            **_funnel(c.funnel),
        }
        for c in plan.channels
    ]


def _objectives(plan: CampaignPlan) -> list[dict[str, Any]]:
    return [
        {
            "kind": o.kind,
            "channel": o.channel,
            "target": o.target,
            "forecast": rounded(o.forecast),
            "unit": o.unit,
            "share": rounded(o.share, 4),
            "people": rounded(o.people, 1),
        }
        for o in plan.objectives
    ]


def _touches(plan: CampaignPlan) -> list[dict[str, Any]]:
    return [
        {
            "channel": t.channel,
            "at": t.at.isoformat(timespec="minutes"),
            "personas": list(t.personas) if t.personas else None,
            "after": t.after,
        }
        for t in plan.touches
    ]


def as_dict(plan: CampaignPlan) -> dict[str, Any]:
    """A plan as plain data (the JSON and YAML formats)."""
    campaign = plan.campaign
    return {
        "campaign": campaign.id,
        "budget": campaign.budget,
        "max_channels": campaign.max_channels,
        "chosen": list(plan.chosen),
        "channels": _channels(plan),
        "total": _funnel(plan.total),
        "objectives": _objectives(plan),
        "touches": _touches(plan),
        "touches_proposed": plan.proposed,
        "tests": [_test(t) for t in plan.tests],
        "holdout": _holdout(plan.holdout),
        "counts": plan.candidates.counts.unit,
        "segments": {
            channel: {persona: round(s.units, 4) for persona, s in found.items()}
            for channel, found in plan.segments.items()
        },
        "candidates": [
            row for block in plan.candidates.blocks.values() for row in _candidates(block)
        ],
        "rejected": [
            {"channel": r.channel, "persona": r.persona, "reason": str(r.reason)}
            for r in plan.rejections
        ],
        "findings": [f.to_dict() for f in plan.findings],
    }


def as_data(result: Plans) -> list[dict[str, Any]] | dict[str, Any]:
    """What the JSON and YAML formats write: the campaigns' plans as a list, as they always
    were; with journeys in the result, ``{"campaigns": [...], "journeys": [...]}`` (issue 29)."""
    campaigns = [as_dict(p) for p in result.plans]
    if not result.journeys:
        return campaigns
    journeys = [
        journey_dict(j, result.workspace, result.held.get(j.journey)) for j in result.journeys
    ]
    return {"campaigns": campaigns, "journeys": journeys}


def as_json(result: Plans) -> str:
    return json_text(as_data(result))


class _Dumper(yaml.SafeDumper):
    """A value written in several places (a channel's objectives, in each of its candidates)
    is written out each time, not as a YAML alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def as_yaml(result: Plans) -> str:
    data = as_data(result)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
