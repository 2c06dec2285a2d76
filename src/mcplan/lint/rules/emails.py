"""E-mail as it is sent (E): unsubscribing, accessibility and deliverability.

What a deliverability or accessibility reviewer checks before a send, on each e-mail version
as mcplan writes it (its text part, and its HTML part through the workspace's layout or the
bundled one): that it can be unsubscribed from in one click (RFC 8058, required by Gmail and
Yahoo of bulk senders since February 2024), that it says who sends it, that its images and
links make sense without sight (WCAG 2.2), and that nothing in it gets it clipped or filed as
spam. An e-mail channel is one of `kind: email`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mcplan import rule_examples
from mcplan.findings import Family, Finding, Level, Rule
from mcplan.lint import email_layout, email_senders
from mcplan.lint.context import LintContext
from mcplan.lint.email_html import Html
from mcplan.lint.email_layout import Layout
from mcplan.lint.email_version import EmailVersion
from mcplan.render.templates import first_of_each
from mcplan.workspace import Campaign, Workspace

if TYPE_CHECKING:
    from mcplan.render import Version

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
    sending = email_senders.sending(workspace)
    if not sending:
        return
    email = workspace.settings.email
    # A key the settings write but that could not be read is reported as such, not as absent.
    unread = workspace.settings_unread
    if not email.unsubscribe_link and not (
        unread("email", "unsubscribe_url") or unread("email", "unsubscribe_mailto")
    ):
        yield email_senders.settings_finding(
            workspace, sending, UNSUBSCRIBE_LINK, "without an unsubscribe link or a "
            "List-Unsubscribe header: [email] has no unsubscribe_url or unsubscribe_mailto",
        )  # fmt: skip
    if not email.sender and not unread("email", "sender"):
        yield email_senders.settings_finding(
            workspace, sending, SENDER, "without a sender: [email] has no sender, so the "
            ".eml has a placeholder From",
        )  # fmt: skip
    if workspace.email_layout is not None:
        yield from _layout(workspace)


def check_campaign(ctx: LintContext, campaign_id: str) -> Iterator[Finding]:
    workspace = ctx.workspace
    rendering = ctx.rendering(campaign_id)
    seen: dict[tuple[object, ...], list[Finding]] = {}
    for version in rendering.versions:
        if workspace.channels[version.channel].kind != "email":
            continue
        same = (
            version.step,
            version.locale,
            version.link,
            tuple((p.name, p.text) for p in version.parts),
        )
        if same not in seen:  # one persona's copy of a shared text says what the first did
            seen[same] = list(_version(workspace, rendering.campaign_of(version), version))
        yield from seen[same]


FAMILY = Family(
    "E",
    "email",
    "each e-mail as it is sent: unsubscribing, accessibility and deliverability",
    __doc__ or "",
    RULES,
    check=check,
    check_campaign=check_campaign,
    merge=first_of_each,  # a layout's problem, found in every campaign: one finding
)


# -- the settings and the layout -------------------------------------------------------------


def _layout(workspace: Workspace) -> Iterator[Finding]:
    """The layout's images without alt, its links whose written text says nothing, what it
    loads from elsewhere, and the characters in it that are not text. Not for a layout
    refused as too long (T103 says so, and nothing of it is sent)."""
    from mcplan.render.sandbox import MAX_LAYOUT

    written = workspace.email_layout
    assert written is not None
    if len(written.text) > MAX_LAYOUT:
        return
    layout = Layout(written.file, written.text)
    for tag in layout.tags:
        if tag.image:
            yield from email_layout.image_alt(IMAGE_ALT, tag)
        else:
            yield from email_layout.link_text(LINK_TEXT, layout, tag)
    yield from email_layout.remote_style(REMOTE_STYLE, layout)
    yield from email_layout.not_text(CONTROL_CHARACTER, layout)


# -- one e-mail version ----------------------------------------------------------------------


def _version(workspace: Workspace, campaign: Campaign, version: Version) -> Iterator[Finding]:
    """The checks of one e-mail version, in its message's locale: the characters that are not
    text in what it is made of, and then, in the e-mail as it is sent, all the others."""
    from mcplan.render.email import html_email
    from mcplan.render.templates import TemplateProblem

    email = EmailVersion(workspace, campaign, version, campaign.message_in(version.locale))
    yield from email.not_text(CONTROL_CHARACTER)
    try:
        sent = html_email(version, campaign, workspace)
    except TemplateProblem as problem:
        yield problem.finding
        return
    parsed = Html.of(sent)
    yield from email.text_part(TEXT_PART)
    yield from email.layout_unsubscribe(UNSUBSCRIBE_LINK, parsed)
    yield from email.cta(LINK_TEXT)
    yield from email.subject(SHOUTING_SUBJECT)
    yield from email.clipped(CLIPPED, sent)
    yield from email.links(INSECURE_LINK, LINK_DOMAIN, parsed)
