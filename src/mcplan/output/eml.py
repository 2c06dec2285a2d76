"""An email version as an .eml file that any mail client opens (text and HTML)."""

from __future__ import annotations

import hashlib
import html
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default as default_policy
from urllib.parse import urlsplit

from mcplan.render.engine import Version

_URL = re.compile(r"https?://[^\s<>\"']+")


def eml(version: Version, brand: str) -> bytes:
    """The version as a MIME message: subject, text body and an HTML alternative.

    The sender is a placeholder on the campaign link's domain (the file is a preview, not a
    send); line breaks in the subject and the brand become spaces (headers are one line).
    Same version in, same bytes out: no date, no message id, a boundary derived from the
    content.
    """
    host = urlsplit(version.link).hostname or "example.invalid"
    message = EmailMessage(policy=default_policy)
    message["From"] = Address(display_name=_one_line(brand), username="no-reply", domain=host)
    message["Subject"] = _one_line(version.text("subject"))
    body = version.text("body") or version.text("text")
    message.set_content(body + "\n")
    message.add_alternative(_html(version.text("preheader"), body), subtype="html")
    message.set_boundary("mcplan-" + hashlib.sha256(body.encode()).hexdigest()[:24])
    return message.as_bytes()


def _one_line(text: str) -> str:
    """A header value: a line break of any kind (U+2028, U+0085 too) would end the header,
    or let the text add one of its own; they become spaces."""
    return " ".join(text.split())


def _html(preheader: str, body: str) -> str:
    paragraphs = []
    for block in re.split(r"\n\s*\n", body.strip()):
        escaped = html.escape(block)
        linked = _URL.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    hidden = (
        f'<div style="display:none;max-height:0;overflow:hidden">{html.escape(preheader)}</div>\n'
        if preheader
        else ""
    )
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"></head>\n<body>\n'
        + hidden
        + "\n".join(paragraphs)
        + "\n</body></html>\n"
    )
