"""The languages, countries, regions and time zones mcplan knows, and what it suggests for a
mistyped one.

- A **locale** is a language, or a language and a region, that babel (CLDR) has data for:
  `fr`, `fr-BE`, `nl-BE`, `en-IE`. `en-EN` or `be-NL` are refused with the locales meant
  (`en-GB`, `en-IE`; `nl-BE`).
- A **country** is an ISO 3166-1 code (`FR`, `BE`, `IE`) or an ISO 3166-2 subdivision
  (`FR-57`, `DE-BY`, `ES-CT`, `CA-QC`, `GB-SCT`, `BE-VLG`) for the public holidays of a
  region: Alsace and Moselle keep Good Friday and 26 December. A subdivision must be one the
  `holidays` library knows (:func:`regions` lists them, the same list for what is accepted
  and what is suggested). The United Kingdom has no bank holidays of its own beside its
  nations': `GB` alone is read as England (:func:`assumed_region`), and lint says so.
- A **time zone** is an IANA name from the machine's time zone database.
"""

from __future__ import annotations

import functools
import os
import re

from mcplan.suggest import did_you_mean

COUNTRY_PATTERN = r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
_SUBDIVISION = re.compile(r"[A-Z0-9]{1,3}")
# ISO 3166-2 codes the holidays library knows under another name; None: a region with no
# holidays of its own in the library (the country's apply).
_SUBDIVISION_ALIASES: dict[str, str | None] = {
    "FR-67": "6AE",  # Bas-Rhin: Alsace
    "FR-68": "6AE",  # Haut-Rhin: Alsace
    # Belgium's regions by their communities, as the library has them: the same public
    # holidays as the whole country (a community's day is not one), written as ISO codes.
    "BE-VLG": "Flemish",  # Flanders
    "BE-WAL": "French",  # Wallonia
    "BE-BRU": None,  # Brussels-Capital: both communities
}
# Countries whose public holidays differ by region so much that the country alone says too
# little: the region assumed when none is written. The UK's bank holidays are its nations';
# those of the whole UK leave out Easter Monday and the August bank holiday of England, where
# most UK firms are.
_ASSUMED_REGIONS = {"GB": "GB-ENG"}
# The European countries, for suggesting the locales a European brand likely meant.
_EUROPE = {
    "AD",
    "AL",
    "AT",
    "BA",
    "BE",
    "BG",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MC",
    "MD",
    "ME",
    "MK",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "RS",
    "SE",
    "SI",
    "SK",
    "SM",
    "UA",
    "VA",
    "XK",
}


def check_locale(value: str) -> str:
    """``fr-FR`` (also written ``fr_FR``), if babel knows it; ValueError otherwise."""
    match = re.fullmatch(r"([a-z]{2,3})(?:[-_]([A-Z]{2}))?", value)
    if not match:
        raise ValueError(f"'{value}' is not a locale: write a language and region, like fr-FR")
    language, region = match[1], match[2]
    name = f"{language}_{region}" if region else language
    if name not in _locales():
        raise ValueError(f"'{value}' is not a locale mcplan knows{_meant(language, region)}")
    return f"{language}-{region}" if region else language


def language(locale: str) -> str:
    """``nl`` for ``nl-BE``."""
    return locale.split("-")[0]


def same_language(one: str | None, other: str | None) -> bool:
    """Whether two locales are of one language (``fr-BE`` and ``fr``)."""
    return bool(one and other) and language(one or "") == language(other or "")


def check_regional_locale(value: str) -> str:
    """A locale with its region (``de-DE``, not ``de``): the region is the personas' country,
    whose holidays and law apply; ValueError otherwise."""
    value = check_locale(value)
    if "-" not in value:
        raise ValueError(
            f"'{value}' has no region, and the personas' country (its holidays, its law) "
            f"comes from it{_meant(value, None)}"
        )
    return value


def _meant(language: str, region: str | None) -> str:
    """`` (did you mean 'en-GB' or 'en-IE'?)`` for a locale that does not exist, or nothing."""
    known = _locales()
    if region and f"{region.lower()}_{language.upper()}" in known:  # be-NL for nl-BE
        options = [f"{region.lower()}-{language.upper()}"]
    else:
        regions = [
            n.split("_")[1] for n in known if n.startswith(f"{language}_") and n.count("_") == 1
        ]
        # Where the language is official in Europe, its own country first (de-DE, then de-AT).
        official = sorted(
            (r for r in regions if r in _EUROPE and language in _official(r)),
            key=lambda r: (r != language.upper(), r),
        )
        options = [f"{language}-{r}" for r in official[:2]]
    if not options:
        return ""
    return " (did you mean " + " or ".join(f"'{o}'" for o in options) + "?)"


@functools.cache
def _official(territory: str) -> tuple[str, ...]:
    from babel.languages import get_official_languages

    return tuple(get_official_languages(territory, de_facto=True))


@functools.cache
def _locales() -> frozenset[str]:
    from babel.localedata import locale_identifiers

    return frozenset(locale_identifiers())


