"""A new workspace in one command: settings, one persona per market, one campaign, a welcome
journey, schemas.

`new_workspace` returns the files to write (path → text), valid and lint-clean for the
language, country and markets asked: the personas use bundled channels with the consent the
country's law needs, and the campaign's touches fall on working days inside every window,
a month from the day it runs. Writing them is the command's job, which never replaces a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from email.headerregistry import Address

from mcplan.errors import UsageError
from mcplan.scaffold_copy import COPY, IDS, JOURNEY, RULES_README
from mcplan.schedule.windows import holiday
from mcplan.workspace import Persona
from mcplan.workspace.fields import Market
from mcplan.workspace.library import BUNDLED_CURRENCY, EURO_RATES
from mcplan.workspace.markets import (
    assumed_region,
    check_country,
    check_locale,
    check_timezone,
    language,
    region_names,
    regions,
)
from mcplan.workspace.schema import KINDS, schema_text

# Channels of each market, with consent every country mcplan knows accepts.
CHANNELS: dict[str, dict[str, str | None]] = {
    "b2c": {"email": "opt_in", "sms": "opt_in"},
    "b2b": {"email": "opt_in", "linkedin": None},
}
SIZES = {"b2c": 10000, "b2b": 500}


@dataclass(frozen=True)
class Plan:
    """What the new workspace is: its locale, country, time zone, markets and brand."""

    locale: str
    country: str
    timezone: str
    markets: tuple[str, ...]
    brand: str


def settle(
    locale: str,
    country: str | None,
    timezone: str | None,
    markets: list[str] | None,
    brand: str,
) -> Plan:
    """The workspace asked for, checked; UsageError says what is wrong."""
    try:
        locale = check_locale(locale.replace("_", "-"))
        if "-" not in locale and not country:
            raise ValueError(f"'{locale}' has no region: give --country, or a locale like fr-FR")
        country = check_country((country or locale.split("-")[1]).upper())
        if "-" not in locale:  # the settings need a region: the country's
            locale = check_locale(f"{locale}-{country.split('-')[0]}")
        zone = check_timezone(timezone) if timezone else _zone(country)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if language(locale) not in COPY:
        raise UsageError(
            f"mcplan has channel templates in {', '.join(COPY)}, not in '{language(locale)}': "
            "start with one of them, then add your language to each channel (`locales:`)"
        )
    chosen = tuple(dict.fromkeys(markets or ["b2c"]))
    wrong = [m for m in chosen if m not in {m.value for m in Market}]
    if wrong:
        raise UsageError(f"--market {wrong[0]}: a market is b2c or b2b")
    if not brand.strip():
        raise UsageError("--brand: the brand's name is needed in every message")
    return Plan(locale, country, zone, chosen, brand.strip())


def _zone(country: str) -> str:
    from babel.core import get_global

    zones: list[str] = list(get_global("territory_zones").get(country.split("-")[0], ()))
    if not zones:
        raise ValueError(f"no time zone is known for {country}: give --timezone")
    return next((z for z in zones if z.startswith("Europe/")), zones[0])


def new_workspace(plan: Plan, today: date) -> dict[str, str]:
    """The files of the new workspace, by path relative to its folder."""
    words, ids = COPY[language(plan.locale)], IDS[language(plan.locale)]
    files = {"mcplan.toml": _settings(plan)}
    personas = []
    for market in plan.markets:
        personas.append(ids[market])
        files[f"personas/{ids[market]}.yaml"] = _persona(plan, market, words)
    first = _first_day(plan, today)
    files[f"campaigns/{ids['campaign']}.yaml"] = _campaign(plan, personas, words, first)
    journey = JOURNEY[language(plan.locale)]
    files[f"journeys/{journey['id']}.yaml"] = _journey(personas, journey, first)
    files["channel_rules/README.md"] = RULES_README[language(plan.locale)]
    for kind in KINDS:
        files[f"schemas/{kind}.schema.json"] = schema_text(kind)
    return files


def _settings(plan: Plan) -> str:
    return (
        "#:schema ./schemas/settings.schema.json\n"
        "# mcplan settings: every key is optional (see docs/format.md of mcplan)\n"
        f'brand = "{_toml(plan.brand)}"\n'
        f'locale = "{plan.locale}"\n'
        f'timezone = "{plan.timezone}"\n'
        f"{_money(plan)}{_nation(plan)}"
        "\n"
        "[email]\n"
        "# Who sends the e-mails (a domain your sending platform is set up for), and the\n"
        "# one-click unsubscribe link: the platform's merge tag, kept as written (Brevo:\n"
        '# "{{ unsubscribe }}", Mailchimp: "*|UNSUB|*"), or unsubscribe_mailto = "an address".\n'
        f'sender = "{_toml(str(Address(plan.brand, addr_spec="news@example.com")))}"\n'
        'unsubscribe_url = "{{ unsubscribe }}"\n'
    )


def _money(plan: Plan) -> str:
    """The country's currency, and what becomes of the bundled costs (euros) in it."""
    from babel.numbers import get_territory_currencies

    found = get_territory_currencies(plan.country.partition("-")[0], tender=True)
    currency = found[0] if found else BUNDLED_CURRENCY
    line = f'currency = "{currency}"\n'
    if currency == BUNDLED_CURRENCY:
        return line
    if currency in EURO_RATES:
        return (
            "# The bundled channels' costs are euros, converted to this currency (see\n"
            "# docs/channels.md): write your own in channel_rules/ (see its README).\n" + line
        )
    return (
        f"# The bundled channels' costs are euros, read as {currency}: write your own in\n"
        "# channel_rules/ (see its README); until then, lint says so (S309).\n" + line
    )


