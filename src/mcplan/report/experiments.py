"""Read a campaign's message tests and holdout from its results, with their statistics.

For each test, from the rows of its channel's arms: per arm the denominator (delivered, else
sent), the successes of the test's metric (opened, clicked or converted) and the rate with its
interval; each arm against the control (the first arm): the relative lift, its interval, and
the p-value of the pooled two-proportion z-test, two-sided (see `mcplan.stats`). The winner is
the arm with the best rate when its difference is significant at the workspace's alpha (the
best arm against the control, or the control against the best of the others), and none
otherwise. A sample ratio mismatch (the arms' sends, χ², against the planned split, p < 0.001)
says that the split was not the one planned: the comparison is not to be trusted until the
assignment is checked.

For the holdout, the treated group's conversion rate against the held-out group's: the lift,
its interval, the p-value, and the incremental conversions (what the treated converted beyond
the held-out rate, with the interval of the difference of the rates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mcplan import stats
from mcplan.errors import UsageError
from mcplan.numbers import number, percent
from mcplan.printable import excerpt
from mcplan.report.results import ChannelResult
from mcplan.words import Phrase
from mcplan.workspace import Campaign, Experiment

MISMATCH_P = 0.001  # below it, the observed split is not the planned one
SUCCESSES = {"open": "opened", "click": "clicked", "conversion": "converted"}


@dataclass(frozen=True)
class ArmReport:
    """One arm's results, and (but for the control) its comparison with the control."""

    arm: str
    contacts: float  # the denominator: delivered, else sent
    successes: float
    rate: float
    low: float  # the rate's interval, at 1 - alpha
    high: float
    comparison: stats.Comparison | None  # against the control; None for the control itself


@dataclass(frozen=True)
class TestReport:
    """A test read from its results: per arm, the deciding comparison, the winner."""

    test: Experiment
    denominator: str  # "delivered" or "sent"
    arms: tuple[ArmReport, ...]
    deciding: ArmReport | None  # the arm whose comparison with the control decides
    winner: str | None
    alpha: float
    split_chi2: float
    split_p: float

    @property
    def mismatch(self) -> bool:
        return self.split_p < MISMATCH_P

    @property
    def verdict(self) -> str:
        """What to do, said plainly."""
        control = self.test.control
        if self.winner is None:
            return Phrase("no_difference", control=control)
        best = next(a for a in self.arms if a.arm == self.winner)
        metric = Phrase(f"metric_{self.test.metric.value}")
        return Phrase("arm_wins", winner=self.winner, rate=_percent(best.rate), metric=metric)


@dataclass(frozen=True)
class HoldoutReport:
    """What the campaign added: the treated against the held-out people."""

    treated: ChannelResult
    holdout: ChannelResult
    comparison: stats.Comparison
    incremental: float  # conversions beyond the held-out rate
    incremental_low: float | None  # None when a group converted nobody
    incremental_high: float | None
    alpha: float

    @property
    def significant(self) -> bool:
        return self.comparison.p_value < self.alpha


def report_tests(
    campaign: Campaign, arms: Sequence[ChannelResult], alpha: float, path: Path
) -> list[TestReport]:
    """Each test of ``campaign`` that the results give arms for.

    Raises :class:`UsageError`, naming the row, for an arm the test does not have, an arm
    row of a channel without a test, or an arm without the figures its metric needs.
    """
    by_channel: dict[str, list[ChannelResult]] = {}
    for row in arms:
        test = campaign.test_on(row.channel)
        if test is None:
            raise UsageError(
                f"{path}: row {row.row}: arm '{excerpt(row.arm or '')}' of {row.channel}, but "
                f"campaign '{campaign.id}' has no test of {row.channel}"
            )
        if row.arm not in test.arms:
            raise UsageError(
                f"{path}: row {row.row}: '{excerpt(row.arm or '')}' is not an arm of test "
                f"'{test.id}'; its arms: {', '.join(test.arms)}"
            )
        by_channel.setdefault(row.channel, []).append(row)
    reviews = []
    for test in campaign.tests:
        rows = by_channel.get(test.channel)
        if rows and campaign.test_on(test.channel) is test:
            reviews.append(_review(test, rows, alpha, path))
    return reviews


