"""`mcplan render --out DIR`: files per version, atomic, inside DIR, never by surprise."""

from __future__ import annotations

import email
import json
from collections.abc import Callable
from email.policy import default
from pathlib import Path

import pytest

from conftest import CAMPAIGN, PERSONA, ROOT
from mcplan import UsageError
from mcplan.output.folder import safe_name


def test_one_file_per_version_and_an_eml_for_email(run: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("render", "soldes-hiver-2027", "-w", str(ROOT), "--out", str(out))
    assert result.exit_code == 0
    assert result.stderr == f"mcplan: wrote 6 files into {out}\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "email.eml", "email.html", "email.send.json", "email.txt", "instagram.txt", "sms.txt",
    ]  # fmt: skip
    assert (out / "sms.txt").read_text("utf-8") == (
        "Maison Lumen : -40 % avec HIVER40 jusqu'au 9 février. maison-lumen.fr/soldes "
        "STOP au 36111\n"
    )
    assert (
        (out / "email.txt")
        .read_text("utf-8")
        .startswith("[subject]\nLes soldes d'hiver sont là : -40 %\n\n[preheader]\n")
    )


def test_a_channel_that_extends_email_is_an_email(
    make_workspace: Callable, run: Callable, tmp_path: Path
) -> None:
    # The .eml and the preview's mockup follow the channel's kind, not its id.
    root = make_workspace(
        {
            "channel_rules/newsletter.yaml": "extends: email\nname: Newsletter\n",
            "personas/marie.yaml": PERSONA
            + "      newsletter: {reach: 0.9, affinity: 0.5, consent: opt_in}\n",
            "campaigns/soldes.yaml": CAMPAIGN + "    channels: [newsletter]\n",
        }
    )
    out = tmp_path / "out"
    assert run("render", "soldes", "-w", str(root), "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "newsletter.eml",
        "newsletter.html",
        "newsletter.send.json",
        "newsletter.txt",
    ]
    page = tmp_path / "preview.html"
    run("preview", "soldes", "-w", str(root), "--out", str(page))
    assert 'class="mockup mockup-email"' in page.read_text("utf-8")


def test_the_eml_opens_as_a_mail_with_text_and_html(run: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("render", "soldes-hiver-2027", "-w", str(ROOT), "-c", "email", "--out", str(out))
    message = email.message_from_bytes((out / "email.eml").read_bytes(), policy=default)
    assert message["Subject"] == "Les soldes d'hiver sont là : -40 %"
    assert message["From"] == "Maison Lumen <bonjour@maison-lumen.fr>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Désinscrivez-vous" in plain
    assert "Avec le code HIVER40" in html  # the preheader, hidden at the top
    assert '<a href="https://maison-lumen.fr/soldes?utm_source=email&amp;' in html
    # Same input, same bytes: no date, no random boundary.
    first = (out / "email.eml").read_bytes()
    run("render", "soldes-hiver-2027", "-w", str(ROOT), "-c", "email", "-o", str(out), "--force")
    assert (out / "email.eml").read_bytes() == first


def test_json_and_markdown_files(run: Callable, tmp_path: Path) -> None:
    run("render", "soldes-hiver-2027", "-w", str(ROOT), "-f", "json", "-o", str(tmp_path / "j"))
    data = json.loads((tmp_path / "j" / "sms.json").read_text("utf-8"))
    assert data["parts"][0]["measures"]["segments"] == 1
    run("render", "soldes-hiver-2027", "-w", str(ROOT), "-f", "md", "-o", str(tmp_path / "m"))
    assert (tmp_path / "m" / "sms.md").read_text("utf-8").startswith("# Soldes d'hiver 2027")


def test_an_existing_folder_is_only_overwritten_with_force(run: Callable, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "sms.txt").write_text("old", encoding="utf-8")
    result = run("render", "soldes-hiver-2027", "-w", str(ROOT), "-o", str(out))
    assert result.exit_code == 2
    assert "already has files; add --force" in result.stderr
    assert (out / "sms.txt").read_text("utf-8") == "old"
    assert (
        run("render", "soldes-hiver-2027", "-w", str(ROOT), "-o", str(out), "--force").exit_code
        == 0
    )
    assert (out / "sms.txt").read_text("utf-8") != "old"
    assert (out / "notes.txt").read_text("utf-8") == "mine"  # other files are left alone


def test_a_symlink_in_the_folder_is_replaced_not_followed(run: Callable, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "sms.txt").symlink_to(outside)
    run("render", "soldes-hiver-2027", "-w", str(ROOT), "-o", str(out), "--force")
    assert outside.read_text("utf-8") == "precious"
    assert not (out / "sms.txt").is_symlink()


def test_a_file_in_place_of_the_folder_is_refused(run: Callable, tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    result = run("render", "soldes-hiver-2027", "-w", str(ROOT), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2


@pytest.mark.parametrize("name", ["con", "aux--marie", "../etc", "a/b", "A", ".hidden", "x" * 200])
def test_unsafe_file_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="cannot be used as a file name"):
        safe_name(name)


def test_safe_names_pass() -> None:
    assert safe_name("sms--marie-citadine") == "sms--marie-citadine"
