"""E-mail as it is sent (E): unsubscribing, accessibility and deliverability.

What a deliverability or accessibility reviewer checks before a send, on each e-mail version
as mcplan writes it (its text part, and its HTML part through the workspace's layout or the
bundled one): that it can be unsubscribed from in one click (RFC 8058, required by Gmail and
Yahoo of bulk senders since February 2024), that it says who sends it, that its images and
links make sense without sight (WCAG 2.2), and that nothing in it gets it clipped or filed as
spam. An e-mail channel is one of `kind: email`.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcplan import numbers, rule_examples
from mcplan.findings import Finding, Level, Location, Related, Rule
from mcplan.lint.context import LintContext
from mcplan.lint.rules.templates import merge as merge  # a layout's problem: one finding
from mcplan.printable import excerpt
from mcplan.workspace import Campaign, Message, Workspace
from mcplan.workspace.fields import url_host
from mcplan.workspace.sourcemap import KeyPath

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

    from mcplan.render import Version

FAMILY = "email"

# Gmail cuts the HTML of a message after 102 KB and shows "[Message clipped]": what follows,
# the unsubscribe link included, is hidden (Gmail Help, "Fix clipped messages"; measured by
# Litmus and Email on Acid as 102 KiB of the HTML as received).
CLIP_BYTES = 102 * 1024

# Link texts that say nothing out of context (WCAG 2.2 technique F84: "click here", "more"),
# in the languages of the bundled channels; a link's whole text is compared, casefolded and
# without punctuation, so "Voir la collection" or "En savoir plus sur les soldes" pass.
VAGUE_LINKS = {
    "fr": {"cliquez ici", "cliquer ici", "clique ici", "ici", "ce lien", "lien", "plus",
           "en savoir plus", "lire la suite", "la suite", "suite", "voir plus"},
    "en": {"click here", "click", "here", "this link", "link", "more", "read more",
           "learn more", "see more", "find out more", "go"},
    "de": {"hier klicken", "klicken sie hier", "klicke hier", "hier", "mehr", "weiterlesen",
           "mehr erfahren", "dieser link", "link"},
    "nl": {"klik hier", "hier", "meer", "lees meer", "meer lezen", "deze link", "link"},
    "es": {"haz clic aquí", "haga clic aquí", "pulsa aquí", "clic aquí", "aquí", "más",
           "leer más", "saber más", "ver más", "este enlace", "enlace"},
    "it": {"clicca qui", "clicca", "qui", "di più", "leggi di più", "scopri di più", "altro",
           "questo link", "link"},
}  # fmt: skip

_SENDER = 'sender = "Maison Lumen <bonjour@maison-lumen.fr>"'
_MAILTO = 'unsubscribe_mailto = "stop@maison-lumen.fr"'


def _settings(*lines: str) -> str:
    """An example's mcplan.toml, its [email] table with ``lines``."""
    return "\n# mcplan.toml\n[email]\n" + "".join(f"{line}\n" for line in lines)


_SOLDES = "{headline: Les soldes, starts: 2027-05-01, ends: 2027-05-31, url: 'https://maison-lumen.fr/soldes'}"


def _soldes(more: str = "", message: str = _SOLDES) -> str:
    return rule_examples.campaign(
        "email 2027-05-10T10:00", name="soldes", message=message, more=more
    )


# A product grid of a layout: each item is a few lines of MJML, and a few hundred bytes of HTML.
_GRID = """{{% for n in range({items}) %}}
      <mj-image src="https://maison-lumen.fr/produits/{{{{ n }}}}.jpg" alt="Produit {{{{ n }}}}" />
{{% endfor %}}"""