def _nation(plan: Plan) -> str:
    """The nation whose public holidays apply, where a country has no holidays of its own
    beside its nations' (the United Kingdom: England's unless you write another)."""
    assumed = assumed_region(plan.country)
    if assumed is None:
        return ""
    names = region_names(plan.country)
    others = [f"{r} ({names.get(r, r)})" for r in regions(plan.country) if r != assumed]
    return (
        f"# Whose public holidays apply: {names.get(assumed, assumed)}'s; for another, write\n"
        f"# {', '.join(others[:-1])} or {others[-1]}.\n"
        f'country = "{assumed}"\n'
    )


def _persona(plan: Plan, market: str, words: dict[str, str]) -> str:
    lines = [
        "# yaml-language-server: $schema=../schemas/persona.schema.json",
        f"name: {_yaml(words[market])}",
        f"description: {_yaml(words[market + '_about'])}",
        f"market: {market}",
        f"size: {SIZES[market]}",
        "stage: loyalty",
    ]
    if plan.country != plan.locale.partition("-")[2]:
        lines.append(f"country: {plan.country}")
    lines.append("channels:")
    for channel, consent in CHANNELS[market].items():
        held = f", consent: {consent}" if consent else ""
        lines.append(f"  {channel}: {{reach: 0.8, affinity: 0.6{held}}}")
    lines += [
        "# When its contacts open most, learned from your results by `mcplan timing EXPORT",
        "# --write` (see docs/timing.md of mcplan); plan sends at it:",
        "# send_times:",
        "#   email: {weekday: tuesday, hour: 19, metric: open, sends: 5400, rate: 0.231, "
        "interval: [0.212, 0.251]}",
    ]
    return "\n".join(lines) + "\n"


