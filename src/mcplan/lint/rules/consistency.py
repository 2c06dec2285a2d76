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

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mcplan import rule_examples
from mcplan.findings import Family, Finding, Level, Related, Rule
from mcplan.lint import campaign_facts, copy_sentences
from mcplan.lint.campaign_facts import CampaignFacts
from mcplan.lint.context import LintContext
from mcplan.workspace.campaign import Message
from mcplan.workspace.channel import Needed

if TYPE_CHECKING:
    from mcplan.lint import facts as extract
    from mcplan.render import Rendering, Version
else:  # its patterns take a while to compile: only when texts are compared (not `validate`)
    from mcplan.lazy import lazy

    extract = lazy("mcplan.lint.facts")

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


FAMILY = Family(
    "M",
    "consistency",
    "one message everywhere: the same facts on every channel and in every language",
    __doc__ or "",
    RULES,
    check_campaign=check_campaign,
)


def _campaign(ctx: LintContext, rendering: Rendering) -> Iterator[Finding]:
    """Each version's facts against its message's, then what the versions say together: the
    facts they disagree on, and how they address their readers."""
    gathered = CampaignFacts(rendering.campaign, rendering.steps)
    # A settings file whose locale could not be read: the readers' language is not known.
    unknown = ctx.workspace.settings_unread("locale")
    # A text rendered for several personas alike is reported once.
    reported: set[tuple[str, object, str]] = set()
    for version in rendering.versions:
        yield from _facts(ctx, gathered, version)
        for finding in _sentences(version, gathered, unknown=unknown):
            if (finding.rule, finding.location, finding.message) not in reported:
                reported.add((finding.rule, finding.location, finding.message))
                yield finding
    yield from campaign_facts.translations(FACT_MISMATCH, ctx.workspace, gathered)
    if not unknown:
        yield from copy_sentences.message_languages(
            WRONG_LANGUAGE, ctx.workspace, rendering.campaign
        )
    yield from campaign_facts.conflicts(FACT_CONFLICT, gathered)
    for language, forms in sorted(gathered.addresses.items()):
        yield from _address(language, forms)


def _facts(ctx: LintContext, gathered: CampaignFacts, version: Version) -> Iterator[Finding]:
    """The facts of a version's parts that its message does not state, the brand spelled
    otherwise, and what its channel requires that it lacks; its address forms are kept."""
    campaign = gathered.campaign
    channel = ctx.workspace.channels[version.channel]
    message, expected = gathered.message(version)
    message_at = ctx.workspace.source(campaign.FOLDER, campaign.id).locate(("message",), key=True)
    language = version.locale.split("-")[0]
    unsubscribe = ctx.workspace.settings.email.unsubscribe_link if channel.kind == "email" else ""
    address: set[str] = set()
    domains: set[str] = set()
    for part in version.parts:
        # The unsubscribe link is the sending platform's, not a fact of the message.
        text = part.text.replace(unsubscribe, " " * len(unsubscribe)) if unsubscribe else part.text
        found = gathered.read(version, part.name, text, language)
        domains.update(found.domains)
        if found.address:
            address.add(found.address)
        where, about = version.where(part.name), version.subject(part.name)
        for what in campaign_facts.mismatches(found, expected, message.url):
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
    gathered.addressed(version, language, address)


def _sentences(version: Version, gathered: CampaignFacts, *, unknown: bool) -> Iterator[Finding]:
    """The sentences of each part that refer to a fact the message lacks, or are in another
    language than the readers' (unless that language is not known)."""
    message, _ = gathered.message(version)
    language = version.locale.split("-")[0]
    for part in version.parts:
        yield from copy_sentences.missing_facts(
            MISSING_FACT, version, part.name, part.text, message, language
        )
        if not unknown:
            yield from copy_sentences.wrong_language(
                WRONG_LANGUAGE, version, part, message, language, gathered.campaign.brand
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
