"""A persona's learned send times (`send_times`, issue 30): per channel, the local slot its
contacts engage most at, with the evidence `mcplan timing --write` found it on.

`mcplan plan` sends a proposed touch (and a journey's send without `at`) at the slot, inside
the channel's window; `mcplan lint` says when a hand-written touch is far from it (P108).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, Strict, ValidationInfo, model_validator

from mcplan.workspace.fields import Count, Fraction, StrictModel, cross_checking, disagree
from mcplan.workspace.times import Day

WeekdayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAY_NAMES: tuple[str, ...] = WeekdayName.__args__  # type: ignore[attr-defined]
Hour = Annotated[int, Strict(), Field(ge=0, le=23)]


class Period(StrictModel):
    """The first and last local day of the sends a slot was learned from."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Day = Field(alias="from", description="The first local day of the sends.")
    until: Day = Field(description="The last local day of the sends.")

    @model_validator(mode="after")
    def _in_order(self, info: ValidationInfo) -> Period:
        if self.until < self.from_ and cross_checking(info):
            raise disagree(f"until ({self.until}) is before from ({self.from_})", at="until")
        return self


class WeekSlot(StrictModel):
    """A local time of the week: a weekday (or any day) and an hour."""

    weekday: WeekdayName | None = Field(
        None, description="The weekday, in English (tuesday), or null: any day."
    )
    hour: Hour = Field(description="The local hour, 0 to 23.")

    @property
    def day(self) -> int | None:
        """0 for Monday … 6 for Sunday; None: any day."""
        return WEEKDAY_NAMES.index(self.weekday) if self.weekday is not None else None


class SendTimeSlot(WeekSlot):
    """The best local slot learned for one channel, with its evidence."""

    metric: Literal["open", "click"] = Field(description="What was counted: open or click.")
    sends: Count = Field(description="The sends it was learned from.")
    period: Period | None = Field(None, description="The first and last day of those sends.")
    rate: Fraction = Field(description="The slot's rate of the metric (posterior mean).")
    interval: Annotated[list[Fraction], Field(min_length=2, max_length=2)] = Field(
        description="The rate's 90 % credible interval: [low, high]."
    )
    current: WeekSlot | None = Field(
        None, description="The slot the touches used when it was learned, if any."
    )
    gain: Annotated[float, Strict(), Field(ge=-1, le=1, allow_inf_nan=False)] | None = Field(
        None, description="The rate less the current slot's rate."
    )
    probability_better: Fraction | None = Field(
        None, description="The probability that this slot beats the current one."
    )

    @model_validator(mode="after")
    def _rate_inside(self, info: ValidationInfo) -> SendTimeSlot:
        low, high = self.interval
        if not low <= self.rate <= high and cross_checking(info):
            raise disagree(
                f"the rate ({self.rate}) is not inside its interval [{low}, {high}]",
                at="interval",
            )
        return self


def channels_listed(send_times: dict[str, SendTimeSlot], channels: object) -> None:
    """Raise the error of the first learned channel the persona does not list."""
    for channel in send_times:
        if channel not in channels:  # type: ignore[operator]
            listed = ", ".join(sorted(channels)) or "none"  # type: ignore[call-overload]
            raise disagree(
                f"the persona does not list channel '{channel}' in `channels` ({listed}): "
                "a send time is learned for a channel it uses",
                at=channel,
            )