def _layout_example(image: str, head: str = "") -> str:
    """A workspace layout with ``image`` at its top (and ``head`` in its mj-head), and the
    campaign that uses it."""
    head = f"\n  <mj-head>{head}</mj-head>" if head else ""
    return (
        _settings(_SENDER, _MAILTO, 'layout = "layouts/email.mjml"')
        + f"""
# layouts/email.mjml
<mjml lang="{{{{ lang }}}}">{head}
  <mj-body>
    <mj-section><mj-column>
      {image}
{{% for paragraph in paragraphs %}}
      <mj-text>{{{{ paragraph.html }}}}</mj-text>
{{% endfor %}}
      <mj-text><a href="{{{{ unsubscribe }}}}">{{{{ unsubscribe_label }}}}</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""
        + _soldes()
    )


UNSUBSCRIBE_LINK = Rule(
    "E101",
    "unsubscribe-link",
    Level.ERROR,
    "A marketing e-mail that cannot be unsubscribed from in one click: no link, no "
    "List-Unsubscribe header.",
    hint="give `[email] unsubscribe_url` (the sending platform's merge tag, such as "
    '"{{ unsubscribe_url }}" or "*|UNSUB|*") or `unsubscribe_mailto` in mcplan.toml',
    details="With an unsubscribe URL or mailto, every e-mail has the link in its footer and "
    "the `List-Unsubscribe` header (RFC 2369), and with a URL `List-Unsubscribe-Post: "
    "List-Unsubscribe=One-Click` (RFC 8058), which Gmail and Yahoo require of bulk senders "
    "since February 2024; the ePrivacy Directive (2002/58/EC art. 13) asks for a free, simple "
    'way to object in every message. Words alone ("unsubscribe from this link") unsubscribe '
    "no one. A workspace layout whose HTML has no link to the unsubscribe URL is reported at "
    "the layout.",
    fails=_settings(_SENDER) + _soldes(),
    passes=_settings(_SENDER, 'unsubscribe_url = "{{ unsubscribe_url }}"') + _soldes(),
)
SENDER = Rule(
    "E102",
    "sender",
    Level.WARNING,
    "The e-mails have no sender: `[email] sender` is not set.",
    hint='set `sender = "Brand <news@brand.com>"` under [email] in mcplan.toml',
    details="Without it the `.eml` and the sending payload have a placeholder From "
    "(no-reply@ the campaign link's domain): a preview, not a send. Gmail and Yahoo require "
    "the From domain to pass SPF or DKIM with DMARC alignment, so it must be the domain the "
    "platform is set up for.",
    fails=_settings(_MAILTO) + _soldes(),
    passes=_settings(_SENDER, _MAILTO) + _soldes(),
)
TEXT_PART = Rule(
    "E103",
    "text-part",
    Level.WARNING,
    "An e-mail whose text part is empty, or lacks the unsubscribe link its HTML has.",
    hint="write the body (the e-mail's plain-text alternative) with the unsubscribe link in "
    "its footer: {{ unsubscribe }} in a template, the link itself in a variant",
    details="The text part is what text-only clients, screen readers set to text and "
    "spam filters read; an HTML-only message scores as spam (SpamAssassin's MIME_HTML_ONLY). "
    "The bundled templates write `{{ unsubscribe }}` in their footer; a hand-written body "
    "needs it too.",
    fails=_settings(_SENDER, _MAILTO)
    + _soldes(
        "variants:\n  email: {body: 'Les soldes : https://maison-lumen.fr/soldes. "
        "Se désinscrire : écrivez-nous.'}\n"
    ),
    passes=_settings(_SENDER, _MAILTO)
    + _soldes(
        "variants:\n  email: {body: 'Les soldes : https://maison-lumen.fr/soldes. "
        "Se désinscrire : écrivez à stop@maison-lumen.fr.'}\n"
    ),
)
IMAGE_ALT = Rule(
    "E104",
    "image-alt",
    Level.WARNING,
    "An image of the e-mail layout without alternative text (WCAG 2.2 SC 1.1.1).",
    hint='give it an alt that says what it shows (alt="Olive oil, 1 l"), or alt="" when it is '
    "decoration",
    details="Most clients block images until asked, and screen readers read the alt: an "
    "image without one is read as its file name, or skipped. An image that is a link needs "
    "a non-empty alt, since it is the link's only text (WCAG technique F89). Checked in the "
    "workspace's layout (`[email] layout`); the bundled one gives the logo the brand's name.",
    fails=_layout_example('<mj-image src="https://maison-lumen.fr/logo.png" />'),
    passes=_layout_example(
        '<mj-image src="https://maison-lumen.fr/logo.png" alt="Maison Lumen" />'
    ),
)
LINK_TEXT = Rule(
    "E105",
    "link-text",
    Level.WARNING,
    'A link whose text says nothing of where it goes ("click here", "cliquez ici"; WCAG 2.2 '
    "SC 2.4.4).",
    hint='say where it goes or what it does: "See the summer sale", "Voir les soldes"',
    details="Screen reader users list a message's links out of context, and readers scan "
    "for them: the call to action (the message's `cta`, the e-mail's button) and the "
    "layout's links are compared, whole, with such phrases in the six languages of the "
    "bundled channels.",
    fails=_soldes(message=_SOLDES.replace("}", ", cta: Cliquez ici}")),
    passes=_soldes(message=_SOLDES.replace("}", ", cta: Voir les soldes}")),
)
SHOUTING_SUBJECT = Rule(
    "E106",
    "shouting-subject",
    Level.WARNING,
    'A subject in capitals, or with several "!".',
    hint="write it in sentence case, with one exclamation mark at most",
    details="Capitals and repeated exclamation marks are what spam filters score "
    "(SpamAssassin's SUBJ_ALL_CAPS) and what platforms advise against (Mailchimp's subject "
    "line guide). A subject shouts when most of its letters are in words written in capitals "
    "(two words or more; the brand and the code do not count).",
    fails=_soldes("variants:\n  email: {subject: 'SOLDES : TOUT À -50 %'}\n"),
    passes=_soldes("variants:\n  email: {subject: 'Soldes : tout à -50 %'}\n"),
)
CLIPPED = Rule(
    "E107",
    "clipped-html",
    Level.WARNING,
    "An HTML part over 102 KB, which Gmail clips (and with it the unsubscribe link).",
    hint="shorten the body, or slim the layout (inline styles, repeated sections)",
    details='Gmail shows the first 102 KB of the HTML and a "[Message clipped]" link; the '
    "footer, its unsubscribe link, and the tracking pixel are cut.",
    fails=_layout_example(_GRID.format(items=200)),
    passes=_layout_example(_GRID.format(items=12)),
)
INSECURE_LINK = Rule(
    "E108",
    "insecure-link",
    Level.WARNING,
    "A link or an image of the e-mail that is not https.",
    hint="use the https:// address",
    details="Clients warn about, and filters score, plain http links; an http image is "
    "blocked by some clients as mixed content.",
    fails=_soldes(message=_SOLDES.replace("https://", "http://")),
    passes=_soldes(),
)
LINK_DOMAIN = Rule(
    "E109",
    "link-domain",
    Level.WARNING,
    "A link to another domain than the campaign's (a shortener, a tracker, another site).",
    hint="link to the campaign's site; let the sending platform add its click tracking",
    details="A link whose domain is not the one of the message's `url` (compared as "
    "registrable domains: shop.brand.co.uk and brand.co.uk are one) looks like phishing to "
    "filters and to readers, and shorteners are on blocklists. The unsubscribe link and "
    "mailto: links are not checked.",
    fails=_soldes(
        "variants:\n  email: {body: 'Les soldes : https://bit.ly/3xYz. "
        "Se désinscrire en un clic.'}\n"
    ),
    passes=_soldes(
        "variants:\n  email: {body: 'Les soldes : https://maison-lumen.fr/soldes. "
        "Se désinscrire en un clic.'}\n"
    ),
)

CONTROL_CHARACTER = Rule(
    "E110",
    "control-character",
    Level.WARNING,
    "A text of an e-mail with a character that is not text: a control character (U+0007, "
    "U+001B) or a noncharacter (U+FFFE).",
    hint='delete it: it is invisible, and usually pasted by mistake ("\\x07" in a YAML string '
    "is one)",
    details="HTML has no place for them (each is a parse error) and mail clients show them "
    "as boxes, or not at all. The e-mail is sent without them (its HTML and text parts, its "
    "subject and the send file of `render --out`). Checked in what every "
    "e-mail is made of: its parts, the message's fields (a workspace's layout may show any), "
    "the brand and the workspace's layout itself.",
    fails=_soldes(message=_SOLDES.replace("Les soldes,", '"Les soldes\\x07",')),
    passes=_soldes(),
)
REMOTE_STYLE = Rule(
    "E111",
    "remote-style",
    Level.WARNING,
    "The e-mail layout's CSS loads something from elsewhere: an @import, a url() that is not "
    "data:, a <link>, an mj-font.",
    hint="write the CSS in <mj-style>, keep to fonts the reader has (Georgia, Arial, "
    "-apple-system), and give an image with <mj-image> or a background with background-url",
    details="Gmail and Outlook drop remote stylesheets and @import, so the e-mail looks "
    "different from one client to the next; and whatever the CSS loads is fetched from "
    "another server when the e-mail is opened, which tells that server who reads it, when and "
    "how (CSS can load an address only in dark mode, when the e-mail is printed, or for the "
    "link it matches), without the reader's consent, from a stylesheet that can change after "
    "it was reviewed. mcplan never fetches it; checked in the workspace's layout "
    "(`[email] layout`).",
    fails=_layout_example(
        '<mj-image src="https://maison-lumen.fr/logo.png" alt="Maison Lumen" />',
        '<mj-font name="Lora" href="https://fonts.googleapis.com/css?family=Lora" />',
    ),
    passes=_layout_example(
        '<mj-image src="https://maison-lumen.fr/logo.png" alt="Maison Lumen" />',
        '<mj-attributes><mj-all font-family="Georgia, serif" /></mj-attributes>',
    ),
)

RULES = (
    UNSUBSCRIBE_LINK,
    SENDER,
    TEXT_PART,
    IMAGE_ALT,
    LINK_TEXT,
    SHOUTING_SUBJECT,
    CLIPPED,
    INSECURE_LINK,
    LINK_DOMAIN,
    CONTROL_CHARACTER,
    REMOTE_STYLE,
)


def check(ctx: LintContext) -> Iterator[Finding]:
    """What the settings and the layout decide for every e-mail at once: reported once."""
    workspace = ctx.workspace
    sending = [
        (campaign, channel)
        for campaign in workspace.campaigns.values()
        for channel in workspace.campaign_channels(campaign)
        if channel in workspace.channels and workspace.channels[channel].kind == "email"
    ]
    if not sending:
        return
    email = workspace.settings.email
    # A key the settings write but that could not be read is reported as such, not as absent.
    unread = workspace.settings_unread
    if not email.unsubscribe_link and not (
        unread("email", "unsubscribe_url") or unread("email", "unsubscribe_mailto")
    ):
        yield _settings_finding(
            workspace, sending, UNSUBSCRIBE_LINK, "without an unsubscribe link or a "
            "List-Unsubscribe header: [email] has no unsubscribe_url or unsubscribe_mailto",
        )  # fmt: skip
    if not email.sender and not unread("email", "sender"):
        yield _settings_finding(
            workspace, sending, SENDER, "without a sender: [email] has no sender, so the "
            ".eml has a placeholder From",
        )  # fmt: skip
    if workspace.email_layout is not None:
        yield from _layout(workspace)


def check_campaign(ctx: LintContext, campaign_id: str) -> Iterator[Finding]:
    workspace = ctx.workspace
    campaign = workspace.campaigns[campaign_id]
    seen: dict[tuple[object, ...], list[Finding]] = {}
    for version in ctx.rendering(campaign_id).versions:
        if workspace.channels[version.channel].kind != "email":
            continue
        same = (version.locale, version.link, tuple((p.name, p.text) for p in version.parts))
        if same not in seen:  # one persona's copy of a shared text says what the first did
            seen[same] = list(_version(workspace, campaign, version))
        yield from seen[same]


# -- the settings and the layout -------------------------------------------------------------


def _settings_finding(
    workspace: Workspace, sending: list[tuple[Campaign, str]], rule: Rule, why: str
) -> Finding:
    """One finding for every e-mail, at the settings' `[email]` (or at the first campaign
    that sends e-mail, without a settings file), each campaign related."""
    places = [
        Related(
            workspace.source("campaigns", c.id).locate(c.channel_path(ch)), f"campaign '{c.id}'"
        )
        for c, ch in sending
    ]
    settings = workspace.settings_source
    where = settings.locate(("email",), key=True) if settings else places[0].location
    count = len({c.id for c, _ in sending})
    what = f"{count} campaigns send" if count > 1 else f"campaign '{sending[0][0].id}' sends"
    return rule(where, f"{what} e-mail {why}", related=places[:20] if settings else places[1:20])


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


def _layout(workspace: Workspace) -> Iterator[Finding]:
    """The layout's images without alt, its links whose written text says nothing, what it
    loads from elsewhere, and the characters in it that are not text. Not for a layout
    refused as too long (T103 says so, and nothing of it is sent)."""
    from mcplan.render.email import not_text
    from mcplan.render.sandbox import MAX_LAYOUT

    layout = workspace.email_layout
    assert layout is not None
    text = layout.text
    if len(text) > MAX_LAYOUT:
        return
    lines = _Lines(layout.file, text)
    tags = list(_TAG.finditer(text))
    closing: dict[str, list[int]] = {}
    for close in _CLOSING.finditer(text):
        closing.setdefault(close[1].lower(), []).append(close.start())
    opening: dict[str, list[int]] = {}
    for tag in tags:
        opening.setdefault(tag[1].lower(), []).append(tag.start())
    for tag in tags:
        name = tag[1].lower()
        attributes = {
            m[1].lower(): m[2] if m[2] is not None else m[3] for m in _ATTRIBUTE.finditer(tag[2])
        }
        where = lines.at(tag.start(), tag.end())
        if name in ("mj-image", "img"):
            if "alt" not in attributes:
                yield IMAGE_ALT(where, f"layout: <{tag[1]}> without alt")
            elif not attributes["alt"].strip() and "href" in attributes:
                yield IMAGE_ALT(
                    where, f"layout: <{tag[1]}> is a link with an empty alt: it has no text"
                )
            continue
        # Its text ends at its closing tag, unless another of its kind opens first (a link
        # holds no link): each text is read once, and only when short enough to say nothing.
        ends = closing.get(name, [])
        close_at = (
            ends[bisect.bisect_left(ends, tag.end())] if ends and ends[-1] >= tag.end() else -1
        )
        starts = opening[name]
        after = bisect.bisect_right(starts, tag.start())
        next_open = starts[after] if after < len(starts) else len(text)
        if close_at < 0 or close_at > next_open or close_at - tag.end() > _LONGEST_WORDS:
            continue
        words = text[tag.end() : close_at]
        if "{" not in words and (language := _vague(html.unescape(re.sub(r"<[^>]*>", "", words)))):
            yield LINK_TEXT(
                where, f"layout: the link text {_clean(words)!r} says nothing of where it goes "
                f"({language})",
            )  # fmt: skip
    for remote in _REMOTE.finditer(text):
        yield REMOTE_STYLE(
            lines.at(remote.start(), remote.end()),
            f"layout: {excerpt(remote[0], 80)} loads from elsewhere when the e-mail is opened",
        )
    for bad in not_text(text):
        yield CONTROL_CHARACTER(
            lines.at(bad.start(), bad.end()),
            f"layout: {_character(bad[0])} is not text (the HTML part leaves it out)",
        )


@dataclass(frozen=True)
class _Lines:
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


def _character(char: str) -> str:
    """A character that is not text, named: ``U+0007 (a control character)``."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate"
    elif code >= 0xFDD0 and (code <= 0xFDEF or code & 0xFFFE == 0xFFFE):
        kind = "a noncharacter"
    else:
        kind = "a control character"
    return f"U+{code:04X} ({kind})"


