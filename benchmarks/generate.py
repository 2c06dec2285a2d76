"""Generate a synthetic workspace: N campaigns over N/10 personas on the bundled channels.

Run: python benchmarks/generate.py DIR --campaigns 1000

Campaigns spread over a year, two or three touches each (email then an SMS reminder), with
realistic French copy, so that every rule family has work to do: contacts to count across
campaigns, windows to check, texts to render and compare.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

PERSONA = """\
# yaml-language-server: $schema=../schemas/persona.schema.json
name: Persona {i}
market: {market}
size: {size}
stage: {stage}
channels:
  email: {{reach: 0.9, affinity: 0.6, consent: {consent}}}
  sms: {{reach: 0.7, affinity: 0.8, consent: {consent}}}
  instagram: {{reach: 0.5, affinity: 0.9}}
"""
CAMPAIGN = """\
# yaml-language-server: $schema=../schemas/campaign.schema.json
name: Campagne {j}
brand: Maison Lumen
objectives:
  - {{kind: sales, target: {target}}}
budget: {budget}
max_channels: 3
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
channels: [email, sms, instagram]
touches:
  - {{channel: email, at: {starts}T09:00}}
  - {{channel: sms, at: {reminder}T18:30, after: email}}
  - {{channel: instagram, at: {starts}T12:00}}
"""


def generate(root: Path, campaigns: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    personas = max(20, campaigns // 10)
    (root / "personas").mkdir(parents=True, exist_ok=True)
    (root / "campaigns").mkdir(exist_ok=True)
    (root / "mcplan.toml").write_text('brand = "Maison Lumen"\n', "utf-8")
    for i in range(personas):
        market = rng.choice(["b2c", "b2c", "b2b"])
        text = PERSONA.format(
            i=i,
            market=market,
            size=rng.randrange(100, 50_000),
            stage=rng.choice(["prospection", "acquisition", "loyalty", "reactivation"]),
            consent="opt_in" if market == "b2c" else "opt_out",
        )
        (root / f"personas/p{i:05d}.yaml").write_text(text, "utf-8")
    first = date(2027, 1, 4)
    for j in range(campaigns):
        starts = first + timedelta(days=rng.randrange(0, 330))
        while starts.weekday() == 6:  # no campaign starts on a Sunday (no SMS then)
            starts += timedelta(days=1)
        reminder = starts + timedelta(days=2 if starts.weekday() != 4 else 1)
        chosen = rng.sample(range(personas), k=rng.choice([2, 3]))
        text = CAMPAIGN.format(
            j=j,
            target=rng.randrange(1, 100) * 1000,
            budget=rng.randrange(1, 20) * 500,
            personas=", ".join(f"p{i:05d}" for i in chosen),
            offer=rng.choice([10, 20, 30, 40]),
            starts=starts.isoformat(),
            ends=(starts + timedelta(days=14)).isoformat(),
            reminder=reminder.isoformat(),
        )
        (root / f"campaigns/c{j:05d}.yaml").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--campaigns", type=int, default=1000)
    args = parser.parse_args()
    generate(args.folder, args.campaigns)


if __name__ == "__main__":
    main()
