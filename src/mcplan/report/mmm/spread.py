"""A campaign's results export put on days and geos: what each channel spent, showed and
brought, a piece per day and geo, for the media-mix export.

An export with a ``date`` column gives each row's day. Without one, a channel's figures are
shared among the campaign's touches on it, and each touch's day is the day it is written for.
The export says what a channel did, not for whom: its figures are shared among the countries
of the personas it reached as the forecast weighs them, each persona's contacts on the channel
(its size × its reach on the channel; its size alone when none of them lists the channel).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.printable import printable
from mcplan.report.days import row_day
from mcplan.report.results import ChannelResult, Results
from mcplan.workspace import Workspace
from mcplan.workspace.campaign import Campaign, Touch
from mcplan.workspace.channel import Kind

OWNED_KINDS = frozenset({Kind.EMAIL, Kind.SMS, Kind.PUSH})


@dataclass(frozen=True)
class Piece:
    """What one channel did on one day in one geo (a share of a row of the export)."""

    day: date
    geo: str
    channel: str
    spend: float
    exposure: float  # impressions: the messages sent (or delivered)
    conversions: float
    revenue: float | None  # None: the export does not give it


def paid(workspace: Workspace, channel: str) -> bool:
    """Whether a channel is paid media: not a message to the brand's own contacts (e-mail, SMS,
    push), and it costs something per contact. The others are owned (organic): what they cost
    is sending, not media."""
    found = workspace.channels[channel]
    return found.kind not in OWNED_KINDS and found.cost_per_contact > 0


@dataclass(frozen=True)
class Spreading:
    """How one campaign's export is spread: the campaign, the file as shown, the workspace,
    each persona's geo, and the ``date`` column's pattern."""

    workspace: Workspace
    campaign: Campaign
    shown: str
    geo_of: Callable[[str], str]  # persona id → its geo
    pattern: str | None

    def pieces(self, results: Results) -> list[Piece]:
        """Every row of the export as pieces per day and geo."""
        self._every_channel_given(results)
        if results.date_header is not None:
            return [p for text, row in results.dated for p in self._dated(text, row, results)]
        return [p for row in results.channels for p in self._on_touches(row)]

    def _every_channel_given(self, results: Results) -> None:
        """A channel the campaign's touches use needs its results: without them, its spend
        would read as none."""
        given = {row.channel for row in results.channels}
        for touch in self.campaign.touches:
            if touch.channel not in given:
                raise UsageError(
                    f"{self.shown}: no row for channel '{touch.channel}', which campaign "
                    f"'{self.campaign.id}' sends on {touch.at.date().isoformat()}: give its "
                    "results (0 where it did nothing)"
                )

    def _dated(self, text: str, row: ChannelResult, results: Results) -> list[Piece]:
        header = results.date_header or "date"
        needs = "the media-mix export puts every row on its week"
        if not text:
            raise UsageError(
                f"{self.shown}: row {row.row}: no date in column '{printable(header)}' ({needs})"
            )
        day = date.fromisoformat(row_day(self.shown, row.row, text, header, self.pattern, needs))
        personas = self._personas(self.campaign.touches, row.channel)
        return self._split(row, day, personas, 1.0)

    def _on_touches(self, row: ChannelResult) -> list[Piece]:
        touches = [t for t in self.campaign.touches if t.channel == row.channel]
        if not touches:
            raise UsageError(
                f"{self.shown}: row {row.row}: campaign '{self.campaign.id}' has no touch on "
                f"channel '{row.channel}' to date its results by: add a date column (a row per "
                "channel and day)"
            )
        channel = row.channel
        weighed = [(t, self._weights(self._personas([t], channel), channel)) for t in touches]
        total = sum(sum(w.values()) for _, w in weighed)
        pieces = []
        for touch, weights in weighed:
            share = sum(weights.values()) / total if total else 1 / len(touches)
            pieces += self._split(row, touch.at.date(), list(weights), share)
        return pieces

    def _personas(self, touches: Iterable[Touch], channel: str) -> list[str]:
        """The personas the campaign reaches on a channel: its touches' on it, else its own."""
        chosen = [p for t in touches if t.channel == channel for p in (t.personas or ())]
        if not chosen or any(t.channel == channel and not t.personas for t in touches):
            chosen += self.campaign.personas
        return [p for p in dict.fromkeys(chosen) if p in self.workspace.personas]

    def _weights(self, personas: Sequence[str], channel: str) -> dict[str, float]:
        """Each persona's contacts on the channel (size × reach), or its size when none of them
        lists the channel, or 1 each when they have no size."""
        found = [self.workspace.personas[p] for p in personas]
        weights = {
            p.id: p.size * p.channels[channel].reach if channel in p.channels else 0.0
            for p in found
        }
        if not any(weights.values()):
            weights = {p.id: float(p.size) for p in found}
        if not any(weights.values()):
            weights = dict.fromkeys(personas, 1.0)
        return weights

    def _split(
        self, row: ChannelResult, day: date, personas: Sequence[str], share: float
    ) -> list[Piece]:
        """A row's figures × ``share``, shared among the personas' geos by their weights."""
        weights = self._weights(personas, row.channel)
        by_geo: dict[str, float] = {}
        for persona, weight in weights.items():
            geo = self.geo_of(persona)
            by_geo[geo] = by_geo.get(geo, 0.0) + weight
        total = sum(by_geo.values())
        spend, exposure = self._money_and_exposure(row)
        return [
            Piece(
                day,
                geo,
                row.channel,
                spend * share * part / total,
                exposure * share * part / total,
                (row.converted or 0.0) * share * part / total,
                None if row.revenue is None else row.revenue * share * part / total,
            )
            for geo, part in sorted(by_geo.items())
        ]

    def _money_and_exposure(self, row: ChannelResult) -> tuple[float, float]:
        """A row's spend (a paid channel's cost; none for an owned one) and impressions (its
        messages sent, else delivered): the model cannot read a paid channel without them."""
        exposure = row.sent if row.sent is not None else row.delivered
        if exposure is None:
            raise UsageError(
                f"{self.shown}: row {row.row}: channel '{row.channel}' has no sent (or delivered) "
                "figure: the media-mix export reads them as its impressions"
            )
        if not paid(self.workspace, row.channel):
            return 0.0, exposure
        if row.cost is None:
            raise UsageError(
                f"{self.shown}: row {row.row}: paid channel '{row.channel}' has no cost: the "
                "media-mix export needs its spend (write 0 if it cost nothing)"
            )
        return row.cost, exposure


def spread(
    workspace: Workspace,
    campaign: Campaign,
    path: Path,
    results: Results,
    geo_of: Callable[[str], str],
    pattern: str | None,
) -> list[Piece]:
    """The pieces of one campaign's results export (see the module docstring)."""
    return Spreading(workspace, campaign, printable(str(path)), geo_of, pattern).pieces(results)
