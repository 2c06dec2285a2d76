"""What a row of results counts, the same for a campaign's channel (`results.ChannelResult`)
and a journey's send step (`journey.export.StepResult`): its funnel, its revenue and cost,
what it tells of an objective, its rates per message sent, and rows added up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mcplan.objectives import Figures

FIGURES = ("sent", "delivered", "opened", "clicked", "converted", "revenue", "cost")
MONEY = ("revenue", "cost")  # the figures a cell may give with the currency's sign


@dataclass(frozen=True, kw_only=True)
class Counts:
    """What a row counts (None: not given), and the row of the file it was read from."""

    sent: float | None = None
    delivered: float | None = None
    opened: float | None = None
    clicked: float | None = None
    converted: float | None = None
    revenue: float | None = None
    cost: float | None = None
    row: int = field(default=0, compare=False)  # its first row in the file, for messages

    @property
    def figures(self) -> Figures:
        """What the row tells of an objective (see `mcplan.objectives`)."""
        return Figures(self.sent, self.delivered, self.converted, self.revenue)

    def rate(self, name: str) -> float | None:
        """``opened``, ``clicked`` or ``converted`` per message sent."""
        if not self.sent:
            return None
        value = getattr(self, name)
        return None if value is None else value / self.sent


def summed(rows: Iterable[Counts], names: Iterable[str] = FIGURES) -> dict[str, Any]:
    """Each of ``names`` summed over ``rows`` (None where a row does not give it), by name:
    the keywords of a row of them added up."""
    listed = list(rows)
    sums: dict[str, Any] = {}
    for name in names:
        values = [getattr(row, name) for row in listed]
        sums[name] = None if any(v is None for v in values) else sum(values)
    return sums
