"""A journey's report in the reader's words, the same in the terminal and in Markdown: its
headline, each step's cells, each branch's title and notes."""

from __future__ import annotations

from mcplan.numbers import NONE, decimal, percent
from mcplan.output.report.cells import count, percentage
from mcplan.report.advice import GAP_LIMITS
from mcplan.report.journey import BranchReport, JourneyReport, StepReport
from mcplan.words import Reader

# The steps' columns, by catalogue key (`col_<name>`).
STEP_HEADERS = (
    "step", "channel", "forecast_sent", "sent", "open_rate", "click_rate", "forecast_conv",
    "conv", "gap_short",
)  # fmt: skip


def journey_headline(review: JourneyReport, t: Reader) -> str:
    weeks = review.weeks
    shown = decimal(weeks, 0 if weeks == int(weeks) else 1)
    return t.say(
        "journey_report_headline",
        journey=review.name,
        first=t.long_date(review.first),
        last=t.long_date(review.last),
        weeks=t.count("journey_weeks", weeks, shown),
    )


def _rate(value: float | None) -> str:
    return NONE if value is None else percent(value, 1)


def step_cells(step: StepReport, t: Reader) -> list[str]:
    """A step's row (a persona's, indented; the total's, named so)."""
    actual = step.actual
    if step.persona is not None:
        name = f"  {step.persona}"
    else:
        name = t.say("total") if step.step == "total" and not step.channel else step.step
    return [
        name,
        step.channel if step.persona is None else "",
        count(step.forecast.sends),
        count(actual.sent if actual else None),
        _rate(step.rate("opened")),
        _rate(step.rate("clicked")),
        count(step.forecast.conversions),
        count(actual.converted if actual else None),
        percentage(step.gap_ratio, True, GAP_LIMITS),
    ]


def branch_title(branch: BranchReport, t: Reader) -> str:
    conditions = " / ".join(a.condition for a in branch.conditions)
    return t.say(
        "report_branch",
        number=branch.id or str(branch.number),
        conditions=conditions,
        verdict=t.text(branch.verdict),
    )


def branch_notes(branch: BranchReport, t: Reader) -> list[str]:
    """What a branch's table does not say: arms not measured, a split that is not random."""
    notes = []
    if branch.unmeasured:
        notes.append(t.say("branch_not_measured", arms=branch.unmeasured))
    if not branch.random and len(branch.arms) > 1:
        notes.append(t.say("branch_not_random"))
    return notes
