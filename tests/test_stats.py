"""The statistics of tests and holdouts, figure by figure against statsmodels and scipy.

statsmodels' own solver for an effect size stops at its tolerance (its answer's power is
0.79997 for 0.8 asked), so a detectable effect is checked by its power in statsmodels, which
must be the power asked; every other figure must equal statsmodels' to 1e-6.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest
import scipy.stats as scipy_stats
import statsmodels.stats.power as sm_power
import statsmodels.stats.proportion as sm_proportion
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import Result

from conftest import WORKSPACES
from mcplan import stats

POWER = sm_power.NormalIndPower()
rates = st.floats(0.002, 0.6)
sizes = st.floats(50, 2_000_000)
ratios = st.floats(0.2, 5)
alphas = st.sampled_from([0.01, 0.05, 0.1])
powers = st.sampled_from([0.7, 0.8, 0.9])


def close(mine: float, theirs: float, tolerance: float = 1e-6) -> bool:
    return math.isclose(mine, float(theirs), rel_tol=tolerance, abs_tol=1e-12)


@settings(max_examples=60, deadline=None)
@given(rates, st.floats(0.01, 1.0), sizes, ratios, alphas)
def test_power_is_statsmodels_normal_ind_power(
    baseline: float, lift: float, n: float, ratio: float, alpha: float
) -> None:
    rate = min(baseline * (1 + lift), 0.99)
    h = sm_proportion.proportion_effectsize(rate, baseline)
    assert close(stats.effect_size(rate, baseline), h)
    assert close(stats.power(h, n, ratio, alpha), POWER.power(h, n, alpha, ratio))


@settings(max_examples=60, deadline=None)
@given(sizes, ratios, alphas, powers)
def test_the_detectable_effect_has_exactly_the_power_asked(
    n: float, ratio: float, alpha: float, power: float
) -> None:
    h = stats.detectable_effect(n, ratio, alpha, power)
    assert close(POWER.power(h, n, alpha, ratio), power, 1e-9)
    theirs = POWER.solve_power(effect_size=None, nobs1=n, alpha=alpha, power=power, ratio=ratio)
    assert close(h, theirs, 1e-2)  # statsmodels' solver stops at its own, looser, tolerance


@settings(max_examples=60, deadline=None)
@given(rates, st.floats(0.02, 1.0), ratios, alphas, powers)
def test_contacts_needed_are_statsmodels_nobs(
    baseline: float, lift: float, ratio: float, alpha: float, power: float
) -> None:
    rate = baseline * (1 + lift)
    if rate >= 0.99:
        return
    h = sm_proportion.proportion_effectsize(rate, baseline)
    theirs = POWER.solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power, ratio=ratio)
    assert close(stats.contacts_needed(baseline, lift, ratio, alpha, power), theirs)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 5000), st.integers(100, 100_000), st.integers(1, 5000),
    st.integers(100, 100_000), alphas,
)  # fmt: skip
def test_a_comparison_is_statsmodels_z_test_and_log_ratio_interval(
    x1: int, n1: int, x0: int, n0: int, alpha: float
) -> None:
    x1, x0 = min(x1, n1 - 1), min(x0, n0 - 1)
    mine = stats.compare(x1, n1, x0, n0, alpha)
    z, p = sm_proportion.proportions_ztest([x1, x0], [n1, n0])
    assert close(mine.z, z)
    assert close(mine.p_value, p)
    low, high = sm_proportion.confint_proportions_2indep(
        x1, n1, x0, n0, method="log", compare="ratio", alpha=alpha
    )
    assert mine.lift is not None
    assert mine.low is not None
    assert mine.high is not None
    assert close(mine.lift, x1 / n1 / (x0 / n0) - 1)
    assert close(mine.low + 1, low)
    assert close(mine.high + 1, high)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 100_000), alphas)
def test_a_rate_interval_is_statsmodels_wilson(x: int, n: int, alpha: float) -> None:
    x = min(x, n)
    low, high = sm_proportion.proportion_confint(x, n, alpha=alpha, method="wilson")
    mine = stats.wilson(x, n, alpha)
    assert close(mine[0], low)
    assert close(mine[1], high)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.0, 200.0), st.integers(1, 7))
def test_the_chi_square_tail_is_scipy_s(x: float, freedom: int) -> None:
    assert close(stats.chi_square_sf(x, freedom), scipy_stats.chi2.sf(x, freedom), 1e-9)


def test_a_split_against_the_planned_one_is_scipy_chisquare() -> None:
    observed, shares = [10_210, 9_790, 4_900], [0.4, 0.4, 0.2]
    expected = [sum(observed) * s for s in shares]
    theirs = scipy_stats.chisquare(observed, expected)
    chi2, p = stats.chi_square_p(observed, shares)
    assert close(chi2, theirs.statistic)
    assert close(p, theirs.pvalue)


def test_a_worked_example_by_hand() -> None:
    """A subject-line test: 441 contacts reached per arm, a 25 % open rate, alpha 0.05,
    power 0.8. By hand: z(0.975) = 1.959964 and z(0.8) = 0.841621, so h = (1.959964 +
    0.841621) / √(441 / 2) = 0.188669; the rate it detects is sin²(asin(√0.25) + h / 2) =
    sin²(0.617933) = 0.335648, a lift of +34.26 %. The exact figure also counts the other
    tail (a millionth of power), and is a hair lower: +34.2593 %."""
    h = stats.detectable_effect(441, 1, 0.05, 0.8)
    assert h == pytest.approx((1.959964 + 0.841621) / math.sqrt(441 / 2), abs=1e-5)
    assert math.sin(math.asin(0.5) + 0.188669 / 2) ** 2 == pytest.approx(0.335648, abs=1e-6)
    assert stats.detectable_lift(0.25, 441, 1, 0.05, 0.8) == pytest.approx(0.342593, abs=1e-6)


def test_nothing_to_detect_without_contacts_or_room() -> None:
    assert math.isinf(stats.detectable_lift(0.25, 0, 1, 0.05, 0.8))
    assert math.isinf(stats.detectable_lift(0.0, 1000, 1, 0.05, 0.8))
    assert math.isinf(stats.detectable_lift(0.95, 3, 1, 0.05, 0.8))  # beyond a rate of 1
    assert math.isinf(stats.contacts_needed(0.6, 1.0, 1, 0.05, 0.8))  # a rate of 1.2
    control_at_zero = stats.compare(5, 100, 0, 100, 0.05)
    assert control_at_zero.lift is None
    assert control_at_zero.low is None


def far(mine: float, theirs: float, tolerance: float) -> bool:
    """Relative closeness alone: far in a tail every figure is below any absolute tolerance."""
    return math.isclose(mine, float(theirs), rel_tol=tolerance, abs_tol=0.0)


@pytest.mark.parametrize("z", [0.0, 1.96, 5.0, 8.3, 8.5, 9.30484210398471, 12.0, 20.0, 37.5, 40.0])
def test_a_p_value_far_in_the_tail_is_scipy_s_not_zero(z: float) -> None:
    """``1 - cdf`` is 0 beyond z ≈ 8.3; the complementary error function is exact there."""
    assert far(2 * stats.lower_tail(-z), 2 * scipy_stats.norm.sf(z), 1e-12)
    assert far(stats.lower_tail(z), scipy_stats.norm.cdf(z), 1e-12)


@pytest.mark.parametrize(
    ("x1", "n1", "x0", "n0"),
    [(700, 10_000, 400, 10_000), (1_500, 20_000, 1_000, 20_000), (1_200, 10_000, 400, 10_000)],
)
def test_a_comparison_far_in_the_tail_is_scipy_s(x1: int, n1: int, x0: int, n0: int) -> None:
    mine = stats.compare(x1, n1, x0, n0, 0.05)
    z, p = sm_proportion.proportions_ztest([x1, x0], [n1, n0])
    assert close(mine.z, z)
    assert mine.p_value > 0
    assert far(mine.p_value, 2 * scipy_stats.norm.sf(abs(z)), 1e-9)
    assert far(mine.p_value, p, 1e-9)


@pytest.mark.parametrize(("x", "freedom"), [(80.0, 1), (300.0, 3), (900.0, 5), (400.0, 2)])
def test_the_chi_square_far_tail_is_scipy_s(x: float, freedom: int) -> None:
    assert far(stats.chi_square_sf(x, freedom), scipy_stats.chi2.sf(x, freedom), 1e-9)


def test_a_german_report_gives_the_far_tail_p_value(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    """The issue's figures, 700 clicks of 10,000 against 400 of 10,000, in a German
    workspace's report: scipy's 1.34e-20, not 0."""
    results = tmp_path / "ergebnisse.csv"
    results.write_text(
        "channel,arm,sent,delivered,opened,clicked,converted,contacts\n"
        "email,a,22952,22500,5600,,0,\nemail,b,17214,16870,4300,,0,\n"
        "email,c,17214,16880,4900,,0,\nsms,kurz,10000,10000,,400,0,\n"
        "sms,lang,10000,10000,,700,0,\n",
        encoding="utf-8",
    )
    workspace = WORKSPACES / "experiments" / "clean"
    result = run("report", "fruehling", "-r", str(results), "-w", str(workspace), "-f", "json")
    sms = next(t for t in json.loads(result.stdout)["tests"] if t["id"] == "sms-text")
    assert sms["winner"] == "lang"
    assert sms["p_value"] == pytest.approx(1.34192e-20, rel=1e-5, abs=0)
    assert sms["p_value"] == pytest.approx(
        2 * scipy_stats.norm.sf(9.30484210398471), rel=1e-5, abs=0
    )
