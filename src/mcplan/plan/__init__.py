"""`mcplan plan`: choose each campaign's channels, forecast them, and propose a schedule."""

from mcplan.plan.planner import plan, plan_campaign
from mcplan.plan.result import CampaignPlan

__all__ = ["CampaignPlan", "plan", "plan_campaign"]
