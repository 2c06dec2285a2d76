"""A report's figures in the reader's words, the same in the terminal and in Markdown: its
headline, its objectives' cells, each channel's verdict, and numbers that may be missing."""

from __future__ import annotations

from collections.abc import Sequence

from mcplan.numbers import NONE, money, quantity
from mcplan.report.advice import percent
from mcplan.report.compare import CampaignReport, ChannelReport, ObjectiveReport
from mcplan.words import Reader

# The columns, by catalogue key (`col_<name>`).
OBJECTIVE_HEADERS = ("objective", "target", "forecast", "actual", "attainment", "vs_forecast")


def count(value: float | None) -> str:
    return NONE if value is None else quantity(value)


def signed(value: float | None) -> str:
    return NONE if value is None else quantity(value, signed=True)


def percentage(value: float | None, signed: bool = False, limits: Sequence[float] = ()) -> str:
    """A ratio in percents, or the dash of a missing figure (``limits``: see `percent`)."""
    if value is None:
        return NONE
    return percent(value, signed, limits)


def headers(names: Sequence[str], t: Reader) -> list[str]:
    return [t.say(f"col_{name}") for name in names]


def cost(channel: ChannelReport) -> float | None:
    return channel.actual.cost if channel.actual else None


def revenue(channel: ChannelReport) -> float | None:
    return channel.actual.revenue if channel.actual else None


def forecast_cost(channel: ChannelReport) -> float | None:
    return channel.forecast.cost if channel.forecast else None


def forecast_conversions(channel: ChannelReport) -> float | None:
    return channel.forecast.conversions if channel.forecast else None


def headline(review: CampaignReport, currency: str, t: Reader) -> str:
    total = review.total
    converted = total.actual.converted if total.actual else None
    forecast = total.forecast.conversions if total.forecast else None
    return t.say(
        "report_headline",
        campaign=review.name,
        conversions=t.count("conversions", converted or 0, count(converted)),
        cost=money(cost(total), currency),
        forecast=count(forecast),
        forecast_cost=money(forecast_cost(total), currency),
    )


def verdict(channel: ChannelReport, t: Reader) -> str:
    if channel.recommendation is None:
        return t.say("no_results")
    return t.say(f"advice_{channel.recommendation.value}")


def _figure(value: float | None, unit: str, currency: str, short: bool = False) -> str:
    if unit != "revenue":
        return count(value)
    if short and value is not None:
        return money(value, currency, whole=abs(value) >= 1000)
    return money(value, currency)


def _objective_label(objective: ObjectiveReport, t: Reader) -> str:
    from mcplan.output.plan.sentences import objective_name, unit_of

    name = objective_name(objective.kind, objective.channel, t)
    return f"{name}: {unit_of(objective.unit, t)}"


def objective_cells(
    objective: ObjectiveReport, currency: str, t: Reader, short: bool = False
) -> list[str]:
    """One objective's row, in the table (``short`` amounts) and in Markdown."""
    return [
        _objective_label(objective, t),
        _figure(objective.target, objective.unit, currency, short),
        _figure(objective.forecast, objective.unit, currency, short),
        _figure(objective.actual, objective.unit, currency, short),
        percentage(objective.attainment, limits=(1.0,)),
        percentage(objective.vs_forecast),
    ]
