"""What a plan is made of: candidates and their factors, the choice, the forecast, the schedule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mcplan.findings import Finding
from mcplan.workspace import Campaign


@dataclass(frozen=True)
class Rejection:
    """A channel left out, for one persona or (persona None) for the whole campaign."""

    channel: str
    persona: str | None
    reason: str


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
    # Behind efficiency: the channel's cost per expected conversion, and what it is compared to.
    cost_per_conversion: float = 0.0
    reference: float = 0.0

    @property
    def score(self) -> float:
        return self.affinity * self.objective_fit * self.stage_fit * self.efficiency


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
    value: float  # what the selection maximises: conversions × score

    @property
    def score(self) -> float:
        return self.factors.score


@dataclass(frozen=True)
class ChannelForecast:
    """What one channel sends, and to whom: only the touches that go out are forecast."""

    channel: str
    personas: tuple[str, ...]
    funnel: Funnel  # fixed cost included
    value: float
    sent: tuple[tuple[str, Funnel], ...] = ()  # per persona (variable cost only)

    @property
    def fixed_cost(self) -> float:
        """What the channel costs whoever it sends to (its total less the personas' costs)."""
        return round(self.funnel.cost - sum(funnel.cost for _, funnel in self.sent), 2)


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


@dataclass
class CampaignPlan:
    """The plan of one campaign."""

    campaign: Campaign
    candidates: list[Candidate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    chosen: tuple[str, ...] = ()
    channels: list[ChannelForecast] = field(default_factory=list)
    total: Funnel = field(default_factory=Funnel)
    objectives: list[ObjectiveProgress] = field(default_factory=list)
    touches: list[ProposedTouch] = field(default_factory=list)
    proposed: bool = False  # True when the touches are a proposal (the campaign had none)
    findings: list[Finding] = field(default_factory=list)  # why it could not be planned
