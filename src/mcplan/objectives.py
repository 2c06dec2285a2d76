"""How an objective is measured, the same way for a forecast (`mcplan plan`) and for results
(`mcplan report`).

- **sales**: revenue; without a revenue figure, the conversions × the campaign's
  `average_order_value`;
- **awareness**: contacts reached (messages delivered; sent, when delivered is not known): a
  person reached on two channels counts twice, as results per channel count them (the plan
  also estimates the distinct people, see `mcplan.plan.planner`);
- **loyalty**: conversions;
- the other kinds (satisfaction, reputation, cost reduction) are not measured from sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mcplan.workspace import ObjectiveKind

UNITS = {
    ObjectiveKind.SALES: "revenue",
    ObjectiveKind.AWARENESS: "contacts reached",
    ObjectiveKind.LOYALTY: "conversions",
}


@dataclass(frozen=True)
class Figures:
    """What a forecast or a results row says of a channel (None: it does not say)."""

    sent: float | None = None
    reached: float | None = None
    converted: float | None = None
    revenue: float | None = None


def measure(kind: ObjectiveKind, figures: Figures, aov: float | None) -> float | None:
    """One channel's contribution to an objective of ``kind`` (None: it cannot be told)."""
    if kind is ObjectiveKind.SALES:
        if figures.revenue is not None:
            return figures.revenue
        if figures.converted is not None and aov is not None:
            return figures.converted * aov
        return None
    if kind is ObjectiveKind.AWARENESS:
        return figures.reached if figures.reached is not None else figures.sent
    if kind is ObjectiveKind.LOYALTY:
        return figures.converted
    return None


def total(kind: ObjectiveKind, rows: Iterable[Figures], aov: float | None) -> float | None:
    """The channels' contributions added up; None when one of them cannot be told, or none."""
    values = [measure(kind, row, aov) for row in rows]
    if not values or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def unit(kind: ObjectiveKind) -> str:
    """What an objective of ``kind`` is counted in."""
    return UNITS.get(kind, "not measured")
