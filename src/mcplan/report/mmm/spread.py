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

from mcplan.errors import UsageError
from mcplan.printable import printable
from mcplan.report.counts import Counts
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
class Spreader:
    """How a row of an export becomes pieces: the workspace, the file as shown, and each
    persona's geo."""

    workspace: Workspace
    shown: str
    geo_of: Callable[[str], str]  # persona id → its geo

    def weights(self, personas: Sequence[str], channel: str) -> dict[str, float]:
        """Each persona's contacts on the channel (size × reach), or its size when none of them
        lists the channel, or 1 each when they have no size."""
        found = [self.workspace.personas[p] for p in personas if p in self.workspace.personas]
        weights = {
            p.id: p.size * p.channels[channel].reach if channel in p.channels else 0.0
            for p in found
        }
        if not any(weights.values()):
            weights = {p.id: float(p.size) for p in found}
        if not any(weights.values()):
            weights = dict.fromkeys((p.id for p in found), 1.0)
        return weights

    def split(
        self, row: Counts, channel: str, day: date, personas: Sequence[str], share: float
    ) -> list[Piece]:
        """A row's figures × ``share``, shared among the personas' geos by their weights."""
        by_geo: dict[str, float] = {}
        for persona, weight in self.weights(personas, channel).items():
            geo = self.geo_of(persona)
            by_geo[geo] = by_geo.get(geo, 0.0) + weight
        total = sum(by_geo.values())
        spend, exposure = self._money_and_exposure(row, channel)
        return [
            Piece(
                day,
                geo,
                channel,
                spend * share * part / total,
                exposure * share * part / total,
                (row.converted or 0.0) * share * part / total,
                None if row.revenue is None else row.revenue * share * part / total,
            )
            for geo, part in sorted(by_geo.items())
        ]

    def _money_and_exposure(self, row: Counts, channel: str) -> tuple[float, float]:
        """A row's spend (a paid channel's cost; none for an owned one) and impressions (its
        messages sent, else delivered): the model cannot read a paid channel without them."""
        exposure = row.sent if row.sent is not None else row.delivered
        if exposure is None:
            raise UsageError(
                f"{self.shown}: row {row.row}: channel '{channel}' has no sent (or delivered) "
                "figure: the media-mix export reads them as its impressions"
            )
        if not paid(self.workspace, channel):
            return 0.0, exposure
        if row.cost is None:
            raise UsageError(
                f"{self.shown}: row {row.row}: paid channel '{channel}' has no cost: the "
                "media-mix export needs its spend (write 0 if it cost nothing)"
            )
        return row.cost, exposure


@dataclass(frozen=True)
class Campaigned:
    """One campaign's export spread: its rows on their days (or its touches') and geos."""

    spreader: Spreader
    campaign: Campaign
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
                    f"{self.spreader.shown}: no row for channel '{touch.channel}', which campaign "
                    f"'{self.campaign.id}' sends on {touch.at.date().isoformat()}: give its "
                    "results (0 where it did nothing)"
                )

    def _dated(self, text: str, row: ChannelResult, results: Results) -> list[Piece]:
        shown, header = self.spreader.shown, results.date_header or "date"
        needs = "the media-mix export puts every row on its week"
        if not text:
            raise UsageError(
                f"{shown}: row {row.row}: no date in column '{printable(header)}' ({needs})"
            )
        day = date.fromisoformat(row_day(shown, row.row, text, header, self.pattern, needs))
        personas = self._personas(self.campaign.touches, row.channel)
        return self.spreader.split(row, row.channel, day, personas, 1.0)

    def _on_touches(self, row: ChannelResult) -> list[Piece]:
        channel = row.channel
        touches = [t for t in self.campaign.touches if t.channel == channel]
        if not touches:
            raise UsageError(
                f"{self.spreader.shown}: row {row.row}: campaign '{self.campaign.id}' has no "
                f"touch on channel '{channel}' to date its results by: add a date column (a row "
                "per channel and day)"
            )
        weigh = self.spreader.weights
        weighed = [(t, weigh(self._personas([t], channel), channel)) for t in touches]
        total = sum(sum(w.values()) for _, w in weighed)
        pieces = []
        for touch, weights in weighed:
            share = sum(weights.values()) / total if total else 1 / len(touches)
            pieces += self.spreader.split(row, channel, touch.at.date(), list(weights), share)
        return pieces

    def _personas(self, touches: Iterable[Touch], channel: str) -> list[str]:
        """The personas the campaign reaches on a channel: its touches' on it, else its own."""
        chosen = [p for t in touches if t.channel == channel for p in (t.personas or ())]
        if not chosen or any(t.channel == channel and not t.personas for t in touches):
            chosen += self.campaign.personas
        return list(dict.fromkeys(chosen))
