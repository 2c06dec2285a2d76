"""`mcplan plan`: choose each campaign's channels, forecast them, and propose a schedule.

The planner (and numpy) loads on first use, so that `mcplan lint` and `validate`, which only
need the planning rules (`mcplan.plan.rules`), do not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mcplan.lazy import defer

if TYPE_CHECKING:
    from mcplan.plan.journey import JourneyForecast, forecast_journey, forecast_journeys
    from mcplan.plan.planner import plan, plan_campaign
    from mcplan.plan.result import CampaignPlan, PlanResult

defer(
    __name__,
    {
        "plan": "mcplan.plan.planner",
        "plan_campaign": "mcplan.plan.planner",
        "CampaignPlan": "mcplan.plan.result",
        "PlanResult": "mcplan.plan.result",
        "JourneyForecast": "mcplan.plan.journey",
        "forecast_journey": "mcplan.plan.journey",
        "forecast_journeys": "mcplan.plan.journey",
    },
)


__all__ = [
    "CampaignPlan",
    "JourneyForecast",
    "PlanResult",
    "forecast_journey",
    "forecast_journeys",
    "plan",
    "plan_campaign",
]
