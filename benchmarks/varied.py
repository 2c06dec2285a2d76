"""Generate a workspace that varies the way real ones do (issue 31), for the plan and lint
benchmarks: personas of four kinds (city b2c, family b2c, b2b buyers, b2b executives), five
or six channels each with mixed consent, in five countries, languages and time zones;
campaigns with two objectives each, some with touches and some without, some with message
tests, holdouts and a translation; always-on journeys.

Run: python benchmarks/varied.py DIR --personas 1000 --campaigns 50 [--journeys 20]

The same seed gives the same files, so that two runs measure the same work.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

COUNTRIES = [  # country, locale, time zone
    ("FR", "fr-FR", "Europe/Paris"),
    ("DE", "de-DE", "Europe/Berlin"),
    ("ES", "es-ES", "Europe/Madrid"),
    ("IE", "en-IE", "Europe/Dublin"),
    ("US", "en-US", "America/New_York"),
]
CONSENTS = ["opt_in", "opt_in", "opt_in", "opt_out", "none"]


@dataclass(frozen=True)
class Kind:
    market: str
    stages: tuple[str, ...]
    channels: tuple[str, ...]  # the first five always; the sixth for half of them
    sizes: tuple[int, int]


KINDS = [
    Kind("b2c", ("acquisition", "loyalty"), ("email", "sms", "instagram", "mobile_push",
                                             "website", "tiktok"), (2_000, 60_000)),
    Kind("b2c", ("loyalty", "reactivation"), ("email", "sms", "facebook", "store", "mail",
                                              "web_push"), (5_000, 80_000)),
    Kind("b2b", ("prospection", "acquisition"), ("email", "linkedin", "phone", "website",
                                                 "mail", "x"), (200, 8_000)),
    Kind("b2b", ("prospection", "loyalty"), ("email", "linkedin", "phone", "mail", "vms",
                                             "website"), (50, 2_000)),
]  # fmt: skip
CONSENTED = {"email", "sms", "mobile_push", "web_push", "phone", "vms", "mail"}


def _persona(rng: random.Random, i: int, persona_id: str, people: People) -> str:
    """A persona's file; ``people`` learns its market, language and e-mail consent."""
    kind = KINDS[i % len(KINDS)]
    country, locale, zone = COUNTRIES[rng.randrange(len(COUNTRIES))]
    channels = kind.channels[: 5 + rng.randrange(2)]
    lines = [
        f"name: Persona {i}",
        f"market: {kind.market}",
        f"size: {rng.randrange(*kind.sizes)}",
        f"stage: {rng.choice(kind.stages)}",
        f"country: {country}",
        f"locale: {locale}",
        f"timezone: {zone}",
        "channels:",
    ]
    opted_in = False
    for channel in channels:
        reach, affinity = rng.randrange(20, 95) / 100, rng.randrange(20, 95) / 100
        consent = rng.choice(CONSENTS)
        opted_in = opted_in or (channel == "email" and consent == "opt_in")
        consent = f", consent: {consent}" if channel in CONSENTED else ""
        lines.append(f"  {channel}: {{reach: {reach}, affinity: {affinity}{consent}}}")
    if rng.random() < 0.3:
        lines.append(f"pressure: {{max_per_week: {rng.choice([2, 3, 4])}}}")
    if people.send_times:
        lines += _learned(i, channels)
    people.markets[kind.market].append(persona_id)
    people.language[persona_id] = locale[:2]
    if opted_in:
        people.entrants.append(persona_id)
    return "\n".join(lines) + "\n"


CAMPAIGN = """\
name: Campagne {j}
brand: Maison Lumen
objectives:
  - {{kind: sales, target: {target}}}
  - {{kind: {second}}}
budget: {budget}
average_order_value: {aov}
max_channels: {max_channels}
personas: [{personas}]
message:
  headline: Offre spéciale {j}
  body: Jusqu'à -{offer} % sur une sélection de luminaires.
  offer: "-{offer} %"
  code: PROMO{j}
  starts: {starts}
  ends: {ends}
  url: https://maison-lumen.fr/offre-{j}
  cta: J'en profite
"""
TOUCHES = {  # every persona of a market has these channels
    "b2c": """\
channels: [email, sms]
touches:
  - {{channel: email, at: {starts}T09:00}}
  - {{channel: sms, at: {reminder}T18:30, after: email}}
""",
    "b2b": """\
channels: [email, linkedin, phone]
touches:
  - {{channel: email, at: {starts}T09:00}}
  - {{channel: linkedin, at: {starts}T12:00}}
  - {{channel: phone, at: {reminder}T10:30, after: email}}
""",
}
TEST = """\
tests:
  - id: objet
    channel: email
    part: subject
    metric: open
    min_lift: 0.10
    arms:
      a: "{{{{ m.headline }}}} : {{{{ m.offer }}}}"
      b: "{{{{ m.offer }}}} sur nos luminaires, jusqu'au {{{{ m.ends | date }}}}"
holdout: 0.1
"""
TRANSLATED = {  # a translation per language, as a team writes it
    "de": "{{headline: Sonderangebot {j}, body: Bis zu {offer} % auf ausgewählte Leuchten., "
    "cta: Jetzt entdecken, url: https://maison-lumen.fr/de/angebot-{j}}}",
    "es": "{{headline: Oferta especial {j}, body: Hasta un {offer} % en una selección de "
    "lámparas., cta: Descubrir, url: https://maison-lumen.fr/es/oferta-{j}}}",
    "en": "{{headline: Special offer {j}, body: Up to {offer} % off a selection of lamps., "
    "cta: Shop now, url: https://maison-lumen.fr/en/offer-{j}}}",
}


