"""One message everywhere (M101–M105).

The substance of a campaign is identical on every channel (offer, price, code, dates, link,
call to action); only the form changes. The facts of every rendered or hand-written text
(see `mcplan.lint.facts` for what counts as a percentage, a price, a code, a date or a link)
are compared with the core message's:

- **M101 fact-mismatch**: a text states a percentage, price, promo code, date or link domain
  that the core message does not (SMS says -25 %, the message -40 %; the email ends on the
  9th, the SMS on the 12th; a link to another domain).
- **M102 fact-conflict**: channels disagree on a fact the core message does not state (two
  different percentages, with none in the message).
- **M103 missing-call-to-action**: a text without the link, call to action or code that its
  channel `requires` (when the message has one).
- **M104 brand-spelling**: the brand written differently ("Maison lumen", "MaisonLumen";
  hashtags and domains are fine).
- **M105 mixed-address**: some texts say "tu" and others "vous" (or one text says both).

Passes: every channel says -40 % and HIVER40 until 9 February. Fails: an SMS variant saying
"-25 %" or "jusqu'au 12 février".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlsplit

from mcplan.findings import Finding
from mcplan.lint import facts as extract
from mcplan.lint.context import LintContext
from mcplan.render.engine import Rendering, Version
from mcplan.rules import finding
from mcplan.workspace import Campaign
from mcplan.workspace.channel import Needed

CODES = ("M101", "M102", "M103", "M104", "M105")


def check(ctx: LintContext) -> Iterator[Finding]:
    for rendering in ctx.renderings.values():
        yield from _campaign(ctx, rendering)


def _core(campaign: Campaign) -> dict[str, set[object]]:
    """The facts the core message states, by kind."""
    message = campaign.message
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


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


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
    core = _core(campaign)
    seen: dict[str, dict[object, list[tuple[Version, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    addresses: dict[str, list[Version]] = defaultdict(list)
    for version in rendering.versions:
        channel = ctx.workspace.channels[version.channel]
        address: set[str] = set()
        domains: set[str] = set()
        for part in version.parts:
            found = extract.extract(part.text)
            domains.update(found.domains)
            if found.address:
                address.add(found.address)
            where = ctx.text_location(version, part.name)
            for kind, values in _kinds(found).items():
                for value, spans in values.items():
                    seen[kind][value].append((version, part.name))
                    if core[kind] and not _agrees(kind, value, core[kind]):
                        yield finding(
                            "M101",
                            where,
                            f"{version.label} {part.name} says {spans[0].text!r}, which the "
                            f"message does not ({_show(kind, core[kind])})",
                            "say the same thing on every channel: fix the text, or the message",
                        )
            for span in extract.brand_variants(part.text, campaign.brand):
                yield finding(
                    "M104",
                    where,
                    f"{version.label} {part.name} writes the brand {span.text!r}, not "
                    f"{campaign.brand!r}",
                    "spell the brand the same way everywhere",
                )
        yield from _required(ctx, campaign, version, channel.requires, core, domains)
        for form in sorted(address):
            addresses[form].append(version)
    yield from _conflicts(ctx, core, seen)
    yield from _address(ctx, addresses)


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
        return f"{value} %"
    if kind == "price":
        amount, currency = cast(tuple[Decimal, str], value)
        return f"{amount} {currency}"
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
        for places in values.values():
            version, part = places[0]
            yield finding(
                "M102",
                ctx.text_location(version, part),
                f"channels disagree on a {kind} the message does not give: {listing}",
                f"state the {kind} in the core message, and use it everywhere",
            )


def _required(
    ctx: LintContext,
    campaign: Campaign,
    version: Version,
    requires: list[Needed],
    core: dict[str, set[object]],
    domains: set[str],
) -> Iterator[Finding]:
    text = "\n".join(p.text for p in version.parts)
    message = campaign.message
    missing = []
    if Needed.LINK in requires and message.url and not domains & core["domain"]:
        missing.append("the link")
    if Needed.CTA in requires and message.cta and _squash(message.cta) not in _squash(text):
        missing.append(f"the call to action {message.cta!r}")
    if Needed.CODE in requires and message.code and message.code not in text:
        missing.append(f"the code {message.code!r}")
    if missing:
        yield finding(
            "M103",
            ctx.text_location(version),
            f"{version.label} lacks {' and '.join(missing)}, which {version.channel} needs",
            "add it to the text, or to the template",
        )


def _squash(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def _address(ctx: LintContext, addresses: dict[str, list[Version]]) -> Iterator[Finding]:
    forms = {form for form in addresses if form in ("tu", "vous")}
    mixed = addresses.get("mixed", [])
    for version in mixed:
        yield finding(
            "M105",
            ctx.text_location(version),
            f"{version.label} says both 'tu' and 'vous'",
            "address the reader one way, as on the other channels",
        )
    if forms == {"tu", "vous"}:
        tu, vous = addresses["tu"], addresses["vous"]
        odd = tu if len(tu) <= len(vous) else vous
        usual = "vous" if odd is tu else "tu"
        for version in odd:
            yield finding(
                "M105",
                ctx.text_location(version),
                f"{version.label} says '{'tu' if usual == 'vous' else 'vous'}' where the "
                f"other channels say '{usual}'",
                "address the reader the same way on every channel",
            )
