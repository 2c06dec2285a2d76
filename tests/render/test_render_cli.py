"""`mcplan render` and its golden outputs: every bundled channel on the example campaign."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CAMPAIGN, PERSONA, ROOT, Golden
from mcplan.workspace import bundled_documents

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("channel", sorted(bundled_documents()))
def test_every_bundled_channel_renders_the_example_campaign(
    run: Callable, channel: str, golden: Golden
) -> None:
    result = run("render", "soldes-hiver-2027", "-w", str(ROOT), "-c", channel, "-f", "md")
    assert result.exit_code == 0, result.stderr
    golden(GOLDEN / f"{channel}.md", result.stdout)


def test_json_gives_text_measures_and_limits_per_part(run: Callable) -> None:
    result = run("render", "retour-printemps-2027", "-w", str(ROOT), "-c", "sms", "-f", "json")
    data = json.loads(result.stdout)
    [version] = data["versions"]
    [part] = version["parts"]
    assert part["name"] == "text"
    assert part["measures"]["encoding"] == "GSM-7"
    assert part["measures"]["segments"] == 2
    assert part["limits"] == [
        {
            "rule": "L102",
            "limit": "segments",
            "counts": "text",
            "allowed": 2,
            "actual": 2,
            "ok": True,
            "level": "error",
        }
    ]
    assert data["findings"] == []


def test_a_limit_has_the_level_of_its_rule_in_render_and_lint(
    make_workspace: Callable, run: Callable
) -> None:
    # The Instagram cut-off was `warning` in `render -f json` and `info L104` in `lint`.
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA + "      instagram: {reach: 0.5, affinity: 0.9}\n",
            "campaigns/soldes.yaml": CAMPAIGN
            + """
    touches:
      - {channel: instagram, at: 2027-01-14T10:00}
    variants:
      instagram:
        caption: "Les soldes sont là, et bien plus encore : une collection entière de
          luminaires, de lampes et de suspensions pour chaque pièce de la maison."
        hashtags: "#soldes"
""",
        }
    )
    rendered = json.loads(run("render", "soldes", "-w", str(root), "-f", "json").stdout)
    [part] = [p for p in rendered["versions"][0]["parts"] if p["name"] == "caption"]
    [cut] = [c for c in part["limits"] if c["limit"] == "visible_chars"]
    linted = json.loads(run("lint", "-w", str(root), "-f", "json").stdout)
    assert (cut["rule"], cut["level"], cut["ok"]) == ("L104", "info", False)
    [length] = [c for c in part["limits"] if c["limit"] == "max_chars"]
    assert length["counts"] == "caption + hashtags"  # what X, Instagram and the rest count
    assert [(f["rule"], f["level"]) for f in linted if f["rule"] == "L104"] == [("L104", "info")]


def test_terminal_panels(run: Callable) -> None:
    result = run("render", "soldes-hiver-2027", "-w", str(ROOT), "-c", "sms")
    assert result.exit_code == 0
    assert "SMS · Marie, citadine connectée" in result.stdout
    assert "✓  texte · segments SMS : 1, pour 2 au plus" in result.stdout  # the workspace: French


def test_a_broken_template_exits_1_and_renders_the_rest(
    make_workspace: Callable, run: Callable
) -> None:
    root = make_workspace(
        {
            "personas/marie.yaml": PERSONA,
            "campaigns/c.yaml": CAMPAIGN
            + "    channels: [email, sms]\n    templates:\n      sms: '{{ m.nope }}'\n",
        }
    )
    result = run("render", "c", "-w", str(root), "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [v["channel"] for v in data["versions"]] == ["email"]
    assert [f["rule"] for f in data["findings"]] == ["T102"]
    assert result.stderr == "mcplan: 1 error in 1 file: some versions were not rendered\n"


def test_unknown_campaign_is_a_usage_error(run: Callable) -> None:
    result = run("render", "soldes", "-w", str(ROOT))
    assert result.exit_code == 2
    assert result.stderr == (
        "mcplan: error: unknown campaign or journey 'soldes' (did you mean 'soldes-hiver-2027'?)\n"
    )


def test_preview_writes_one_page_and_never_overwrites_by_surprise(
    run: Callable, tmp_path: Path
) -> None:
    page = tmp_path / "preview.html"
    result = run("preview", "soldes-hiver-2027", "-w", str(ROOT), "--out", str(page))
    assert result.exit_code == 0
    assert result.stderr == f"mcplan: wrote {page} (3 versions)\n"
    html = page.read_text("utf-8")
    assert html.count('<section class="card"') == 3
    page.write_text("mine", encoding="utf-8")
    result = run("preview", "soldes-hiver-2027", "-w", str(ROOT), "--out", str(page))
    assert result.exit_code == 2
    assert "already exists; add --force" in result.stderr
    assert page.read_text("utf-8") == "mine"
    assert (
        run("preview", "soldes-hiver-2027", "-w", str(ROOT), "-o", str(page), "--force").exit_code
        == 0
    )