def _clean(text: str) -> str:
    return " ".join(re.sub(r"<[^>]*>", "", text).split())


def _vague(text: str) -> str | None:
    """The language in which a link text says nothing, or None."""
    words = " ".join(
        re.sub(r"[^\w\s']", " ", unicodedata.normalize("NFC", text)).casefold().split()
    )
    return next((lang for lang, vague in VAGUE_LINKS.items() if words in vague), None)


# -- one e-mail version ----------------------------------------------------------------------


def _version(workspace: Workspace, campaign: Campaign, version: Version) -> Iterator[Finding]:
    from mcplan.render.email import html_email
    from mcplan.render.templates import TemplateProblem

    subject = version.subject()
    message = campaign.message_in(version.locale)
    yield from _not_text(workspace, campaign, version, message)
    try:
        sent = html_email(version, campaign, workspace)
    except TemplateProblem as problem:
        yield problem.finding
        return
    parsed = _Html.of(sent)
    unsubscribe = workspace.settings.email.unsubscribe_link
    body = version.text("body") or version.text("text")
    if not body.strip():
        yield TEXT_PART(
            version.where(), f"{version.channel}: the text part is empty", subject=subject
        )
    elif unsubscribe and not _has_unsubscribe(body, workspace):
        yield TEXT_PART(
            version.where("body"),
            f"{version.channel} body: the text part has no unsubscribe link ({unsubscribe!r}), "
            "which the HTML has",
            subject=version.subject("body"),
        )
    layout = workspace.email_layout
    if unsubscribe and layout is not None and unsubscribe not in parsed.hrefs:
        yield UNSUBSCRIBE_LINK(
            Location(layout.file),
            f"layout: the HTML has no link to the unsubscribe URL {unsubscribe!r} of [email]",
            hint='write <a href="{{ unsubscribe }}">{{ unsubscribe_label }}</a> in its footer',
            subject=subject,
        )
    yield from _cta(workspace, campaign, version, message.cta)
    yield from _subject(campaign, version)
    size = len(sent.encode())
    if size > CLIP_BYTES:
        yield CLIPPED(
            version.where("body"),
            f"{version.channel}: the HTML part is {numbers.count(size / 1024)} KB; Gmail clips it "
            "after 102 KB",
            subject=version.subject("body"),
        )
    yield from _links(workspace, campaign, version, parsed, unsubscribe, message.url)


