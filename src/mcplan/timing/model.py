"""When each persona engages, learned from an export (issue 30; docs/timing.md "The
model"): per channel, a Beta-Binomial model of the rate of opens (or clicks) at each local
weekday and hour, each persona's cells shrunk towards the channel's other personas and its
own level (empirical Bayes: the prior's strength by the method of moments, `mcplan.timing.beta`),
then per persona and channel the best slot, how sure it is, and what it gains on the slot
the workspace's touches use today."""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from mcplan.errors import UsageError
from mcplan.timing import beta
from mcplan.timing.posterior import Channel, Pair
from mcplan.timing.read import CLICKED, OPENED, SENT, Engagement
from mcplan.timing.result import METRICS, SendTime, Slot, TimingResult

if TYPE_CHECKING:
    from mcplan.workspace import Workspace

# P(the best day's own sends beat the other days' at its hour): 1 − 0.01 / 7, as the best
# of seven days is picked
WEEKDAY_CREDIBLE = 1 - 0.01 / 7
ENOUGH = 0.90  # P(the best slot beats the runner-up, from the persona's own sends alone)
MIN_SENDS = 20  # the persona's own sends at the best slot, at least
APART = 2  # hours: the runner-up is the best slot at least this far from the best one
# the lead `sends_needed` assumes at least, as a share of the runner-up's rate: a smaller
# one is not worth moving a send for, and two slots that look alike say nothing of it
SMALLEST_LIFT = 0.2


