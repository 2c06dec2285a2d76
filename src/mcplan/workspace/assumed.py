"""What mcplan assumes where a workspace does not say, said once where it could: the bundled
channels' costs read in a currency they cannot be converted to (S309), a country's public
holidays taken from one of its regions (S313).
"""

from __future__ import annotations

from collections.abc import Iterator

from mcplan.findings import NOTHING, Finding, Location, Related, Subject
from mcplan.workspace.library import BUNDLED_CURRENCY, BUNDLED_PREFIX, EURO_RATES
from mcplan.workspace.loaded import Workspace
from mcplan.workspace.markets import assumed_region, region_names, regions
from mcplan.workspace.persona import Persona
from mcplan.workspace.resolving import personas_named
from mcplan.workspace.sourcemap import SourceMap
from mcplan.workspace.structure import ASSUMED_REGION, FOREIGN_COSTS


def check_currency(workspace: Workspace) -> Iterator[Finding]:
    """The channels the personas use whose costs are the bundled ones, in a currency they
    cannot be converted to."""
    currency = workspace.settings.currency
    used = {c for p in workspace.personas.values() for c in p.channels if c in workspace.channels}
    if currency == BUNDLED_CURRENCY or currency in EURO_RATES or not used:
        return  # the bundled costs are the workspace's, or converted to its currency
    bundled = [c for c in sorted(used) if _bundled_costs(workspace, c)]
    if not bundled:
        return
    settings = workspace.settings_source
    where = settings.locate(("currency",)) if settings else Location(workspace.settings_file or "")
    costs = [workspace.source("channel_rules", c).locate(("cost_per_contact",)) for c in bundled]
    yield FOREIGN_COSTS(
        where,
        f"currency: {currency}, but {_listed(bundled)} {'uses' if len(bundled) == 1 else 'use'} "
        f"the bundled costs, which are in {BUNDLED_CURRENCY}",
        related=[Related(c, "a cost in EUR") for c in costs],
    )


def _bundled_costs(workspace: Workspace, channel: str) -> bool:
    source = workspace.source("channel_rules", channel)
    return any(
        source.locate((key,)).file.startswith(BUNDLED_PREFIX)
        for key in ("cost_per_contact", "fixed_cost")
        if (key,) in source.values
    )


def _listed(ids: list[str]) -> str:
    names = [f"'{i}'" for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def check_regions(workspace: Workspace) -> Iterator[Finding]:
    """Once per place a country is written (or implied by a locale) without the region whose
    holidays mcplan then assumes (``GB``: England's), with the personas it applies to."""
    places: dict[tuple[Location, str, str], list[str]] = {}
    for persona in workspace.personas.values():
        assumed = assumed_region(persona.country or "")
        if assumed is None or ("personas", persona.id) in workspace.failed:
            continue  # a file with errors: its country may be one that could not be read
        at, written = _country_written(workspace, persona)
        places.setdefault((at, written, assumed), []).append(persona.id)
    for (at, written, assumed), ids in sorted(places.items()):
        country = assumed.partition("-")[0]
        names = region_names(country)
        options = [f"{code} ({names[code]})" if code in names else code for code in
                   sorted(regions(country), key=lambda c: (c != assumed, c))]  # fmt: skip
        yield ASSUMED_REGION(
            at,
            f"{written}: {personas_named(ids)} {'is' if len(ids) == 1 else 'are'} "
            f"in {_place(country)} without a region: the public holidays of "
            f"{names.get(assumed, assumed)} apply "
            f"(did you mean {', '.join(options[:-1])} or {options[-1]}?)",
            subject=Subject(persona=ids[0]) if len(ids) == 1 else NOTHING,
        )


def _country_written(workspace: Workspace, persona: Persona) -> tuple[Location, str]:
    """Where the persona's country comes from, and what is written there: its own `country`,
    the workspace's, its own locale's region or the workspace's locale's."""
    own = workspace.source("personas", persona.id)
    settings = workspace.settings_source
    places: list[tuple[SourceMap | None, str]] = [(own, "country")]
    if persona.country == workspace.settings.country:
        places.append((settings, "country"))
    places += [(own, "locale"), (settings, "locale")]
    for where, key in places:
        if where is not None and (key,) in where.values:
            value = persona.country if key == "country" else persona.locale
            return where.locate((key,)), f"{key}: {value}"
    return own.locate(()), f"locale: {persona.locale}"


def _place(country: str) -> str:
    """``the United Kingdom``, as English says it."""
    from babel import Locale

    name = Locale("en").territories.get(country, country)
    return f"the {name}" if name.startswith("United") else name
