"""How a campaign's facts are gathered and compared, for the consistency family (M101, M102).

The facts a message states (`core_facts`: its percentages, prices, codes, dates and link, see
`mcplan.lint.facts`) are what its versions are compared with; each version is compared with
the message it was rendered from (the core, or a translation), and each translation with the
core; a journey's step with the core message and its own keys (`message`) over it, and those
keys with the core message, as a translation's are. A fact that the message does not state is
gathered across the campaign's versions, by kind and value: two values of one kind are a
conflict between channels (or steps).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from mcplan import numbers
from mcplan.findings import Finding, Related, Rule, Subject
from mcplan.workspace import Campaign, Workspace
from mcplan.workspace.campaign import Message
from mcplan.workspace.fields import url_host
from mcplan.workspace.sourcemap import KeyPath

if TYPE_CHECKING:
    from mcplan.lint import facts as extract
    from mcplan.render import Version
else:  # its patterns take a while to compile: only when texts are compared (not `validate`)
    from mcplan.lazy import lazy

    extract = lazy("mcplan.lint.facts")

# The facts of a message or a text, by kind.
Stated = dict[str, set[object]]
# Where each value of each kind was found: (version, part) in order.
Places = dict[str, dict[object, list[tuple["Version", str]]]]


def core_facts(message: Message) -> Stated:
    """The facts a message states, by kind."""
    text = "\n".join(
        str(v)
        for v in (message.headline, message.body, message.offer, message.price, message.cta)
        if v
    )
    found = extract.extract(text)
    core: Stated = {
        "percentage": set(found.percentages),
        "price": set(found.prices),
        "code": set(found.codes) | ({message.code} if message.code else set()),
        "date": set(found.dates)
        | {(d.year, d.month, d.day) for d in (message.starts, message.ends) if d},
        "domain": set(found.domains) | ({site(message.url)} if message.url else set()),
    }
    return core


class CampaignFacts:
    """The facts of a campaign's versions, gathered as they are read: the messages they are
    compared with, each value by kind with where it was found, and the address forms of each
    language with the versions that use them."""

    def __init__(self, campaign: Campaign, steps: Mapping[str, Campaign] | None = None) -> None:
        self.campaign = campaign
        self.steps = steps or {}  # a journey's send steps, each as the campaign it renders as
        self.core = core_facts(campaign.message)
        self.places: Places = defaultdict(lambda: defaultdict(list))
        self.addresses: dict[str, dict[str, list[Version]]] = defaultdict(lambda: defaultdict(list))
        # A version is compared with the message it was rendered from (the core, or a
        # translation), whose facts are read once.
        self._messages: dict[tuple[str | None, str | None], tuple[Message, Stated]] = {}
        # The facts of each text, read once: a journey's steps on a channel often share theirs.
        self._facts: dict[tuple[str, str], extract.Facts] = {}

    def message(self, version: Version) -> tuple[Message, Stated]:
        """The message a version was rendered from (its step's, in a journey), and its facts."""
        campaign = self.steps.get(version.step or "", self.campaign)
        key = campaign.translation(version.locale)
        if (version.step, key) not in self._messages:
            message = campaign.message_for(key)
            same = key is None and campaign.message == self.campaign.message
            stated = self.core if same else core_facts(message)
            self._messages[(version.step, key)] = (message, stated)
        return self._messages[(version.step, key)]

    def read(self, version: Version, part: str, text: str, language: str) -> extract.Facts:
        """The facts of a part's text, kept with where they are."""
        if (text, language) not in self._facts:
            self._facts[(text, language)] = extract.extract(text, language)
        found = self._facts[(text, language)]
        for kind, values in kinds(found).items():
            for value in values:
                self.places[kind][value].append((version, part))
        return found

    def addressed(self, version: Version, language: str, forms: set[str]) -> None:
        """Keep the forms in which a version of ``language`` addresses its readers."""
        for form in sorted(forms):
            self.addresses[language][form].append(version)


def kinds(found: extract.Facts) -> dict[str, Mapping[Any, list[extract.Span]]]:
    """The facts of a text that are compared, by kind."""
    return {
        "percentage": found.percentages,
        "price": found.prices,
        "code": found.codes,
        "date": found.dates,
        "domain": found.domains,
    }


def mismatches(found: extract.Facts, expected: Stated, url: str | None) -> list[str]:
    """What a text says that the message it was rendered from does not (``expected``), and
    its links to another page of the message's site (``url``)."""
    wrong = [
        f"says {spans[0].text!r}, which the message does not ({show(kind, expected[kind])})"
        for kind, values in kinds(found).items()
        for value, spans in values.items()
        if expected[kind] and not agrees(kind, value, expected[kind])
    ]
    wrong += [
        f"links to {span.text!r}, another page than the message's ({url})"
        for span in _other_pages(found, url)
    ]
    return wrong


def site(url: str) -> str:
    """The site of a link, as the facts key it: its host without "www."."""
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
    for span in found.domains.get(site(url), []):
        if _page(span.text) not in ("", _page(url)):
            yield span


def agrees(kind: str, value: object, core: set[object]) -> bool:
    if kind == "date":
        key = cast(extract.DateKey, value)
        return any(extract.compare_dates(key, cast(extract.DateKey, c)) for c in core)
    return value in core


def show(kind: str, values: set[object]) -> str:
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


# The keys of a message whose facts are compared.
_FIELDS = ("headline", "body", "offer", "price", "cta", "code", "starts", "ends", "url")


def _written(gathered: CampaignFacts) -> Iterator[tuple[KeyPath, dict[str, Any], Subject]]:
    """The messages written over the core one: each translation's, each journey step's own
    keys; with where they are written and what a finding about them is about."""
    campaign = gathered.campaign
    for key, entry in campaign.locales.items():
        given = entry.message.model_dump(exclude_none=True)
        yield ("locales", key, "message"), given, campaign.subject(locale=key)
    for step in gathered.steps.values():
        paths = {f: step.message_path(f) for f in _FIELDS}
        own = {f: getattr(step.message, f) for f, path in paths.items() if path[0] != "message"}
        if own:
            yield paths[next(iter(own))][:-1], own, step.subject()


def translations(rule: Rule, workspace: Workspace, gathered: CampaignFacts) -> Iterator[Finding]:
    """Each translation's message (and each journey step's own keys) against the core
    message, at the line of the key that differs."""
    campaign, core = gathered.campaign, gathered.core
    source = workspace.source(campaign.FOLDER, campaign.id)
    message_at = source.locate(("message",), key=True)
    for written, given, subject in _written(gathered):
        for field in _FIELDS:
            if field not in given:
                continue
            stated = core_facts(Message.model_construct(**{"headline": "", field: given[field]}))
            wrong = [
                f"{show(kind, values)}, which the core message does not ({show(kind, core[kind])})"
                for kind, values in stated.items()
                if values and core[kind] and not all(agrees(kind, v, core[kind]) for v in values)
            ]
            path = (*written, field)
            for what in wrong:
                yield rule(
                    source.locate(path),
                    f"{source.name(path)} says {what}",
                    related=[Related(message_at, "the core message")],
                    subject=subject,
                )


def conflicts(rule: Rule, gathered: CampaignFacts) -> Iterator[Finding]:
    """The kinds of fact the core message does not state, of which the versions give two
    values or more: at the first place of each value."""
    for kind, values in gathered.places.items():
        if gathered.core[kind] or len(values) < 2:
            continue
        listing = "; ".join(
            f"{_format(kind, value)} in {', '.join(sorted({v.label for v, _ in places}))}"
            for value, places in sorted(values.items(), key=lambda item: _format(kind, item[0]))
        )
        firsts = [places[0] for places in values.values()]
        for version, part in firsts:
            others = [v.where(p) for v, p in firsts if (v, p) != (version, part)]
            yield rule(
                version.where(part),
                f"channels disagree on a {kind} the message does not give: {listing}",
                hint=f"state the {kind} in the core message, and use it everywhere",
                related=[Related(where, f"another {kind}") for where in others],
                subject=version.subject(part),
            )
