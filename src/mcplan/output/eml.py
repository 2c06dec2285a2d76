"""An e-mail version as an .eml file that any mail client opens: its text and its HTML, the
sender and the unsubscribe headers of the workspace's `[email]` settings."""

from __future__ import annotations

import hashlib
from datetime import UTC
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy

from mcplan.json_text import json_text
from mcplan.render.email import html_email, text_only
from mcplan.render.engine import Version
from mcplan.workspace import Campaign, Workspace
from mcplan.workspace.fields import url_host


def eml(
    version: Version, campaign: Campaign, workspace: Workspace, html: str | None = None
) -> bytes:
    """The version as a MIME message: subject, a text part and its HTML alternative.

    The sender is `[email] sender`, else a placeholder on the campaign link's domain (the file
    is then a preview, not a send). With an unsubscribe URL or mailto, it has the
    ``List-Unsubscribe`` header (RFC 2369), and with a URL ``List-Unsubscribe-Post:
    List-Unsubscribe=One-Click`` (RFC 8058), which Gmail and Yahoo require of bulk senders.
    Line breaks in a header's text become spaces (headers are one line). Same version in,
    same bytes out: no date, no message id, a boundary derived from the content. ``html`` is
    the version's HTML part when it is rendered already.
    """
    email = workspace.settings.email
    message = EmailMessage(policy=default_policy)
    if email.sender:
        message["From"] = _one_line(email.sender)
    else:
        host = url_host(version.link) or "example.invalid"
        sender = Address(display_name=_one_line(campaign.brand), username="no-reply", domain=host)
        message["From"] = sender
    if email.reply_to:
        message["Reply-To"] = _one_line(email.reply_to)
    message["Subject"] = _one_line(version.text("subject"))
    targets = []
    if email.unsubscribe_mailto:
        targets.append(f"<mailto:{email.unsubscribe_mailto}>")
    if email.unsubscribe_url:
        targets.append(f"<{_one_line(email.unsubscribe_url)}>")
    if targets:
        message["List-Unsubscribe"] = ", ".join(targets)
    if email.unsubscribe_url:
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    body = _text(version)
    message.set_content(body + "\n")
    html = html if html is not None else html_email(version, campaign, workspace)
    message.add_alternative(html, subtype="html")
    digest = hashlib.sha256((body + html).encode()).hexdigest()[:24]
    message.set_boundary("mcplan-" + digest)
    return message.as_bytes()


def payload(
    version: Version, campaign: Campaign, workspace: Workspace, html: str | None = None
) -> str:
    """What a sending platform's API needs to create the campaign of this version, as JSON:
    subject, preheader, sender, reply-to, HTML, text, the unsubscribe link, and each send (the
    persona id as the list or segment, the touch's time in UTC). docs/esp.md maps it to two
    platforms' APIs. ``html`` is the version's HTML part when it is rendered already."""
    email = workspace.settings.email
    sends = []
    for touch in campaign.touches:
        if touch.channel != version.channel:
            continue
        for persona in workspace.targets(campaign, touch):
            if persona.id in version.personas:
                at = touch.local_time(persona).astimezone(UTC)
                sends.append({"segment": persona.id, "at": at.strftime("%Y-%m-%dT%H:%M:%SZ")})
    data = {
        "campaign": campaign.id,
        "channel": version.channel,
        "arm": version.arm,
        "locale": version.locale,
        "subject": text_only(version.text("subject")),
        "preheader": text_only(version.text("preheader")),
        "from": email.sender or None,
        "reply_to": email.reply_to or None,
        "html": html if html is not None else html_email(version, campaign, workspace),
        "text": _text(version),
        "unsubscribe": {
            "url": email.unsubscribe_url or None,
            "mailto": email.unsubscribe_mailto or None,
        },
        "sends": sorted(sends, key=lambda s: (s["at"], s["segment"])),
    }
    return json_text(data)


def _text(version: Version) -> str:
    """The text part: the body, without what is not text (as the HTML part, E110)."""
    return text_only(version.text("body") or version.text("text"))


def _one_line(text: str) -> str:
    """A header value: a line break of any kind (U+2028, U+0085 too) would end the header,
    or let the text add one of its own; they become spaces. What is not text (a control
    character, E110) is left out, as in the HTML part."""
    return " ".join(text_only(text).split())
