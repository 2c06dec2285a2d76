"""A plan for many personas reads in a terminal (issue 31): a channel shows its twelve
personas with the most conversions and adds up the others in one row; the personas a channel
is left out for by one reason are one line; a finding names a few and counts the others.
`--format json` still lists every one."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

PERSONAS = 30  # 20 opted in to e-mail (sizes 1,000 to 20,000), 10 not
CAMPAIGN = """\
name: Rentrée
objectives: [{kind: sales, target: 50000}]
budget: 20000
average_order_value: 40
personas: [%s]
message: {headline: La rentrée, offer: "-20 %%", starts: 2027-09-01, ends: 2027-09-14}
channels: [email]
touches:
  - {channel: email, at: 2027-09-01T09:00}
"""


@pytest.fixture
def workspace(make_workspace: Callable[[dict[str, str]], Path]) -> Path:
    files = {"mcplan.toml": 'locale = "fr-FR"\ntimezone = "Europe/Paris"\n'}
    for i in range(PERSONAS):
        consent = "opt_in" if i < 20 else "none"
        files[f"personas/p{i:02d}.yaml"] = (
            f"market: b2c\nsize: {1000 * (i % 20 + 1)}\nstage: loyalty\ncountry: FR\n"
            f"channels:\n  email: {{reach: 0.9, affinity: 0.5, consent: {consent}}}\n"
        )
    ids = ", ".join(f"p{i:02d}" for i in range(PERSONAS))
    files["campaigns/rentree.yaml"] = CAMPAIGN % ids
    return make_workspace(files)


def test_a_channel_shows_twelve_personas_and_adds_up_the_others(
    run: Callable, workspace: Path
) -> None:
    result = run("plan", "-w", str(workspace))
    rows = re.findall(r"^\s+(p\d\d)\s", result.stdout, flags=re.MULTILINE)
    # The twelve largest (p19 … p08, sizes 20,000 to 9,000), most conversions first.
    assert rows == [f"p{i:02d}" for i in range(19, 7, -1)]
    assert "… 8 autres personas" in result.stdout
    data = json.loads(run("plan", "-w", str(workspace), "-f", "json").stdout)
    assert len(data[0]["candidates"]) == 20  # every persona, for scripts
    rest = sum(c["forecast"]["reached"] for c in data[0]["candidates"][:8] if c)
    assert rest > 0


def test_the_personas_left_out_for_one_reason_are_one_line(run: Callable, workspace: Path) -> None:
    result = run("plan", "-w", str(workspace))
    left_out = [line for line in result.stdout.splitlines() if "✗ email" in line]
    assert len(left_out) == 1
    assert "p20, p21, p22 … 7 autres personas" in left_out[0]
    finding = next(line for line in result.stdout.splitlines() if "N103" in line)
    assert "'p20', 'p21', 'p22', 'p23', 'p24' and 5 more: consent: b2c needs opt_in" in finding