def _not_text(
    workspace: Workspace, campaign: Campaign, version: Version, message: Message
) -> Iterator[Finding]:
    """The characters that are not text in what the e-mail is made of, each where it is
    written: a field of the message or the brand (not again in the parts that show it), else
    the part (a variant, a template). Looked for where they are only when there are some."""
    from mcplan.render.email import not_text
    from mcplan.render.engine import message_variables

    fields = [
        (f"message {'.'.join(map(str, p))}", v, p)
        for p, v in _strings(message_variables(message), ())
    ]
    fields.append(("brand", campaign.brand, ()))
    parts = [(f"{version.channel} {p.name}", p.text, p.name) for p in version.parts]
    found = {
        what: list(dict.fromkeys(m[0] for m in not_text(text)))
        for what, text, _ in (*fields, *parts)
    }
    if not any(found.values()):
        return
    seen = {c for what, _, _ in fields for c in found[what]}
    source = workspace.source("campaigns", campaign.id)
    key = campaign.translation(version.locale)
    translated = campaign.locales[key].message.model_dump(exclude_none=True) if key else {}
    settings = workspace.settings_source
    for what, _, path in (*fields, *parts):
        chars = found[what]
        if isinstance(path, str):  # a part: what its fields bring is said at them
            chars = [c for c in chars if c not in seen]
            where = version.where(path)
        elif not path:
            brand = settings if settings and ("brand",) not in source.values else source
            where = brand.locate(("brand",))
        elif key and path[0] in translated:
            where = source.locate(("locales", key, "message", *path))
        else:
            where = source.locate(("message", *path))
        if chars:
            names = " and ".join(_character(c) for c in chars[:3])
            yield CONTROL_CHARACTER(
                where,
                f"{what}: {names} {'is' if len(chars) == 1 else 'are'} not text (the HTML "
                "part leaves it out)",
                subject=version.subject(),
            )


