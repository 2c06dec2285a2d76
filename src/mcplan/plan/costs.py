"""What a channel costs a campaign: the one cost model of the selection, the budget filter (and
its findings) and the forecast, so that they never disagree.

A channel costs its `fixed_cost` once, when it sends anything, and for each persona it sends to:

    contacts × messages × (1 − holdout) × cost_per_contact × units

- contacts: the persona's size × its reach on the channel;
- messages: the campaign's touches on the channel that go to the persona (a touch without
  `personas` goes to every persona of the campaign); while the channels are chosen, a channel
  that no touch uses (every channel, in a campaign without touches) is priced at one message
  to each of its personas: the schedule `mcplan plan` proposes for it;
- holdout: the campaign's share of every persona that gets no touch;
- units: 1 for a channel billed per message; for one billed per segment (`billed:
  per_segment`, SMS), the segments of the text the persona reads, measured on the campaign's
  rendered versions: with a message test on the channel, the arms' segments weighted by their
  split; 1 for a persona whose text does not render (lint says why).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from mcplan.plan.result import (
    FUNNEL,
    ChannelCandidates,
    ChannelForecast,
    Funnel,
    ProposedTouch,
    Segments,
    added,
)
from mcplan.workspace import Campaign, Channel, Workspace
from mcplan.workspace.channel import Billing

if TYPE_CHECKING:
    from mcplan.render.engine import Version


class Pricing:
    """The figures a campaign's channel costs depend on besides the channel's own: the
    messages each persona gets, the holdout, and the segments of the texts billed per segment.

    ``touches`` are the campaign's (written or proposed), each as (channel, personas or None
    for all); ``unwritten`` is the messages a channel that no touch uses is priced at: 1 while
    the channels are chosen, 0 for the forecast (a channel no touch sends is not forecast).
    """

    def __init__(
        self,
        workspace: Workspace,
        campaign: Campaign,
        touches: Sequence[tuple[str, Sequence[str] | None]],
        unwritten: int,
    ) -> None:
        self.workspace = workspace
        self.campaign = campaign
        self.holdout = campaign.holdout or 0.0
        self.unwritten = unwritten
        self.written: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for channel, personas in touches:
            for persona in campaign.personas if personas is None else personas:
                self.written[channel][persona] += 1
        self._segments: dict[str, dict[str, Segments]] = {}

    @classmethod
    def selecting(cls, workspace: Workspace, campaign: Campaign) -> Pricing:
        """As the channels are chosen: the campaign's touches, and one message on a channel
        none of them uses."""
        return cls(workspace, campaign, [(t.channel, t.personas) for t in campaign.touches], 1)

    def forecasting(self, touches: Sequence[ProposedTouch]) -> Pricing:
        """As the forecast counts: these touches only (the segments measured are kept)."""
        pricing = Pricing(
            self.workspace, self.campaign, [(t.channel, t.personas) for t in touches], 0
        )
        pricing._segments = self._segments
        return pricing

    def messages(self, channel: str, personas: Sequence[str]) -> np.ndarray:
        """How many messages of the channel each persona gets."""
        if channel not in self.written:
            return np.full(len(personas), float(self.unwritten))
        written = self.written[channel]
        return np.array([float(written.get(p, 0)) for p in personas])

    def units(self, channel: Channel, personas: Sequence[str]) -> np.ndarray:
        """What one message to one contact is billed as: 1, or its segments."""
        if channel.billed is not Billing.PER_SEGMENT:
            return np.ones(len(personas))
        found = self.segments(channel.id)
        return np.array([found[p].units if p in found else 1.0 for p in personas])

    def segments(self, channel_id: str) -> dict[str, Segments]:
        """The segments of each persona's text on a channel billed per segment (a persona
        whose text does not render is left out)."""
        if channel_id not in self._segments:
            self._segments[channel_id] = measured(self.workspace, self.campaign, channel_id)
        return self._segments[channel_id]


def measured(workspace: Workspace, campaign: Campaign, channel_id: str) -> dict[str, Segments]:
    """Render the campaign's texts on the channel and count each persona's segments."""
    from mcplan.render.engine import render_versions

    test = campaign.test_on(channel_id)
    shares = test.shares() if test is not None else {}
    versions = render_versions(workspace, campaign.id, [channel_id])
    return segments_of(versions, shares)


def segments_of(versions: Iterable[Version], shares: dict[str, float]) -> dict[str, Segments]:
    """Each persona's segments in ``versions`` (one channel's, of one campaign or one journey
    step), the arms of its test weighted by their ``shares``."""
    out: dict[str, Segments] = {}
    for personas, found in segment_groups(versions, shares):
        out.update(dict.fromkeys(personas, found))
    return out


def segment_groups(
    versions: Iterable[Version], shares: dict[str, float]
) -> list[tuple[tuple[str, ...], Segments]]:
    """`segments_of` by group of personas sent the same segments: without a test, each
    version's personas as they are (a journey has thousands, and many steps)."""
    from mcplan.render import gsm

    counted = [(v, max(gsm.count(v.text(v.main)).segments, 1)) for v in versions]
    if all(v.arm is None for v, _ in counted):  # no test: a persona reads one text
        one: dict[int, Segments] = {}
        return [(v.personas, one.setdefault(n, _one(n))) for v, n in counted]
    found: dict[str, list[tuple[str | None, int, float]]] = defaultdict(list)
    for version, segments in counted:
        share = shares.get(version.arm, 0.0) if version.arm is not None else 1.0
        for persona in version.personas:
            found[persona].append((version.arm, segments, share))
    # Personas that read the same texts share one value.
    groups: dict[tuple[tuple[str | None, int, float], ...], list[str]] = defaultdict(list)
    for persona, listed in found.items():
        groups[tuple(listed)].append(persona)
    return [
        (tuple(personas), Segments(sum(n * share for _, n, share in arms), arms))
        for arms, personas in groups.items()
    ]


