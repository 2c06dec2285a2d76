"""How often the timing model finds a planted best slot, and how rarely it names a wrong one
(docs/timing.md "How much data is enough"): channels of four personas, sends at random local
hours from 7:00 to 21:59, opens at 15 % and at a multiple of it in each persona's best slot,
drawn as binomial counts (a fixed seed)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from mcplan.timing import model
from mcplan.timing.posterior import Channel
from mcplan.timing.result import Slot

PERSONAS = 4
TRIALS = 40
BASE = 0.15
WRONG = 0.03  # a slot claimed that is not the planted one: at most this often


def _outcomes(kind: str, lift: float, sends: int, seed: int = 11) -> Counter[str]:
    """Per persona: 'exact' (its best slot found), 'hour' (the right hour, no weekday named
    though it had one), 'wrong' (another slot claimed) or 'unsure' (not enough data)."""
    random = np.random.default_rng(seed)
    found: Counter[str] = Counter()
    for _ in range(TRIALS):
        sent = np.zeros((PERSONAS, 7, 24))
        rate = np.full((PERSONAS, 7, 24), BASE)
        truth = []
        for p in range(PERSONAS):
            day = None if kind == "hour" else int(random.integers(0, 7))
            hour = int(random.integers(7, 22))
            truth.append(Slot(day, hour))
            rate[p, slice(None) if day is None else day, hour] = BASE * lift
            np.add.at(sent[p], (random.integers(0, 7, sends), random.integers(7, 22, sends)), 1)
        engaged = random.binomial(sent.astype(int), rate).astype(float)
        channel = Channel.of(sent, engaged)
        for p, slot in enumerate(truth):
            learned = model._send_time(channel.pair(p), "p", "email", "open", None, None)
            best = learned.best
            if best is None:
                found["unsure"] += 1
            elif best == slot:
                found["exact"] += 1
            elif best == Slot(None, slot.hour):
                found["hour"] += 1
            else:
                found["wrong"] += 1
    return found


@pytest.mark.parametrize(
    ("kind", "lift", "sends", "at_least"),
    [("hour", 2, 10_000, 0.95), ("hour", 3, 3_000, 0.95), ("weekday", 3, 10_000, 0.9)],
)
def test_a_clear_best_slot_is_found(kind: str, lift: float, sends: int, at_least: float) -> None:
    found = _outcomes(kind, lift, sends)
    assert found["exact"] / (PERSONAS * TRIALS) >= at_least, found
    assert found["wrong"] / (PERSONAS * TRIALS) <= WRONG, found


@pytest.mark.parametrize(("kind", "lift"), [("hour", 1.5), ("weekday", 2)])
def test_thin_data_is_unsure_not_wrong(kind: str, lift: float) -> None:
    found = _outcomes(kind, lift, 1_000)
    assert found["unsure"] / (PERSONAS * TRIALS) >= 0.9, found
    assert found["wrong"] / (PERSONAS * TRIALS) <= WRONG, found