def _strings(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[KeyPath, str]]:
    """The texts in a value of the message, with their key paths (a campaign's own keys may
    hold lists and mappings)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _has_unsubscribe(body: str, workspace: Workspace) -> bool:
    email = workspace.settings.email
    return any(link and link in body for link in (email.unsubscribe_url, email.unsubscribe_mailto))


def _cta(
    workspace: Workspace, campaign: Campaign, version: Version, cta: str | None
) -> Iterator[Finding]:
    """The call to action, the e-mail's button."""
    language = _vague(cta or "")
    if not cta or not version.link or language is None:
        return
    key = campaign.translation(version.locale)
    path: KeyPath = ("message", "cta")
    if key is not None and "cta" in campaign.locales[key].message.model_dump(exclude_none=True):
        path = ("locales", key, "message", "cta")  # the translation's own
    yield LINK_TEXT(
        workspace.source("campaigns", campaign.id).locate(path),
        f"{version.channel}: the call to action {cta!r}, the e-mail's button, says nothing of "
        f"where it goes ({language})",
        subject=version.subject(),
    )


def _subject(campaign: Campaign, version: Version) -> Iterator[Finding]:
    text = version.text("subject")
    if not text:
        return
    where, about = version.where("subject"), version.subject("subject")
    ignored = {
        w.casefold() for w in re.findall(r"\w+", f"{campaign.brand} {campaign.message.code or ''}")
    }
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w.casefold() not in ignored]
    capitals = [w for w in words if w.isupper()]
    if len(capitals) >= 2 and 2 * sum(map(len, capitals)) > sum(map(len, words)):
        yield SHOUTING_SUBJECT(
            where, f"{version.channel} subject: in capitals ({text!r})", subject=about
        )
    if text.count("!") >= 2:
        yield SHOUTING_SUBJECT(
            where, f"{version.channel} subject: {text.count('!')} exclamation marks ({text!r})",
            subject=about,
        )  # fmt: skip


