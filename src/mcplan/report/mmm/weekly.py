"""The pieces of every export added up by week, and laid out as the table each media-mix tool
reads: Google Meridian's (a row per geo and week) and Meta Robyn's (a row per week).

A week is an ISO week, Monday to Sunday, named by its Monday; the weeks run without a gap
from the first export's first week to the last one's last, and a channel without results in
a week spent and showed nothing in it (0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from mcplan.errors import UsageError
from mcplan.report.mmm.spread import Piece

Cell = str | float


@dataclass
class Weeks:
    """The pieces added up: per week, geo and channel, and the KPI per week and geo."""

    geos: tuple[str, ...]
    paid: tuple[str, ...]  # the paid channels, by id
    owned: tuple[str, ...]  # the owned channels, by id
    population: dict[str, int]  # geo → the contacts of the workspace's personas in it
    spend: dict[tuple[date, str, str], float] = field(default_factory=dict)
    exposure: dict[tuple[date, str, str], float] = field(default_factory=dict)
    conversions: dict[tuple[date, str], float] = field(default_factory=dict)
    revenue: dict[tuple[date, str], float] | None = field(default_factory=dict)  # None: unknown

    @property
    def weeks(self) -> list[date]:
        """Every week from the first to the last, by its Monday."""
        known = [week for week, _ in self.conversions]
        if not known:
            return []
        first, last = min(known), max(known)
        return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]

    def add(self, piece: Piece) -> None:
        week = piece.day - timedelta(days=piece.day.weekday())
        key = (week, piece.geo, piece.channel)
        self.spend[key] = self.spend.get(key, 0.0) + piece.spend
        self.exposure[key] = self.exposure.get(key, 0.0) + piece.exposure
        kpi = (week, piece.geo)
        self.conversions[kpi] = self.conversions.get(kpi, 0.0) + piece.conversions
        if self.revenue is not None and piece.revenue is not None:
            self.revenue[kpi] = self.revenue.get(kpi, 0.0) + piece.revenue
        else:
            self.revenue = None

    def summed(self, table: dict[tuple[date, str, str], float], week: date, channel: str) -> float:
        """A channel's figure in a week, over every geo."""
        return sum(table.get((week, geo, channel), 0.0) for geo in self.geos)


def weeks_of(
    pieces: Sequence[Piece], paid: Callable[[str], bool], population: dict[str, int]
) -> Weeks:
    """The pieces added up by week (``paid`` tells a paid channel from an owned one)."""
    channels = sorted({p.channel for p in pieces})
    added = Weeks(
        tuple(sorted({p.geo for p in pieces})),
        tuple(c for c in channels if paid(c)),
        tuple(c for c in channels if not paid(c)),
        population,
    )
    for piece in pieces:
        added.add(piece)
    return added


def column(channel: str) -> str:
    """A channel's id as a column's name: ``-`` is ``_`` (R reads a ``-`` as a minus)."""
    return channel.replace("-", "_")


def meridian(weeks: Weeks) -> tuple[list[str], list[list[Cell]]]:
    """Meridian's table: a row per geo and week (its Monday), the KPI (conversions), the revenue
    per conversion, the geo's population, each paid channel's impressions and spend, and each
    owned channel's impressions as organic media."""
    header = ["geo", "time", "conversions"]
    header += ["revenue_per_kpi"] if weeks.revenue is not None else []
    header += ["population"]
    header += [f"{column(c)}_impression" for c in weeks.paid]
    header += [f"{column(c)}_spend" for c in weeks.paid]
    header += [f"organic_{column(c)}_impression" for c in weeks.owned]
    rows: list[list[Cell]] = []
    for geo in weeks.geos:
        for week in weeks.weeks:
            conversions = weeks.conversions.get((week, geo), 0.0)
            row: list[Cell] = [geo, week.isoformat(), conversions]
            if weeks.revenue is not None:
                revenue = weeks.revenue.get((week, geo), 0.0)
                row.append(revenue / conversions if conversions else 0.0)
            row.append(float(weeks.population.get(geo, 0)))
            row += [weeks.exposure.get((week, geo, c), 0.0) for c in weeks.paid]
            row += [weeks.spend.get((week, geo, c), 0.0) for c in weeks.paid]
            row += [weeks.exposure.get((week, geo, c), 0.0) for c in weeks.owned]
            rows.append(row)
    return _unique(header), rows


def robyn(weeks: Weeks) -> tuple[list[str], list[list[Cell]]]:
    """Robyn's table: a row per week (``DATE``, its Monday), the dependent variables (revenue
    when every export gives it, and conversions), each paid channel's spend (``_S``) and
    impressions (``_I``), and each owned channel's messages sent as an organic variable (named
    by the channel alone, as the demo's ``newsletter``)."""
    header = ["DATE"] + (["revenue"] if weeks.revenue is not None else []) + ["conversions"]
    header += [f"{column(c)}_S" for c in weeks.paid]
    header += [f"{column(c)}_I" for c in weeks.paid]
    header += [column(c) for c in weeks.owned]
    rows: list[list[Cell]] = []
    for week in weeks.weeks:
        row: list[Cell] = [week.isoformat()]
        if weeks.revenue is not None:
            row.append(sum(weeks.revenue.get((week, geo), 0.0) for geo in weeks.geos))
        row.append(sum(weeks.conversions.get((week, geo), 0.0) for geo in weeks.geos))
        row += [weeks.summed(weeks.spend, week, c) for c in weeks.paid]
        row += [weeks.summed(weeks.exposure, week, c) for c in weeks.paid]
        row += [weeks.summed(weeks.exposure, week, c) for c in weeks.owned]
        rows.append(row)
    return _unique(header), rows


def _unique(header: list[str]) -> list[str]:
    """A header whose every name is one column's: two channels named alike once ``-`` is ``_``
    (``web-push`` and ``web_push``), or one named as another column, are refused."""
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise UsageError(
                f"two columns of the media-mix export would be named '{name}': rename one of "
                "the channels (a '-' is written '_')"
            )
        seen.add(name)
    return header


# The tools `mcplan report --mmm` writes for, and their table.
TOOLS: dict[str, Callable[[Weeks], tuple[list[str], list[list[Cell]]]]] = {
    "meridian": meridian,
    "robyn": robyn,
}
