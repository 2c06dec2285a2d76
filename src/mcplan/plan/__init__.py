"""`mcplan plan`: choose each campaign's channels, forecast them, and propose a schedule.

The planner (and numpy) loads on first use, so that `mcplan lint` and `validate`, which only
need the planning rules (`mcplan.plan.rules`), do not pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcplan.plan.planner import plan, plan_campaign
    from mcplan.plan.result import CampaignPlan

_API = {"plan": "planner", "plan_campaign": "planner", "CampaignPlan": "result"}


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)


__all__ = ["CampaignPlan", "plan", "plan_campaign"]