def _links(
    workspace: Workspace,
    campaign: Campaign,
    version: Version,
    parsed: _Html,
    unsubscribe: str,
    url: str | None,
) -> Iterator[Finding]:
    """The links and images that are not https, and the links to another domain than the
    message's ``url``, each where it is written."""
    home = _domain(url) if url else None
    for kind, address in parsed.addresses:
        if address == unsubscribe or not re.match(r"https?://", address, re.I):
            continue
        written = address if address != version.link else url or address  # before tagging
        if address.lower().startswith("http://"):
            yield INSECURE_LINK(
                _written(workspace, campaign, version, written),
                f"{version.channel}: {kind} {address!r} is not https",
                subject=version.subject(),
            )
        if kind == "link" and home and _domain(address) != home:
            yield LINK_DOMAIN(
                _written(workspace, campaign, version, written),
                f"{version.channel}: link to {url_host(address) or excerpt(address)}, not the "
                f"campaign's domain ({home})",
                subject=version.subject(),
            )


def _written(workspace: Workspace, campaign: Campaign, version: Version, wanted: str) -> Location:
    """Where an address is written: in the campaign (its `url`, a variant), a template, the
    settings (the logo), the layout; the first file whose text has it."""
    layout = workspace.email_layout
    files = [workspace.source("campaigns", campaign.id).file]
    files += [p.where.file for p in version.parts]
    files += [f for f in (workspace.settings_file, layout.file if layout else None) if f]
    for file in dict.fromkeys(files):
        for number, line in enumerate(workspace.lines.lines(file) or [], start=1):
            column = line.find(wanted)
            if column >= 0:
                return Location(file, number, column + 1, number, column + 1 + len(wanted))
    return version.where()


