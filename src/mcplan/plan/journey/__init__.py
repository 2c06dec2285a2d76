"""A journey's forecast (issue 29): the exact walk of its steps (`walk`) and what its sends
cost, convert and bring in, per week and over its live period (`forecast`)."""

from __future__ import annotations

from mcplan.plan.journey.forecast import (
    DEFAULT_WEEKS,
    JourneyForecast,
    StepForecast,
    forecast_journey,
    forecast_journeys,
)

__all__ = [
    "DEFAULT_WEEKS",
    "JourneyForecast",
    "StepForecast",
    "forecast_journey",
    "forecast_journeys",
]
