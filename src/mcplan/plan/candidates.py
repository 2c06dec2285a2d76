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
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from mcplan.plan.result import Candidate, Factors, Funnel, Rejection
from mcplan.schedule.windows import allowed, minutes
from mcplan.workspace import Campaign, Channel, Persona, Workspace


def find(workspace: Workspace, campaign: Campaign) -> tuple[list[Candidate], list[Rejection]]:
    """Every persona × channel candidate of the campaign, and every rejection with its reason."""
    rejections: list[Rejection] = []
    pairs: list[tuple[Persona, Channel, Funnel]] = []
    allowed_channels = set(campaign.channels) if campaign.channels is not None else None
    personas = [workspace.personas[p] for p in campaign.personas if p in workspace.personas]
    outside: set[str] = set()
    broken: set[str] = set()  # channels whose file has errors: left out of the plan
    open_days: dict[tuple[str, str | None], bool] = {}
    for persona in personas:
        for channel_id, link in persona.channels.items():
            channel = workspace.channels.get(channel_id)
            if channel is None:
                if workspace.exists("channel_rules", channel_id):
                    broken.add(channel_id)
                continue  # else an unknown channel: validate says so
            if allowed_channels is not None and channel_id not in allowed_channels:
                outside.add(channel_id)
                continue
            channel = workspace.rules(channel_id, persona).channel  # with its country's law
            needed = getattr(channel.consent, persona.market.value)
            if not link.consent.satisfies(needed):
                rejections.append(
                    Rejection(
                        channel_id,
                        persona.id,
                        f"consent: {persona.market.value} needs {needed.value}, the persona "
                        f"has {link.consent.value}",
                    )
                )
                continue
            key = (channel_id, persona.country)  # windows and holidays: the country's
            if key not in open_days:
                open_days[key] = _open_day(channel, persona, campaign)
            if not open_days[key]:
                rejections.append(
                    Rejection(
                        channel_id,
                        persona.id,
                        f"no send window between {campaign.first_day} and {campaign.last_day} "
                        f"({channel.window.days_text()} {channel.window.hours_text()})",
                    )
                )
                continue
            pairs.append((persona, channel, funnel_of(persona, channel)))
    rejections += [Rejection(c, None, "not in the campaign's channels") for c in sorted(outside)]
    rejections += [Rejection(c, None, "its file has errors") for c in sorted(broken)]
    return _scored(campaign, pairs, rejections)


def funnel_of(persona: Persona, channel: Channel, touches: float = 1.0) -> Funnel:
    """The forecast of `touches` touches of a channel to a persona (variable cost only)."""
    link = persona.channels[channel.id]
    rates = channel.rates
    sends = persona.size * link.reach * touches
    reached = sends * rates.delivery
    return Funnel(
        sends=sends,
        reached=reached,
        opens=reached * rates.open,
        clicks=reached * rates.click,
        conversions=reached * rates.conversion,
        cost=sends * channel.cost_per_contact,
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
    campaign: Campaign,
    pairs: list[tuple[Persona, Channel, Funnel]],
    rejections: list[Rejection],
) -> tuple[list[Candidate], list[Rejection]]:
    by_channel: dict[str, list[tuple[Persona, Channel, Funnel]]] = defaultdict(list)
    for pair in pairs:
        by_channel[pair[1].id].append(pair)
    cost: dict[str, float] = {}
    per_conversion: dict[str, float] = {}
    for channel_id, group in by_channel.items():
        channel = group[0][1]
        cost[channel_id] = channel.fixed_cost + sum(f.cost for _, _, f in group)
        conversions = sum(f.conversions for _, _, f in group)
        per_conversion[channel_id] = cost[channel_id] / conversions if conversions else float("inf")
    for channel_id in sorted(by_channel):
        if campaign.budget is not None and cost[channel_id] > campaign.budget:
            rejections.append(
                Rejection(
                    channel_id,
                    None,
                    f"costs {cost[channel_id]:,.2f} alone, over the budget of "
                    f"{campaign.budget:,.2f}",
                )
            )
            del by_channel[channel_id]
    reference = campaign.average_order_value or _median(
        [v for c, v in per_conversion.items() if c in by_channel]
    )
    candidates = []
    for channel_id, group in sorted(by_channel.items()):
        channel = group[0][1]
        efficiency = 1 / (1 + per_conversion[channel_id] / reference) if reference else 1.0
        objective_fit, terms = _objective_fit(campaign, channel)
        for persona, _, funnel in group:
            link = persona.channels[channel_id]
            factors = Factors(
                reach=link.reach,
                affinity=link.affinity,
                objective_fit=objective_fit,
                stage_fit=channel.fit.stages.get(persona.stage, 0.0),
                efficiency=efficiency,
                objectives=terms,
                cost_per_conversion=per_conversion[channel_id],
                reference=reference,
            )
            if factors.score <= 0:
                rejections.append(Rejection(channel_id, persona.id, _no_fit(factors)))
                continue
            value = funnel.conversions * factors.score
            candidates.append(Candidate(persona.id, channel_id, factors, funnel, value))
    return candidates, sorted(rejections, key=lambda r: (r.channel, r.persona or ""))


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
