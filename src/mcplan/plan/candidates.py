"""Candidates: the persona × channel pairs worth considering, each with its score.

Hard filters come first, each with its reason: the campaign's `channels` leaves the channel
out; the persona lacks the consent the channel needs in its market; the channel has no send
window on any day of the campaign (in the persona's time zone, holidays included); the
channel alone costs more than the budget; or nothing about it fits (a factor is 0).

Then every remaining pair is scored:

    score = affinity × objective fit × stage fit × efficiency
    value = expected conversions × score
    expected conversions = size × reach × delivery × conversion

- affinity: how much the persona likes the channel (persona file);
- objective fit: the channel's `fit.objectives` for the campaign's objectives, averaged with
  their weights (objectives tied to another channel do not count; 1 when there is none);
- stage fit: the channel's `fit.stages` for the persona's lifecycle stage;
- efficiency: 1 / (1 + cost per expected conversion / reference), where the cost counts the
  channel's fixed cost once and the reference is the campaign's `average_order_value`, or,
  without one, the median cost per conversion of the candidate channels. A channel whose
  conversions cost what they bring scores 0.5; a free one scores 1.

The plan maximises the sum of the values of its channels.

What does not depend on the campaign (who uses a channel, with what reach, affinity and
consent) is read once per workspace into arrays (`Audience`); a campaign's candidates are
then computed channel by channel for all its personas at once, in the same order and with the
same floating-point operations as one by one, so the figures are exactly those.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, time, timedelta

import numpy as np

from mcplan.numbers import amount
from mcplan.plan.audience import Audience, Links
from mcplan.plan.result import FUNNEL, Candidates, ChannelCandidates, Factors, Rejection, added
from mcplan.schedule.windows import allowed, minutes
from mcplan.workspace import Campaign, Channel, Persona, Workspace


def find(
    workspace: Workspace, campaign: Campaign, audience: Audience | None = None
) -> tuple[Candidates, list[Rejection]]:
    """Every persona × channel candidate of the campaign, and every rejection with its reason."""
    audience = audience or Audience.of(workspace)
    rejections: list[Rejection] = []
    rows = np.array([audience.row[p] for p in campaign.personas if p in audience.row], int)
    allowed_channels = set(campaign.channels) if campaign.channels is not None else None
    outside: set[str] = set()
    broken = {  # channels whose file has errors: left out of the plan
        c
        for c, uses in audience.unknown.items()
        if uses[rows].any() and workspace.exists("channel_rules", c)
    }  # else an unknown channel: validate says so
    pairs: dict[str, np.ndarray] = {}
    for channel_id, links in sorted(audience.links.items()):
        chosen = rows[links.uses[rows]]
        if not len(chosen):
            continue
        if allowed_channels is not None and channel_id not in allowed_channels:
            outside.add(channel_id)
            continue
        refused = links.refused[chosen]
        rejections += [
            Rejection(channel_id, audience.ids[r], links.why[r]) for r in chosen[refused].tolist()
        ]
        chosen = chosen[~refused]
        closed = _closed(campaign, links, chosen)
        for r in chosen[closed].tolist():
            rejections.append(
                Rejection(
                    channel_id,
                    audience.ids[r],
                    _closed_why(campaign, links.kinds[links.kind[r]][0]),
                )
            )
        pairs[channel_id] = chosen[~closed]
    rejections += [Rejection(c, None, "not in the campaign's channels") for c in sorted(outside)]
    rejections += [Rejection(c, None, "its file has errors") for c in sorted(broken)]
    return _scored(workspace, campaign, audience, pairs, rejections)


def _closed(campaign: Campaign, links: Links, rows: np.ndarray) -> np.ndarray:
    """Whether the channel cannot reach each row on any day of the campaign."""
    kinds = links.kind[rows]
    closed = np.zeros(len(rows), bool)
    for kind in np.unique(kinds).tolist():
        channel, persona = links.kinds[kind]
        if not _open_day(channel, persona, campaign):
            closed |= kinds == kind
    return closed


def _closed_why(campaign: Campaign, channel: Channel) -> str:
    return (
        f"no send window between {campaign.first_day} and {campaign.last_day} "
        f"({channel.window.days_text()} {channel.window.hours_text()})"
    )


def funnels_of(sends: np.ndarray, channel: Channel) -> np.ndarray:
    """The funnel (columns `FUNNEL`) of each row of sends."""
    rates = channel.rates
    reached = sends * rates.delivery
    return np.column_stack(
        (
            sends,
            reached,
            reached * rates.open,
            reached * rates.click,
            reached * rates.conversion,
            sends * channel.cost_per_contact,
        )
    )


def _objective_fit(
    campaign: Campaign, channel: Channel
) -> tuple[float, tuple[tuple[str, float, float], ...]]:
    """The channel's fit with the campaign's objectives (weighted mean), and its terms."""
    relevant = [o for o in campaign.objectives if o.channel in (None, channel.id)]
    terms = tuple(
        (o.kind.value, o.weight, channel.fit.objectives.get(o.kind, 0.0)) for o in relevant
    )
    weights = sum(weight for _, weight, _ in terms)
    return (sum(w * fit for _, w, fit in terms) / weights if weights else 1.0), terms


def _scored(
    workspace: Workspace,
    campaign: Campaign,
    audience: Audience,
    pairs: dict[str, np.ndarray],
    rejections: list[Rejection],
) -> tuple[Candidates, list[Rejection]]:
    funnels: dict[str, np.ndarray] = {}
    cost: dict[str, float] = {}
    per_conversion: dict[str, float] = {}
    for channel_id, rows in pairs.items():
        channel = workspace.channels[channel_id]
        sends = audience.size[rows] * audience.links[channel_id].reach[rows]
        funnels[channel_id] = funnels_of(sends, channel)
        cost[channel_id] = channel.fixed_cost + added(funnels[channel_id][:, FUNNEL.index("cost")])
        conversions = added(funnels[channel_id][:, FUNNEL.index("conversions")])
        per_conversion[channel_id] = cost[channel_id] / conversions if conversions else float("inf")
    for channel_id in sorted(pairs):
        if campaign.budget is not None and cost[channel_id] > campaign.budget:
            rejections.append(
                Rejection(
                    channel_id,
                    None,
                    f"costs {amount(cost[channel_id])} alone, over the budget of "
                    f"{amount(campaign.budget)}",
                )
            )
            del pairs[channel_id]
    reference = campaign.average_order_value or _median(
        [v for c, v in per_conversion.items() if c in pairs]
    )
    blocks = []
    for channel_id, rows in sorted(pairs.items()):
        channel = workspace.channels[channel_id]
        links = audience.links[channel_id]
        efficiency = 1 / (1 + per_conversion[channel_id] / reference) if reference else 1.0
        objective_fit, terms = _objective_fit(campaign, channel)
        reach, affinity, stage_fit = links.reach[rows], links.affinity[rows], links.stage_fit[rows]
        score = affinity * objective_fit * stage_fit * efficiency
        fits = score > 0
        for r, a, f in zip(
            rows[~fits].tolist(), affinity[~fits].tolist(), stage_fit[~fits].tolist(), strict=True
        ):
            factors = Factors(0.0, a, objective_fit, f, efficiency)
            rejections.append(Rejection(channel_id, audience.ids[r], _no_fit(factors)))
        if not fits.any():
            continue
        blocks.append(
            ChannelCandidates(
                channel_id,
                tuple(audience.ids[r] for r in rows[fits].tolist()),
                reach[fits],
                affinity[fits],
                stage_fit[fits],
                funnels[channel_id][fits],
                funnels[channel_id][fits, FUNNEL.index("conversions")] * score[fits],
                objective_fit,
                efficiency,
                terms,
                per_conversion[channel_id],
                reference,
            )
        )
    return Candidates(blocks), sorted(rejections, key=lambda r: (r.channel, r.persona or ""))


def _median(values: list[float]) -> float:
    finite = [v for v in values if 0 < v < float("inf")]
    return statistics.median(finite) if finite else 0.0


def _no_fit(factors: Factors) -> str:
    zero = [
        name
        for name, value in (
            ("affinity", factors.affinity),
            ("objective fit", factors.objective_fit),
            ("stage fit", factors.stage_fit),
            ("efficiency", factors.efficiency),
        )
        if value <= 0
    ]
    return f"no fit: {', '.join(zero)} is 0"


def _open_day(channel: Channel, persona: Persona, campaign: Campaign) -> bool:
    """Whether the channel may reach the persona on at least one day of the campaign."""
    first, last = campaign.first_day, campaign.last_day
    if first is None or last is None:
        return True
    for day in _days(first, min(last, first + timedelta(days=366))):
        for start, end in channel.window.hours:
            at = datetime.combine(day, time()) + timedelta(minutes=minutes(start))
            if minutes(start) < minutes(end) and allowed(channel.window, persona, at):
                return True
    return False


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
