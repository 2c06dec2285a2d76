"""The timing model (issue 30): its Beta numerics against scipy, best slots recovered from a
simulated export across the clock changes of Europe and the United States, thin data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from mcplan.timing import SendTime, Slot, beta, learn, read_engagement
from mcplan.workspace import Workspace, load_workspace
from timing.simulate import Persona, events, write_csv

WORKSPACE = Path(__file__).parents[1] / "workspaces" / "timing"
PERSONAS = [
    Persona("pendler", "Europe/Berlin", 2500, (1, 19)),  # Tuesday 19:00 in Berlin
    Persona("commuter", "America/New_York", 2500, (None, 8)),  # 8:00 any day in New York
    Persona("neukunde", "Europe/Berlin", 40, (3, 12)),  # 40 sends: cannot tell
]


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return load_workspace(WORKSPACE)


@pytest.fixture(scope="module")
def learned(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> dict[str, SendTime]:
    path = write_csv(events(PERSONAS), tmp_path_factory.mktemp("timing") / "events.csv")
    result = learn(workspace, read_engagement(workspace, path))
    return {s.persona: s for s in result.send_times}


@given(st.floats(1, 5000), st.floats(1, 5000), st.floats(1, 5000), st.floats(1, 5000))
@settings(max_examples=20, deadline=None, derandomize=True)
def test_probability_greater_is_scipy_quadrature(
    a1: float, b1: float, a2: float, b2: float
) -> None:
    """Against scipy's adaptive quadrature of ∫ f_X F_Y, where neither density has a pole
    (a shape under 1 makes one at 0 or 1, where quad loses its way: those are checked
    below, against an exact value and a simulation)."""
    x, y = stats.beta(a1, b1), stats.beta(a2, b2)
    low = min(x.ppf(1e-12), y.ppf(1e-12))
    high = max(x.ppf(1 - 1e-12), y.ppf(1 - 1e-12))
    points = sorted({x.mean(), y.mean()})
    expected, _ = integrate.quad(
        lambda t: x.pdf(t) * y.cdf(t), low, high, points=points, limit=500, epsabs=1e-10
    )
    assert beta.probability_greater(a1, b1, a2, b2) == pytest.approx(expected, abs=1e-6)


def test_probability_greater_where_densities_have_poles() -> None:
    """Against Y uniform, P(X > Y) is E[X] exactly; two poles, against a simulation."""
    a1, b1 = 4965.753549451466, 0.5
    assert beta.probability_greater(a1, b1, 1.0, 1.0) == pytest.approx(a1 / (a1 + b1), abs=1e-8)
    draws = np.random.default_rng(2)
    x, y = draws.beta(255, 0.5, 2_000_000), draws.beta(0.5, 1, 2_000_000)
    assert beta.probability_greater(255, 0.5, 0.5, 1) == pytest.approx((x > y).mean(), abs=1e-4)


def test_probability_greater_by_simulation() -> None:
    draws = np.random.default_rng(1)
    x, y = draws.beta(31, 70, 400_000), draws.beta(20, 75, 400_000)
    assert beta.probability_greater(31, 70, 20, 75) == pytest.approx((x > y).mean(), abs=3e-3)


def test_intervals_are_scipy_equal_tailed_ninety() -> None:
    a, b = np.array([1.0, 3.5, 250.0, 0.8]), np.array([1.0, 40.0, 900.0, 12.0])
    low, high = beta.interval(a, b)
    np.testing.assert_allclose(low, stats.beta.ppf(0.05, a, b), rtol=1e-9)
    np.testing.assert_allclose(high, stats.beta.ppf(0.95, a, b), rtol=1e-9)


def test_strength_recovers_a_simulated_prior() -> None:
    """Rates drawn from Beta(8, 40) (a strength of 48) around a known mean: the moment
    estimate finds it, and the Beta-Binomial likelihood (scipy's) is near its highest there."""
    draws = np.random.default_rng(3)
    rates = draws.beta(8, 40, (30, 168))
    sent = draws.integers(0, 30, (30, 168)).astype(float)
    engaged = draws.binomial(sent.astype(int), rates).astype(float)
    mean = np.full(sent.shape, 8 / 48)
    found = beta.strength(sent, engaged, lambda _: mean)
    assert 36 < found < 64

    def likelihood(m_strength: float) -> float:
        a, b = m_strength * mean, m_strength * (1 - mean)
        return float(stats.betabinom.logpmf(engaged, sent, a, b).sum())

    assert likelihood(found) > likelihood(found / 3)
    assert likelihood(found) > likelihood(found * 3)


def test_strength_without_differences_is_the_strongest() -> None:
    sent = np.full((4, 168), 50.0)
    engaged = np.full((4, 168), 5.0)
    assert beta.strength(sent, engaged, lambda m: beta.profile(sent, engaged, m)) == 1e6


def test_the_prior_weighs_the_channels_profile_against_the_personas_level() -> None:
    # Each weight is the marginal likelihood (scipy's Beta-Binomial) of the persona's slots
    # under either prior mean, normalised.
    sent = np.array([[120.0, 130, 110, 90], [100, 140, 125, 80], [110, 120, 100, 95]])
    engaged = np.array([[15.0, 40, 12, 10], [14, 45, 14, 9], [30, 16, 13, 11]])
    strength = 80.0
    mixed = beta.profile(sent, engaged, strength)
    overall = (engaged.sum() + 1) / (sent.sum() + 2)
    others = (engaged.sum(0) - engaged + strength * overall) / (sent.sum(0) - sent + strength)
    level = (engaged.sum(1, keepdims=True) + strength * overall) / (
        sent.sum(1, keepdims=True) + strength
    )
    for p in range(3):
        evidence = [
            stats.betabinom.logpmf(engaged[p], sent[p], strength * m, strength * (1 - m)).sum()
            for m in (others[p], np.broadcast_to(level[p], 4))
        ]
        weight = 1 / (1 + np.exp(evidence[1] - evidence[0]))
        expected = weight * others[p] + (1 - weight) * level[p]
        assert mixed[p] == pytest.approx(expected, rel=1e-9)


def test_a_persona_is_not_lent_the_peaks_of_the_others(
    workspace: Workspace, tmp_path: Path
) -> None:
    # pendler and commuter open at 19:00, neukunde at 8:00: neukunde's 19:00 is its level.
    personas = [
        Persona("pendler", "Europe/Berlin", 3000, (None, 19), 0.15, 0.45),
        Persona("commuter", "America/New_York", 3000, (None, 19), 0.15, 0.45),
        Persona("neukunde", "Europe/Berlin", 3000, (None, 8), 0.15, 0.4),
    ]
    path = write_csv(events(personas, seed=7), tmp_path / "peaks.csv")
    found = {s.persona: s for s in learn(workspace, read_engagement(workspace, path)).send_times}
    neukunde = found["neukunde"]
    assert neukunde.best == Slot(None, 8)
    at = {(c.weekday, c.hour): c for c in neukunde.cells}
    hour_rate = {h: sum(at[d, h].rate for d in range(7)) / 7 for h in (8, 19)}
    own = sum(at[d, 19].engaged for d in range(7)) / sum(at[d, 19].sent for d in range(7))
    assert abs(hour_rate[19] - own) < 0.03
    assert hour_rate[8] > hour_rate[19] + 0.1


def test_best_slots_are_recovered_across_clock_changes(learned: dict[str, SendTime]) -> None:
    pendler, commuter = learned["pendler"], learned["commuter"]
    assert pendler.best == Slot(1, 19)
    assert commuter.best == Slot(None, 8)
    for found in (pendler, commuter):
        assert found.enough_data
        assert found.sends_needed is None
        assert found.probability_better > 0.99
        assert found.gain > 0.1
        low, high = found.interval
        assert low < found.rate < high


def test_forty_sends_are_not_enough(learned: dict[str, SendTime]) -> None:
    thin = learned["neukunde"]
    assert thin.sends == 40
    assert not thin.enough_data
    assert (thin.best, thin.rate, thin.gain) == (None, None, None)
    assert 500 < thin.sends_needed < 20_000  # a lead of a fifth, not of one point
    assert len(thin.cells) == 168
    assert all(0 < c.rate < 1 for c in thin.cells)  # never 0/0


def test_current_slot_is_the_touches_or_the_plan_default(learned: dict[str, SendTime]) -> None:
    # fruehling's e-mail goes out on Tuesday 6 April 2027 at 10:00 to pendler and commuter;
    # neukunde has no touch: plan would propose 10:00.
    assert learned["pendler"].current == Slot(1, 10)
    assert learned["commuter"].current == Slot(1, 10)
    assert learned["neukunde"].current == Slot(None, 10)


def test_period_is_in_local_days(learned: dict[str, SendTime]) -> None:
    # The first day's sends start at 0:00 UTC: 19:00 on the day before in New York.
    assert [str(d) for d in learned["pendler"].period] == ["2027-02-22", "2027-05-02"]
    assert str(learned["commuter"].period[0]) == "2027-02-21"


def test_slots_that_do_not_differ_are_not_enough(workspace: Workspace, tmp_path: Path) -> None:
    flat = [Persona("pendler", "Europe/Berlin", 3000, (1, 19), rate=0.12, best_rate=0.12)]
    path = write_csv(events(flat, seed=11), tmp_path / "flat.csv")
    (found,) = learn(workspace, read_engagement(workspace, path)).send_times
    assert not found.enough_data
    assert found.best is None
    assert found.sends_needed is not None
    assert found.sends_needed > 3000


def test_a_best_hour_of_every_day_names_no_weekday(workspace: Workspace, tmp_path: Path) -> None:
    # Clicks at 2 % and 8 % at 8:00 every day: the luckiest day at 8:00 is no best day.
    personas = [Persona("commuter", "America/New_York", 8000, (None, 8), 0.02, 0.08)]
    path = write_csv(events(personas, seed=3), tmp_path / "hours.csv")
    (found,) = learn(workspace, read_engagement(workspace, path)).send_times
    assert found.best == Slot(None, 8)
    assert found.enough_data


def test_hours_never_sent_at_are_no_candidates(workspace: Workspace, tmp_path: Path) -> None:
    # Two hours tried: 30 % at 19:00, 7 % at 10:00; the other 22 hours say nothing.
    path = tmp_path / "counts.csv"
    path.write_text(
        "persona;Kanal;Wochentag;Stunde;Gesendet;Geöffnet\n"
        "pendler;email;Dienstag;19;300;90\npendler;email;Montag;10;300;20\n",
        encoding="utf-8",
    )
    (found,) = learn(workspace, read_engagement(workspace, path)).send_times
    assert found.best == Slot(None, 19)  # Tuesday is the only day tried at 19:00
    assert found.enough_data
    assert found.period is None


def test_current_slot_is_a_learned_send_time(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    persona = tmp_path / "ws" / "personas" / "neukunde.yaml"
    persona.write_text(
        persona.read_text("utf-8")
        + "send_times:\n  email:\n    weekday: thursday\n    hour: 19\n    metric: open\n"
        "    sends: 5000\n    period: {from: 2027-01-04, until: 2027-02-28}\n"
        "    rate: 0.2\n    interval: [0.18, 0.22]\n",
        encoding="utf-8",
    )
    workspace = load_workspace(tmp_path / "ws")
    rows = events([Persona("neukunde", "Europe/Berlin", 40, (3, 12))])
    path = write_csv(rows, tmp_path / "events.csv")
    (found,) = learn(workspace, read_engagement(workspace, path)).send_times
    assert found.current == Slot(3, 19)  # what plan proposes now: the learned slot
