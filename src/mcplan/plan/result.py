"""What a plan is made of: candidates and their factors, the choice, the forecast, the schedule."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar, overload

import numpy as np

from mcplan.findings import Finding
from mcplan.plan.rules import UNDERPOWERED_TEST
from mcplan.workspace import Campaign, Touch

if TYPE_CHECKING:
    from mcplan.plan.experiments import PlannedHoldout, PlannedTest
    from mcplan.plan.journey import JourneyForecast
    from mcplan.plan.journey.held import CapForecast


@dataclass(frozen=True)
class Rejection:
    """A channel left out, for one persona or (persona None) for the whole campaign."""

    channel: str
    persona: str | None
    reason: str


Number = TypeVar("Number", float, np.ndarray)


def score(affinity: Number, objective_fit: float, stage_fit: Number, efficiency: float) -> Number:
    """A persona × channel score, or a channel's candidates' scores at once (arrays): the
    one formula (see `mcplan.plan.candidates`)."""
    found: Number = affinity * objective_fit * stage_fit * efficiency
    return found


@dataclass(frozen=True)
class Factors:
    """Every factor of a persona × channel score (see `mcplan.plan.candidates`)."""

    reach: float
    affinity: float
    objective_fit: float
    stage_fit: float
    efficiency: float
    # Behind objective_fit: (kind, weight, fit) of each objective.
    objectives: tuple[tuple[str, float, float], ...] = ()
    # Behind efficiency: the channel's cost per unit of what the objectives count (a
    # conversion, a person reached), and what it is compared to.
    cost_per_outcome: float = 0.0
    reference: float = 0.0

    @property
    def score(self) -> float:
        return score(self.affinity, self.objective_fit, self.stage_fit, self.efficiency)


@dataclass(frozen=True)
class Funnel:
    """Forecast counts of one or more touches (fractional: they are expectations)."""

    sends: float = 0.0
    reached: float = 0.0
    opens: float = 0.0
    clicks: float = 0.0
    conversions: float = 0.0
    cost: float = 0.0

    def __add__(self, other: Funnel) -> Funnel:
        return Funnel(
            self.sends + other.sends,
            self.reached + other.reached,
            self.opens + other.opens,
            self.clicks + other.clicks,
            self.conversions + other.conversions,
            self.cost + other.cost,
        )

    @property
    def cost_per_conversion(self) -> float | None:
        return self.cost / self.conversions if self.conversions else None


@dataclass(frozen=True)
class Candidate:
    """A persona × channel pair that passed the hard filters, with its score and forecast."""

    persona: str
    channel: str
    factors: Factors
    funnel: Funnel  # variable cost only: the channel's fixed cost is counted once per channel
    value: float  # what the selection maximises: outcome × score
    outcome: float = 0.0  # what the campaign's objectives count of its funnel (see `Counts`)

    @property
    def score(self) -> float:
        return self.factors.score


# The columns of a funnel, in the order of `Funnel`'s fields.
FUNNEL = ("sends", "reached", "opens", "clicks", "conversions", "cost")


def added(values: np.ndarray, start: float = 0.0) -> float:
    """The sum of `values` added one after the other, as a loop would (numpy's own sum adds
    pairwise, which can differ in the last digit)."""
    total: float = sum(values.tolist(), start)
    return total


@dataclass(frozen=True)
class Segments:
    """The SMS segments one persona's text is sent in, on a channel billed per segment."""

    units: float  # per message: the arms' segments weighted by their split
    arms: tuple[tuple[str | None, int, float], ...]  # (arm or None, segments, share)


@dataclass(frozen=True)
class Counts:
    """What a campaign's objectives count in a candidate's funnel: its conversions, the people
    it reaches, or both, mixed by the objectives' weights (see `mcplan.plan.candidates`)."""

    unit: str  # "conversions", "reached", or "mixed"
    # Mixed: what a person reached counts as, in conversions (the candidates' conversions per
    # person reached); 1 otherwise.
    rate: float = 1.0
    # Mixed: per channel, the share of the objectives' weight that counts the people reached.
    shares: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class ChannelCandidates:
    """The candidates of one channel, as columns: one row per persona, in the campaign's order.

    A campaign for a thousand personas on fourteen channels has fourteen thousand candidates;
    they are computed as arrays, and a `Candidate` is made only for whoever reads it.
    """

    channel: str
    personas: tuple[str, ...]
    reach: np.ndarray
    affinity: np.ndarray
    stage_fit: np.ndarray
    funnels: np.ndarray  # personas × FUNNEL, of one message to each contact
    values: np.ndarray
    objective_fit: float
    efficiency: float
    objectives: tuple[tuple[str, float, float], ...]
    cost_per_outcome: float
    reference: float
    contacts: np.ndarray  # each persona's size × reach
    units: np.ndarray  # what one message to one contact is billed as: 1, or its SMS segments
    outcomes: np.ndarray  # what the objectives count of each funnel (see `Counts`)
    # What it sends and costs as priced while the channels are chosen (`mcplan.plan.costs`):
    # the price the selection pays for it. None: it sends nothing.
    planned: ChannelForecast | None = None

    def __len__(self) -> int:
        return len(self.personas)

    @property
    def scores(self) -> np.ndarray:
        """Each candidate's score, in the order of `personas`."""
        return score(self.affinity, self.objective_fit, self.stage_fit, self.efficiency)

    def __iter__(self) -> Iterator[Candidate]:
        columns = zip(
            self.personas,
            self.reach.tolist(),
            self.affinity.tolist(),
            self.stage_fit.tolist(),
            self.funnels.tolist(),
            self.values.tolist(),
            self.outcomes.tolist(),
            strict=True,
        )
        for persona, reach, affinity, stage_fit, funnel, value, outcome in columns:
            factors = Factors(
                reach,
                affinity,
                self.objective_fit,
                stage_fit,
                self.efficiency,
                self.objectives,
                self.cost_per_outcome,
                self.reference,
            )
            yield Candidate(persona, self.channel, factors, Funnel(*funnel), value, outcome)

    @property
    def value(self) -> float:
        """The sum of the candidates' values, added in order (as one by one)."""
        return added(self.values)

    @property
    def price(self) -> float:
        """What the selection pays for the channel (its fixed cost included)."""
        return 0.0 if self.planned is None else self.planned.funnel.cost

    @property
    def planned_value(self) -> float:
        """What the selection gains with the channel: its candidates' values × their messages."""
        return 0.0 if self.planned is None else self.planned.value


