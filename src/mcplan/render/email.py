"""A marketing e-mail as it is sent: its HTML part, from the rendered parts, through a bundled
MJML layout (or the workspace's own, `[email] layout`, run in the template sandbox with every
value escaped) compiled by mrml (the Rust port of MJML: no Node), CSS inlined by css-inline.

The layout is one 600 px column (tables where mail clients need them, as MJML writes them),
aware of dark mode (`color-scheme`, `prefers-color-scheme`), the preheader as the hidden
preview text, `lang` from the version's locale, the brand's colour and logo from `[email]`.
Nothing is loaded from elsewhere (MJML's web fonts are off). The same version gives the same
bytes.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from typing import Any

from babel import Locale
from markupsafe import Markup

from mcplan import numbers
from mcplan.errors import UsageError
from mcplan.findings import Location
from mcplan.packaged import template
from mcplan.printable import excerpt
from mcplan.render.engine import Version, message_variables
from mcplan.render.filters import RenderState, rendering
from mcplan.render.mjml import problem
from mcplan.render.templates import TEMPLATE_ERROR, TemplateProblem, compile_layout, run
from mcplan.workspace import Campaign, EmailLayout, Workspace

_URL = re.compile(r"https?://[^\s<>\"']+")
# Characters of HTML a workspace's layout may make, before css-inline inlines them: the 100,000
# characters of MJML a layout may give make 4 MB at most once mjml.problem has refused what
# grows faster (mj-hero, the most, is 37 characters of HTML for one of MJML); Gmail shows the
# first 102 KB (E107).
MAX_HTML = 10_000_000
# The unsubscribe link's words, by language (the text's own sentence says why).
UNSUBSCRIBE = {
    "fr": "Se désinscrire",
    "en": "Unsubscribe",
    "nl": "Uitschrijven",
    "de": "Abmelden",
    "es": "Darse de baja",
    "it": "Annulla l'iscrizione",
}


def html_email(version: Version, campaign: Campaign, workspace: Workspace) -> str:
    """The HTML part of an e-mail version, through the workspace's layout or the bundled one.

    Raises :class:`~mcplan.render.templates.TemplateProblem` when the workspace's layout fails
    (at its line), or gives what mrml and css-inline cannot compile.
    """
    import mrml

    context = layout_context(version, campaign, workspace)
    layout = workspace.email_layout
    if layout is None:
        # Its elements are its own and every value is escaped: nothing in it can reach what
        # mjml.problem refuses (tests/render/test_email.py checks it with any text).
        mjml = text_only(template("mcplan.render", "email.mjml.j2").render(context))
    else:
        compiled = compile_layout(layout, version.subject())
        locale = Locale.parse(version.locale, sep="-")
        state = RenderState(locale, workspace.settings.currency, gsm_safe=False)
        with rendering(state):
            mjml = text_only(run(compiled, context))
        if found := problem(mjml):
            raise _layout_problem(layout, version, mjml, found.offset, found.message)
    options = mrml.ParserOptions(include_loader=mrml.noop_loader())  # no other file is read
    try:
        # No font registry: MJML would otherwise link Google Fonts for a font the layout names.
        page = mrml.to_html(mjml, options, mrml.RenderOptions(fonts={})).content
        if layout is None or len(page) <= MAX_HTML:
            inlined: str = _inliner().inline(page)
            return inlined
        size, limit = numbers.count(len(page)), numbers.count(MAX_HTML)
        why = f"it makes {size} characters of HTML, more than {limit}"
    except (OSError, ValueError) as exc:  # mrml's "not valid MJML", css-inline's InlineError
        if layout is None:
            raise
        why = str(exc)
    except BaseException as exc:  # a Rust panic: mjml.problem refuses what is known to cause one
        if layout is None or type(exc).__name__ != "PanicException":
            raise
        why = "mrml failed on it"
    raise _layout_problem(layout, version, mjml, None, why) from None


# What is not text in HTML: the C0 controls but tab and line breaks, DEL and the C1 controls,
# the noncharacters, lone surrogates: the HTML leaves them out (mrml refuses most of them), E110
# reports them. The noncharacters past U+FFFF (U+1FFFE, U+10FFFF…) are told from the other
# characters after the match: 34 of them in the class made it 30 times slower.
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
    "|[\U0001fffe-\U0010ffff]"
)


def not_text(text: str) -> Iterator[re.Match[str]]:
    """Each character of ``text`` that is not text in HTML."""
    return (m for m in _NOT_TEXT.finditer(text) if _is_not_text(m[0]))


def text_only(text: str) -> str:
    """``text`` without what is not text in HTML."""
    return _NOT_TEXT.sub(lambda m: "" if _is_not_text(m[0]) else m[0], text)


def _is_not_text(char: str) -> bool:
    code = ord(char)
    return code < 0x10000 or code & 0xFFFE == 0xFFFE


def _layout_problem(
    layout: EmailLayout, version: Version, mjml: str, offset: int | None, why: str
) -> TemplateProblem:
    """T104 at the layout: what it gives cannot be compiled, and where in that, at the line
    of the layout that wrote it (:func:`_line_of`)."""
    line, where = 1, ""
    if offset is not None:
        number = mjml.count("\n", 0, offset) + 1
        start = mjml.rfind("\n", 0, offset) + 1
        stop = mjml.find("\n", offset)
        line = _line_of(layout.text, mjml[start : len(mjml) if stop < 0 else stop], number)
        where = (
            f", at line {number} of what it gives: {excerpt(mjml[max(start, offset - 12) :], 40)}"
        )
    return TemplateProblem(
        TEMPLATE_ERROR(
            Location(layout.file, line),
            f"layout: the layout does not give valid MJML: {excerpt(why, 200)}{where}",
            hint="each mj- element closed, inside <mjml><mj-body>…</mj-body></mjml>; a < or > "
            "in a text written &lt; or &gt;",
            subject=version.subject(),
        )
    )


def _line_of(layout: str, given: str, number: int) -> int:
    """The line of ``layout`` that gave the line ``given`` (number ``number`` of its output):
    one written as it is, else one whose text before its first ``{{``/``{%`` starts it (a
    loop's line), the nearest to ``number``; else 1. Jinja does not say which line wrote
    what, and loops shift the lines."""
    given = given.strip()
    exact, starts = [], []
    for n, text in enumerate(layout.splitlines(), start=1):
        written = text.strip()
        static = re.split(r"\{[{%]", written, maxsplit=1)[0].strip()
        if given and written == given:
            exact.append(n)
        elif static and given.startswith(static):
            starts.append(n)
    return min(exact or starts or [1], key=lambda n: abs(n - number))


@functools.cache
def _inliner() -> Any:
    """css-inline's inliner, made once: lint compiles every e-mail of every campaign."""
    import css_inline

    return css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


def written_html(version: Version, campaign: Campaign, workspace: Workspace) -> str:
    """:func:`html_email` for the commands that write or show it (render, preview): a layout
    that fails stops them with its file, line and rule, as `mcplan lint` reports it."""
    try:
        return html_email(version, campaign, workspace)
    except TemplateProblem as problem:
        finding = problem.finding
        raise UsageError(
            f"{finding.location}: {finding.rule} {finding.message} (the e-mail layout; "
            "`mcplan lint` shows every problem)"
        ) from None


def layout_context(version: Version, campaign: Campaign, workspace: Workspace) -> dict[str, Any]:
    """What an e-mail layout reads (docs/email.md): every text as written, escaped by the
    layout's autoescaping, and the paragraphs of the body as HTML already escaped."""
    email = workspace.settings.email
    body = version.text("body") or version.text("text")
    message = campaign.message_in(version.locale)
    cta = message.cta or ""
    return {
        "lang": version.locale,
        "subject": version.text("subject"),
        "preheader": version.text("preheader"),
        "brand": campaign.brand,
        "logo": email.logo,
        "color": email.color,
        "paragraphs": _paragraphs(
            body, (version.link, message.url or ""), cta, email.unsubscribe_link
        ),
        "cta": cta,
        "link": version.link,
        "unsubscribe": email.unsubscribe_link,
        "unsubscribe_label": UNSUBSCRIBE.get(version.locale.split("-")[0], UNSUBSCRIBE["en"]),
        "m": message_variables(message),
    }


def _paragraphs(
    body: str, links: tuple[str, str], cta: str, unsubscribe: str
) -> list[dict[str, Any]]:
    """The text's paragraphs, each as HTML with whether the call to action's button follows
    it: after the first one with the campaign's link, tagged or as the message writes it
    (else after the last), when there is a call to action."""
    blocks = [b for b in re.split(r"\n\s*\n", body.strip()) if b.strip()]
    link = links[0]
    at = next(
        (i for i, b in enumerate(blocks) if any(one and one in b for one in links)),
        len(blocks) - 1,
    )
    button = bool(cta and link)
    return [
        {"html": _paragraph(b, unsubscribe), "button": button and i == at}
        for i, b in enumerate(blocks)
    ]


def _paragraph(block: str, unsubscribe: str) -> Markup:
    """A paragraph of the text as HTML: escaped, its lines kept, its links made links (the
    unsubscribe link whole, though a merge tag in it has spaces)."""
    pieces = block.strip().split(unsubscribe) if unsubscribe else [block.strip()]
    linked = [_URL.sub(_link, html.escape(piece)) for piece in pieces]
    whole = html.escape(unsubscribe)
    return Markup(f'<a href="{whole}">{whole}</a>'.join(linked).replace("\n", "<br />"))


def _link(url: re.Match[str]) -> str:
    """A link of the text, without the punctuation that ends its sentence."""
    address = url[0].rstrip(".,;:!?)")
    return f'<a href="{address}">{address}</a>{url[0][len(address) :]}'
