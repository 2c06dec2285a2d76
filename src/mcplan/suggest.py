"""'Did you mean …?' for ids and keys typed slightly wrong."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to ``word``, if one is near enough to be a likely typo."""
    options = sorted(set(choices))
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if match:
        return match[0]
    # A short form of a longer id: 'marie' for 'marie-citadine'.
    longer = [c for c in options if c.startswith(word)] if len(word) >= 3 else []
    return longer[0] if len(longer) == 1 else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'sms'?)`` or an empty string."""
    match = closest(word, choices)
    return f" (did you mean '{match}'?)" if match and match != word else ""
