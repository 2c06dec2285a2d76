"""The channel choice is exact: never worse than any other feasible choice."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from mcplan.plan.select import Option, choose


def test_the_knapsack_beats_greedy() -> None:
    options = [Option("x", 10, 60), Option("y", 7, 40), Option("z", 6, 40)]
    # Greedy by value takes x (10) and then nothing fits; y + z bring 13 for 80.
    assert choose(options, budget=80, most=2) == ("y", "z")
    assert choose(options, budget=80, most=1) == ("x",)
    assert choose(options, budget=None, most=None) == ("x", "y", "z")
    assert choose(options, budget=30, most=None) == ()


def test_ties_go_to_the_cheaper_then_fewer_then_first_ids() -> None:
    assert choose([Option("b", 5, 10), Option("a", 5, 20)], None, 1) == ("b",)
    assert choose([Option("b", 5, 10), Option("a", 5, 10)], None, 1) == ("a",)
    assert choose([Option("a", 5, 0), Option("b", 0, 0)], None, None) == ("a",)


_options = st.lists(
    st.builds(
        Option,
        channel=st.sampled_from([f"c{i}" for i in range(9)]),
        value=st.floats(0, 100, allow_nan=False),
        cost=st.floats(0, 100, allow_nan=False),
    ),
    max_size=8,
    unique_by=lambda o: o.channel,
)


@given(_options, st.none() | st.floats(0, 300), st.none() | st.integers(1, 5))
def test_never_worse_than_any_feasible_subset(
    options: list[Option], budget: float | None, most: int | None
) -> None:
    chosen = set(choose(options, budget, most))
    by_id = {o.channel: o for o in options}
    value = sum(by_id[c].value for c in chosen)
    cost = sum(by_id[c].cost for c in chosen)
    assert budget is None or cost <= budget + 1e-9
    assert most is None or len(chosen) <= most
    for size in range(len(options) + 1):
        for subset in itertools.combinations(options, size):
            feasible = (budget is None or sum(o.cost for o in subset) <= budget + 1e-9) and (
                most is None or size <= most
            )
            if feasible:
                assert sum(o.value for o in subset) <= value + 1e-6
