"""Which arm of each branch of a journey did better, from its results export.

An arm's people are those its first send reached: the ``sent`` of its first send step (of
each nested arm's first send, when it starts with a branch); its successes, the conversions
of every send of the arm (counted at most once per person: an arm converts at most its
people). Arms are compared as a campaign's message test compares its arms
(`mcplan.report.experiments`, with `mcplan.stats`): each arm's conversion rate with its Wilson
interval, each against the first arm the results measure (the reference), the pooled
two-proportion z-test, and a winner only when the best arm's difference is significant at the
workspace's alpha; otherwise the difference is not credible and no arm wins.

An arm that sends nothing (an empty arm, those who match no arm) or whose sends the export
does not give is not measured: with fewer than two measured arms, nothing is compared. A
branch on engagement or personas is not a random split: its arms' people differ, so a
difference says who they are as much as what they were sent (`random` says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mcplan import numbers, stats
from mcplan.plan.journey import JourneyForecast
from mcplan.report.experiments import ArmReport, decide
from mcplan.report.journey.export import StepResult
from mcplan.words import Phrase
from mcplan.workspace.journey import Branch, Journey, Send, Wait
from mcplan.workspace.journey_steps import Otherwise, Step, When
from mcplan.workspace.sourcemap import KeyPath


@dataclass(frozen=True)
class ArmPlan:
    """One arm of a branch, as the journey writes it: who takes it, its first sends (whose
    sends count its people) and every send in it."""

    condition: str  # "share 0.4", "not_opened bonjour", "otherwise": as the file writes it
    first: tuple[str, ...]
    sends: tuple[str, ...]

    @property
    def label(self) -> str:
        """The arm as the export shows it: its first sends."""
        return " + ".join(self.first) if self.first else self.condition


@dataclass(frozen=True)
class BranchReport:
    """One branch: its arms measured, compared, and its winner if the difference is credible."""

    number: int  # 1, 2…: the branches in the order written
    id: str | None
    path: KeyPath
    conditions: tuple[ArmPlan, ...]  # every arm, as written
    random: bool  # a `share` split: the arms' people differ by chance only
    arms: tuple[ArmReport, ...]  # the measured arms, the first the reference
    unmeasured: tuple[str, ...]  # arms (by label) that send nothing or have no results
    forecast_rates: tuple[float | None, ...]  # per measured arm: forecast conversions / people
    deciding: ArmReport | None
    winner: str | None
    alpha: float

    @property
    def verdict(self) -> Phrase:
        """Which arm did better, or why none is said to."""
        if len(self.arms) < 2:
            return Phrase("branch_not_compared")
        if self.winner is None:
            c = self.deciding.comparison if self.deciding else None
            return Phrase("branch_no_difference", p=_p(c.p_value if c else 1.0))
        best = next(a for a in self.arms if a.arm == self.winner)
        rate = numbers.percent(best.rate, 2)
        return Phrase("arm_wins", winner=self.winner, rate=rate, metric=Phrase("metric_conversion"))


def report_branches(
    journey: Journey, forecast: JourneyForecast, results: Mapping[str, StepResult], alpha: float
) -> tuple[BranchReport, ...]:
    """Each branch of ``journey`` (in the order written), its arms measured on ``results``."""
    found = [(path, step) for path, step in journey.walk() if isinstance(step, Branch)]
    return tuple(
        _branch(number, path, branch, forecast, results, alpha)
        for number, (path, branch) in enumerate(found, start=1)
    )


def _branch(
    number: int,
    path: KeyPath,
    branch: Branch,
    forecast: JourneyForecast,
    results: Mapping[str, StepResult],
    alpha: float,
) -> BranchReport:
    plans = tuple(_arm_plan(arm) for arm in branch.branch)
    measured: list[tuple[ArmPlan, float, float]] = []
    unmeasured = []
    for plan in plans:
        counted = _counts(plan, results)
        if counted is None:
            unmeasured.append(plan.label)
        else:
            measured.append((plan, *counted))
    if not any(isinstance(a, Otherwise) for a in branch.branch) and not _shares_all(branch):
        unmeasured.append(Phrase("went_on"))
    arms = _compared(measured, alpha)
    deciding, winner = decide(arms, alpha) if len(arms) > 1 else (None, None)
    return BranchReport(
        number, branch.id, path, plans, _random(branch), tuple(arms), tuple(unmeasured),
        tuple(_forecast_rate(plan, forecast) for plan, _, _ in measured), deciding, winner, alpha,
    )  # fmt: skip


def _compared(measured: Sequence[tuple[ArmPlan, float, float]], alpha: float) -> list[ArmReport]:
    """Each measured arm's rate and interval, and (but the first) its comparison with the
    first."""
    arms = []
    for i, (plan, n, x) in enumerate(measured):
        low, high = stats.wilson(x, n, alpha)
        n0, x0 = measured[0][1], measured[0][2]
        comparison = stats.compare(x, n, x0, n0, alpha) if i else None
        arms.append(ArmReport(plan.label, n, x, x / n, low, high, comparison))
    return arms


def _counts(plan: ArmPlan, results: Mapping[str, StepResult]) -> tuple[float, float] | None:
    """An arm's (people, conversions) from the results; None when they do not tell."""
    if not plan.first or any(s not in results for s in plan.sends):
        return None
    people = sum(results[s].sent or 0.0 for s in plan.first)
    converted = sum(results[s].converted or 0.0 for s in plan.sends)
    if people <= 0:
        return None
    return people, min(converted, people)