def _one(segments: int) -> Segments:
    """A text of ``segments`` segments, with no test."""
    return Segments(float(segments), ((None, segments, 1.0),))


def funnels_of(contacts: np.ndarray, channel: Channel, units: np.ndarray) -> np.ndarray:
    """The funnel (columns `FUNNEL`) of each row of contacts sent a message, each billed as
    `units` (1, or its segments) × the channel's cost per contact."""
    rates = channel.rates
    reached = contacts * rates.delivery
    return np.column_stack(
        (
            contacts,
            reached,
            reached * rates.open,
            reached * rates.click,
            reached * rates.conversion,
            contacts * channel.cost_per_contact * units,
        )
    )


def planned(block: ChannelCandidates, channel: Channel, pricing: Pricing) -> ChannelForecast | None:
    """What the channel sends its candidates as `pricing` says, and costs (its fixed cost
    included): the selection's price and the forecast alike. None when it sends nothing."""
    return sent(channel, block.personas, block.contacts, block.units, block.values, pricing)


def sent(
    channel: Channel,
    personas: Sequence[str],
    contacts: np.ndarray,
    units: np.ndarray,
    values: np.ndarray,
    pricing: Pricing,
) -> ChannelForecast | None:
    """What the channel sends `personas` (with their `contacts`, `units` and `values` per
    message) as `pricing` says, and what it costs. None when it sends nothing."""
    messages = pricing.messages(channel.id, personas)
    sending = messages > 0
    if not sending.any():
        return None
    who = tuple(personas)
    if not sending.all():
        who = tuple(p for p, n in zip(personas, sending.tolist(), strict=True) if n)
        contacts, units, values = contacts[sending], units[sending], values[sending]
        messages = messages[sending]
    funnels = funnels_of(_sends(contacts, messages, pricing), channel, units)
    columns = [
        added(column, channel.fixed_cost if name == "cost" else 0.0)
        for name, column in zip(FUNNEL, funnels.T, strict=True)
    ]
    value = added(values * messages)
    return ChannelForecast(channel.id, who, Funnel(*columns), value, funnels)


def price(
    channel: Channel,
    personas: Sequence[str],
    contacts: np.ndarray,
    units: np.ndarray,
    pricing: Pricing,
) -> float:
    """What `sent` would cost (the same figure, by the same operations), without the rest of
    the funnel: the budget filter's price of a channel."""
    messages = pricing.messages(channel.id, personas)
    sending = messages > 0
    if not sending.any():
        return 0.0
    sends = _sends(contacts[sending], messages[sending], pricing)
    return added(sends * channel.cost_per_contact * units[sending], channel.fixed_cost)


def _sends(contacts: np.ndarray, messages: np.ndarray, pricing: Pricing) -> np.ndarray:
    """The messages sent: contacts × messages, less the holdout (it gets no touch)."""
    sends: np.ndarray = contacts * messages
    if pricing.holdout:
        sends = sends * (1 - pricing.holdout)
    return sends


__all__ = [
    "Pricing",
    "funnels_of",
    "measured",
    "planned",
    "price",
    "segment_groups",
    "segments_of",
    "sent",
]
