"""Linting on several cores gives the same bytes as on one: every test workspace, and a
generated one where every family finds something in many campaigns (a broken channel
template among them, reported once for all the campaigns it fails in)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from mcplan.lint import runner

ROOT = Path(__file__).parents[2]
WORKSPACES = sorted(
    {p.parent.parent for p in (ROOT / "tests/workspaces").glob("**/campaigns/*.yaml")}
    | {ROOT / "examples/velocita", ROOT}
)


def generated(root: Path, campaigns: int, seed: int = 3) -> Path:
    rng = random.Random(seed)
    for folder in ("personas", "campaigns", "channel_rules"):
        (root / folder).mkdir(parents=True)
    (root / "mcplan.toml").write_text('brand = "Maison Lumen"\n', "utf-8")
    (root / "channel_rules/sms.yaml").write_text(
        'extends: sms\ntemplate: "{{ m.headline }} {{ m.nope }} STOP 36180"\n', "utf-8"
    )
    for i in range(8):
        (root / f"personas/p{i}.yaml").write_text(
            f"market: b2c\nsize: {500 + i}\nstage: loyalty\nchannels:\n"
            "  email: {reach: 0.9, affinity: 0.6, consent: opt_in}\n"
            "  sms: {reach: 0.7, affinity: 0.8, consent: opt_in}\n",
            "utf-8",
        )
    for j in range(campaigns):
        starts = date(2027, 1, 4) + timedelta(days=rng.randrange(0, 60))
        price = rng.choice(["49 €", "59 €"])
        hour = rng.choice(["09:00", "22:30"])  # sometimes outside the window
        (root / f"campaigns/c{j:03d}.yaml").write_text(
            f"personas: [p{j % 8}, p{(j + 3) % 8}]\nobjectives: [{{kind: sales}}]\n"
            f"message:\n  headline: Offre {j}\n  price: 49 €\n"
            f"  starts: {starts}\n  ends: {starts + timedelta(days=6)}\n"
            f"touches:\n  - {{channel: email, at: {starts}T{hour}}}\n"
            f"  - {{channel: sms, at: {starts + timedelta(days=1)}T18:30}}\n"
            f"variants:\n  email: {{body: 'Le lampadaire à {price}. Se désinscrire : un clic.'}}\n",
            "utf-8",
        )
    return root


def json_of(run: Callable[..., Result], root: Path, jobs: int) -> tuple[int, str]:
    """The exit code and the output (2 for a workspace with unreadable files)."""
    result = run("lint", "-w", str(root), "--format", "json", "--exit-zero", "--jobs", str(jobs))
    return result.exit_code, result.stdout


@pytest.mark.parametrize("root", WORKSPACES, ids=lambda p: str(p.relative_to(ROOT)) or ".")
def test_every_workspace_gives_the_same_bytes_on_two_processes(
    run: Callable[..., Result], root: Path
) -> None:
    assert json_of(run, root, 2) == json_of(run, root, 1)


def test_a_generated_workspace_gives_the_same_bytes_on_any_number_of_processes(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    root = generated(tmp_path, 120)
    code, serial = json_of(run, root, 1)
    assert code == 0
    for rule in ("T102", "P101", "M101", "C101"):  # every kind of family has work
        assert f'"rule": "{rule}"' in serial, rule
    assert serial.count('"rule": "T102"') == 1  # one broken template, once
    assert json_of(run, root, 2) == (0, serial)
    assert json_of(run, root, 3) == (0, serial)


def test_processes_start_only_for_a_large_workspace() -> None:
    assert runner.jobs(runner.PARALLEL_FROM - 1) == 1
    assert runner.jobs(10, asked=3) in (1, 3)  # 1 where processes cannot be forked
    assert runner.jobs(runner.PARALLEL_FROM) >= 1
