"""The MJML handed to mrml, read first as mrml's own tokenizer reads it: what would crash mrml
(or css-inline after it) is refused here, with where it is.

mrml parses MJML by recursive descent over the tokens of its `htmlparser` crate and renders
the tree recursively: every nested element costs kilobytes of stack, and some 1,000 to 8,000
of them (by element) overflow the 8 MB stack of the main thread. That is a segmentation
fault, not an exception: the process dies whatever Python does. css-inline, which reads the
HTML mrml writes (MJML's elements become up to 15 nested tags each), overflows at about
10,000. And htmlparser panics (a Rust panic, which Python sees as a `BaseException`) on a
conditional comment that does not end as it expects (`<!--[if mso]x`), on a ``>`` in a
text just after a character of three bytes (`€>`), and on the position of some errors.

So :func:`problem` tokenizes the text as htmlparser does (mrml-python 0.2.4: htmlparser 0.2),
accepting a strict subset of what htmlparser accepts, so that what it accepts htmlparser
reads the same way and without an error; and counts how deep elements nest as mrml's parser
recurses (a void element such as ``<br>`` does not nest, as in mrml). Whatever it refuses
mrml would have refused (a CDATA section, a processing instruction, a DOCTYPE, a comment with
``--``), crashed on, or panicked on; beyond :data:`MAX_DEPTH` nested elements, a layout is
refused long before the stack is at risk (mrml's deepest frames, `mj-hero`'s, cost about
6 KB, and css-inline about 1 KB per level of HTML, up to 15 levels per MJML element); and so
is one whose formatting elements css-inline would copy too many times (:data:`MAX_REOPENED`),
or whose carousels would make mrml write CSS in the square of their images
(:data:`MAX_CAROUSEL_IMAGES`).
Linear in the text: each tag is one match of a regular expression that cannot backtrack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Elements nested in one another: the deepest of 197 real layouts nests 9, WYSIWYG HTML in an
# mj-text adds a dozen. 64 of each of MJML's elements, nested, compile within 0.75 MB of stack
# (64 mj-hero are 900 levels of HTML), a tenth of the main thread's; the limit proposed for
# mrml itself is 64 too.
MAX_DEPTH = 64
# Formatting elements open, summed over every tag and text: what an HTML parser may have to
# copy. css-inline's (html5ever) re-opens every formatting element that a <p> or a <div> closed
# at each text after it: 93 <b> around 11,000 paragraphs made 18 MB of HTML out of 97 KB, in
# 0.5 s and 250 MB. The richest of 197 real layouts sums 25. The MJML elements that mrml
# writes as a link (<a>) count as formatting elements.
MAX_REOPENED = 20_000
FORMATTING = frozenset(
    {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong"}
    | {"tt", "u", "mj-button", "mj-image", "mj-carousel-image", "mj-navbar-link"}
    | {"mj-social-element"}
)
# mj-carousel-image elements in all: mrml writes CSS for every pair of images of a carousel
# (2,000 of them gave 67 MB of HTML, and css-inline 3 s and 400 MB to inline it). A carousel
# in an e-mail shows a few.
MAX_CAROUSEL_IMAGES = 100
# mrml's `is_void_element`: these never have children, whatever follows them.
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_S = "[ \t\n\r]"  # XML's white space, htmlparser's `is_xml_space`
_NAME = "[A-Za-z_][A-Za-z0-9._-]*+"  # htmlparser takes any XML name; ASCII ones are enough
_QNAME = f"(?:{_NAME}:)?+({_NAME})"  # a prefix, and the local name mrml looks at
_ATTRIBUTE = f"{_S}++{_NAME}(?::{_NAME})?+(?:{_S}*+={_S}*+(?:\"[^\"]*+\"|'[^']*+'))?+"
_START = re.compile(f"<{_QNAME}(?:{_ATTRIBUTE})*+{_S}*+(/?)>")
_CLOSE = re.compile(f"</{_QNAME}{_S}*+>")
_SPACES = re.compile(f"{_S}*+")
# htmlparser's conditional comments (`parse_conditional_comment_impl`): what it panics on
# ("oops") does not match.
_CONDITIONAL = re.compile(
    r"(?:<!--\[if|<!\[if|<!\[endif(?=\])|<!--<!\[endif)[^\]]*+\](?:>-->|><!-->|-->|>)"
)
_CONDITIONAL_START = ("<!--[if", "<![if", "<![endif", "<!--<![endif")
# Characters XML does not allow (htmlparser's `is_xml_char`); a lone surrogate cannot even
# reach mrml (it is not UTF-8).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_PROLOGUE, _ELEMENTS, _EPILOGUE = range(3)


@dataclass(frozen=True)
class Problem:
    """Why mrml may not be given a text, and where (an offset in it)."""

    offset: int
    message: str


def problem(text: str) -> Problem | None:
    """What in ``text`` mrml must not be given, or None when mrml can be given it."""
    if bad := NOT_XML.search(text):
        return Problem(bad.start(), f"U+{ord(bad[0]):04X} is not a character MJML may hold")
    return _Tokens(text).problem()


@dataclass
class _Tokens:
    """The tokens of a text read one by one as htmlparser reads them, with what mrml and
    css-inline will have to hold: each step returns the problem of its token, if any."""

    text: str
    pos: int = 0
    state: int = _PROLOGUE
    opened: int = 0  # elements htmlparser has open
    nested: list[bool] = field(default_factory=list)  # mrml's, each with whether it formats
    formats: int = 0  # formatting elements open
    reopened: int = 0  # their sum over every tag and text
    images: int = 0  # of carousels

    def problem(self) -> Problem | None:
        while self.pos < len(self.text):
            if found := self._token():
                return found
        return None

    def _token(self) -> Problem | None:
        """The next token: white space and markup outside the root element, text or markup
        inside it."""
        text, pos = self.text, self.pos
        if self.state != _ELEMENTS:
            pos = self.pos = _SPACES.match(text, pos).end()  # type: ignore[union-attr]
            if pos == len(text):
                return None
            if text[pos] != "<":
                where = "before <mjml>" if self.state == _PROLOGUE else "after the root element"
                return Problem(pos, f"text {where}")
        elif text[pos] != "<":
            return self._text()
        if text.startswith("<!", pos):
            return self._declaration()
        if text.startswith("<?", pos):
            return Problem(pos, "a processing instruction (<?…?>)")
        if self.state == _EPILOGUE:
            return Problem(pos, "an element after the root element")
        if text.startswith("</", pos):
            return self._closing_tag()
        return self._start_tag()

    def _text(self) -> Problem | None:
        """A text inside the root element, up to the next ``<``."""
        lt = self.text.find("<", self.pos)
        stop = len(self.text) if lt < 0 else lt
        if found := _text(self.text, self.pos, stop):
            return found
        if found := self._reopen(self.pos):
            return found
        self.pos = stop
        return None

    def _declaration(self) -> Problem | None:
        """``<!``: a conditional comment or a comment, nothing else."""
        text, pos = self.text, self.pos
        if text.startswith(_CONDITIONAL_START, pos):
            match = _CONDITIONAL.match(text, pos)
            if not match:
                return Problem(pos, "a conditional comment that does not end as "
                               "<!--[if mso]> or <![endif]--> do")  # fmt: skip
            self.pos = match.end()
            return None
        if not text.startswith("<!--", pos):
            return Problem(pos, "<! that is not a comment (no DOCTYPE, no CDATA)")
        close = text.find("-->", pos + 4)
        if close < 0:
            return Problem(pos, "a comment that does not end (-->)")
        body = text[pos + 4 : close]
        if "--" in body or body.endswith("-"):
            return Problem(pos, 'a comment with "--" in it')
        self.pos = close + 3
        return None

    def _closing_tag(self) -> Problem | None:
        close_tag = _CLOSE.match(self.text, self.pos)
        if not close_tag or self.state == _PROLOGUE:
            return Problem(self.pos, "a closing tag that is not </name>")
        self.opened -= 1  # whatever its name: neither htmlparser nor mrml compares them
        if self.nested and self.nested.pop():
            self.formats -= 1
        self.state = _EPILOGUE if self.opened <= 0 else _ELEMENTS
        self.pos = close_tag.end()
        return None

    def _start_tag(self) -> Problem | None:
        start = _START.match(self.text, self.pos)
        if not start:
            return Problem(self.pos, 'a tag that is not <name attribute="value"…> (a "<" in a '
                           "text is written &lt;)")  # fmt: skip
        self.pos = start.end()
        self.images += start[1] == "mj-carousel-image"
        if self.images > MAX_CAROUSEL_IMAGES:
            return Problem(start.start(), f"more than {MAX_CAROUSEL_IMAGES} carousel images "
                           "(mrml writes CSS for every pair of them)")  # fmt: skip
        if found := self._reopen(start.start()):
            return found
        if not start[2]:  # not self-closing: htmlparser opens it, mrml recurses into it
            self.opened += 1
            if start[1] not in VOID and (found := self._nest(start[1], start.start())):
                return found
        self.state = _ELEMENTS if self.opened > 0 else _EPILOGUE
        return None

    def _nest(self, name: str, at: int) -> Problem | None:
        """An element mrml recurses into: refused beyond :data:`MAX_DEPTH`."""
        formatting = name.lower() in FORMATTING
        self.nested.append(formatting)
        self.formats += formatting
        if len(self.nested) > MAX_DEPTH:
            return Problem(at, f"elements nested more than {MAX_DEPTH} deep")
        return None

    def _reopen(self, at: int) -> Problem | None:
        """A tag or a text: an HTML parser may copy every formatting element open into it."""
        self.reopened += self.formats
        if self.reopened > MAX_REOPENED:
            return Problem(at, _REOPENED)
        return None


_REOPENED = (
    "formatting elements (<b>, <a>, <font>…) open around too much: an HTML parser copies "
    "each into every paragraph after a <p> or a <div> closes it"
)


def _text(text: str, start: int, stop: int) -> Problem | None:
    """A text token: htmlparser looks at the two bytes before its first ``>`` (for ``]]>``),
    slicing the UTF-8 text where it may fall inside a character, which panics."""
    gt = text.find(">", start, stop)
    if gt < 0:
        return None
    before = text[max(gt - 2, start) : gt].encode()
    if len(before) >= 2 and before[-2] & 0xC0 == 0x80:  # inside a character
        return Problem(gt, 'a ">" in a text just after a character such as "€" (write &gt;)')
    if gt - 2 >= start and text.startswith("]]>", gt - 2):
        return Problem(gt - 2, '"]]>" in a text (write ]]&gt;)')
    return None
