"""Candidates: the persona × channel pairs worth considering, each with its score.

Hard filters come first, each with its reason: the campaign's `channels` leaves the channel
out; the persona lacks the consent the channel needs in its market; the channel has no send
window on any day of the campaign (in the persona's time zone, holidays included); what the
channel would send costs more than the budget on its own (priced by `mcplan.plan.costs`, as
the forecast is); or nothing about it fits (a factor is 0).

Then every remaining pair is scored:

    score = affinity × objective fit × stage fit × efficiency
    value = outcome × score
    outcome = expected conversions (size × reach × delivery × conversion), or people
              reached (size × reach × delivery), as the campaign's objectives count

- affinity: how much the persona likes the channel (persona file);
- objective fit: the channel's `fit.objectives` for the campaign's objectives, averaged with
  their weights (objectives tied to another channel do not count; 1 when there is none);
- stage fit: the channel's `fit.stages` for the persona's lifecycle stage;
- outcome: awareness and reputation count the people reached, the other kinds conversions;
  with both, each channel's share of reach objectives (by weight) mixes the two, a person
  reached counting as the candidates' conversions per person reached (`Counts`);
- efficiency: 1 / (1 + cost per outcome / reference), where the cost counts the channel's
  fixed cost once and the reference is the campaign's `average_order_value` (not for people
  reached, which it does not price), or, without one, the median cost per outcome of the
  candidate channels. A channel whose conversions cost what they bring scores 0.5; a free one
  scores 1.

The plan maximises the sum of the values of its channels.

What does not depend on the campaign (who uses a channel, with what reach, affinity and
consent) is read once per workspace into arrays (`Audience`); a campaign's candidates are
then computed channel by channel for all its personas at once, in the same order and with the
same floating-point operations as one by one, so the figures are exactly those.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

import numpy as np

from mcplan.numbers import money
from mcplan.plan.audience import Audience, Links
from mcplan.plan.costs import Pricing, funnels_of, planned, price
from mcplan.plan.result import (
    FUNNEL,
    Candidates,
    ChannelCandidates,
    Counts,
    Factors,
    Rejection,
    added,
    score,
)
from mcplan.schedule.windows import allowed, minutes
from mcplan.words import Days, Phrase
from mcplan.workspace import Campaign, Channel, ObjectiveKind, Persona, Workspace

# The objectives that count the people a channel reaches; the others count its conversions.
COUNT_REACH = frozenset({ObjectiveKind.AWARENESS, ObjectiveKind.REPUTATION})


def find(
    workspace: Workspace,
    campaign: Campaign,
    audience: Audience | None = None,
    pricing: Pricing | None = None,
) -> tuple[Candidates, list[Rejection]]:
    """Every persona × channel candidate of the campaign, and every rejection with its reason.

    ``pricing`` prices the channels (default: the campaign's touches, one message on a
    channel none of them uses; see `mcplan.plan.costs`)."""
    audience = audience or Audience.of(workspace)
    pricing = pricing or Pricing.selecting(workspace, campaign)
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
    rejections += [Rejection(c, None, Phrase("not_in_channels")) for c in sorted(outside)]
    rejections += [Rejection(c, None, Phrase("file_has_errors")) for c in sorted(broken)]
    return _scored(workspace, campaign, audience, pairs, rejections, pricing)


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
    hours = channel.window.hours_text()
    return Phrase(
        "no_window",
        first=campaign.first_day,
        last=campaign.last_day,
        days=Days(tuple(d.number for d in channel.window.days)),
        hours=Phrase("all_day") if hours == "all day" else hours,
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
    pricing: Pricing,
) -> tuple[Candidates, list[Rejection]]:
    """Score the pairs left after the filters: drop those with a factor of 0 and the channels
    over the budget on their own, then weigh what is left by its efficiency."""
    scoring = _Scoring(workspace, campaign, audience, pricing, rejections)
    scoring.drop_unfit(pairs)
    scoring.price(pairs)
    counts = _counts(campaign, {c: scoring.priced[c].funnels for c in pairs})
    outcomes = {c: _outcomes(scoring.priced[c].funnels, counts, c) for c in pairs}
    per_outcome = {c: scoring.cost_per_outcome(c, outcomes[c]) for c in pairs}
    aov = campaign.average_order_value if counts.unit != "reached" else None
    reference = aov or _median(list(per_outcome.values()))
    blocks = []
    for channel_id, rows in sorted(pairs.items()):
        outcome = _Outcome(outcomes[channel_id], per_outcome[channel_id], reference)
        block = scoring.block(channel_id, rows, outcome)
        if block is not None:
            blocks.append(block)
    candidates = Candidates(blocks, counts)
    return candidates, sorted(rejections, key=lambda r: (r.channel, r.persona or ""))


@dataclass(frozen=True)
class _Priced:
    """What a channel would send its personas: contacts, billed units, one message's funnel."""

    contacts: np.ndarray
    units: np.ndarray
    funnels: np.ndarray


