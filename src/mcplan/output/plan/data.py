"""A plan as plain data: the JSON and YAML formats, for scripts (their fields are the users'
contract)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import yaml

from mcplan.json_text import json_text
from mcplan.numbers import rounded
from mcplan.output.plan.journey_data import journey_dict
from mcplan.plan.experiments import PlannedHoldout, PlannedTest
from mcplan.plan.result import CampaignPlan, Candidate, Funnel

if TYPE_CHECKING:
    from mcplan.output.plan import Plans


def _funnel(funnel: Funnel) -> dict[str, Any]:
    return {
        "sends": rounded(funnel.sends, 1),
        "reached": rounded(funnel.reached, 1),
        "opens": rounded(funnel.opens, 1),
        "clicks": rounded(funnel.clicks, 1),
        "conversions": rounded(funnel.conversions, 2),
        "cost": rounded(funnel.cost),
        "cost_per_conversion": rounded(funnel.cost_per_conversion),
    }


def _candidate(candidate: Candidate) -> dict[str, Any]:
    f = candidate.factors
    return {
        "persona": candidate.persona,
        "channel": candidate.channel,
        "score": round(candidate.score, 4),
        "value": round(candidate.value, 4),
        "factors": {
            "reach": f.reach,
            "affinity": f.affinity,
            "objective_fit": round(f.objective_fit, 4),
            "objectives": [{"kind": k, "weight": w, "fit": x} for k, w, x in f.objectives],
            "stage_fit": f.stage_fit,
            "efficiency": round(f.efficiency, 4),
            "cost_per_outcome": rounded(f.cost_per_outcome),
            "reference": rounded(f.reference),
        },
        "outcome": round(candidate.outcome, 4),
        "forecast": _funnel(candidate.funnel),
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
        "candidates": [_candidate(c) for c in plan.candidates],
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


def as_yaml(result: Plans) -> str:
    return yaml.safe_dump(as_data(result), sort_keys=False, allow_unicode=True, width=100)
