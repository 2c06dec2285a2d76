"""The sentences of copy that the consistency family reads one by one (M106, M107).

A sentence that refers to an offer, a code or a deadline the message does not have is found
by the words of each language that name them (`_OFFER`, `_CODE`, and `_DEADLINE` before a
date); a sentence in another language than its readers' by the language detector
(`mcplan.lint.language`), in each part of a version and in the words of each message.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mcplan.findings import Finding, Rule
from mcplan.printable import excerpt
from mcplan.workspace import Campaign, Workspace
from mcplan.workspace.campaign import Message, MessageKind
from mcplan.workspace.markets import language as language_of

if TYPE_CHECKING:
    from mcplan.lint import facts as extract
    from mcplan.lint import language as languages
    from mcplan.render import Version
    from mcplan.render.engine import Part
else:  # their patterns take a while to compile: only when texts are read (not `validate`)
    from mcplan.lazy import lazy

    extract = lazy("mcplan.lint.facts")
    languages = lazy("mcplan.lint.language")

# The keys of a message that are words, in the language of the message.
WORDS = ("headline", "body", "cta")

_OFFER = {
    "en": r"\b(?:this|that|the|our|an|special|exclusive|limited[- ]time|introductory) offers?\b"
    r"|\boffers? (?:valid|ends?|expires?|lasts?)\b|\bdiscount(?:ed)?\b",
    "fr": r"(?:\b(?:cette|notre|une|votre|nos|ces)\s+|\bl['’])offres?\b"
    r"|\boffres? (?:valable|spéciale|exclusive|limitée)s?\b|\bremise\b|\bréduction\b",
    "nl": r"\baanbieding(?:en)?\b|\bkorting\b|\b(?:dit|ons|het) aanbod\b"
    r"|\baanbod (?:geldig|geldt)\b",
    "de": r"\b(?:dieses|unser|das|ein|Ihr|dein)\s+Angebot\b|\bAngebot (?:gilt|gültig)\b|\bRabatt"
    r"|\bSonderangebot\b|\bAktionspreis\b",
    "es": r"\bofertas?\b|\bdescuentos?\b",
    "it": r"\bofferta\b|\bofferte\b|\bscont[oi]\b",
}
_CODE = {
    "en": r"\b(?:promo|discount|voucher|coupon) code\b|\b(?:with|use|using|enter|quote|your) "
    r"(?:the )?code\b",
    "fr": r"\bcode (?:promo|de réduction|avantage)\b|\b(?:avec|votre) (?:le )?code\b",
    "nl": r"\b(?:kortings|actie)code\b|\b(?:met|uw|je) (?:de )?code\b",
    "de": r"\b(?:Rabatt|Gutschein|Aktions)code\b|\b(?:mit|Ihr|dein) (?:dem )?Code\b",
    "es": r"\bc[oó]digo\b",
    "it": r"\bcodice\b",
}
# Before a date: the last day of something.
_DEADLINE = {
    "en": r"\b(?:until|till|valid until|ends?(?: on)?|expires?(?: on)?)\s+(?:the\s+)?\Z",
    "fr": r"(?:\bjusqu['’](?:au|à)(?:\s+(?:le|la))?|\bexpire le|\bse termine le|\bprend fin le)"
    r"\s+\Z",
    "nl": r"(?:\bt/m|\btot en met|\btot|\bgeldig tot|\bloopt tot)\s+\Z",
    "de": r"(?:\bbis(?: zum)?|\bgültig bis|\bendet am|\bläuft bis)\s+\Z",
    "es": r"(?:\bhasta(?: el)?|\btermina el)\s+\Z",
    "it": r"(?:\bfino\s+(?:al|all['’]|a)|\bentro\s+(?:il|l['’])|\bscade (?:il|l['’]))\s*\Z",
}


def _has_deadline(message: Message) -> bool:
    """Whether "until" a day is right: the end of an offer, or of a period."""
    if not message.ends:
        return False
    offer = message.nature is MessageKind.OFFER
    return offer or bool(message.starts and message.starts != message.ends)


def missing_facts(
    rule: Rule, version: Version, part: str, text: str, message: Message, language: str
) -> Iterator[Finding]:
    """Each sentence of ``text`` that names an offer, a code or a deadline the message lacks
    (once per kind of fact and part)."""
    if language not in _OFFER:
        return
    own = " ".join(str(getattr(message, key) or "") for key in WORDS)
    # The message names an offer itself ("Our spring offer"): it is no missing fact.
    named = re.search(_OFFER[language], own, re.IGNORECASE) is not None
    offer = message.nature is not MessageKind.OFFER and not named
    for what, sentence in _said(text, language, offer, not message.code, _has_deadline(message)):
        lacks = {
            "an offer": "no offer, price or code",
            "a code": "no code",
            "a deadline": "no offer that ends, nor a period",
        }[what]
        yield rule(
            version.where(part),
            f"{version.label} {part} refers to {what}, and the message has {lacks} "
            f"({message.nature.value}): {excerpt(sentence, 80)!r}",
            subject=version.subject(part),
        )


@functools.lru_cache(maxsize=1024)
def _said(
    text: str, language: str, offer: bool, code: bool, deadline: bool
) -> tuple[tuple[str, str], ...]:
    """The first sentence of ``text`` that refers to each fact the message lacks (``offer``:
    it has none, ``code``: no code, ``deadline``: it has an end), with what it refers to;
    read once for each text (a journey's steps on a channel often share theirs)."""
    wants = {"an offer": (offer, _OFFER[language]), "a code": (code, _CODE[language])}
    told: dict[str, str] = {}
    for sentence in itertools.islice(languages.sentences(text), languages.MAX_SENTENCES):
        for what, (missing, words) in wants.items():
            if missing and what not in told and re.search(words, sentence.text, re.IGNORECASE):
                told[what] = sentence.text
        if "a deadline" not in told and not deadline:
            dates = extract.extract(sentence.text, language).dates
            starts = sorted(span.start for spans in dates.values() for span in spans)
            pattern = re.compile(_DEADLINE[language], re.IGNORECASE)
            # The words just before each date (a window: linear in the sentence).
            if any(pattern.search(sentence.text[max(0, at - 40) : at]) for at in starts):
                told["a deadline"] = sentence.text
    return tuple(told.items())


def wrong_language(
    rule: Rule, version: Version, part: Part, message: Message, language: str, brand: str
) -> Iterator[Finding]:
    """The first sentence of a part surely in another language than its readers'. The words
    of the message a template writes are checked at the message (`message_languages`)."""
    text = part.text
    if part.origin == "template":
        for key in WORDS:
            value = str(getattr(message, key) or "")
            if value:
                text = text.replace(value, "\n")
    found = languages.foreign(text, language, brand)
    if found is None:
        return
    sentence, other = found
    yield rule(
        version.where(part.name),
        f"{version.label} {part.name} is in {languages.name(other)}, and its readers read "
        f"{languages.name(language)} ({version.locale}): {excerpt(sentence.text, 80)!r}",
        subject=version.subject(part.name),
    )


def message_languages(rule: Rule, workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    """The headline, body and call to action of the core message and of each translation,
    each in the language it is for."""
    source = workspace.source(campaign.FOLDER, campaign.id)
    entries: list[tuple[str | None, str, Message]] = [
        (None, workspace.core_locale(campaign), campaign.message)
    ]
    entries += [(key, key, campaign.message_for(key)) for key in campaign.locales]
    for key, locale, message in entries:
        given = (
            message.model_dump(exclude_none=True)
            if key is None
            else (campaign.locales[key].message.model_dump(exclude_none=True))
        )
        for field in WORDS:
            text = str(given.get(field) or "")
            found = languages.foreign(text, language_of(locale), campaign.brand) if text else None
            if found is None:
                continue
            path = ("message", field) if key is None else ("locales", key, "message", field)
            yield rule(
                source.locate(path),
                f"{source.name(path)} is in {languages.name(found[1])}, and it is written "
                f"for {languages.name(language_of(locale))} ({locale}): "
                f"{excerpt(found[0].text, 80)!r}",
                subject=campaign.subject(locale=key),
            )
