"""One message everywhere (M101–M105).

The substance of a campaign is identical on every channel and in every language (offer,
price, code, dates, link, call to action); only the form changes. The facts of every rendered
or hand-written text (see `mcplan.lint.facts` for what counts as a percentage, a price, a
code, a date or a link) are compared with those of the message it was rendered from, and
each translation's message (`locales`) with the core message, at its own line. The address
form is compared between texts of one language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from mcplan import examples, numbers
from mcplan.findings import Finding, Level, Related, Rule, Subject
from mcplan.lint.context import LintContext
from mcplan.workspace import Campaign
from mcplan.workspace.campaign import Message
from mcplan.workspace.channel import Needed
from mcplan.workspace.fields import url_host

if TYPE_CHECKING:
    from mcplan.lint import facts as extract
    from mcplan.render import Rendering, Version
else:  # its patterns take a while to compile: only when texts are compared (not `validate`)
    from mcplan.lazy import lazy

    extract = lazy("mcplan.lint.facts")

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
    return examples.campaign(*touches, name="soldes", message=message, more=more)


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

RULES = (FACT_MISMATCH, FACT_CONFLICT, MISSING_CALL_TO_ACTION, BRAND_SPELLING, MIXED_ADDRESS)


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
        for form in sorted(address):
            addresses[language][form].append(version)
    yield from _translations(ctx, campaign, core)
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