def check_country(value: str) -> str:
    """``FR`` or ``FR-57``, if it is a country (or a subdivision of one whose public holidays
    mcplan knows); ValueError otherwise."""
    if not re.fullmatch(COUNTRY_PATTERN, value):
        raise ValueError(
            f"'{value}' is not a country code: write two capital letters, like FR, or a region "
            f"of it, like FR-57{_named_region(value)}"
        )
    country, _, subdivision = value.partition("-")
    if country not in _countries():  # two letters away from any other: no suggestion
        raise ValueError(f"'{country}' is not a country code: write an ISO 3166 code, like FR")
    if not subdivision:  # a country alone: its regions (from the holidays library) not needed
        return value
    known = regions(country)
    if value not in known:
        listed = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
        raise ValueError(
            f"'{value}' is not a region mcplan knows the public holidays of"
            + (f"{did_you_mean(value, known)}: {country} has {listed}" if known else
               f" ({country} has none)")
        )  # fmt: skip
    return value


@functools.cache
def regions(country: str) -> tuple[str, ...]:
    """The regions of ``country`` that mcplan knows the public holidays of, as ISO 3166-2
    codes (``GB-ENG``, ``BE-VLG``): what a persona's `country` may be, and what a mistyped
    one is told. The library's own names that are no such code (Belgium's ``Flemish``) are
    reached through their ISO code only."""
    aliases = {c: s for c, s in _SUBDIVISION_ALIASES.items() if c.startswith(country + "-")}
    named = set(aliases.values())
    own = [s for s in _subdivisions().get(country, []) if _SUBDIVISION.fullmatch(s)]
    return tuple(sorted({*aliases, *(f"{country}-{s}" for s in own if s not in named)}))


def _named_region(value: str) -> str:
    """`` (did you mean 'GB-SCT'?)`` for a region written by its name (``GB-Scotland``,
    ``BE-Flemish``, as the holidays library names them), or nothing."""
    country, _, name = value.partition("-")
    country = country.upper()
    if not name or country not in _countries():
        return ""
    try:
        import holidays

        names = holidays.country_holidays(country).subdivisions_aliases
    except (NotImplementedError, AttributeError):
        names = {}
    library = {s: f"{country}-{s}" for s in _subdivisions().get(country, [])}
    library |= {s: c for c, s in _SUBDIVISION_ALIASES.items() if s and c.startswith(country)}
    known = {n.casefold(): library.get(s) for n, s in names.items()}
    known |= {s.casefold(): code for s, code in library.items()}
    code = known.get(name.casefold())
    return f" (did you mean '{code}'?)" if code and code in regions(country) else ""


@functools.cache
def region_names(country: str) -> dict[str, str]:
    """The English names of ``country``'s regions where the holidays library has them, by ISO
    code: ``{"GB-ENG": "England", …}``."""
    try:
        import holidays

        names = holidays.country_holidays(country).subdivisions_aliases
    except (NotImplementedError, AttributeError):
        return {}
    known = regions(country)
    found: dict[str, str] = {}
    for name, code in names.items():
        if f"{country}-{code}" in known:
            found.setdefault(f"{country}-{code}", name)
    return found


def assumed_region(country: str) -> str | None:
    """The region whose holidays apply to a country written without one, where mcplan
    assumes one (``GB`` → ``GB-ENG``); None elsewhere."""
    return _ASSUMED_REGIONS.get(country)


def holiday_region(country: str) -> tuple[str, str | None]:
    """The country and the subdivision to ask the holidays library for (``FR-67`` → Alsace,
    ``GB`` → England: see :func:`assumed_region`)."""
    country = assumed_region(country) or country
    code, _, subdivision = country.partition("-")
    if not subdivision:
        return code, None
    if country in _SUBDIVISION_ALIASES:
        return code, _SUBDIVISION_ALIASES[country]
    return code, subdivision if subdivision in _subdivisions().get(code, []) else None


@functools.cache
def _countries() -> frozenset[str]:
    from babel import Locale

    territories = Locale("en").territories
    codes = (t for t in territories if isinstance(t, str))
    return frozenset(t for t in codes if len(t) == 2 and t.isalpha() and t != "ZZ")


@functools.cache
def _subdivisions() -> dict[str, list[str]]:
    import holidays

    return {
        code: list(subdivisions)
        for code, subdivisions in holidays.list_supported_countries().items()
    }


@functools.cache
def _zones() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def _is_zone(name: str) -> bool:
    """Whether `name` is in :func:`zoneinfo.available_timezones`, asking only for that name's
    file rather than listing the whole database (which reads a few hundred files)."""
    import zoneinfo

    parts = name.split("/")
    if name == "posixrules" or parts[0] in ("right", "posix") or len(name) > 255:
        return False
    if any(part in ("", ".", "..") or "\\" in part or "\0" in part for part in parts):
        return False
    for root in zoneinfo.TZPATH:
        path = os.path.join(root, *parts)
        try:
            with open(path, "rb") as file:
                if file.read(4) == b"TZif":
                    return True
        except OSError:  # absent, a folder, unreadable
            continue
    return name in _zones()  # the tzdata package's zones, where the machine has no database


def check_timezone(value: str) -> str:
    """An IANA time zone name of the machine's database; ValueError otherwise (a folder of
    the database such as ``Europe``, or a name too long for a file, is no zone either)."""
    if not _is_zone(value):
        meant = did_you_mean(value[:64], _zones())
        shown = value if len(value) <= 64 else value[:61] + "…"
        raise ValueError(
            f"unknown time zone '{shown}'{meant or ': use an IANA name such as Europe/Paris'}"
        )
    return value
