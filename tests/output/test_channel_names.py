"""A channel's name in the reader's language: the bundled channels name themselves in each
bundled language (`names` in their file), a workspace's channel gives its own `names` or is
called by its `name`, and every output uses the one of the workspace's locale.

The UK firm (tests/workspaces/readers/uk-firm) reads English: no French channel name anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import WORKSPACES
from mcplan import load_workspace
from mcplan.workspace.library import bundled_documents

UK = WORKSPACES / "readers" / "uk-firm"
MakeWorkspace = Callable[[dict[str, str | bytes]], Path]


def french_names() -> list[str]:
    """Every bundled channel's French name that is not also its English one."""
    names = [document.data.get("names", {}) for document in bundled_documents().values()]
    return sorted(n["fr"] for n in names if n and n["fr"] != n["en"])


def test_every_bundled_channel_is_named_in_every_bundled_language() -> None:
    for id_, document in bundled_documents().items():
        names = document.data.get("names")
        if names is None:  # a brand: the same name in every language
            assert document.data["name"] in {"Facebook", "Instagram", "LinkedIn", "TikTok",
                                             "X (Twitter)"}, id_  # fmt: skip
            continue
        assert set(names) == {"fr", "en", "nl", "de", "es", "it"}, id_
        assert document.data["name"] == names["en"], id_  # the name of any other language
    assert "Téléphone (appel sortant)" in french_names()


def test_an_english_firm_reads_no_french_channel_name(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    page, wall, ics = tmp_path / "preview.html", tmp_path / "calendar.html", tmp_path / "plan.ics"
    outputs = {
        "render": run("render", "mtd-webinar", "-w", str(UK)).stdout,
        "render markdown": run("render", "mtd-webinar", "-w", str(UK), "-f", "markdown").stdout,
        "channels": run("channels", "-w", str(UK), "-f", "json").stdout,
        "calendar": run("calendar", "-w", str(UK), "--out", str(wall)).stdout,
        "preview": run("preview", "mtd-webinar", "-w", str(UK), "--out", str(page)).stdout,
        "plan": run("plan", "-w", str(UK), "--ics", str(ics)).stdout,
    }
    outputs |= {
        "calendar page": wall.read_text("utf-8"),
        "preview page": page.read_text("utf-8"),
        "ics": ics.read_bytes().decode("utf-8").replace("\r\n ", ""),  # unfolded
    }
    for name, text in outputs.items():
        found = [french for french in french_names() if french in text]
        assert found == [], name
    assert "Phone (outbound call)" in outputs["render markdown"]
    assert "Phone (outbound call)" in outputs["calendar page"]
    assert "Phone (outbound call)" in outputs["preview page"]
    assert "SUMMARY:Phone (outbound call) — Making Tax Digital webinar" in outputs["ics"]


def test_channels_json_adds_the_name_in_the_reader_s_language(
    run: Callable[..., Result],
) -> None:
    listed = json.loads(run("channels", "-w", str(UK), "-f", "json").stdout)
    rows = {row["id"]: row for row in listed}
    phone = rows["phone"]
    assert phone["display_name"] == "Phone (outbound call)"
    assert phone["name"] == "Phone (outbound call)"  # every field is kept
    assert "names" not in phone  # its name in the reader's language, not in every one
    assert phone["origin"] == "extends phone"
    assert rows["events-desk"]["display_name"] == "Events desk"  # no English in its names
    assert rows["linkedin"]["display_name"] == "LinkedIn"


@pytest.mark.parametrize(
    ("locale", "phone", "desk"),
    [
        ("it-IT", "Telefono (chiamata in uscita)", "Events desk"),
        ("fr-BE", "Téléphone (appel sortant)", "Accueil des événements"),
        ("de-CH", "Telefon (ausgehender Anruf)", "Events desk"),
        ("pl-PL", "Phone (outbound call)", "Stoisko"),  # no bundled Polish: `name`
    ],
)
def test_a_channel_s_name_follows_the_locale_then_the_language_then_its_name(
    make_workspace: MakeWorkspace, locale: str, phone: str, desk: str
) -> None:
    root = make_workspace(
        {
            "mcplan.toml": f'locale = "{locale}"\n',
            "channel_rules/desk.yaml": """
                name: Events desk
                names: {fr: Accueil des événements, pl: Stoisko}
                direction: inbound
                cost_per_contact: 0
                rates: {open: 0.5, click: 0.2, conversion: 0.05}
            """,
        }
    )
    workspace = load_workspace(root, discover=False)
    locale = workspace.settings.locale
    assert workspace.channels["phone"].title(locale) == phone
    assert workspace.channels["desk"].title(locale) == desk


def test_a_channel_that_extends_another_keeps_its_names_unless_it_renames_itself(
    make_workspace: MakeWorkspace,
) -> None:
    root = make_workspace(
        {
            "mcplan.toml": 'locale = "it-IT"\n',
            "channel_rules/phone.yaml": "extends: phone\ncost_per_contact: 2\n",
            "channel_rules/calls.yaml": "extends: phone\nname: Richiami clienti\n",
            "channel_rules/sms.yaml": "extends: sms\nname: Texts\nnames: {it: Messaggi}\n",
        }
    )
    channels = load_workspace(root, discover=False).channels
    assert channels["phone"].title("it-IT") == "Telefono (chiamata in uscita)"
    assert channels["calls"].title("it-IT") == "Richiami clienti"
    assert channels["calls"].title("fr-FR") == "Richiami clienti"  # its name, in every language
    assert channels["sms"].title("it-IT") == "Messaggi"
    assert channels["sms"].title("de-DE") == "SMS"  # the bundled German name is kept


def test_an_export_may_name_a_channel_in_any_of_its_languages() -> None:
    lookup = load_workspace(UK, discover=False).channel_lookup()
    assert lookup["téléphone (appel sortant)"] == "phone"
    assert lookup["phone (outbound call)"] == "phone"
    assert lookup["accueil des événements"] == "events-desk"
