"""Text as the preview's mockups show it: links and hashtags, paragraphs, cuts, banners,
avatars. These are the page template's filters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale

from mcplan import numbers

_LINKABLE = re.compile(r"(?P<url>https?://[^\s<>\"'`]+)|(?P<tag>(?<![\w&])#\w+)")
_URL_TAIL = ".,;:!?)]}»’'\""  # punctuation that ends a sentence rather than the URL
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Token:
    """A run of text: plain ``text``, a ``url`` (http or https) or a hashtag (``tag``)."""

    kind: str
    text: str


Line = tuple[Token, ...]
Paragraph = tuple[Line, ...]


def tokens(line: str) -> Line:
    """``line`` split into plain text, http(s) URLs and hashtags."""
    out: list[Token] = []
    position = 0
    for match in _LINKABLE.finditer(line):
        start, end = match.span()
        kind = "url" if match["url"] else "tag"
        if kind == "url":
            end = start + len(match[0].rstrip(_URL_TAIL))
            if end - start <= len("https://"):
                continue
        if start > position:
            out.append(Token("text", line[position:start]))
        out.append(Token(kind, line[start:end]))
        position = end
    if position < len(line):
        out.append(Token("text", line[position:]))
    return tuple(out)


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Paragraphs (split on blank lines) of lines of tokens; line breaks are kept as lines."""
    blocks = [block.strip("\n") for block in _PARAGRAPH_BREAK.split(text.strip())]
    return tuple(tuple(tokens(line) for line in block.split("\n")) for block in blocks if block)


def lines(text: str) -> tuple[Line, ...]:
    """Every line of ``text``, blank ones dropped (for posters and banners)."""
    return tuple(tokens(line.strip()) for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Cut:
    """What shows of a text cut after ``limit`` characters."""

    shown: str
    cut: bool


def cut(text: str, limit: int | None) -> Cut:
    if limit is None or len(text) <= limit:
        return Cut(text, False)
    return Cut(text[:limit].rstrip(), True)


@dataclass(frozen=True)
class Banner:
    text: str
    cta: str


def banner(text: str, cta: str) -> Banner:
    """A banner's text and its button: the call to action, taken off the end of the text."""
    if cta and text.endswith(cta) and len(text) > len(cta):
        return Banner(text[: -len(cta)].rstrip(" —–-:·|"), cta)
    return Banner(text, cta)


def initials(name: str) -> str:
    """Up to two initials for an avatar: "Maison Lumen" → "ML"."""
    words = [w for w in re.split(r"[^\w]+", name) if w]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def handle(name: str) -> str:
    """A social handle made from a name: "Maison Lumen" → "maisonlumen"."""
    return "".join(c for c in name.lower() if c.isalnum() or c in "._") or "brand"


def show_char(char: str) -> str:
    """A character as it can be read on the page: invisible ones by their code point."""
    if not char:
        return "∅"
    if all(c.isprintable() and not c.isspace() for c in char):
        return char
    return " ".join(f"U+{ord(c):04X}" for c in char)


def number(value: float, locale: Locale) -> str:
    """A count or a measure as ``locale`` writes it: "63 206", "36,4" in French, "63,206",
    "36.4" in English (by :func:`mcplan.numbers.number`, as every number mcplan writes)."""
    with numbers.in_locale(str(locale)):
        return numbers.number(value, 3)
