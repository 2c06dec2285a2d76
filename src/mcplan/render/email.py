"""A marketing e-mail as it is sent: its HTML part, from the rendered parts, through a bundled
MJML layout compiled by mrml (the Rust port of MJML: no Node), CSS inlined by css-inline.

The layout is one 600 px column (tables where mail clients need them, as MJML writes them),
aware of dark mode (`color-scheme`, `prefers-color-scheme`), the preheader as the hidden
preview text, `lang` from the version's locale, the brand's colour and logo from `[email]`.
Nothing is loaded from elsewhere (MJML's web fonts are off). The same version gives the same
bytes.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from mcplan.packaged import template
from mcplan.render.engine import Version
from mcplan.workspace import Campaign, Workspace

_URL = re.compile(r"https?://[^\s<>\"']+")
# The unsubscribe link's words, by language (the text's own sentence says why).
UNSUBSCRIBE = {
    "fr": "Se désinscrire",
    "en": "Unsubscribe",
    "nl": "Uitschrijven",
    "de": "Abmelden",
    "es": "Darse de baja",
    "it": "Annulla l'iscrizione",
}


def unsubscribe_link(workspace: Workspace) -> str:
    """Where the unsubscribe link of an e-mail goes: the URL, else the mailto, else ''."""
    email = workspace.settings.email
    if email.unsubscribe_url:
        return email.unsubscribe_url
    return f"mailto:{email.unsubscribe_mailto}" if email.unsubscribe_mailto else ""


def html_email(version: Version, campaign: Campaign, workspace: Workspace) -> str:
    """The HTML part of an e-mail version."""
    import css_inline
    import mrml

    email = workspace.settings.email
    body = version.text("body") or version.text("text")
    language = version.locale.split("-")[0]
    cta = campaign.message_for(campaign.translation(version.locale)).cta
    mjml = template("mcplan.render", "email.mjml.j2").render(
        lang=version.locale,
        subject=version.text("subject"),
        preheader=version.text("preheader"),
        brand=campaign.brand,
        logo=email.logo,
        colour=email.color,
        paragraphs=_paragraphs(body, version.link, cta),
        cta=cta,
        link=version.link,
        unsubscribe=unsubscribe_link(workspace),
        unsubscribe_label=UNSUBSCRIBE.get(language, UNSUBSCRIBE["en"]),
    )
    # No font registry: MJML would otherwise link Google Fonts for a font the layout names.
    compiled: str = mrml.to_html(mjml, render_options=mrml.RenderOptions(fonts={})).content
    inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)
    inlined: str = inliner.inline(compiled)
    return inlined


def _paragraphs(body: str, link: str, cta: str) -> list[tuple[Markup, bool]]:
    """The text's paragraphs, each with whether the call to action's button follows it: after
    the first one with the campaign's link (else after the last), when there is a call to
    action."""
    blocks = [b for b in re.split(r"\n\s*\n", body.strip()) if b.strip()]
    if not blocks:
        return []
    at = next((i for i, b in enumerate(blocks) if link and link in b), len(blocks) - 1)
    return [(_paragraph(b), bool(cta and link) and i == at) for i, b in enumerate(blocks)]


def _paragraph(block: str) -> Markup:
    """A paragraph of the text as HTML: escaped, its lines kept, its links made links."""
    escaped = html.escape(block.strip())
    linked = _URL.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', escaped)
    return Markup(linked.replace("\n", "<br />"))