def _review(test: Experiment, rows: list[ChannelResult], alpha: float, path: Path) -> TestReport:
    found = {row.arm: row for row in rows}
    missing = [arm for arm in test.arms if arm not in found]
    if missing:
        first = min(row.row for row in rows)
        raise UsageError(
            f"{path}: row {first}: test '{test.id}' has arms {', '.join(missing)} too, without "
            "a row"
        )
    ordered = [found[arm] for arm in test.arms]
    denominator = "delivered" if all(r.delivered is not None for r in ordered) else "sent"
    counts = [_counts(row, denominator, test, path) for row in ordered]
    n0, x0 = counts[0]
    reviewed = []
    for i, (row, (n, x)) in enumerate(zip(ordered, counts, strict=True)):
        low, high = stats.wilson(x, n, alpha)
        comparison = stats.compare(x, n, x0, n0, alpha) if i else None
        reviewed.append(ArmReport(row.arm or "", n, x, x / n, low, high, comparison))
    deciding, winner = decide(reviewed, alpha)
    sent = [r.sent if r.sent is not None else getattr(r, denominator) for r in ordered]
    chi2, p = stats.chi_square_p(sent, list(test.shares().values()))
    return TestReport(test, denominator, tuple(reviewed), deciding, winner, alpha, chi2, p)


def _counts(
    row: ChannelResult, denominator: str, test: Experiment, path: Path
) -> tuple[float, float]:
    """An arm's (denominator, successes of the test's metric), as the row gives them."""
    successes = SUCCESSES[test.metric.value]
    n, x = getattr(row, denominator), getattr(row, successes)
    where = f"{path}: row {row.row}: arm '{row.arm}'"
    if n is None:
        raise UsageError(f"{where} gives neither delivered nor sent, which its rate needs")
    if x is None:
        raise UsageError(
            f"{where} does not give {successes}, which test '{test.id}' measures "
            f"({test.metric.value})"
        )
    if not 0 <= x <= n or not n:
        raise UsageError(
            f"{where}: {successes} ({number(x)}) must be between 0 and {denominator} "
            f"({number(n)}), which must not be 0"
        )
    return n, x


def decide(arms: list[ArmReport], alpha: float) -> tuple[ArmReport | None, str | None]:
    """The arm whose comparison with the control decides, and the winner if it is
    significant: the best arm, or the control when it beats the best of the others (a
    journey's branches are decided so too, `mcplan.report.journey.branches`)."""
    control, others = arms[0], arms[1:]
    best = max(others, key=lambda a: a.rate)
    assert best.comparison is not None
    significant = best.comparison.p_value < alpha
    if best.rate > control.rate:
        return best, best.arm if significant else None
    return best, control.arm if significant and best.rate < control.rate else None


def report_holdout(
    groups: dict[str, ChannelResult], alpha: float, path: Path
) -> HoldoutReport | None:
    """The holdout's groups compared (None without both rows)."""
    if not groups:
        return None
    if set(groups) != {"treated", "holdout"}:
        given, needed = next(iter(groups.items()))
        other = "holdout" if given == "treated" else "treated"
        raise UsageError(f"{path}: row {needed.row}: a {given} row, but no {other} row")
    treated, held = groups["treated"], groups["holdout"]
    for row in (treated, held):
        contacts, converted = row.contacts or 0.0, row.converted or 0.0
        if not 0 <= converted <= contacts or not contacts:
            raise UsageError(
                f"{path}: row {row.row}: the {row.arm} group's converted "
                f"({number(converted)}) must be between 0 and its contacts "
                f"({number(contacts)}), which must not be 0"
            )
    nt, xt = treated.contacts or 0.0, treated.converted or 0.0
    nh, xh = held.contacts or 0.0, held.converted or 0.0
    comparison = stats.compare(xt, nt, xh, nh, alpha)

    # What the treated converted beyond the held-out rate: xt × (1 - 1/ratio), its interval
    # that of the ratio of the rates (the lift's), so that the two always agree.
    def beyond(lift: float | None) -> float | None:
        return None if lift is None else xt * (1 - 1 / (1 + lift))

    return HoldoutReport(
        treated, held, comparison, xt - nt * xh / nh, beyond(comparison.low),
        beyond(comparison.high), alpha,
    )  # fmt: skip


def _percent(rate: float) -> str:
    return percent(rate, 2)
