"""A journey's steps as files write them: a send, a wait, a branch of arms (each a condition
and its steps, or the `otherwise` arm), nested; and the durations a wait and `re_entry` write
(`36h`, `3d`, `2w`), read into hours.

How many steps a journey may have and how deep they may nest is checked on the data, before
the models are built from it (`bounded_steps`), so that a hostile file gets a clear error and
never a deep recursion.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Strict,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import CoreSchema, core_schema

from mcplan import numbers
from mcplan.printable import excerpt
from mcplan.workspace.campaign import PartialMessage
from mcplan.workspace.fields import Parts, StrictModel, Text, cross_checking, disagree
from mcplan.workspace.ids import Id, Ref
from mcplan.workspace.sourcemap import source_text
from mcplan.workspace.times import Clock

# -- durations ------------------------------------------------------------------------------

DURATION_PATTERN = r"^[1-9][0-9]*[hdw]$"
_UNITS = {"h": 1, "d": 24, "w": 24 * 7}
MAX_DURATION_HOURS = 24 * 366  # a wait or a re-entry delay of at most a year (and a day)
_DURATION = re.compile(r"\s*([+-]?)\s*(\d+)\s*([a-zA-Z]*)\s*", re.ASCII)


class Duration(int):
    """A time span as a journey writes it (`36h`, `3d`, `2w`): a whole number of hours, that
    keeps how it was written (`str()`)."""

    text: str

    def __new__(cls, hours: int, text: str = "") -> Duration:
        made = super().__new__(cls, hours)
        made.text = text or f"{hours}h"
        return made

    @property
    def hours(self) -> int:
        return int(self)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Duration({self.text!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            parse_duration, serialization=core_schema.to_string_ser_schema()
        )


def parse_duration(value: Any) -> Duration:
    """``3d`` → 72 hours. Raises ValueError with what to write instead, for anything but a
    positive whole number of hours (`h`), days (`d`) or weeks (`w`) of at most a year."""
    if isinstance(value, Duration):
        return value
    value = source_text(value)
    shown = f"'{excerpt(str(value))}'"
    written = value if isinstance(value, str) and len(value) <= 40 else None
    match = _DURATION.fullmatch(written) if written is not None else None
    unit = match[3].lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(
            f"{shown} is not a duration: write a whole number and a unit, h (hours), d (days) or "
            "w (weeks), like 36h, 3d or 2w"
        )
    hours = int(match[2][:12]) * _UNITS[unit] if len(match[2]) <= 12 else MAX_DURATION_HOURS + 1
    if match[1] == "-" or hours == 0:
        raise ValueError(f"{shown} is not more than zero: a duration is at least 1h")
    if hours > MAX_DURATION_HOURS:
        raise ValueError(
            f"{shown} is longer than a year: a duration is at most "
            f"{numbers.count(MAX_DURATION_HOURS // 24)}d"
        )
    return Duration(hours, f"{int(match[2])}{unit}")


DurationText = Annotated[
    Duration,
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN}),
]


def _never_or_duration(value: Any) -> Any:
    return None if source_text(value) == "never" else parse_duration(value)


ReEntry = Annotated[
    Duration | None,
    BeforeValidator(_never_or_duration),
    WithJsonSchema(
        {"anyOf": [{"const": "never"}, {"type": "string", "pattern": DURATION_PATTERN}]}
    ),
]

# -- bounds ---------------------------------------------------------------------------------

MAX_STEPS = 1_000  # in one journey, those of every arm included
MAX_ARMS = 100  # in one branch
MAX_DEPTH = 32  # branches within branches, far past what S317 allows (5)


def bounded_steps(value: Any) -> Any:
    """The steps as written, when there are at most :data:`MAX_STEPS` of them, no branch has
    more than :data:`MAX_ARMS` arms and they nest at most :data:`MAX_DEPTH` deep; checked
    without recursion, before any model is built."""
    count = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        steps, depth = pending.pop()
        if not isinstance(steps, list):
            continue
        count += len(steps)
        if count > MAX_STEPS:
            raise ValueError(
                f"more than {numbers.count(MAX_STEPS)} steps: split the journey in several"
            )
        for step in steps:
            arms = step.get("branch") if isinstance(step, dict) else None
            if not isinstance(arms, list):
                continue
            if len(arms) > MAX_ARMS:
                raise ValueError(f"a branch of more than {MAX_ARMS} arms: split it")
            if depth + 1 > MAX_DEPTH:
                raise ValueError(f"branches nest more than {MAX_DEPTH} deep")
            for arm in arms:
                if isinstance(arm, dict):
                    inner = arm.get("steps", arm.get("otherwise"))
                    pending.append((inner, depth + 1))
    return value


# -- steps ----------------------------------------------------------------------------------

PerWeek = Annotated[float, Strict(), Field(ge=0, le=10**9, allow_inf_nan=False)]
Share = Annotated[float, Strict(), Field(gt=0, le=1, allow_inf_nan=False)]


class Send(StrictModel):
    """A send: the journey's message on one channel, rendered by its templates."""

    id: Id = Field(description="The step's id, unique in the journey; conditions name it.")
    send: Ref = Field(description="Channel id.")
    message: PartialMessage | None = Field(
        None, description="Keys of the core message this step changes (headline, cta…)."
    )
    variant: Parts | None = Field(
        None, description="Hand-written text of this step, checked like rendered text."
    )
    at: Clock | None = Field(
        None,
        description="Local time of day (HH:MM) it goes out at. Default: the first moment the "
        "channel's window allows.",
    )
    note: Text = Field("", description="Why this step, for reviewers.")


