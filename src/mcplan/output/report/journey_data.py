"""A journey's report as plain data: the JSON format, for scripts (its fields are the users'
contract: `step` on each step's row, as `render JOURNEY`'s versions have it)."""

from __future__ import annotations

from typing import Any

from mcplan.json_text import json_text
from mcplan.numbers import rounded
from mcplan.output.report.data import actual_dict, arm_dict, forecast_dict, objective_dict, sig
from mcplan.report.journey import BranchReport, JourneyReport, StepReport


def _rates(step: StepReport) -> dict[str, Any]:
    return {
        f"{name}_rate": rounded(step.rate(name), 6) for name in ("opened", "clicked", "converted")
    } | {
        f"forecast_{name}_rate": rounded(step.forecast_rate(name), 6)
        for name in ("opened", "clicked", "converted")
    }


def _step_dict(step: StepReport) -> dict[str, Any]:
    data: dict[str, Any] = {"step": step.step, "channel": step.channel}
    if step.persona is not None:
        data["persona"] = step.persona
    return data | {
        "forecast": forecast_dict(step.forecast),
        "actual": actual_dict(step.actual),
        "gap": rounded(step.gap),
        "gap_ratio": rounded(step.gap_ratio, 4),
        **_rates(step),
    }


def _branch_dict(branch: BranchReport) -> dict[str, Any]:
    c = branch.deciding.comparison if branch.deciding else None
    arms = []
    for arm, forecast_rate in zip(branch.arms, branch.forecast_rates, strict=True):
        plan = next(p for p in branch.conditions if p.label == arm.arm)
        arms.append({"condition": plan.condition, "steps": list(plan.sends), **arm_dict(arm),
                     "forecast_rate": rounded(forecast_rate, 8)})  # fmt: skip
    return {
        "branch": branch.id,
        "number": branch.number,
        "path": list(branch.path),
        "random": branch.random,
        "metric": "conversion",
        "arms": arms,
        "not_measured": [str(label) for label in branch.unmeasured],
        "lift": rounded(c.lift, 6) if c else None,
        "p_value": sig(c.p_value) if c else None,
        "winner": branch.winner,
        "verdict": str(branch.verdict),
        "confidence": 1 - branch.alpha,
    }


def journey_dict(review: JourneyReport) -> dict[str, Any]:
    """A journey's report as plain data (the JSON format)."""
    return {
        "journey": review.journey,
        "name": review.name,
        "currency": review.currency,
        "from": review.first.isoformat(),
        "to": review.last.isoformat(),
        "weeks": round(review.weeks, 4),
        "objectives": [objective_dict(o) for o in review.objectives],
        "steps": [
            {**_step_dict(s), "personas": [_step_dict(p) for p in s.personas]} for s in review.steps
        ],
        "total": _step_dict(review.total),
        "branches": [_branch_dict(b) for b in review.branches],
    }


def journey_json(review: JourneyReport) -> str:
    return json_text(journey_dict(review))
