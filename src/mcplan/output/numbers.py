"""Numbers as the reports show them (to people) and store them (in JSON)."""

from __future__ import annotations

NONE = "–"  # a figure nobody knows


def money(value: float | None, currency: str) -> str:
    """`1,234.50 EUR`, or – when unknown."""
    return NONE if value is None else f"{value:,.2f} {currency}"


def amount(value: float | None) -> str:
    """`1,234.50` (in a column whose header names the currency), or – when unknown."""
    return NONE if value is None else f"{value:,.2f}"


def percent(share: float) -> str:
    """A share as it was written: ``0.025`` → ``2.5%``, ``0.35`` → ``35%``, ``0.0005`` →
    ``0.05%`` (never rounded to a figure the file does not say)."""
    return f"{share * 100:.4g}%"


def rounded(value: float | None, places: int = 2) -> float | None:
    """`value` rounded for JSON, None kept."""
    return None if value is None else round(value, places)