@dataclass(frozen=True)
class _Outcome:
    """What a channel's funnels count for the objectives, what one costs, and the reference
    its efficiency compares that cost with."""

    outcomes: np.ndarray
    per_outcome: float
    reference: float

    @property
    def efficiency(self) -> float:
        return 1 / (1 + self.per_outcome / self.reference) if self.reference else 1.0


@dataclass
class _Scoring:
    """One campaign's pairs as they are scored: what every step reads, the rejections so far,
    and each channel's objective fit and prices once found."""

    workspace: Workspace
    campaign: Campaign
    audience: Audience
    pricing: Pricing
    rejections: list[Rejection]
    fits: dict[str, tuple[float, tuple[tuple[str, float, float], ...]]] = field(
        default_factory=dict
    )
    priced: dict[str, _Priced] = field(default_factory=dict)

    def drop_unfit(self, pairs: dict[str, np.ndarray]) -> None:
        """Reject the pairs that nothing fits (affinity, objective or stage fit of 0)."""
        for channel_id, rows in list(pairs.items()):
            links, channel = self.audience.links[channel_id], self.workspace.channels[channel_id]
            self.fits[channel_id] = _objective_fit(self.campaign, channel)
            fit = self.fits[channel_id][0]
            zero = links.affinity[rows] * fit * links.stage_fit[rows] <= 0
            for r in rows[zero].tolist():
                factors = Factors(0.0, links.affinity[r], fit, links.stage_fit[r], 1)
                self.rejections.append(
                    Rejection(channel_id, self.audience.ids[r], _no_fit(factors))
                )
            pairs[channel_id] = rows[~zero]
            if not len(pairs[channel_id]):
                del pairs[channel_id]

    def price(self, pairs: dict[str, np.ndarray]) -> None:
        """Price each channel for its personas; reject those that cost more than the budget
        on their own (as the selection pays them)."""
        for channel_id, rows in sorted(pairs.items()):
            channel = self.workspace.channels[channel_id]
            personas = [self.audience.ids[r] for r in rows.tolist()]
            contacts = self.audience.size[rows] * self.audience.links[channel_id].reach[rows]
            units = self.pricing.units(channel, personas)
            self.priced[channel_id] = _Priced(contacts, units, funnels_of(contacts, channel, units))
            alone = price(channel, personas, contacts, units, self.pricing)
            budget = self.campaign.budget
            if budget is not None and alone > budget:
                self.rejections.append(self._over_budget(channel_id, alone, budget))
                del pairs[channel_id]

    def _over_budget(self, channel_id: str, cost: float, budget: float) -> Rejection:
        currency = self.workspace.settings.currency
        said = Phrase("over_budget", cost=money(cost, currency), budget=money(budget, currency))
        return Rejection(channel_id, None, said)

    def cost_per_outcome(self, channel_id: str, outcomes: np.ndarray) -> float:
        """The channel's cost (its fixed cost once) per outcome; infinite without one."""
        funnels = self.priced[channel_id].funnels
        cost = self.workspace.channels[channel_id].fixed_cost + added(
            funnels[:, FUNNEL.index("cost")]
        )
        total = added(outcomes)
        return cost / total if total else float("inf")

    def block(
        self, channel_id: str, rows: np.ndarray, outcome: _Outcome
    ) -> ChannelCandidates | None:
        """The channel's candidates, scored; None when its efficiency is 0 (each of its
        pairs is then rejected)."""
        links = self.audience.links[channel_id]
        efficiency = outcome.efficiency
        objective_fit, terms = self.fits[channel_id]
        reach, affinity, stage_fit = links.reach[rows], links.affinity[rows], links.stage_fit[rows]
        scores = score(affinity, objective_fit, stage_fit, efficiency)
        if efficiency <= 0:
            for r, a, f in zip(rows.tolist(), affinity.tolist(), stage_fit.tolist(), strict=True):
                factors = Factors(0.0, a, objective_fit, f, efficiency)
                self.rejections.append(
                    Rejection(channel_id, self.audience.ids[r], _no_fit(factors))
                )
            return None
        priced = self.priced[channel_id]
        block = ChannelCandidates(
            channel_id,
            tuple(self.audience.ids[r] for r in rows.tolist()),
            reach,
            affinity,
            stage_fit,
            priced.funnels,
            outcome.outcomes * scores,
            objective_fit,
            efficiency,
            terms,
            outcome.per_outcome,
            outcome.reference,
            priced.contacts,
            priced.units,
            outcome.outcomes,
        )
        channel = self.workspace.channels[channel_id]
        return replace(block, planned=planned(block, channel, self.pricing))