@functools.cache
def _suffixes() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # the list the package bundles: nothing is downloaded


def _domain(address: str) -> str:
    """The registrable domain of an address (``brand.co.uk`` for shop.brand.co.uk)."""
    host = url_host(address).rstrip(".")  # '' when it does not parse ("https://[::1")
    return _suffixes().privatesuffix(host) or host


# A link or an image of the HTML part, as css-inline writes them (each value in double quotes,
# a quote in it written &quot;): a scan, where a parser would cost more than compiling the
# HTML did. A try stops at the first "<" or ">" out of quotes, so each character is read a
# bounded number of times, whatever the layout writes (60 KB of "<a " in a comment).
_HTML_TAG = re.compile(r'<(a|img)\s((?:[^<>"]|"[^"]*+")*+)>', re.I)
_HTML_ATTRIBUTE = re.compile(r'([^\s"\'>/=]+)="([^"]*)"')


@dataclass(frozen=True)
class _Html:
    """The links (their addresses) and images of an HTML part."""

    addresses: list[tuple[str, str]]  # ("link" | "image", url)

    @classmethod
    def of(cls, text: str) -> _Html:
        kinds = {"a": "link", "img": "image"}
        found = []
        for tag in _HTML_TAG.finditer(text):
            address = next(
                (v for n, v in _HTML_ATTRIBUTE.findall(tag[2]) if n.lower() in ("href", "src")),
                "",
            )
            if address:
                found.append((kinds[tag[1].lower()], html.unescape(address)))
        return cls(found)

    @property
    def hrefs(self) -> set[str]:
        return {a for kind, a in self.addresses if kind == "link"}