def _forecast_rate(plan: ArmPlan, forecast: JourneyForecast) -> float | None:
    people = sum(forecast.step(s).total_sends_per_week for s in plan.first)
    converted = sum(forecast.step(s).weekly.conversions for s in plan.sends)
    return min(converted / people, 1.0) if people > 0 else None


def _arm_plan(arm: When | Otherwise) -> ArmPlan:
    steps = arm.steps if isinstance(arm, When) else arm.otherwise
    condition = _condition(arm)
    return ArmPlan(condition, tuple(_first_sends(steps)), tuple(_all_sends(steps)))


def _condition(arm: When | Otherwise) -> str:
    """Who takes an arm, as the file writes it: ``share 0.4``, ``not_opened hallo``."""
    if isinstance(arm, Otherwise):
        return "otherwise"
    written = arm.when
    parts = [f"share {written.share:g}"] if written.share is not None else []
    parts += [f"{key} {send}" for key, send in written.engagement]
    parts += [f"personas {', '.join(written.personas)}"] if written.personas else []
    return ", ".join(parts)


def _first_sends(steps: Sequence[Step]) -> list[str]:
    """The sends that first reach an arm's people: its first send, or the first sends of the
    arms of the branch it starts with."""
    for step in steps:
        if isinstance(step, Send):
            return [step.id]
        if isinstance(step, Branch):
            inner = (a.steps if isinstance(a, When) else a.otherwise for a in step.branch)
            return [s for arm_steps in inner for s in _first_sends(arm_steps)]
        assert isinstance(step, Wait)
    return []


def _all_sends(steps: Sequence[Step]) -> list[str]:
    sends: list[str] = []
    pending = list(reversed(steps))
    while pending:
        step = pending.pop()
        if isinstance(step, Send):
            sends.append(step.id)
        elif isinstance(step, Branch):
            for arm in reversed(step.branch):
                pending.extend(reversed(arm.steps if isinstance(arm, When) else arm.otherwise))
    return sends


def _random(branch: Branch) -> bool:
    """A random split: every arm a `share` (the `otherwise` arm takes the rest)."""
    return all(isinstance(a, Otherwise) or a.when.share is not None for a in branch.branch) and any(
        isinstance(a, When) for a in branch.branch
    )


def _shares_all(branch: Branch) -> bool:
    """Whether the arms' shares take everyone (nobody goes on past them)."""
    shares = [a.when.share for a in branch.branch if isinstance(a, When)]
    return all(s is not None for s in shares) and sum(s or 0.0 for s in shares) >= 1 - 1e-9


def _p(value: float) -> str:
    return f"< {numbers.decimal(0.0001, 4)}" if value < 0.0001 else numbers.decimal(value, 4)
