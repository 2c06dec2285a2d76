"""Attribution models against hand-computed figures, worked examples and independent code."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcplan.attribution import MODELS, Options, attribute, from_paths, read

DATA = Path(__file__).parent / "data"
KNOWN = {"email": "email", "sms": "sms", "instagram": "instagram"}  # as a workspace maps them


def by_channel(model: str, paths: object, options: Options | None = None) -> dict[str, float]:
    [result] = attribute(paths, [model], options)  # type: ignore[arg-type]
    return {c: float(x) for c, x in zip(result.channels, result.conversions, strict=True)}


# -- rule-based models, by hand ---------------------------------------------------------------

# A path of three touches (a channel seen twice), a single-touch one, one that did not
# convert, and one of two.
PATHS = [
    (["email", "sms", "email"], 1, 90.0, 0),
    (["sms"], 1, 30.0, 0),
    (["instagram", "email"], 0, 0.0, 3),
    (["instagram", "sms"], 2, 100.0, 0),
]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("first", {"email": 1, "sms": 1, "instagram": 2}),
        ("last", {"email": 1, "sms": 3, "instagram": 0}),
        # email > sms > email: 1/3 each touch, so 2/3 to email; instagram > sms: 1 each of 2.
        ("linear", {"email": 2 / 3, "sms": 1 / 3 + 1 + 1, "instagram": 1}),
        # 40/20/40: email gets first and last (0.8), sms the middle (0.2); two touches: 50/50.
        ("position", {"email": 0.8, "sms": 0.2 + 1 + 1, "instagram": 1}),
        # Distinct channels: email and sms share the first path; instagram and sms the last.
        ("shapley", {"email": 0.5, "sms": 0.5 + 1 + 1, "instagram": 1}),
    ],
)
def test_rule_based_models_by_hand(model: str, expected: dict[str, float]) -> None:
    assert by_channel(model, from_paths(PATHS)) == pytest.approx(expected)


def test_values_follow_the_same_shares() -> None:
    [result] = attribute(from_paths(PATHS), ["linear"])
    value = dict(zip(result.channels, result.value, strict=True))
    assert value == pytest.approx({"email": 60.0, "sms": 30.0 + 30.0 + 50.0, "instagram": 50.0})


def test_position_based_shares_are_configurable() -> None:
    options = Options(positions=(0.3, 0.4, 0.3))
    # email > sms > email: first 0.3 + last 0.3 to email, 0.4 to sms.
    assert by_channel("position", from_paths(PATHS[:1]), options) == pytest.approx(
        {"email": 0.6, "sms": 0.4}
    )


def test_time_decay_by_hand() -> None:
    paths = read(DATA / "touches.csv", known=KNOWN)
    # j1: email 3 days 1 hour, sms 15.5 hours before the conversion; half-life 7 days.
    w_email = 2 ** -((3 * 24 + 1) / (7 * 24))
    w_sms = 2 ** -(15.5 / (7 * 24))
    # j2: instagram, email, email 7 days -1h, 6 days 2h, 5 days 15h before.
    wi = 2 ** -((7 * 24 - 1) / (7 * 24))
    we1 = 2 ** -((6 * 24 + 2) / (7 * 24))
    we2 = 2 ** -((5 * 24 + 15) / (7 * 24))
    expected = {
        "email": w_email / (w_email + w_sms) + (we1 + we2) / (wi + we1 + we2),
        "sms": w_sms / (w_email + w_sms) + 1,  # j4: one touch, half an hour before
        "instagram": wi / (wi + we1 + we2),
    }
    assert by_channel("time_decay", paths) == pytest.approx(expected)


def test_time_decay_needs_times() -> None:
    with pytest.raises(Exception, match="needs the time of each touch"):
        attribute(from_paths(PATHS), ["time_decay"])


# -- Markov chain ---------------------------------------------------------------------------


def test_markov_worked_example() -> None:
    """Worked by hand: paths A>B (converts), A (does not), B (converts).

    start→A 2/3, start→B 1/3; A→B 1/2, A→null 1/2; B→conversion 1. P(conversion) = 2/3.
    Without A: 1/3 (removal effect 1/2); without B: 0 (removal effect 1). The 2 conversions
    are shared 0.5 : 1, so A gets 2/3 and B 4/3. (The removal-effect method of Anderl,
    Becker, von Wangenheim and Schumann, "Mapping the customer journey", IJRM 33(3), 2016.)
    """
    paths = from_paths([(["A", "B"], 1, 0, 0), (["A"], 0, 0, 1), (["B"], 1, 0, 0)])
    assert by_channel("markov", paths) == pytest.approx({"A": 2 / 3, "B": 4 / 3})


def _markov_by_iteration(paths: list[tuple[list[str], float, float, float]]) -> dict[str, float]:
    """An independent first-order Markov removal effect: dictionaries and value iteration."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for steps, conversions, _, nulls in paths:
        states = ["(start)", *steps]
        for a, b in itertools.pairwise(states):
            counts[a][b] += conversions + nulls
        counts[states[-1]]["(conversion)"] += conversions
        counts[states[-1]]["(null)"] += nulls
    channels = sorted({s for steps, *_ in paths for s in steps})

    def conversion_probability(removed: str | None) -> float:
        p = dict.fromkeys(counts, 0.0)
        for _ in range(5000):  # iterate to the fixed point
            p = {
                s: sum(
                    (n / sum(nxt.values()))
                    * (1.0 if t == "(conversion)" else 0.0 if t in ("(null)", removed) else p[t])
                    for t, n in nxt.items()
                )
                for s, nxt in counts.items()
            }
        return p["(start)"]

    base = conversion_probability(None)
    effects = {c: 1 - conversion_probability(c) / base for c in channels}
    total = sum(conv for _, conv, _, _ in paths)
    return {c: total * e / sum(effects.values()) for c, e in effects.items()}


