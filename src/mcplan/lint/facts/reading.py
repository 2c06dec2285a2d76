"""Reading a text once: the parts of it already read, the spans of what was found, and what
is read first (links, e-mail addresses, @mentions, hashtags), in which nothing else is read.

See `mcplan.lint.facts` for what each kind of fact is.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

K = TypeVar("K")
Found = Iterator[tuple[int, int, K]]  # (start, end, value) of a candidate fact

# Everywhere a space is allowed, a non-breaking, narrow non-breaking or thin one is too; and
# everywhere a minus is, "−", "–" and "‑".
SP = "[ \t\u00a0\u202f\u2009]"
MINUS = "[-\u2212\u2013\u2011]"


class Claims:
    """The parts of a text already read, as disjoint (start, end) ranges in order, so that
    whether a part is free takes a binary search, not a look at every earlier fact (20,000
    hashtags took 12 s)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:  # the range that starts at or before it
            return False
        return i == len(self.starts) or self.starts[i] >= end  # the next one

    def add(self, start: int, end: int) -> None:
        """Claim ``start``–``end``, merged with the ranges it touches."""
        i = bisect.bisect_left(self.ends, start)  # the first range that ends after it starts
        j = bisect.bisect_right(self.starts, end)  # past the last range that starts before
        if i < j:
            start, end = min(start, self.starts[i]), max(end, self.ends[j - 1])
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def copy(self) -> Claims:
        other = Claims()
        other.starts, other.ends = list(self.starts), list(self.ends)
        return other


@dataclass(frozen=True)
class Span:
    """Where a fact is: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


# The combining marks NFD splits accents into (the Unicode "Combining … Marks" blocks).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents ("Février" → "fevrier")."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFD", text)).casefold()


_URL = re.compile(r"(?<![\w@/.])(?i:https?://|www\.)[^\s<>\"«»]+")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_MENTION = re.compile(r"(?<![\w@])@\w+")
_DOMAIN = re.compile(
    r"(?<![\w@./\-:])(?P<host>(?:[^\W_][\w\-]*\.)+(?P<tld>[^\W\d_]{2,24}))(?![\w\-@])"
    r"(?:[/?#][^\s<>\"«»]*)?"
)
_TLD_NAMES = "fr com net org eu io co be ch lu mc re ca de es it nl pt at ie uk us info biz app"
_TLDS = frozenset(
    f"{_TLD_NAMES} dev shop store online site paris bzh corsica alsace me tv ly".split()
)
_TRAILING = ".,;:!?)]}'’\"»…"
_HASHTAG = re.compile(r"(?<![\w&#])#(?P<tag>\w*[^\W\d_]\w*)")


def read(text: str, claims: Claims, found: Found[K]) -> dict[K, list[Span]]:
    """Keep the candidates on text no other fact has claimed, earliest and longest first.

    A part of the text is read once, as one thing. The value "" claims without keeping.
    """
    kept: dict[K, list[Span]] = {}
    for start, end, value in sorted(found, key=lambda f: (f[0], -f[1])):
        if claims.free(start, end):
            claims.add(start, end)
            if value != "":
                kept.setdefault(value, []).append(Span(start, end, text[start:end]))
    return kept


def _end(match: re.Match[str]) -> int:
    """Where a link ends, without the punctuation that follows it."""
    return match.start() + len(match.group().rstrip(_TRAILING))


def _host(link: str) -> str:
    try:
        host = urlsplit(link if "://" in link else "http://" + link).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def _links(text: str) -> Found[str]:
    # Each pattern is run only on a text that has what it needs: most texts have no link.
    folded = text.casefold()
    if "http" in folded or "www." in folded:
        for m in _URL.finditer(text):
            yield m.start(), _end(m), _host(text[m.start() : _end(m)])
    if "@" in text:
        for m in (*_EMAIL.finditer(text), *_MENTION.finditer(text)):
            yield m.start(), m.end(), ""
    if "." in text:
        for m in _DOMAIN.finditer(text):
            if m["tld"].casefold() in _TLDS:
                yield m.start(), _end(m), m["host"].casefold().removeprefix("www.")


def protected(text: str) -> tuple[Claims, dict[str, list[Span]], dict[str, list[Span]]]:
    """Links, e-mails, mentions and hashtags: claimed first, nothing else is read in them."""
    claims = Claims()
    domains = read(text, claims, _links(text))
    if "#" not in text:
        return claims, domains, {}
    tags = ((m.start(), m.end(), m["tag"]) for m in _HASHTAG.finditer(text))
    return claims, domains, read(text, claims, tags)
