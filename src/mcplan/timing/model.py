"""When each persona engages, learned from an export (issue 30; docs/timing.md "The
model"): per channel, a Beta-Binomial model of the rate of opens (or clicks) at each local
weekday and hour, each persona's cells shrunk towards the channel's other personas
(empirical Bayes: the prior's strength by maximum marginal likelihood, `mcplan.timing.beta`),
then per persona and channel the best slot, how sure it is, and what it gains on the slot
the workspace's touches use today."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from mcplan.errors import UsageError
from mcplan.timing import beta
from mcplan.timing.read import CLICKED, OPENED, SENT, Engagement
from mcplan.timing.result import METRICS, Cell, SendTime, Slot, TimingResult

if TYPE_CHECKING:
    from mcplan.workspace import Workspace

WEEKDAY_CREDIBLE = 0.95  # P(the best day beats the same hour on the other days) to name it
ENOUGH = 0.90  # P(the best slot beats the runner-up, from the persona's own sends alone)
APART = 2  # hours: the runner-up is the best slot at least this far from the best one
SMALLEST_LEAD = 0.001  # the lead `sends_needed` assumes at least (a tenth of a point)


def learn(workspace: Workspace, engagement: Engagement, metric: str | None = None) -> TimingResult:
    """Each persona and channel of ``engagement``: the rate of ``metric`` (``open`` or
    ``click``; by default opens on a channel whose rows have any, clicks otherwise) per local
    weekday and hour, the best slot and its comparison with the current one."""
    from mcplan.timing.current import current_slots

    if metric is not None and metric not in METRICS:
        raise UsageError(f"--metric: '{metric}' is not one of {', '.join(METRICS)}")
    if metric is not None and metric not in engagement.metrics:
        raise UsageError(
            f"--metric {metric}: {engagement.display} has no column of {metric}s "
            f"(it has: {', '.join(sorted(engagement.metrics)) or 'sends only'})"
        )
    current = current_slots(workspace, engagement.pairs)
    found: list[SendTime] = []
    for channel in sorted({c for _, c in engagement.pairs}):
        rows = [i for i, (_, c) in enumerate(engagement.pairs) if c == channel]
        chosen = metric or _default_metric(engagement, rows)
        axis = OPENED if chosen == "open" else CLICKED
        sent = engagement.counts[rows, SENT].astype(float)
        engaged = engagement.counts[rows, axis].astype(float)
        posterior = _Channel.of(sent, engaged)
        for j, i in enumerate(rows):
            persona = engagement.pairs[i][0]
            found.append(
                posterior.pair(j).send_time(
                    persona,
                    channel,
                    chosen,
                    engagement.periods[i],
                    current.get(engagement.pairs[i]),
                )
            )
    found.sort(key=lambda s: (s.persona, s.channel))
    return TimingResult(tuple(found), engagement.rows)


def _default_metric(engagement: Engagement, rows: list[int]) -> str:
    """Opens where the channel's rows have any, clicks otherwise."""
    if "open" in engagement.metrics and engagement.counts[rows, OPENED].sum() > 0:
        return "open"
    return "click"


@dataclass(frozen=True)
class _Channel:
    """The posteriors of one channel's personas, every cell at once (personas, 7, 24)."""

    sent: np.ndarray
    engaged: np.ndarray
    prior: np.ndarray  # each cell's prior mean
    strength: float
    rate: np.ndarray  # each cell's posterior mean
    low: np.ndarray  # and its 90 % interval
    high: np.ndarray

    @classmethod
    def of(cls, sent: np.ndarray, engaged: np.ndarray) -> _Channel:
        shape = sent.shape
        flat_sent, flat_engaged = sent.reshape(shape[0], -1), engaged.reshape(shape[0], -1)
        strength = beta.strength(flat_sent, flat_engaged)
        prior = beta.profile(flat_sent, flat_engaged, strength).reshape(shape)
        a = strength * prior + engaged
        b = strength * (1 - prior) + sent - engaged
        low, high = beta.interval(a, b)
        return cls(sent, engaged, prior, strength, beta.mean(a, b), low, high)

    def pair(self, j: int) -> _Pair:
        return _Pair(
            self.sent[j], self.engaged[j], self.prior[j], self.strength, self.rate[j],
            self.low[j], self.high[j],
        )  # fmt: skip