def reach_share(campaign: Campaign, channel_id: str) -> float:
    """The share of the weight of the campaign's objectives on the channel that counts the
    people reached (awareness, reputation); 0 without objectives."""
    relevant = [o for o in campaign.objectives if o.channel in (None, channel_id)]
    weights = sum(o.weight for o in relevant)
    if not weights:
        return 0.0
    return sum(o.weight for o in relevant if o.kind in COUNT_REACH) / weights


def _counts(campaign: Campaign, funnels: dict[str, np.ndarray]) -> Counts:
    """What the campaign's objectives count in its candidates' funnels."""
    shares = {c: reach_share(campaign, c) for c in sorted(funnels)}
    if all(share == 0 for share in shares.values()):
        return Counts("conversions")
    if all(share == 1 for share in shares.values()):
        return Counts("reached")
    conversions = sum(added(f[:, FUNNEL.index("conversions")]) for f in funnels.values())
    reached = sum(added(f[:, FUNNEL.index("reached")]) for f in funnels.values())
    return Counts("mixed", conversions / reached if reached else 0.0, tuple(shares.items()))


def _outcomes(funnels: np.ndarray, counts: Counts, channel_id: str) -> np.ndarray:
    """What the objectives count of each funnel (see `Counts`)."""
    conversions = funnels[:, FUNNEL.index("conversions")]
    reached = funnels[:, FUNNEL.index("reached")]
    if counts.unit == "conversions":
        return conversions
    if counts.unit == "reached":
        return reached
    share = dict(counts.shares)[channel_id]
    return (1 - share) * conversions + share * counts.rate * reached


def _median(values: list[float]) -> float:
    finite = [v for v in values if 0 < v < float("inf")]
    return statistics.median(finite) if finite else 0.0


def _no_fit(factors: Factors) -> str:
    zero = tuple(
        Phrase(name)
        for name, value in (
            ("factor_affinity", factors.affinity),
            ("factor_objective_fit", factors.objective_fit),
            ("factor_stage_fit", factors.stage_fit),
            ("factor_efficiency", factors.efficiency),
        )
        if value <= 0
    )
    return Phrase("no_fit", factors=zero)


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
