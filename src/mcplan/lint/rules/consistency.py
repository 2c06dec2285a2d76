"""One message everywhere, in its readers' language (M101–M107).

The substance of a campaign is identical on every channel and in every language (offer,
price, code, dates, link, call to action); only the form changes. The facts of every rendered
or hand-written text (see `mcplan.lint.facts` for what counts as a percentage, a price, a
code, a date or a link) are compared with those of the message it was rendered from, and
each translation's message (`locales`) with the core message, at its own line. The address
form is compared between texts of one language. A sentence that refers to a fact the message
does not have (an offer, a code, a deadline) is found by the words of each language that name
it; a text in another language than its readers' by a language detector (`mcplan.lint.language`).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from mcplan import numbers, rule_examples
from mcplan.findings import Finding, Level, Related, Rule, Subject
from mcplan.lint.context import LintContext
from mcplan.printable import excerpt
from mcplan.workspace import Campaign
from mcplan.workspace.campaign import Message, MessageKind
from mcplan.workspace.channel import Needed
from mcplan.workspace.fields import url_host
from mcplan.workspace.markets import language as language_of

if TYPE_CHECKING:
    from mcplan.lint import facts as extract
    from mcplan.lint import language as languages
    from mcplan.render import Rendering, Version
    from mcplan.render.engine import Part
else:  # its patterns take a while to compile: only when texts are compared (not `validate`)
    from mcplan.lazy import lazy

    extract = lazy("mcplan.lint.facts")
    languages = lazy("mcplan.lint.language")

FAMILY = "consistency"

_SMS = "Maison Lumen : -40 % avec HIVER40 jusqu'au 9 février maison-lumen.fr STOP au 36111"
_SOLDES = (
    "{headline: Les soldes d'hiver, offer: -40 %, code: HIVER40, starts: 2027-01-13, "
    "ends: 2027-02-09, url: 'https://maison-lumen.fr/soldes'}"
)


def _soldes(sms: str, *, message: str = _SOLDES, email: str = "") -> str:
    """The winter sales: an SMS variant, and an email one too when ``email`` is given."""
    touches = ["sms 2027-01-13T10:00", *(["email 2027-01-15T10:00"] if email else [])]
    variants = f"  sms: {sms!r}\n" + (f"  email: {{body: {email!r}}}\n" if email else "")
    more = f"brand: Maison Lumen\nvariants:\n{variants}"
    return rule_examples.campaign(*touches, name="soldes", message=message, more=more)


# An email that can be unsubscribed from (the mention it needs), for the two-channel examples.
_UNSUBSCRIBE = " Se désinscrire : un clic."
_NO_OFFER = "{headline: Les soldes d'hiver, starts: 2027-01-13, ends: 2027-02-09}"


FACT_MISMATCH = Rule(
    "M101",
    "fact-mismatch",
    Level.ERROR,
    "A percentage, price, code, date or link that contradicts the core message.",
    hint="say the same thing on every channel: fix the text, or the message",
    details="The SMS says -25 %, the message -40 %; the email ends on the 9th, the SMS on the "
    "12th; a link goes to another domain, or to another page of the site than the message's; "
    "the English translation says -25 % where the core message says -20 %.",
    fails=_soldes(_SMS.replace("-40 %", "-25 %")),
    passes=_soldes(_SMS),
)
FACT_CONFLICT = Rule(
    "M102",
    "fact-conflict",
    Level.ERROR,
    "Channels disagree on a fact that the core message does not state.",
    details="Two channels give two different percentages, and the message gives none: one of "
    "them is wrong, and the message should say which.",
    fails=_soldes(
        "Maison Lumen : -20 % sur tout STOP au 36111",
        message=_NO_OFFER,
        email="Les soldes d'hiver : -30 % sur tout." + _UNSUBSCRIBE,
    ),
    passes=_soldes(
        "Maison Lumen : -20 % sur tout STOP au 36111",
        message=_NO_OFFER,
        email="Les soldes d'hiver : -20 % sur tout." + _UNSUBSCRIBE,
    ),
)
MISSING_CALL_TO_ACTION = Rule(
    "M103",
    "missing-call-to-action",
    Level.WARNING,
    "A version without the link or call to action its channel needs.",
    hint="add it to the text, or to the template",
    details="What the channel `requires` (link, cta, code), when the message has it.",
    fails=_soldes(_SMS.replace(" maison-lumen.fr", "")),
    passes=_soldes(_SMS),
)
BRAND_SPELLING = Rule(
    "M104",
    "brand-spelling",
    Level.WARNING,
    "The brand name spelled differently.",
    hint="spell the brand the same way everywhere",
    details='"Maison lumen", "MaisonLumen" or "Maison Lumén" for "Maison Lumen"; capitals, '
    "hashtags (#MaisonLumen) and domains are fine.",
    fails=_soldes(_SMS.replace("Maison Lumen", "MaisonLumen")),
    passes=_soldes(_SMS.replace("Maison Lumen", "MAISON LUMEN")),
)
MIXED_ADDRESS = Rule(
    "M105",
    "mixed-address",
    Level.WARNING,
    "Some channels say 'tu' and others 'vous' to the same campaign's personas.",
    hint="address the reader the same way on every channel",
    details="Also when one text says both. Texts are compared within their language: French "
    "tu / vous, German du / Sie, Dutch jij / u, Spanish tú / usted, Italian tu / Lei.",
    fails=_soldes(_SMS.replace("-40 %", "-40 % pour toi et vos proches")),
    passes=_soldes(_SMS.replace("-40 %", "-40 % pour vous et vos proches")),
)

_WEBINAR = "{headline: Get ready for Making Tax Digital, starts: 2027-03-18, ends: 2027-03-18}"
_LEDGERLY = (
    '\n# mcplan.toml\nlocale = "en-GB"\n[email]\nsender = "Ledgerly <news@ledgerly.co.uk>"\n'
    'unsubscribe_mailto = "unsubscribe@ledgerly.co.uk"\n'
    "\n# personas/marie.yaml\n"
    + rule_examples.BASE["personas/marie.yaml"].replace("stage:", "country: GB-ENG\nstage:")
)
_WEBINAR_SMS = "Ledgerly: Get ready for Making Tax Digital on 18 March. Reply STOP to opt out"


def _webinar(sms: str) -> str:
    more = f"brand: Ledgerly\nvariants:\n  sms: {sms!r}\n"
    touch = "sms 2027-03-18T09:00"
    return _LEDGERLY + rule_examples.campaign(touch, name="mtd", message=_WEBINAR, more=more)


MISSING_FACT = Rule(
    "M106",
    "missing-fact",
    Level.WARNING,
    "A sentence that refers to an offer, a code or a deadline the message does not have.",
    hint="say what the message announces (its `kind`: an event, a launch, news), or give the "
    "message the offer, code or end it refers to",
    details='"Don\'t miss this offer" or "Offer valid until 18 March" for a webinar; '
    '"with code" and no code; "until 18 March 2027" for an event on that day. An offer is '
    "named by its words in each language (offer, offre, aanbieding, Angebot, oferta, "
    'offerta, discount…), a code by "promo code", "use the code"…, a deadline by '
    '"until", "jusqu\'au", "t/m", "bis", "hasta el", "fino al" before a date: a deadline '
    "needs a message with an offer that ends, or a period (`starts` to `ends`).",
    fails=_webinar(_WEBINAR_SMS.replace("on 18 March", "until 18 March")),
    passes=_webinar(_WEBINAR_SMS),
)
WRONG_LANGUAGE = Rule(
    "M107",
    "wrong-language",
    Level.ERROR,
    "Copy in another language than its readers'.",
    hint="write it in the readers' language, or give the campaign a `locales` entry for them",
    details="Each sentence of a hand-written text, of the text a template writes, and of the "
    "message's headline, body and call to action, in French, English, Dutch, German, "
    "Spanish or Italian, by a language detector (lingua) restricted to those languages. "
    "Only a sentence long enough (4 words or more, links, numbers, codes and the brand left "
    "out), or a whole text, that the detector is sure of counts: a short sentence is never "
    'reported, nor are names ("Black Friday").',
    fails=_webinar(
        "Ledgerly : préparez-vous au Making Tax Digital avec notre webinaire gratuit. "
        "Reply STOP to opt out"
    ),
    passes=_webinar(_WEBINAR_SMS),
)

RULES = (
    FACT_MISMATCH,
    FACT_CONFLICT,
    MISSING_CALL_TO_ACTION,
    BRAND_SPELLING,
    MIXED_ADDRESS,
    MISSING_FACT,
    WRONG_LANGUAGE,
)


def check_campaign(ctx: LintContext, campaign: str) -> Iterator[Finding]:
    yield from _campaign(ctx, ctx.rendering(campaign))


def _core(message: Message) -> dict[str, set[object]]:
    """The facts a message states, by kind."""
    text = "\n".join(
        str(v)
        for v in (message.headline, message.body, message.offer, message.price, message.cta)
        if v
    )
    found = extract.extract(text)
    core: dict[str, set[object]] = {
        "percentage": set(found.percentages),
        "price": set(found.prices),
        "code": set(found.codes) | ({message.code} if message.code else set()),
        "date": set(found.dates)
        | {(d.year, d.month, d.day) for d in (message.starts, message.ends) if d},
        "domain": set(found.domains) | ({_domain(message.url)} if message.url else set()),
    }
    return core


def _translations(
    ctx: LintContext, campaign: Campaign, core: dict[str, set[object]]
) -> Iterator[Finding]:
    """Each translation's message against the core message, at the translation's line."""
    source = ctx.workspace.source("campaigns", campaign.id)
    message_at = source.locate(("message",), key=True)
    for key, entry in campaign.locales.items():
        given = entry.message.model_dump(exclude_none=True)
        for field in ("headline", "body", "offer", "price", "cta", "code", "starts", "ends", "url"):
            if field not in given:
                continue
            stated = _core(Message.model_construct(**{"headline": "", field: given[field]}))
            wrong = [
                f"{_show(kind, values)}, which the core message does not "
                f"({_show(kind, core[kind])})"
                for kind, values in stated.items()
                if values and core[kind] and not all(_agrees(kind, v, core[kind]) for v in values)
            ]
            path = ("locales", key, "message", field)
            for what in wrong:
                yield FACT_MISMATCH(
                    source.locate(path),
                    f"{source.name(path)} says {what}",
                    related=[Related(message_at, "the core message")],
                    subject=Subject(campaign.id, locale=key),
                )


def _domain(url: str) -> str:
    host = url_host(url)
    return host.removeprefix("www.")


def _page(link: str) -> str:
    """The page a link names on its site (``/soldes``), or '' for the site itself; the query
    (tracking) and the fragment do not count."""
    try:
        path = urlsplit(link if "://" in link else "http://" + link).path
    except ValueError:
        return ""
    return path.rstrip("/")


def _other_pages(found: extract.Facts, url: str | None) -> Iterator[extract.Span]:
    """Each link to a page of the message's site that is not the message's page (a link to
    the site itself, ``maison-lumen.fr``, is fine)."""
    if not url or not _page(url):
        return
    for span in found.domains.get(_domain(url), []):
        if _page(span.text) not in ("", _page(url)):
            yield span


def _kinds(found: extract.Facts) -> dict[str, Mapping[Any, list[extract.Span]]]:
    return {
        "percentage": found.percentages,
        "price": found.prices,
        "code": found.codes,
        "date": found.dates,
        "domain": found.domains,
    }


def _campaign(ctx: LintContext, rendering: Rendering) -> Iterator[Finding]:
    campaign = rendering.campaign
    core = _core(campaign.message)
    message_at = ctx.workspace.source("campaigns", campaign.id).locate(("message",), key=True)
    seen: dict[str, dict[object, list[tuple[Version, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    addresses: dict[str, dict[str, list[Version]]] = defaultdict(lambda: defaultdict(list))
    # A version is compared with the message it was rendered from (the core, or a
    # translation); each translation is compared with the core, once, at its own line.
    messages: dict[str | None, tuple[Message, dict[str, set[object]]]] = {}
    # A text rendered for several personas alike is reported once.
    reported: set[tuple[str, object, str]] = set()
    # A settings file whose locale could not be read: the readers' language is not known.
    unknown = ctx.workspace.settings_unread("locale")
    brand = campaign.brand
    for version in rendering.versions:
        channel = ctx.workspace.channels[version.channel]
        key = campaign.translation(version.locale)
        if key not in messages:
            message = campaign.message_for(key)
            messages[key] = (message, core if key is None else _core(message))
        message, expected = messages[key]
        language = version.locale.split("-")[0]
        address: set[str] = set()
        domains: set[str] = set()
        # The unsubscribe link is the sending platform's, not a fact of the message.
        unsubscribe = (
            ctx.workspace.settings.email.unsubscribe_link if channel.kind == "email" else ""
        )
        for part in version.parts:
            text = (
                part.text.replace(unsubscribe, " " * len(unsubscribe)) if unsubscribe else part.text
            )
            found = extract.extract(text, language)
            domains.update(found.domains)
            if found.address:
                address.add(found.address)
            where = version.where(part.name)
            about = version.subject(part.name)
            wrong = []
            for kind, values in _kinds(found).items():
                for value, spans in values.items():
                    seen[kind][value].append((version, part.name))
                    if expected[kind] and not _agrees(kind, value, expected[kind]):
                        wrong.append(
                            f"says {spans[0].text!r}, which the message does not "
                            f"({_show(kind, expected[kind])})"
                        )
            wrong += [
                f"links to {span.text!r}, another page than the message's ({message.url})"
                for span in _other_pages(found, message.url)
            ]
            for what in wrong:
                yield FACT_MISMATCH(
                    where,
                    f"{version.label} {part.name} {what}",
                    related=[Related(message_at, "the core message")],
                    subject=about,
                )
            for span in extract.brand_variants(text, campaign.brand):
                yield BRAND_SPELLING(
                    where,
                    f"{version.label} {part.name} writes the brand {span.text!r}, not "
                    f"{campaign.brand!r}",
                    subject=about,
                )
        yield from _required(version, channel.requires, message, expected, domains)
        for part in version.parts:
            for finding in (
                *_missing_facts(version, part.name, part.text, message, language),
                *(() if unknown else _wrong_language(version, part, message, language, brand)),
            ):
                if (finding.rule, finding.location, finding.message) not in reported:
                    reported.add((finding.rule, finding.location, finding.message))
                    yield finding
        for form in sorted(address):
            addresses[language][form].append(version)
    yield from _translations(ctx, campaign, core)
    if not unknown:
        yield from _message_languages(ctx, campaign)
    yield from _conflicts(ctx, core, seen)
    for language, forms in sorted(addresses.items()):
        yield from _address(language, forms)


def _agrees(kind: str, value: object, core: set[object]) -> bool:
    if kind == "date":
        key = cast(extract.DateKey, value)
        return any(extract.compare_dates(key, cast(extract.DateKey, c)) for c in core)
    return value in core


def _show(kind: str, values: set[object]) -> str:
    shown = sorted(_format(kind, v) for v in values)
    return f"{kind}: {', '.join(shown)}"


def _format(kind: str, value: object) -> str:
    if kind == "percentage":
        return numbers.percent(float(cast(Decimal, value)) / 100)
    if kind == "price":
        amount, currency = cast(tuple[Decimal, str], value)
        return numbers.money(float(amount), currency, whole=amount == amount.to_integral_value())
    if kind == "date":
        year, month, day = cast(extract.DateKey, value)
        return f"{year or '….'}-{month:02d}-{day:02d}"
    return str(value)


def _conflicts(
    ctx: LintContext,
    core: dict[str, set[object]],
    seen: dict[str, dict[object, list[tuple[Version, str]]]],
) -> Iterator[Finding]:
    for kind, values in seen.items():
        if core[kind] or len(values) < 2:
            continue
        listing = "; ".join(
            f"{_format(kind, value)} in {', '.join(sorted({v.label for v, _ in places}))}"
            for value, places in sorted(values.items(), key=lambda item: _format(kind, item[0]))
        )
        firsts = [places[0] for places in values.values()]
        for version, part in firsts:
            others = [v.where(p) for v, p in firsts if (v, p) != (version, part)]
            yield FACT_CONFLICT(
                version.where(part),
                f"channels disagree on a {kind} the message does not give: {listing}",
                hint=f"state the {kind} in the core message, and use it everywhere",
                related=[Related(where, f"another {kind}") for where in others],
                subject=version.subject(part),
            )


def _required(
    version: Version,
    requires: list[Needed],
    message: Message,
    core: dict[str, set[object]],
    domains: set[str],
) -> Iterator[Finding]:
    text = "\n".join(p.text for p in version.parts)
    missing = []
    if Needed.LINK in requires and message.url and not domains & core["domain"]:
        missing.append("the link")
    if Needed.CTA in requires and message.cta and _squash(message.cta) not in _squash(text):
        missing.append(f"the call to action {message.cta!r}")
    if Needed.CODE in requires and message.code and message.code not in text:
        missing.append(f"the code {message.code!r}")
    if missing:
        yield MISSING_CALL_TO_ACTION(
            version.where(),
            f"{version.label} lacks {' and '.join(missing)}, which {version.channel} needs",
            subject=version.subject(),
        )


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def _address(language: str, addresses: dict[str, list[Version]]) -> Iterator[Finding]:
    """The texts of one language that address the reader in both of its forms."""
    (informal, _), (formal, _) = extract.ADDRESS_FORMS[language]
    for version in addresses.get("mixed", []):
        yield MIXED_ADDRESS(
            version.where(),
            f"{version.label} says both '{informal}' and '{formal}'",
            hint="address the reader one way, as on the other channels",
            subject=version.subject(),
        )
    if informal in addresses and formal in addresses:
        one, other = addresses[informal], addresses[formal]
        odd = one if len(one) <= len(other) else other
        usual = formal if odd is one else informal
        others = [Related(v.where(), f"{v.label} says '{usual}'") for v in addresses[usual]]
        for version in odd:
            yield MIXED_ADDRESS(
                version.where(),
                f"{version.label} says '{informal if usual == formal else formal}' where the "
                f"other channels say '{usual}'",
                related=others,
                subject=version.subject(),
            )


# -- what the copy refers to, and in which language ---------------------------------------------

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


def _missing_facts(
    version: Version, part: str, text: str, message: Message, language: str
) -> Iterator[Finding]:
    """Each sentence of ``text`` that names an offer, a code or a deadline the message lacks
    (once per kind of fact and part)."""
    if language not in _OFFER:
        return
    own = " ".join(str(getattr(message, key) or "") for key in WORDS)
    # The message names an offer itself ("Our spring offer"): it is no missing fact.
    named = re.search(_OFFER[language], own, re.IGNORECASE) is not None
    wants = {
        "an offer": (message.nature is not MessageKind.OFFER and not named, _OFFER[language]),
        "a code": (not message.code, _CODE[language]),
    }
    told: set[str] = set()
    for sentence in itertools.islice(languages.sentences(text), languages.MAX_SENTENCES):
        said = [
            what
            for what, (missing, words) in wants.items()
            if missing and what not in told and re.search(words, sentence.text, re.IGNORECASE)
        ]
        if "a deadline" not in told and not _has_deadline(message):
            dates = extract.extract(sentence.text, language).dates
            starts = sorted(span.start for spans in dates.values() for span in spans)
            deadline = re.compile(_DEADLINE[language], re.IGNORECASE)
            # The words just before each date (a window: linear in the sentence).
            if any(deadline.search(sentence.text[max(0, at - 40) : at]) for at in starts):
                said.append("a deadline")
        for what in said:
            told.add(what)
            lacks = {
                "an offer": "no offer, price or code",
                "a code": "no code",
                "a deadline": "no offer that ends, nor a period",
            }[what]
            yield MISSING_FACT(
                version.where(part),
                f"{version.label} {part} refers to {what}, and the message has {lacks} "
                f"({message.nature.value}): {excerpt(sentence.text, 80)!r}",
                subject=version.subject(part),
            )


def _wrong_language(
    version: Version, part: Part, message: Message, language: str, brand: str
) -> Iterator[Finding]:
    """The first sentence of a part surely in another language than its readers'. The words
    of the message a template writes are checked at the message (`_message_languages`)."""
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
    yield WRONG_LANGUAGE(
        version.where(part.name),
        f"{version.label} {part.name} is in {languages.name(other)}, and its readers read "
        f"{languages.name(language)} ({version.locale}): {excerpt(sentence.text, 80)!r}",
        subject=version.subject(part.name),
    )


def _message_languages(ctx: LintContext, campaign: Campaign) -> Iterator[Finding]:
    """The headline, body and call to action of the core message and of each translation,
    each in the language it is for."""
    source = ctx.workspace.source("campaigns", campaign.id)
    entries: list[tuple[str | None, str, Message]] = [
        (None, ctx.workspace.core_locale(campaign), campaign.message)
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
            yield WRONG_LANGUAGE(
                source.locate(path),
                f"{source.name(path)} is in {languages.name(found[1])}, and it is written "
                f"for {languages.name(language_of(locale))} ({locale}): "
                f"{excerpt(found[0].text, 80)!r}",
                subject=Subject(campaign.id, locale=key),
            )
