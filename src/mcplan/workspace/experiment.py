"""A campaign's test of message options (A/B): its arms, how the contacts are split between
them, and what decides the winner."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict, ValidationInfo, model_validator

from mcplan import numbers
from mcplan.workspace.fields import Metric, Share, StrictModel, Text, cross_checking, disagree
from mcplan.workspace.ids import Id, Ref

# Braze's limit, and more than a campaign's audience can usually tell apart.
MAX_ARMS = 8
SPLIT_TOLERANCE = 1e-6


class Experiment(StrictModel):
    """A test of message options (A/B): every contact reached on the channel gets one arm,
    whose text replaces one part of the channel's template. The first arm is the control."""

    id: Id = Field(description="Unique in the campaign; names the arms' versions and results.")
    channel: Ref = Field(description="The channel whose message is tested.")
    part: Id = Field(
        description="The part each arm replaces: a part of the channel's template (subject, "
        "text, caption…)."
    )
    metric: Metric = Field(
        Metric.CONVERSION,
        description="What decides: open, click or conversion (a share of the contacts "
        "reached). Default: conversion.",
    )
    min_lift: Annotated[float, Strict(), Field(gt=0, le=10, allow_inf_nan=False)] = Field(
        0.1,
        description="The smallest relative lift worth detecting, over the control's rate "
        "(0.10: +10 %). Default: 0.10.",
    )
    arms: dict[Id, Text] = Field(
        min_length=2,
        max_length=MAX_ARMS,
        description="Two to eight options, by name: each a template of the part, like "
        "`templates:`. The first is the control.",
    )
    split: dict[Id, Share] | None = Field(
        None,
        description="The share of the contacts each arm gets, adding up to 1. Default: equal.",
    )

    @model_validator(mode="after")
    def _split_fits_arms(self, info: ValidationInfo) -> Experiment:
        if self.split is None or not cross_checking(info):
            return self
        if set(self.split) != set(self.arms):
            missing = [a for a in self.arms if a not in self.split]
            extra = [a for a in self.split if a not in self.arms]
            said = [f"no share for {', '.join(missing)}"] if missing else []
            said += [f"no arm named {', '.join(extra)}"] if extra else []
            raise disagree(f"split must give a share to each arm: {'; '.join(said)}", at="split")
        total = sum(self.split.values())
        if abs(total - 1) > SPLIT_TOLERANCE:
            shares = " + ".join(numbers.number(v) for v in self.split.values())
            raise disagree(
                f"split adds up to {numbers.number(total)} ({shares}), not 1", at="split"
            )
        return self

    def shares(self) -> dict[str, float]:
        """Each arm's share of the contacts, in the order of `arms`."""
        if self.split is None:
            return {arm: 1 / len(self.arms) for arm in self.arms}
        return {arm: self.split[arm] for arm in self.arms}

    @property
    def control(self) -> str:
        return next(iter(self.arms))