def _campaign(rng: random.Random, j: int, people: People, audience: int | None) -> str:
    """A campaign for ``audience`` personas (None: every persona, or half of them). Every
    third has touches, for one market's personas; the others leave them to plan. Nine in
    ten have a translation for each language their personas read (the others get T105)."""
    starts = date(2027, 1, 4) + timedelta(days=rng.randrange(0, 330))
    while starts.weekday() == 6:  # no campaign starts on a Sunday (no SMS then)
        starts += timedelta(days=1)
    market = rng.choice(["b2c", "b2b"])
    pool = people.markets[market] if j % 3 == 0 else people.markets["b2c"] + people.markets["b2b"]
    if audience is not None:
        chosen = rng.sample(pool, k=min(len(pool), audience))
    elif rng.random() < 0.5 or j % 3 == 0:
        chosen = pool
    else:
        chosen = rng.sample(pool, k=max(2, len(pool) // 2))
    values = {
        "j": j, "target": rng.randrange(10, 200) * 1000, "budget": rng.randrange(4, 100) * 1000,
        "aov": rng.randrange(30, 200), "max_channels": rng.choice([2, 3, 4]),
        "second": rng.choice(["loyalty", "awareness", "satisfaction"]),
        "personas": ", ".join(sorted(chosen)), "offer": rng.choice([10, 20, 30, 40]),
        "starts": starts, "ends": starts + timedelta(days=14),
        "reminder": starts + timedelta(days=2 if starts.weekday() != 4 else 1),
    }  # fmt: skip
    text = CAMPAIGN.format(**values)
    if j % 3 == 0:
        text += TOUCHES[market].format(**values)
    if j % 4 == 1:
        text += TEST.format(**values)
    languages = sorted({people.language[p] for p in chosen} - {"fr"})
    if languages and rng.random() < 0.9:
        text += "locales:\n" + "".join(
            f"  {lang}:\n    message: {TRANSLATED[lang].format(**values)}\n" for lang in languages
        )
    return text


@dataclass
class People:
    """The personas written so far: by market, their language, and who opted in to e-mail."""

    markets: dict[str, list[str]] = field(default_factory=lambda: {"b2c": [], "b2b": []})
    language: dict[str, str] = field(default_factory=dict)
    entrants: list[str] = field(default_factory=list)
    send_times: bool = False  # each persona has a learned send time on each of its channels


def _learned(i: int, channels: Sequence[str]) -> list[str]:
    """Persona ``i``'s `send_times`: a slot of its own among about a hundred (issue 30)."""
    day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", None]
    weekday = f"weekday: {day[i % 8]}, " if day[i % 8] else ""
    slot = f"{{{weekday}hour: {7 + i % 14}, metric: open, sends: 5000, rate: 0.2, "
    slot += "interval: [0.18, 0.22]}"
    return ["send_times:", *(f"  {c}: {slot}" for c in channels)]


JOURNEY = """\
name: Parcours {k}
objectives:
  - {{kind: sales, target: 20000}}
average_order_value: 60
personas: [{personas}]
entry: {{event: evenement_{k}, per_week: {per_week}, from: 2027-01-04}}
re_entry: never
exit: {{event: achat}}
on_cap: {on_cap}
message:
  headline: Bienvenue {k}
  body: Pour votre première commande, -10 % avec le code BIENVENUE{k}.
  offer: "-10 %"
  code: BIENVENUE{k}
  url: https://maison-lumen.fr/bienvenue-{k}
  cta: Découvrir
steps:
  - {{id: bonjour, send: email}}
  - {{wait: 3d}}
  - {{id: rappel, send: email}}
  - {{wait: 4d}}
  - {{id: code, send: email}}
"""


def generate(
    root: Path,
    personas: int,
    campaigns: int,
    journeys: int = 0,
    audience: int | None = None,
    send_times: bool = False,
    seed: int = 31,
) -> None:
    """Write the workspace's files under ``root``: ``audience`` personas per campaign (None:
    every persona or half of them, as a plan for a whole base)."""
    rng = random.Random(seed)
    for folder in ("personas", "campaigns", "journeys"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "mcplan.toml").write_text(
        'brand = "Maison Lumen"\nlocale = "fr-FR"\ntimezone = "Europe/Paris"\n', "utf-8"
    )
    people = People(send_times=send_times)
    for i in range(personas):
        persona_id = f"p{i:05d}"
        text = _persona(rng, i, persona_id, people)
        (root / f"personas/{persona_id}.yaml").write_text(text, "utf-8")
    for j in range(campaigns):
        text = _campaign(rng, j, people, audience)
        (root / f"campaigns/c{j:05d}.yaml").write_text(text, "utf-8")
    for k in range(journeys):
        chosen = sorted(rng.sample(people.entrants, k=min(len(people.entrants), 20)))
        text = JOURNEY.format(
            k=k, personas=", ".join(chosen), per_week=rng.randrange(50, 500),
            on_cap=rng.choice(["hold", "skip", "send"]),
        )  # fmt: skip
        (root / f"journeys/j{k:04d}.yaml").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--personas", type=int, default=1000)
    parser.add_argument("--campaigns", type=int, default=50)
    parser.add_argument("--journeys", type=int, default=0)
    parser.add_argument("--audience", type=int, help="personas per campaign (default: all)")
    args = parser.parse_args()
    generate(args.folder, args.personas, args.campaigns, args.journeys, args.audience)


if __name__ == "__main__":
    main()