@dataclass(frozen=True)
class _Pair:
    """One persona and channel's sends and engagements (7 × 24), its prior means and the
    channel's prior strength, and its cells' posterior means and intervals."""

    sent: np.ndarray
    engaged: np.ndarray
    prior: np.ndarray
    strength: float
    rate: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def cell(self, weekday: int, hour: int) -> tuple[float, float]:
        """The posterior Beta(a, b) of one weekday and hour."""
        m, n, k = self.prior[weekday, hour], self.sent[weekday, hour], self.engaged[weekday, hour]
        return self.strength * m + k, self.strength * (1 - m) + n - k

    def hour(self, hour: int, days: list[int] | None = None) -> tuple[float, float]:
        """The posterior of an hour of any day (of ``days``): the days' counts added up, the
        prior's mean their prior means' average, its strength the same."""
        days = list(range(7)) if days is None else days
        m = float(self.prior[days, hour].mean())
        n, k = self.sent[days, hour].sum(), self.engaged[days, hour].sum()
        return self.strength * m + k, self.strength * (1 - m) + n - k

    def hours(self) -> np.ndarray:
        """The posterior mean of every hour of any day."""
        m, n, k = self.prior.mean(axis=0), self.sent.sum(axis=0), self.engaged.sum(axis=0)
        return np.asarray((self.strength * m + k) / (self.strength + n))

    def posterior(self, slot: Slot) -> tuple[float, float]:
        return self.hour(slot.hour) if slot.weekday is None else self.cell(slot.weekday, slot.hour)

    def own(self, slot: Slot) -> tuple[float, float]:
        """The persona's own sends at a slot, alone: Beta(1 + engaged, 1 + not engaged)."""
        days = list(range(7)) if slot.weekday is None else [slot.weekday]
        n, k = self.sent[days, slot.hour].sum(), self.engaged[days, slot.hour].sum()
        return 1 + k, 1 + n - k

    def cells(self) -> tuple[Cell, ...]:
        sent, engaged = self.sent.astype(int).tolist(), self.engaged.astype(int).tolist()
        rate, low, high = self.rate.tolist(), self.low.tolist(), self.high.tolist()
        return tuple(
            Cell(d, h, sent[d][h], engaged[d][h], rate[d][h], (low[d][h], high[d][h]))
            for d in range(7) for h in range(24)
        )  # fmt: skip

    def best(self) -> Slot:
        """The weekday and hour of highest posterior rate, when that day credibly beats the
        same hour on the other days (P ≥ 0.95); else the hour of any day of highest rate."""
        weekday, hour = (int(i) for i in np.unravel_index(int(np.argmax(self.rate)), (7, 24)))
        others = [d for d in range(7) if d != weekday]
        credible = beta.probability_greater(*self.cell(weekday, hour), *self.hour(hour, others))
        if credible >= WEEKDAY_CREDIBLE:
            return Slot(weekday, hour)
        return Slot(None, int(np.argmax(self.hours())))

    def runner_up(self, best: Slot) -> Slot:
        """The slot of the same kind with the highest posterior rate at least `APART` hours
        from the best one."""
        hours = np.arange(24)
        near = np.minimum((hours - best.hour) % 24, (best.hour - hours) % 24) < APART
        if best.weekday is None:
            return Slot(None, int(np.argmax(np.where(near, -1.0, self.hours()))))
        rates = np.where(near[np.newaxis, :], -1.0, self.rate)
        weekday, hour = np.unravel_index(int(np.argmax(rates)), (7, 24))
        return Slot(int(weekday), int(hour))

    def send_time(
        self,
        persona: str,
        channel: str,
        metric: str,
        period: tuple[date, date] | None,
        current: Slot | None,
    ) -> SendTime:
        best = self.best()
        runner = self.runner_up(best)
        lead = beta.probability_greater(*self.own(best), *self.own(runner))
        enough = lead >= ENOUGH
        a, b = self.posterior(best)
        now = self.posterior(current) if current is not None else None
        now_rate = float(beta.mean(*now)) if now is not None else None
        rate = float(beta.mean(a, b))
        low, high = beta.interval(np.array(a), np.array(b))
        better = None
        if enough and now is not None:
            better = 0.0 if current == best else beta.probability_greater(a, b, *now)
        return SendTime(
            persona, channel, metric, int(self.sent.sum()), int(self.engaged.sum()), period,
            best=best if enough else None,
            rate=rate if enough else None,
            interval=(float(low), float(high)) if enough else None,
            current=current, current_rate=now_rate,
            gain=rate - now_rate if enough and now_rate is not None else None,
            probability_better=better,
            enough_data=enough,
            sends_needed=None if enough else self.needed(best, runner),
            cells=self.cells(),
        )  # fmt: skip

    def needed(self, best: Slot, runner: Slot) -> int:
        """About how many more sends, spread evenly over the slots (an exploratory send at
        varied hours), until the best slot's lead over the runner-up, as the model sees it
        now, shows at 90 %: n = z² · slots · (p₁q₁ + p₂q₂) / lead², less the sends made."""
        import scipy.special

        p1, p2 = float(beta.mean(*self.posterior(best))), float(beta.mean(*self.posterior(runner)))
        slots = 24 if best.weekday is None else 168
        z = float(scipy.special.ndtri(ENOUGH))
        lead = max(p1 - p2, SMALLEST_LEAD)
        total = z**2 * slots * (p1 * (1 - p1) + p2 * (1 - p2)) / lead**2
        return max(math.ceil(float(total) - float(self.sent.sum())), 1)