class Candidates(Sequence[Candidate]):
    """Every candidate of a campaign, channel by channel (sorted), as `ChannelCandidates`."""

    def __init__(
        self, blocks: Sequence[ChannelCandidates] = (), counts: Counts | None = None
    ) -> None:
        self.blocks = {block.channel: block for block in sorted(blocks, key=lambda b: b.channel)}
        self.counts = counts or Counts("conversions")

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.blocks)

    def __len__(self) -> int:
        return sum(len(block) for block in self.blocks.values())

    def __iter__(self) -> Iterator[Candidate]:
        return itertools.chain.from_iterable(self.blocks.values())

    @overload
    def __getitem__(self, index: int) -> Candidate: ...
    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...
    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        return list(self)[index]


@dataclass(frozen=True)
class ChannelForecast:
    """What one channel sends, and to whom: only the touches that go out are forecast."""

    channel: str
    personas: tuple[str, ...]
    funnel: Funnel  # fixed cost included
    value: float
    # Per persona of `personas`, columns FUNNEL (variable cost only).
    funnels: np.ndarray | None = field(default=None, compare=False)

    @property
    def sent(self) -> tuple[tuple[str, Funnel], ...]:
        """What the channel sends to each persona (variable cost only)."""
        if self.funnels is None:
            return ()
        return tuple(zip(self.personas, (Funnel(*f) for f in self.funnels.tolist()), strict=True))

    @property
    def fixed_cost(self) -> float:
        """What the channel costs whoever it sends to (its total less the personas' costs)."""
        costs = 0.0 if self.funnels is None else added(self.funnels[:, FUNNEL.index("cost")])
        return round(self.funnel.cost - costs, 2)


@dataclass(frozen=True)
class ObjectiveProgress:
    """How far the forecast goes towards one objective."""

    kind: str
    channel: str | None
    target: float | None
    forecast: float | None  # in `unit`; None when the kind has no forecast figure
    unit: str
    people: float | None = None  # awareness: the distinct people reached, estimated

    @property
    def share(self) -> float | None:
        if self.target and self.forecast is not None:
            return self.forecast / self.target
        return None


@dataclass(frozen=True)
class ProposedTouch:
    """One touch of the schedule: local to each persona's time zone, as in campaign files."""

    channel: str
    at: datetime
    personas: tuple[str, ...] | None  # None: every persona of the campaign
    after: str | None = None

    @classmethod
    def written(cls, touch: Touch) -> ProposedTouch:
        """A touch as a campaign file writes it."""
        return cls(touch.channel, touch.at, tuple(touch.personas) if touch.personas else None,
                   touch.after)  # fmt: skip


@dataclass
class CampaignPlan:
    """The plan of one campaign."""

    campaign: Campaign
    candidates: Candidates = field(default_factory=Candidates)
    rejections: list[Rejection] = field(default_factory=list)
    chosen: tuple[str, ...] = ()
    # The candidate channels the selection leaves out, and why (the budget, max_channels).
    unselected: dict[str, str] = field(default_factory=dict)
    # Per channel billed per segment that the plan chooses: each persona's segments.
    segments: dict[str, dict[str, Segments]] = field(default_factory=dict)
    channels: list[ChannelForecast] = field(default_factory=list)
    total: Funnel = field(default_factory=Funnel)
    objectives: list[ObjectiveProgress] = field(default_factory=list)
    touches: list[ProposedTouch] = field(default_factory=list)
    proposed: bool = False  # True when the touches are a proposal (the campaign had none)
    tests: list[PlannedTest] = field(default_factory=list)
    holdout: PlannedHoldout | None = None
    findings: list[Finding] = field(default_factory=list)  # why it could not be planned

    @property
    def planned(self) -> bool:
        """Whether the plan holds (and may be written back): its only findings, if any, are
        about what its tests can detect."""
        return all(f.rule == UNDERPOWERED_TEST.code for f in self.findings)


class PlanResult(list[CampaignPlan]):
    """What `plan()` gives: the plans of the campaigns asked for, in that order (a list, as it
    always was, so that its callers read it as before), and `journeys`, the forecasts of the
    journeys asked for (issue 29), by id, and `held`, what the platform holds or skips of
    their sends to keep the caps (`plan.journey.held`), by journey id."""

    def __init__(
        self,
        plans: Iterable[CampaignPlan] = (),
        journeys: Iterable[JourneyForecast] = (),
        held: Mapping[str, CapForecast] | None = None,
    ) -> None:
        super().__init__(plans)
        self.journeys: tuple[JourneyForecast, ...] = tuple(journeys)
        self.held: dict[str, CapForecast] = dict(held or {})
