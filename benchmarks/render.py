"""How many channel versions mcplan renders per second.

Run: python benchmarks/render.py [--personas N]

A campaign for N personas (default 715) on the 14 bundled channels, rendered one version
per persona, gives N × 14 versions (10,010 by default). Printed, measured in one run:
- versions per second with the bundled templates, which read nothing of the persona: each
  channel is rendered, measured and checked once, and every persona gets that text;
- versions per second when the e-mail and SMS templates greet each persona by name: those
  two are rendered for every persona;
- the same with every template compiled again for each version, as a ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from mcplan import load_workspace
from mcplan.render import render_campaign, sandbox
from mcplan.workspace import bundled_documents

CHANNELS = sorted(bundled_documents())


PERSONAL = """\
templates:
  email:
    subject: "{{ persona.name }}, {{ m.headline }}"
    body: "Bonjour {{ persona.name }}, {{ m.body }} {{ m.cta }} : {{ link }}"
  sms: "{{ brand }} : {{ persona.name }}, {{ m.offer }} avec {{ m.code }} STOP au 36111"
"""


def make(root: Path, personas: int, personal: bool = False) -> None:
    (root / "personas").mkdir()
    (root / "campaigns").mkdir()
    links = "\n".join(f"  {c}: {{reach: 0.5, affinity: 0.5, consent: opt_in}}" for c in CHANNELS)
    for i in range(personas):
        text = f"name: Persona {i}\nmarket: b2c\nsize: 1000\nstage: loyalty\nchannels:\n{links}\n"
        (root / f"personas/p{i}.yaml").write_text(text, "utf-8")
    ids = ", ".join(f"p{i}" for i in range(personas))
    (root / "campaigns/c.yaml").write_text(
        f"""\
brand: Maison Lumen
personas: [{ids}]
message:
  headline: Les soldes d'hiver sont là
  body: Jusqu'à -40 % sur une sélection de luminaires.
  offer: "-40 %"
  code: HIVER40
  starts: 2027-01-13
  ends: 2027-02-09
  url: https://maison-lumen.fr/soldes
  cta: J'en profite
channels: [{", ".join(CHANNELS)}]
"""
        + (PERSONAL if personal else ""),
        "utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=715)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make(root, args.personas)
        workspace = load_workspace(root, discover=False)
        everyone = [f"p{i}" for i in range(args.personas)]
        render_campaign(workspace, "c", personas=everyone[:1])  # warm up imports, babel data

        start = time.perf_counter()
        result = render_campaign(workspace, "c", personas=everyone)
        compiled_once = time.perf_counter() - start
        versions = len(result.versions)
        assert not result.findings
        assert versions == args.personas * len(CHANNELS)
    with tempfile.TemporaryDirectory() as folder:
        make(Path(folder), args.personas, personal=True)
        personal = load_workspace(Path(folder), discover=False)
        start = time.perf_counter()
        named = render_campaign(personal, "c", personas=everyone)
        by_name = time.perf_counter() - start
        assert not named.findings
        assert len(named.versions) == versions
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make(root, args.personas)

        cached = sandbox.compile_template
        sample = args.personas // 10 or 1
        sandbox.compile_template = cached.__wrapped__  # type: ignore[assignment]
        try:
            subset = load_workspace(root, discover=False)
            start = time.perf_counter()
            for i in range(sample):  # one render per persona: every template compiled again
                render_campaign(subset, "c", personas=[f"p{i}"])
            each = (time.perf_counter() - start) / (sample * len(CHANNELS))
        finally:
            sandbox.compile_template = cached

    print(f"{versions:,} versions ({args.personas} personas × {len(CHANNELS)} channels)")
    per_version = compiled_once / versions
    print(f"templates compiled once:          {1 / per_version:8,.0f} versions/s")
    print(f"  e-mail and SMS by name:         {versions / by_name:8,.0f} versions/s")
    print(
        f"compiled again for each version:  {1 / each:8,.0f} versions/s "
        f"({each / per_version:.1f}x the time)"
    )


if __name__ == "__main__":
    main()
