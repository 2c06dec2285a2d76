"""What an e-mail layout is checked with: its images and links, their text, what its CSS loads.

The layout is the workspace's MJML (`[email] layout`), read as it is written so that each
thing found is at its line and column: the images (`<mj-image>`, `<img>`) without alternative
text (E104), the links (`<mj-button>`, `<a>`) whose written text says nothing (E105), what the
CSS loads from elsewhere (E111) and the characters that are not text (E110). Each scan is
linear in the layout, whatever it holds. The e-mail family (`mcplan.lint.rules.emails`)
declares the rules and says which each check reports.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from mcplan.findings import Finding, Location, Rule
from mcplan.lint.email_words import character, vague
from mcplan.printable import excerpt

# A tag of the layout whose links and images are checked. A quoted value holds no "<", so that
# each try stops at the next "<": the scan is linear, whatever the text (a value with a "<" in
# it, which MJML does not need, leaves its tag unchecked).
_TAG = re.compile(r"<(mj-image|img|mj-button|a)\b((?:[^<>\"']|\"[^\"<]*+\"|'[^'<]*+')*+)>", re.I)
_ATTRIBUTE = re.compile(r"([\w:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CLOSING = re.compile(r"</(mj-button|a)\s*>", re.I)
_LONGEST_WORDS = 500  # characters of a link's text and markup: a longer one says something
# What the layout's CSS loads from elsewhere: every piece of it bounded, so the scan is linear.
_REMOTE = re.compile(
    r"@import\b[^;{}<>\n]{0,200}"
    r"|\burl\(\s*+(?![\"']?\s*(?:data:|cid:|#))[^)<>\n]{0,200}\)?"
    r"|<(?:link|mj-font)\b[^<>]{0,500}>?",
    re.I,
)


@dataclass(frozen=True)
class Lines:
    """Where offsets of a file's text are: its lines' starts, found once."""

    file: str
    starts: list[int]

    def __init__(self, file: str, text: str) -> None:
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "starts", starts)

    def at(self, start: int, end: int) -> Location:
        """The span of ``text[start:end]`` in the file."""

        def position(offset: int) -> tuple[int, int]:
            line = bisect.bisect_right(self.starts, offset)
            return line, offset - self.starts[line - 1] + 1

        return Location(self.file, *position(start), *position(end))


@dataclass(frozen=True)
class Tag:
    """An image or a link of the layout: its name as written, its attributes (names in lower
    case) and where it is."""

    name: str
    attributes: dict[str, str]
    start: int
    end: int
    where: Location

    @property
    def kind(self) -> str:
        return self.name.lower()

    @property
    def image(self) -> bool:
        return self.kind in ("mj-image", "img")


class Layout:
    """A layout's text, its images and links, and where each kind of link opens and closes."""

    def __init__(self, file: str, text: str) -> None:
        self.text = text
        self.lines = Lines(file, text)
        self.tags = [
            Tag(m[1], _attributes(m[2]), m.start(), m.end(), self.lines.at(m.start(), m.end()))
            for m in _TAG.finditer(text)
        ]
        self.closing: dict[str, list[int]] = {}
        for close in _CLOSING.finditer(text):
            self.closing.setdefault(close[1].lower(), []).append(close.start())
        self.opening: dict[str, list[int]] = {}
        for tag in self.tags:
            self.opening.setdefault(tag.kind, []).append(tag.start)

    def link_words(self, tag: Tag) -> str | None:
        """What a link writes as its text, markup included: up to its closing tag, unless
        another of its kind opens first (a link holds no link). None when it has no closing
        tag or is long enough to say something: each text is read once, and only then."""
        ends = self.closing.get(tag.kind, [])
        close_at = ends[bisect.bisect_left(ends, tag.end)] if ends and ends[-1] >= tag.end else -1
        starts = self.opening[tag.kind]
        after = bisect.bisect_right(starts, tag.start)
        next_open = starts[after] if after < len(starts) else len(self.text)
        if close_at < 0 or close_at > next_open or close_at - tag.end > _LONGEST_WORDS:
            return None
        return self.text[tag.end : close_at]


def _attributes(written: str) -> dict[str, str]:
    return {m[1].lower(): m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(written)}


def image_alt(rule: Rule, tag: Tag) -> Iterator[Finding]:
    """An image without alt, or a linked image whose alt is empty (the link's only text)."""
    if "alt" not in tag.attributes:
        yield rule(tag.where, f"layout: <{tag.name}> without alt")
    elif not tag.attributes["alt"].strip() and "href" in tag.attributes:
        yield rule(tag.where, f"layout: <{tag.name}> is a link with an empty alt: it has no text")


def link_text(rule: Rule, layout: Layout, tag: Tag) -> Iterator[Finding]:
    """A link whose written text says nothing of where it goes (one a template writes, with a
    "{", is known only once rendered)."""
    words = layout.link_words(tag)
    if words is None or "{" in words:
        return
    if language := vague(html.unescape(re.sub(r"<[^>]*>", "", words))):
        shown = " ".join(re.sub(r"<[^>]*>", "", words).split())
        yield rule(
            tag.where,
            f"layout: the link text {shown!r} says nothing of where it goes ({language})",
        )


def remote_style(rule: Rule, layout: Layout) -> Iterator[Finding]:
    """What the layout's CSS loads from elsewhere: an @import, a url(), a <link>, an mj-font."""
    for remote in _REMOTE.finditer(layout.text):
        yield rule(
            layout.lines.at(remote.start(), remote.end()),
            f"layout: {excerpt(remote[0], 80)} loads from elsewhere when the e-mail is opened",
        )


def not_text(rule: Rule, layout: Layout) -> Iterator[Finding]:
    """Each character of the layout that is not text."""
    from mcplan.render.email import not_text as not_text_in

    for bad in not_text_in(layout.text):
        yield rule(
            layout.lines.at(bad.start(), bad.end()),
            f"layout: {character(bad[0])} is not text (the HTML part leaves it out)",
        )
