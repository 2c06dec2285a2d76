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
from dataclasses import dataclass

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
    state, opened, pos, end = _PROLOGUE, 0, 0, len(text)
    nested: list[bool] = []  # the elements mrml is inside, each with whether it formats
    formats = reopened = 0  # formatting elements open; their sum over every tag and text
    images = 0  # of carousels
    while pos < end:
        if state != _ELEMENTS:
            pos = _SPACES.match(text, pos).end()  # type: ignore[union-attr]
            if pos == end:
                break
            if text[pos] != "<":
                where = "before <mjml>" if state == _PROLOGUE else "after the root element"
                return Problem(pos, f"text {where}")
        elif text[pos] != "<":
            lt = text.find("<", pos)
            stop = end if lt < 0 else lt
            if found := _text(text, pos, stop):
                return found
            reopened += formats
            if reopened > MAX_REOPENED:
                return Problem(pos, _REOPENED)
            pos = stop
            continue
        if text.startswith("<!", pos):
            if text.startswith(_CONDITIONAL_START, pos):
                match = _CONDITIONAL.match(text, pos)
                if not match:
                    return Problem(pos, "a conditional comment that does not end as "
                                   "<!--[if mso]> or <![endif]--> do")  # fmt: skip
                pos = match.end()
            elif text.startswith("<!--", pos):
                close = text.find("-->", pos + 4)
                if close < 0:
                    return Problem(pos, "a comment that does not end (-->)")
                body = text[pos + 4 : close]
                if "--" in body or body.endswith("-"):
                    return Problem(pos, 'a comment with "--" in it')
                pos = close + 3
            else:
                return Problem(pos, "<! that is not a comment (no DOCTYPE, no CDATA)")
            continue
        if text.startswith("<?", pos):
            return Problem(pos, "a processing instruction (<?…?>)")
        if state == _EPILOGUE:
            return Problem(pos, "an element after the root element")
        if text.startswith("</", pos):
            close_tag = _CLOSE.match(text, pos)
            if not close_tag or state == _PROLOGUE:
                return Problem(pos, "a closing tag that is not </name>")
            opened -= 1  # whatever its name: neither htmlparser nor mrml compares them
            if nested and nested.pop():
                formats -= 1
            state = _EPILOGUE if opened <= 0 else _ELEMENTS
            pos = close_tag.end()
            continue
        start = _START.match(text, pos)
        if not start:
            return Problem(pos, 'a tag that is not <name attribute="value"…> (a "<" in a text '
                           "is written &lt;)")  # fmt: skip
        pos = start.end()
        images += start[1] == "mj-carousel-image"
        if images > MAX_CAROUSEL_IMAGES:
            return Problem(start.start(), f"more than {MAX_CAROUSEL_IMAGES} carousel images "
                           "(mrml writes CSS for every pair of them)")  # fmt: skip
        reopened += formats
        if reopened > MAX_REOPENED:
            return Problem(start.start(), _REOPENED)
        if not start[2]:  # not self-closing: htmlparser opens it, mrml recurses into it
            opened += 1
            if start[1] not in VOID:
                formatting = start[1].lower() in FORMATTING
                nested.append(formatting)
                formats += formatting
                if len(nested) > MAX_DEPTH:
                    return Problem(start.start(), f"elements nested more than {MAX_DEPTH} deep")
        state = _ELEMENTS if opened > 0 else _EPILOGUE
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
