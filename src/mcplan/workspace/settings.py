"""Workspace settings (`mcplan.toml` or `[tool.mcplan]` in `pyproject.toml`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field

from mcplan.rules import RULES, matching
from mcplan.suggest import did_you_mean
from mcplan.workspace.fields import CurrencyCode, Locale, Pressure, StrictModel, Text, TimeZoneName


class Severity(StrEnum):
    """A level a rule may be given; `off` turns it off."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


class FailLevel(StrEnum):
    """The lowest level of finding that makes `mcplan lint` fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"


def _check_selector(value: str) -> str:
    if not matching(value):
        raise ValueError(
            f"unknown rule '{value}'{did_you_mean(value, RULES)}: give a code (P101), a "
            "family or prefix (P, P1), or ALL"
        )
    return value


def _check_code(value: str) -> str:
    if value not in RULES:
        raise ValueError(f"unknown rule '{value}'{did_you_mean(value, RULES)}")
    return value


RuleSelector = Annotated[str, AfterValidator(_check_selector)]
RuleCode = Annotated[str, AfterValidator(_check_code)]


class LintSettings(StrictModel):
    """What `mcplan lint` reports (`[lint]` in mcplan.toml, `[tool.mcplan.lint]`)."""

    select: list[RuleSelector] = Field(
        default_factory=lambda: ["ALL"],
        description="Rules to run, by code (P101), prefix (P, P1) or ALL. Default: ALL.",
    )
    ignore: list[RuleSelector] = Field(
        default_factory=list, description="Rules not to run, by code or prefix."
    )
    levels: dict[RuleCode, Severity] = Field(
        default_factory=dict,
        description="A level per rule code: error, warning, info, or off.",
    )
    per_path_ignores: dict[Text, list[RuleSelector]] = Field(
        default_factory=dict,
        description="Rules not to report in files matching a glob, relative to the workspace "
        '(`"campaigns/archive/**" = ["P"]`).',
    )
    fail_level: FailLevel = Field(
        FailLevel.ERROR,
        description="Lowest level that fails the run: error, warning, info or never. The "
        "--fail-level option overrides it.",
    )


class Settings(StrictModel):
    """Workspace-wide defaults."""

    locale: Locale = Field("fr-FR", description="Default language and region of personas.")
    timezone: TimeZoneName = Field(
        "Europe/Paris", description="Default IANA time zone of personas."
    )
    currency: CurrencyCode = Field("EUR", description="ISO 4217 currency of costs and budgets.")
    brand: Text = Field("", description="Default brand name of campaigns.")
    pressure: Pressure = Field(
        default_factory=lambda: Pressure(max_per_week=3),
        description="Default contact pressure caps per persona, across every channel and "
        "campaign. Default: at most 3 touches in any 7 days.",
    )
    lint: LintSettings = Field(
        default_factory=LintSettings, description="What `mcplan lint` reports."
    )
