"""What one e-mail version is checked with, as it is sent.

Its text part (and the unsubscribe link in it), the workspace layout's link to the unsubscribe
URL, its call to action, its subject, the size of its HTML part, its links and images, and the
characters in it that are not text: each reported where it is written (a field of the
message, the brand, a variant, a template, the settings, the layout). The e-mail family
(`mcplan.lint.rules.emails`) declares the rules and says which each check reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcplan import numbers
from mcplan.findings import Finding, Location, Rule
from mcplan.lint.email_html import Html, domain
from mcplan.lint.email_words import character, vague
from mcplan.printable import excerpt
from mcplan.workspace import Campaign, Message, Workspace
from mcplan.workspace.fields import url_host
from mcplan.workspace.sourcemap import KeyPath

if TYPE_CHECKING:
    from mcplan.render import Version

# Gmail cuts the HTML of a message after 102 KB and shows "[Message clipped]": what follows,
# the unsubscribe link included, is hidden (Gmail Help, "Fix clipped messages"; measured by
# Litmus and Email on Acid as 102 KiB of the HTML as received).
CLIP_BYTES = 102 * 1024


@dataclass(frozen=True)
class EmailVersion:
    """One e-mail version of a campaign, in the message of its locale."""

    workspace: Workspace
    campaign: Campaign
    version: Version
    message: Message

    @property
    def unsubscribe(self) -> str:
        return self.workspace.settings.email.unsubscribe_link

    def text_part(self, rule: Rule) -> Iterator[Finding]:
        """An empty text part, or one without the unsubscribe link the HTML has."""
        version = self.version
        body = version.text("body") or version.text("text")
        if not body.strip():
            where, about = version.where(), version.subject()
            yield rule(where, f"{version.channel}: the text part is empty", subject=about)
        elif self.unsubscribe and not self._has_unsubscribe(body):
            yield rule(
                version.where("body"),
                f"{version.channel} body: the text part has no unsubscribe link "
                f"({self.unsubscribe!r}), which the HTML has",
                subject=version.subject("body"),
            )

    def _has_unsubscribe(self, body: str) -> bool:
        email = self.workspace.settings.email
        links = (email.unsubscribe_url, email.unsubscribe_mailto)
        return any(link and link in body for link in links)

    def layout_unsubscribe(self, rule: Rule, parsed: Html) -> Iterator[Finding]:
        """A workspace layout whose HTML has no link to the unsubscribe URL."""
        layout = self.workspace.email_layout
        if self.unsubscribe and layout is not None and self.unsubscribe not in parsed.hrefs:
            yield rule(
                Location(layout.file),
                f"layout: the HTML has no link to the unsubscribe URL {self.unsubscribe!r} of "
                "[email]",
                hint='write <a href="{{ unsubscribe }}">{{ unsubscribe_label }}</a> in its footer',
                subject=self.version.subject(),
            )

    def cta(self, rule: Rule) -> Iterator[Finding]:
        """The call to action, the e-mail's button, when it says nothing of where it goes."""
        campaign, version, cta = self.campaign, self.version, self.message.cta
        language = vague(cta or "")
        if not cta or not version.link or language is None:
            return
        key = campaign.translation(version.locale)
        path: KeyPath = ("message", "cta")
        if key is not None and "cta" in campaign.locales[key].message.model_dump(exclude_none=True):
            path = ("locales", key, "message", "cta")  # the translation's own
        yield rule(
            self.workspace.source(campaign.FOLDER, campaign.id).locate(path),
            f"{version.channel}: the call to action {cta!r}, the e-mail's button, says nothing "
            f"of where it goes ({language})",
            subject=version.subject(),
        )

    def subject(self, rule: Rule) -> Iterator[Finding]:
        """A subject in capitals (the brand and the code do not count), or with several "!"."""
        campaign, version = self.campaign, self.version
        text = version.text("subject")
        if not text:
            return
        where, about = version.where("subject"), version.subject("subject")
        ignored = {
            w.casefold()
            for w in re.findall(r"\w+", f"{campaign.brand} {campaign.message.code or ''}")
        }
        words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w.casefold() not in ignored]
        capitals = [w for w in words if w.isupper()]
        if len(capitals) >= 2 and 2 * sum(map(len, capitals)) > sum(map(len, words)):
            yield rule(where, f"{version.channel} subject: in capitals ({text!r})", subject=about)
        if text.count("!") >= 2:
            yield rule(
                where,
                f"{version.channel} subject: {text.count('!')} exclamation marks ({text!r})",
                subject=about,
            )

    def clipped(self, rule: Rule, sent: str) -> Iterator[Finding]:
        """An HTML part that Gmail clips."""
        size = len(sent.encode())
        if size > CLIP_BYTES:
            yield rule(
                self.version.where("body"),
                f"{self.version.channel}: the HTML part is {numbers.count(size / 1024)} KB; "
                "Gmail clips it after 102 KB",
                subject=self.version.subject("body"),
            )

    def links(self, insecure: Rule, other_domain: Rule, parsed: Html) -> Iterator[Finding]:
        """The links and images that are not https (``insecure``), and the links to another
        domain than the message's ``url`` (``other_domain``), each where it is written."""
        version, url = self.version, self.message.url
        home = domain(url) if url else None
        for kind, address in parsed.addresses:
            if address == self.unsubscribe or not re.match(r"https?://", address, re.I):
                continue
            written = address if address != version.link else url or address  # before tagging
            if address.lower().startswith("http://"):
                yield insecure(
                    self.written(written),
                    f"{version.channel}: {kind} {address!r} is not https",
                    subject=version.subject(),
                )
            if kind == "link" and home and domain(address) != home:
                yield other_domain(
                    self.written(written),
                    f"{version.channel}: link to {url_host(address) or excerpt(address)}, not "
                    f"the campaign's domain ({home})",
                    subject=version.subject(),
                )

    def written(self, wanted: str) -> Location:
        """Where an address is written: in the campaign (its `url`, a variant), a template, the
        settings (the logo), the layout; the first file whose text has it."""
        workspace, layout = self.workspace, self.workspace.email_layout
        files = [workspace.source(self.campaign.FOLDER, self.campaign.id).file]
        files += [p.where.file for p in self.version.parts]
        files += [f for f in (workspace.settings_file, layout.file if layout else None) if f]
        for file in dict.fromkeys(files):
            for number, line in enumerate(workspace.lines.lines(file) or [], start=1):
                column = line.find(wanted)
                if column >= 0:
                    return Location(file, number, column + 1, number, column + 1 + len(wanted))
        return self.version.where()

    def not_text(self, rule: Rule) -> Iterator[Finding]:
        """The characters that are not text in what the e-mail is made of, each where it is
        written: a field of the message or the brand (not again in the parts that show it),
        else the part (a variant, a template). Looked for where they are only when there are
        some."""
        from mcplan.render.email import not_text
        from mcplan.render.engine import message_variables

        fields = [
            (f"message {'.'.join(map(str, p))}", v, p)
            for p, v in _strings(message_variables(self.message), ())
        ]
        fields.append(("brand", self.campaign.brand, ()))
        parts = [(f"{self.version.channel} {p.name}", p.text, p.name) for p in self.version.parts]
        found = {
            what: list(dict.fromkeys(m[0] for m in not_text(text)))
            for what, text, _ in (*fields, *parts)
        }
        if not any(found.values()):
            return
        seen = {c for what, _, _ in fields for c in found[what]}
        for what, _, path in fields:
            if found[what]:
                yield self._not_text(rule, self._field_at(path), what, found[what])
        for what, _, name in parts:  # what its fields bring is said at them
            if chars := [c for c in found[what] if c not in seen]:
                yield self._not_text(rule, self.version.where(name), what, chars)

    def _field_at(self, path: KeyPath) -> Location:
        """Where a field of the message is written (the translation's own, else the core
        message's), or with ``()`` the brand (the campaign's own, else the settings')."""
        source = self.workspace.source(self.campaign.FOLDER, self.campaign.id)
        if not path:
            settings = self.workspace.settings_source
            brand = settings if settings and ("brand",) not in source.values else source
            return brand.locate(("brand",))
        key = self.campaign.translation(self.version.locale)
        translated = self.campaign.locales[key].message.model_dump(exclude_none=True) if key else {}
        if key and path[0] in translated:
            return source.locate(("locales", key, "message", *path))
        return source.locate(("message", *path))

    def _not_text(self, rule: Rule, where: Location, what: str, chars: list[str]) -> Finding:
        names = " and ".join(character(c) for c in chars[:3])
        return rule(
            where,
            f"{what}: {names} {'is' if len(chars) == 1 else 'are'} not text (the HTML part "
            "leaves it out)",
            subject=self.version.subject(),
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