def _campaign(plan: Plan, personas: list[str], words: dict[str, str], first: date) -> str:
    ends = first + timedelta(days=13)
    touches = [f"  - {{channel: email, at: {first.isoformat()}T09:00}}"]
    if "b2c" in plan.markets:
        b2c = personas[plan.markets.index("b2c")]
        who = "" if personas == [b2c] else f", personas: [{b2c}]"
        touches.append(
            f"  - {{channel: sms, at: {(first + timedelta(days=2)).isoformat()}T10:00"
            f"{who}, after: email}}"
        )
    if "b2b" in plan.markets:
        b2b = personas[plan.markets.index("b2b")]
        who = "" if personas == [b2b] else f", personas: [{b2b}]"
        touches.append(
            f"  - {{channel: linkedin, at: {(first + timedelta(days=1)).isoformat()}T11:00{who}}}"
        )
    return (
        "\n".join(
            [
                "# yaml-language-server: $schema=../schemas/campaign.schema.json",
                f"name: {_yaml(words['campaign'])}",
                "objectives:",
                "  - {kind: sales}",
                f"personas: [{', '.join(personas)}]",
                "message:",
                "  kind: launch  # offer, event, launch or news: the templates write what fits",
                f"  headline: {_yaml(words['headline'])}",
                f"  body: {_yaml(words['body'])}",
                f"  starts: {first.isoformat()}",
                f"  ends: {ends.isoformat()}",
                "  url: https://example.com/",
                f"  cta: {_yaml(words['cta'])}",
                "touches:",
                *touches,
                *_linkedin(plan, words),
            ]
        )
        + "\n"
    )


def _journey(personas: list[str], journey: dict[str, str], first: date) -> str:
    """A welcome series: an e-mail on sign-up, and three days later a second one to whoever
    did not open it. Always on, from the campaign's first day."""
    hello, reminder = journey["hello"], journey["reminder"]
    return (
        "\n".join(
            [
                "# yaml-language-server: $schema=../schemas/journey.schema.json",
                "# An always-on journey: everyone who signs up goes through its steps.",
                f"name: {_yaml(journey['name'])}",
                "objectives:",
                "  - {kind: sales}",
                f"personas: [{', '.join(personas)}]",
                "entry:",
                "  event: signup  # the event that starts it, as your sending platform names it",
                "  per_week: 50  # people who enter a week, split between the personas by size",
                f"  from: {first.isoformat()}",
                "re_entry: never  # or how soon someone may enter again: 30d",
                "exit: {event: purchase}  # whoever buys leaves the journey at once",
                "on_cap: hold  # hold, skip or send: what the platform does with a send over a cap",
                "message:",
                f"  headline: {_yaml(journey['headline'])}",
                f"  body: {_yaml(journey['body'])}",
                "  url: https://example.com/",
                f"  cta: {_yaml(journey['cta'])}",
                "steps:",
                f"  - {{id: {hello}, send: email}}",
                "  - {wait: 3d}  # 36h, 3d, 2w",
                "  - branch:",
                f"      - when: {{not_opened: {hello}}}",
                "        steps:",
                f"          - {{id: {reminder}, send: email, message: "
                f"{{headline: {_yaml(journey['again'])}}}}}",
            ]
        )
        + "\n"
    )


def _linkedin(plan: Plan, words: dict[str, str]) -> list[str]:
    """LinkedIn shows 140 characters before "more": a caption short enough, with the link."""
    if "b2b" not in plan.markets:
        return []
    caption = f"{words['headline']}. {words['cta']}: example.com"
    return ["variants:", "  linkedin:", f"    caption: {_yaml(caption)}"]


def _first_day(plan: Plan, today: date) -> date:
    """A Tuesday a month or more away whose week (Tuesday to Thursday) has no public holiday
    in the country, so that every touch is inside every window."""
    probe = Persona.model_validate(
        {"id": "p", "market": "b2c", "size": 1, "stage": "loyalty", "locale": plan.locale,
         "country": plan.country, "timezone": plan.timezone}
    )  # fmt: skip
    day = today + timedelta(days=30)
    day += timedelta(days=(1 - day.weekday()) % 7)  # the next Tuesday
    while any(holiday(probe, day + timedelta(days=n)) for n in range(3)):
        day += timedelta(days=7)
    return day


def _yaml(text: str) -> str:
    """A YAML scalar for one line of copy: quoted when YAML would read it otherwise."""
    if any(c in text for c in ":#'\"{}[],&*!|>%@`") or text != text.strip():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
