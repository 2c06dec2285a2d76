"""Workspace settings (`mcplan.toml` or `[tool.mcplan]` in `pyproject.toml`)."""

from __future__ import annotations

from pydantic import Field

from mcplan.models.common import CurrencyCode, Locale, Pressure, StrictModel, Text, TimeZoneName


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
