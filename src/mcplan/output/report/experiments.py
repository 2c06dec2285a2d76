"""A report's message tests and holdout in the reader's words, the same in the terminal and
in Markdown: each test's title and arms' cells, a split that is off, the holdout's lines."""

from __future__ import annotations

from collections.abc import Callable

from mcplan import numbers
from mcplan.numbers import NONE, decimal
from mcplan.output.report.cells import count, signed
from mcplan.report.experiments import ArmReport, HoldoutReport, TestReport
from mcplan.report.results import ChannelResult
from mcplan.words import Reader, reader

# The columns, by catalogue key (`col_<name>`).
TEST_HEADERS = ("arm", "contacts", "successes", "rate", "interval", "lift", "lift_interval", "p")


def _rate(value: float | None) -> str:
    return NONE if value is None else numbers.percent(value, 2)


def _lift(value: float | None) -> str:
    return NONE if value is None else numbers.percent(value, 1, signed=True)


def _interval(low: float | None, high: float | None, show: Callable[[float | None], str]) -> str:
    if low is None or high is None:
        return NONE
    return reader().say("interval", low=show(low), high=show(high))


def _p(value: float | None) -> str:
    if value is None:
        return NONE
    return f"< {decimal(0.0001, 4)}" if value < 0.0001 else decimal(value, 4)


def _level(alpha: float) -> str:
    return numbers.percent(1 - alpha)


def arm_cells(arm: ArmReport, t: Reader) -> list[str]:
    c = arm.comparison
    return [
        arm.arm, count(arm.contacts), count(arm.successes), _rate(arm.rate),
        _interval(arm.low, arm.high, _rate), _lift(c.lift) if c else t.say("control"),
        _interval(c.low, c.high, _lift) if c else "", _p(c.p_value) if c else "",
    ]  # fmt: skip


def test_title(test: TestReport, t: Reader) -> str:
    planned = test.test
    return t.say(
        "report_test",
        test=planned.id,
        channel=planned.channel,
        part=t.part(planned.part),
        metric=t.say(f"metric_{planned.metric.value}"),
        per=t.words.get(f"per_{test.denominator}", test.denominator),
        verdict=t.text(test.verdict),
    )


def mismatch_line(test: TestReport, t: Reader) -> str:
    return t.say(
        "sample_ratio_mismatch",
        test=test.test.id,
        chi2=decimal(test.split_chi2, 1),
        p=_p(test.split_p),
    )


def _group(row: ChannelResult, t: Reader) -> str:
    contacts, converted = row.contacts or 0.0, row.converted or 0.0
    return t.say("rate_of", rate=_rate(converted / contacts), contacts=count(contacts))


def holdout_lines(holdout: HoldoutReport, t: Reader) -> list[str]:
    c = holdout.comparison
    level = _level(holdout.alpha)
    verdict = t.say("significant" if holdout.significant else "not_significant")
    return [
        t.say(
            "holdout_groups", treated=_group(holdout.treated, t), held=_group(holdout.holdout, t)
        ),
        t.say(
            "holdout_lift",
            lift=_lift(c.lift),
            level=level,
            interval=_interval(c.low, c.high, _lift),
            p=_p(c.p_value),
            verdict=verdict,
        ),
        t.say(
            "holdout_incremental",
            incremental=signed(holdout.incremental),
            level=level,
            interval=_interval(holdout.incremental_low, holdout.incremental_high, signed),
        ),
    ]