class Wait(StrictModel):
    """A wait before the next step."""

    id: Id | None = Field(None, description="The step's id, unique in the journey. Optional.")
    wait: DurationText = Field(description="How long: 36h, 3d or 2w (hours, days, weeks).")
    note: Text = Field("", description="Why this wait, for reviewers.")


class Condition(StrictModel):
    """Who takes an arm: a random share, those who engaged with an earlier send (or did not),
    or some personas. Several keys: all of them hold."""

    share: Share | None = Field(
        None,
        description="A random split: this share of those who arrive at the branch (0.4: 40 %). "
        "A branch is all `share` arms, adding up to at most 1, or none.",
    )
    opened: Id | None = Field(None, description="Those who opened this earlier send.")
    clicked: Id | None = Field(None, description="Those who clicked in this earlier send.")
    not_opened: Id | None = Field(None, description="Those who did not open this earlier send.")
    not_clicked: Id | None = Field(
        None, description="Those who did not click in this earlier send."
    )
    personas: list[Ref] | None = Field(
        None, min_length=1, description="Those of these personas of the journey."
    )

    @model_validator(mode="after")
    def _something(self, info: ValidationInfo) -> Condition:
        if not self.model_fields_set and cross_checking(info):
            raise disagree("a condition names share, opened, clicked, not_opened, "
                           "not_clicked or personas")  # fmt: skip
        return self

    @property
    def engagement(self) -> list[tuple[str, str]]:
        """(key, send id) of each engagement condition it writes."""
        keys = ("opened", "clicked", "not_opened", "not_clicked")
        return [(k, getattr(self, k)) for k in keys if getattr(self, k) is not None]


class When(StrictModel):
    """An arm taken by those who meet its condition."""

    when: Condition = Field(description="Who takes the arm.")
    steps: Steps = Field(description="What they go through, then on after the branch.")


class Otherwise(StrictModel):
    """The arm of those who match no other arm."""

    otherwise: Steps = Field(description="What they go through, then on after the branch.")


def _arm_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "otherwise-arm" if "otherwise" in value else "when-arm"
    return "when-arm" if isinstance(value, When) else "otherwise-arm"


Arm = Annotated[
    Annotated[When, Tag("when-arm")] | Annotated[Otherwise, Tag("otherwise-arm")],
    Discriminator(_arm_kind),
]


class Branch(StrictModel):
    """Arms tried in order, the first that matches wins; whoever matches none (and there is
    no `otherwise`) goes on after the branch."""

    id: Id | None = Field(None, description="The step's id, unique in the journey. Optional.")
    branch: list[Arm] = Field(min_length=1, description="The arms, in order.")
    note: Text = Field("", description="Why this branch, for reviewers.")

    @model_validator(mode="after")
    def _otherwise_last(self, info: ValidationInfo) -> Branch:
        last = len(self.branch) - 1
        for i, arm in enumerate(self.branch):
            if isinstance(arm, Otherwise) and i != last and cross_checking(info):
                raise disagree("the `otherwise` arm comes last: no arm after it is ever taken")
        return self


_STEP_KEYS = {"send": "send-step", "wait": "wait-step", "branch": "branch-step"}


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next((tag for key, tag in _STEP_KEYS.items() if key in value), None)
    kinds: dict[type, str] = {Send: "send-step", Wait: "wait-step", Branch: "branch-step"}
    return kinds.get(type(value))


Step = Annotated[
    Annotated[Send, Tag("send-step")]
    | Annotated[Wait, Tag("wait-step")]
    | Annotated[Branch, Tag("branch-step")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message="a step is a send (`send: CHANNEL`), a wait (`wait: 3d`) or a "
        "branch (`branch: [...]`)",
    ),
]

Steps = Annotated[list[Step], BeforeValidator(bounded_steps)]

When.model_rebuild()
Otherwise.model_rebuild()
Branch.model_rebuild()

__all__ = [
    "Arm",
    "Branch",
    "Condition",
    "Duration",
    "Otherwise",
    "PerWeek",
    "ReEntry",
    "Send",
    "Step",
    "Steps",
    "Wait",
    "When",
    "parse_duration",
]