def learn(workspace: Workspace, engagement: Engagement, metric: str | None = None) -> TimingResult:
    """Each persona and channel of ``engagement``: the rate of ``metric`` (``open`` or
    ``click``; by default as `_default_metric` chooses it for each channel) per local
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
        posterior = Channel.of(sent, engaged)
        for j, i in enumerate(rows):
            persona = engagement.pairs[i][0]
            found.append(
                _send_time(posterior.pair(j), persona, channel, chosen, engagement.periods[i],
                           current.get(engagement.pairs[i]))
            )  # fmt: skip
    found.sort(key=lambda s: (s.persona, s.channel))
    return TimingResult(tuple(found), engagement.rows)


def _default_metric(engagement: Engagement, rows: list[int]) -> str:
    """Opens where the channel's rows have any, else clicks where the export has a column
    of them, else opens (a column of opens that are all 0: rates near 0 are honest)."""
    has = engagement.metrics
    if "open" in has and ("click" not in has or engagement.counts[rows, OPENED].sum() > 0):
        return "open"
    if "click" in has:
        return "click"
    raise UsageError(
        f"{engagement.display}: no column of opens or clicks, nothing to learn a send time "
        "from (name one with --column opened=HEADER or clicked=HEADER)"
    )


def _best(pair: Pair) -> Slot:
    """The slot the persona's own sends support best (the highest rate they support at
    95 %): a weekday and hour when its own sends on that day beat its own sends at that hour
    on the other days together (P ≥ 1 − 0.01 / 7 ≈ 0.9986) and on the next best of them
    (P ≥ 0.9: a day picked out of many slots must stand out from its peers too), else an
    hour of any day.
    Another persona's hours never choose for it; the model gives the slot's rate."""
    best_hour, best_cell = _candidates(pair)
    return best_cell if _stands_out(pair, best_cell) else best_hour


def _candidates(pair: Pair) -> tuple[Slot, Slot]:
    """The hour of any day and the weekday and hour that the persona's own sends support
    best."""
    cells, hours = pair.supported
    weekday, hour = (int(i) for i in np.unravel_index(int(np.argmax(cells)), (7, 24)))
    return Slot(None, int(np.argmax(hours))), Slot(weekday, hour)


def _stands_out(pair: Pair, cell: Slot) -> bool:
    """Whether a day's own sends at an hour beat the other days' (see `_best`)."""
    weekday, hour = cell.weekday, cell.hour
    if weekday is None:
        return False
    others = [d for d in range(7) if d != weekday and pair.sent[d, hour] > 0]
    if not others:
        return False
    own = pair.own([weekday], hour)
    if beta.probability_greater(*own, *pair.own(others, hour)) < WEEKDAY_CREDIBLE:
        return False
    next_best = max(others, key=lambda d: float(beta.mean(*pair.own([d], hour))))
    return beta.probability_greater(*own, *pair.own([next_best], hour)) >= ENOUGH


def _posterior(pair: Pair, slot: Slot) -> tuple[float, float]:
    return pair.hour(slot.hour) if slot.weekday is None else pair.cell(slot.weekday, slot.hour)


def _own(pair: Pair, slot: Slot) -> tuple[float, float]:
    return pair.own(list(range(7)) if slot.weekday is None else [slot.weekday], slot.hour)


def _runner_up(pair: Pair, best: Slot) -> Slot | None:
    """The slot of the same kind that the persona's own sends support best at least
    `APART` hours from the best one; None when it was sent at no such slot (then nothing
    compares with the best one)."""
    cells, hours = pair.supported
    near = np.minimum((np.arange(24) - best.hour) % 24, (best.hour - np.arange(24)) % 24) < APART
    supported = hours if best.weekday is None else cells
    candidates = np.where(near, -1.0, supported)
    if candidates.max() < 0:
        return None
    if best.weekday is None:
        return Slot(None, int(np.argmax(candidates)))
    weekday, hour = np.unravel_index(int(np.argmax(candidates)), (7, 24))
    return Slot(int(weekday), int(hour))


def _send_time(
    pair: Pair,
    persona: str,
    channel: str,
    metric: str,
    period: tuple[date, date] | None,
    current: Slot | None,
) -> SendTime:
    best = _best(pair)
    runner = _runner_up(pair, best)
    own = _own(pair, best)
    lead = 0.0 if runner is None else beta.probability_greater(*own, *_own(pair, runner))
    enough = lead >= ENOUGH and own[0] + own[1] - 2 >= MIN_SENDS
    a, b = _posterior(pair, best)
    now = _posterior(pair, current) if current is not None else None
    now_rate = float(beta.mean(*now)) if now is not None else None
    rate = float(beta.mean(a, b))
    low, high = beta.interval(np.array(a), np.array(b))
    better = None
    if enough and now is not None:
        better = 0.0 if current == best else beta.probability_greater(a, b, *now)
    return SendTime(
        persona, channel, metric, int(pair.sent.sum()), int(pair.engaged.sum()), period,
        best=best if enough else None,
        rate=rate if enough else None,
        interval=(float(low), float(high)) if enough else None,
        current=current, current_rate=now_rate,
        gain=rate - now_rate if enough and now_rate is not None else None,
        probability_better=better,
        enough_data=enough,
        sends_needed=None if enough else _needed(pair),
        cells=pair.cells(),
    )  # fmt: skip


def _needed(pair: Pair) -> int:
    """About how many more sends, spread evenly over the slots (an exploratory send at
    varied hours), until a best slot's lead over the runner-up, as the persona's own sends
    show it now, shows at 90 %: n = z² · slots · (p₁q₁ + p₂q₂) / lead², less the sends
    made; the fewer of a best hour of any day (24 slots) and a best weekday and hour (168)."""
    return min(_needed_for(pair, slot) for slot in _candidates(pair))


def _needed_for(pair: Pair, best: Slot) -> int:
    import scipy.special

    p1 = float(beta.mean(*_own(pair, best)))
    runner = _runner_up(pair, best)
    # never sent at other hours: the smallest lead worth moving a send for, below the best
    p2 = p1 / (1 + SMALLEST_LIFT) if runner is None else float(beta.mean(*_own(pair, runner)))
    slots = 24 if best.weekday is None else 168
    z = float(scipy.special.ndtri(ENOUGH))
    lead = max(p1 - p2, SMALLEST_LIFT * p2)
    total = max(z**2 * slots * (p1 * (1 - p1) + p2 * (1 - p2)) / lead**2, MIN_SENDS * slots)
    return max(math.ceil(float(total) - float(pair.sent.sum())), 1)