_path = st.tuples(
    st.lists(st.sampled_from(["email", "sms", "push", "mail"]), min_size=1, max_size=4),
    st.integers(0, 5),
    st.just(0.0),
    st.integers(0, 5),
).filter(lambda p: p[1] + p[3] > 0)


@settings(max_examples=30, deadline=None)
@given(st.lists(_path, min_size=1, max_size=6).filter(lambda ps: sum(p[1] for p in ps) > 0))
def test_markov_agrees_with_an_independent_implementation(
    paths: list[tuple[list[str], int, float, int]],
) -> None:
    expected = _markov_by_iteration(paths)  # type: ignore[arg-type]
    assert by_channel("markov", from_paths(paths)) == pytest.approx(expected, abs=1e-6)


def test_higher_order_markov_shares_all_conversions() -> None:
    paths = from_paths(PATHS)
    [result] = attribute(paths, ["markov"], Options(order=2))
    assert result.model == "markov2"
    assert result.conversions.sum() == pytest.approx(4)


# -- Shapley value --------------------------------------------------------------------------


def _shapley_by_permutations(
    paths: list[tuple[list[str], float, float, float]],
) -> dict[str, float]:
    """The Shapley value by its definition: marginal contributions over every order.

    v(S) = conversions of the paths whose channels all belong to S (Zhao, Mahboobi and Bagheri,
    "Shapley Value Methods for Attribution Modeling in Online Advertising", 2018).
    """
    channels = sorted({s for steps, *_ in paths for s in steps})

    def worth(coalition: set[str]) -> float:
        return sum(conv for steps, conv, _, _ in paths if set(steps) <= coalition)

    value = dict.fromkeys(channels, 0.0)
    orders = list(itertools.permutations(channels))
    for order in orders:
        coalition: set[str] = set()
        for channel in order:
            before = worth(coalition)
            coalition.add(channel)
            value[channel] += (worth(coalition) - before) / len(orders)
    return value


@settings(max_examples=30, deadline=None)
@given(st.lists(_path, min_size=1, max_size=6))
def test_shapley_agrees_with_the_definition(paths: list[tuple[list[str], int, float, int]]) -> None:
    expected = _shapley_by_permutations(paths)  # type: ignore[arg-type]
    assert by_channel("shapley", from_paths(paths)) == pytest.approx(expected, abs=1e-9)


# -- every model ----------------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(st.lists(_path, min_size=1, max_size=8).filter(lambda ps: sum(p[1] for p in ps) > 0))
def test_totals_always_equal_the_observed_conversions(
    paths: list[tuple[list[str], int, float, int]],
) -> None:
    aggregated = from_paths(paths)
    observed = sum(p[1] for p in paths)
    for result in attribute(aggregated, ["all"]):
        assert result.total == pytest.approx(observed), result.model
        assert np.all(result.conversions >= -1e-9), result.model


def test_all_models_on_touch_data_keep_the_total() -> None:
    paths = read(DATA / "touches.csv", known=KNOWN)
    results = attribute(paths, ["all"])
    assert [r.model for r in results] == list(MODELS)
    for result in results:
        # 4 conversions: j1, j2, j4 after touches, j5 with none (reported apart).
        assert result.total == pytest.approx(4)
        assert result.unattributed == (1.0, 30.0)
        assert math.isclose(float(result.value.sum()) + 30.0, 280.0)


# -- value ----------------------------------------------------------------------------------

_valued = st.tuples(
    st.lists(st.sampled_from(["email", "sms", "push", "mail"]), min_size=1, max_size=4),
    st.integers(1, 5),
    st.integers(1, 500),
    st.integers(0, 50),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(_valued, min_size=1, max_size=6), st.sampled_from([0.01, 100.0, 1234.5]))
def test_attributed_value_does_not_depend_on_its_unit(
    paths: list[tuple[list[str], int, int, int]], k: float
) -> None:
    # Euros or cents: every model's value scales with the values, and nothing else moves.
    base = attribute(from_paths(paths), ["all"])
    scaled = attribute(from_paths([(s, c, v * k, n) for s, c, v, n in paths]), ["all"])
    for a, b in zip(base, scaled, strict=True):
        assert b.value == pytest.approx(a.value * k, rel=1e-9, abs=1e-9), a.model
        assert b.conversions == pytest.approx(a.conversions), a.model


@settings(max_examples=30, deadline=None)
@given(st.lists(_valued, min_size=1, max_size=6), st.integers(1, 300))
def test_equal_values_per_conversion_give_the_conversion_shares(
    paths: list[tuple[list[str], int, int, int]], each: int
) -> None:
    aggregated = from_paths([(s, c, c * each, n) for s, c, _, n in paths])
    for result in attribute(aggregated, ["all"]):
        assert result.value == pytest.approx(result.conversions * each, rel=1e-9), result.model


def test_markov_value_shares_of_the_issue_example() -> None:
    # The value chain used to add euros to path counts: 64.7 % of the value for 'a' against
    # 53.9 % of the conversions, though every conversion was worth 50.
    paths = from_paths([(["a"], 10, 500, 90), (["a", "b"], 10, 500, 10), (["b"], 0, 0, 100)])
    [result] = attribute(paths, ["markov"])
    shares = result.value / result.value.sum()
    assert shares == pytest.approx(result.conversions / result.conversions.sum())
    assert shares[0] == pytest.approx(7 / 13)
