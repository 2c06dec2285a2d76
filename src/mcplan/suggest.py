"""'Did you mean …?' for ids, keys, words and names typed slightly wrong.

A choice is suggested when it is the same word in another case or without its accents, when
the word is the start of a single longer choice (``marie`` for ``marie-citadine``), or when it
is a few typing mistakes away: one for a word of up to 5 letters, two up to 10, three beyond
(a letter missing, added, changed, or two swapped). So ``emial`` gives ``email`` and
``Europe/Dublín`` gives ``Europe/Dublin``, but ``retention`` gives no ``reactivation``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to ``word``, if one is near enough to be a likely typo."""
    options = sorted(set(choices))
    folded = {_fold(c): c for c in reversed(options)}  # the first spelling wins
    key = _fold(word)
    if key in folded:
        return folded[key]
    allowed = 1 if len(key) <= 5 else 2 if len(key) <= 10 else 3
    scored = [(distance(key, _fold(c), allowed + 1), c) for c in options]
    near = [(d, c) for d, c in scored if d <= allowed]
    if near:
        return min(near)[1]
    # A short form of a longer id: 'marie' for 'marie-citadine'.
    longer = [c for c in options if _fold(c).startswith(key)] if len(key) >= 3 else []
    return longer[0] if len(longer) == 1 else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'sms'?)`` or an empty string."""
    match = closest(word, choices)
    return f" (did you mean '{match}'?)" if match and match != word else ""


def did_you_mean_id(word: str, known: Mapping[str, str]) -> str:
    """`` (did you mean 'sms'?)``, or `` (did you mean 'munich'? 'Anna Müller' is its name,
    not its id)`` when ``word`` is near a name and no id; ``known`` maps ids and names to ids."""
    ids = set(known.values())
    meant = closest(word, ids)
    if meant is not None:
        return f" (did you mean '{meant}'?)" if meant != word else ""
    name = closest(word, set(known) - ids)
    if name is None:
        return ""
    return f" (did you mean '{known[name]}'? '{name}' is its name, not its id)"


def distance(a: str, b: str, stop: int) -> int:
    """Typing mistakes from ``a`` to ``b`` (optimal string alignment distance), counted up to
    ``stop`` only: beyond it, the words are too far apart for a suggestion anyway."""
    if abs(len(a) - len(b)) >= stop:
        return stop
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, start=1):
            current[j] = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (x != y),
            )
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) >= stop:
            return stop
        before, previous = previous, current
    return min(previous[-1], stop)


def _fold(text: str) -> str:
    """Lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
