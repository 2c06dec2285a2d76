"""Every number a person reads follows the workspace's locale, in every command's text and
Markdown output: a walk over them all in French, British English, German and Italian
workspaces, checking that no number is written in another locale's way (issue 27: the French
`report` printed ``1,560`` beside ``6,37``, the Italian `attribute` ``2,883.68`` while `plan`
printed ``3.007,28 €``, ROI read ``2376%`` in one and ``4,637%`` in the other)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.numbers import format_currency, format_percent, get_decimal_symbol, get_group_symbol

from conftest import ROOT, WORKSPACES, invoke

CAMPAIGN = "fete-des-meres-2027"
SOLDES = "campaigns/soldes-hiver-2027.yaml"
# Touches and conversions of three contacts: values over a thousand, with cents.
TOUCHES = """journey,time,channel,event,value
j1,2027-05-18T09:00,email,touch,
j1,2027-05-27T18:00,sms,touch,
j1,2027-05-28T09:00,,conversion,1234.5
j2,2027-05-27T18:00,sms,touch,
j2,2027-05-28T10:00,,conversion,99.99
j3,2027-05-18T09:00,email,touch,
j3,2027-05-19T09:00,,conversion,2500
"""

# Numbers the output quotes rather than writes: what a workspace file says, as it says it (a
# source line under a finding, a quoted value, the value a finding says it got), and what is
# not a quantity (dates, times, a file's line and column, an id, a law's article).
_WRITTEN = re.compile(
    r"^ *\d* *│ .*$"  # a source line under a finding
    r"|(?<!\w)'[^'\n]*'(?!\w)|\"[^\"\n]*\"|`[^`\n]*`"  # quoted
    r"|\bgot \S+",  # the value as the file wrote it
    re.MULTILINE,
)
_NOT_QUANTITIES = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?"  # dates
    r"|\b\d{1,2}:\d{2}\b"  # times, lines and columns
    r"|[\w./<>-]+\.(?:yaml|toml|csv|mjml|json|eml|txt|md|html)(?::\d+)*"  # files
    r"|\b[A-Za-z_][\w-]*\d[\w-]*"  # ids with digits
    r"|\b(?:art\.|§|Abs\.) ?[\d.]+|\b\d+/\d{4}\b"  # laws
)
_NUMBER = re.compile(r"(?<![\w])[-+]?\d(?:[.,\u202f\u00a0']?\d)*")


def mixed(text: str, locale: str) -> list[str]:
    """The numbers of ``text`` not written as babel writes them in ``locale``, each with what
    surrounds it: a separator of another locale (``1,234.56`` in German, ``6.37`` in French),
    a group of three decimals that reads as another locale's thousands (``1,560`` in French),
    a percent sign or a currency symbol placed as another locale places it."""
    tag = locale.replace("-", "_")
    decimal, group = re.escape(get_decimal_symbol(tag)), re.escape(get_group_symbol(tag))
    well_written = re.compile(rf"[-+]?(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{decimal}\d+)?")
    thousands_elsewhere = re.compile(rf"[-+]?[1-9]\d{{0,2}}{decimal}\d{{3}}")
    percent_space = format_percent(0.25, locale=tag)[2:-1]  # "25 %" in German, "25%" in English
    symbol_after = format_currency(1, "EUR", locale=tag).endswith("€")
    text = _WRITTEN.sub(lambda m: " " * len(m[0]), text)
    text = _NOT_QUANTITIES.sub(lambda m: " " * len(m[0]), text)
    found = []
    for match in _NUMBER.finditer(text):
        number, around = match[0], text[max(0, match.start() - 25) : match.end() + 25]
        if not well_written.fullmatch(number) or thousands_elsewhere.fullmatch(number):
            found.append(f"{number!r} in {around!r}")
        sign = re.match(r"([ \u00a0\u202f]?)%", text[match.start() + len(number) :])
        if sign and sign[1] != percent_space:
            found.append(f"{number + sign[0]!r} in {around!r}")
    misplaced = r"[€£$][ \u00a0]?\d" if symbol_after else r"\d[ \u00a0\u202f]?[€£$]"
    found += [f"{m[0]!r} in {text[max(0, m.start() - 25) : m.end() + 25]!r}"
              for m in re.finditer(misplaced, text)]  # fmt: skip
    return found


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("fr-FR", "revenue 1,560 for 6,37 €"),  # English thousands beside French decimals
        ("fr-FR", "cost 395.00"),
        ("fr-FR", "ROI 2376%"),
        ("de-DE", "value 2,883.68"),
        ("de-DE", "€5,00"),
        ("en-GB", "cost 3.007,28"),
        ("en-GB", "ROI 4 637 %"),
        ("en-GB", "ROI 12 %"),
        ("it-IT", "share 25 %"),
        ("it-IT", "cost 1.234,50 GBP and 6.37"),
    ],
)
def test_the_check_finds_a_number_of_another_locale(locale: str, text: str) -> None:
    assert mixed(text, locale)


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("fr-FR", "1\u202f560 conversions pour 6,37\u00a0€, ROI 2\u202f376\u00a0%, score 0,310"),
        ("en-GB", "1,560 conversions for £6.37, ROI 2,376%, on 2027-05-18 at 09:00"),
        ("de-DE", "1.560 Konversionen für 6,37\u00a0€, ROI 2.376\u00a0%, -13,4\u00a0%"),
        ("it-IT", "1.560 conversioni per 6,37\u00a0€, ROI 2.376%, campaigns/a.yaml:12:5"),
    ],
)
def test_the_check_passes_numbers_written_as_the_locale_writes_them(locale: str, text: str) -> None:
    assert mixed(text, locale) == []


LOCALES = {"fr-FR": "EUR", "en-GB": "GBP", "de-DE": "EUR", "it-IT": "EUR"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, check=True,
    )  # fmt: skip


@pytest.fixture(scope="module", params=list(LOCALES))
def workspace(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example retailer's workspace in ``locale`` and its currency, with its campaign's
    results, a touch export, and a change in git for `diff` (a bigger budget, an
    e-mail more)."""
    locale = request.param
    root = tmp_path_factory.mktemp(locale)
    for name in ("personas", "campaigns", "channel_rules", "results"):
        shutil.copytree(ROOT / name, root / name)
    for campaign in (root / "campaigns").iterdir():  # its copy's own figures, in words
        text = re.sub(r"-(\d+) %", r"moins \1 pour cent", campaign.read_text("utf-8"))
        campaign.write_text(text, encoding="utf-8")
    settings = (ROOT / "mcplan.toml").read_text("utf-8")
    settings = settings.replace('locale = "fr-FR"', f'locale = "{locale}"')
    settings = settings.replace('currency = "EUR"', f'currency = "{LOCALES[locale]}"')
    (root / "mcplan.toml").write_text(settings, encoding="utf-8")
    (root / "touches.csv").write_text(TOUCHES, encoding="utf-8")
    if shutil.which("git"):
        _git(root, "init", "-q")
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", "the campaigns")
        soldes = root / SOLDES
        text = soldes.read_text("utf-8").replace("budget: 6000", "budget: 7500")
        text = text.replace(
            "  - {channel: email, at: 2027-01-13T09:00}\n",
            "  - {channel: email, at: 2027-01-13T09:00}\n"
            "  - {channel: email, at: 2027-01-14T10:00, personas: [marie-citadine]}\n",
        )
        soldes.write_text(text, encoding="utf-8")
    return root


class _Text(HTMLParser):
    """The text a page shows (not its scripts and styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


@dataclass(frozen=True)
class Command:
    args: tuple[str, ...]
    page: str | None = None  # the HTML file it writes, whose text is checked

    def __str__(self) -> str:
        return " ".join(self.args)


COMMANDS = [
    Command(("plan",)),
    Command(("plan", "--explain")),
    Command(("plan", "-f", "markdown")),
    Command(("report", CAMPAIGN, "-r", f"results/{CAMPAIGN}.csv")),
    Command(("report", CAMPAIGN, "-r", f"results/{CAMPAIGN}.csv", "-f", "markdown")),
    Command(("attribute", "touches.csv", "--campaign", CAMPAIGN)),
    Command(("lint",)),
    Command(("lint", "-f", "concise")),
    Command(("lint", "-f", "github")),
    Command(("lint", "--statistics")),
    Command(("render", CAMPAIGN)),
    Command(("render", CAMPAIGN, "-f", "markdown")),
    Command(("preview", CAMPAIGN, "--out", "preview.html", "--force"), page="preview.html"),
    Command(("calendar",)),
    Command(("calendar", "--out", "calendar.html", "--force"), page="calendar.html"),
    Command(("diff",)),
    Command(("diff", "-f", "markdown")),
    Command(("channels",)),
    Command(("personas",)),
    Command(("validate",)),
]


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_every_number_of_a_command_follows_the_workspace_locale(
    workspace: Path, command: Command, monkeypatch: pytest.MonkeyPatch
) -> None:
    if command.args[0] == "diff" and not shutil.which("git"):
        pytest.skip("git is not installed")
    monkeypatch.chdir(workspace)
    result = invoke(list(command.args), env={"COLUMNS": "200"})
    assert result.exit_code in (0, 1), result.output
    text = result.output
    if command.page:
        page = _Text()
        page.feed((workspace / command.page).read_text("utf-8"))
        text += "\n".join(page.parts)
    locale = workspace.name.rstrip("0123456789")
    assert mixed(text, locale) == []


def test_the_figures_of_the_issue_read_alike_in_plan_report_and_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An Italian workspace: `attribute` writes its values as `plan` writes its money
    (``3.734,50`` beside ``3.151,09 €``, not ``3,734.50``), and an ROI over a thousand percent
    reads the same way in `attribute` and in `report` (``1.297%``)."""
    for name in ("personas", "campaigns", "channel_rules", "results"):
        shutil.copytree(ROOT / name, tmp_path / name)
    settings = (ROOT / "mcplan.toml").read_text("utf-8").replace("fr-FR", "it-IT")
    (tmp_path / "mcplan.toml").write_text(settings, encoding="utf-8")
    (tmp_path / "touches.csv").write_text(TOUCHES.replace("2500", "25000"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> str:
        result = invoke(list(args), env={"COLUMNS": "200"})
        assert result.exit_code in (0, 1), result.output
        return result.output

    planned = run("plan", CAMPAIGN)
    assert "3.151,09\u00a0€" in planned  # the SMS billed at its 2 segments
    attributed = run("attribute", "touches.csv", "--campaign", CAMPAIGN, "-m", "first")
    assert re.search(r"email +2,0 +26\.234,50 +66,7% .* 379,49 +189,74 +6\.813%", attributed)
    reported = run("report", CAMPAIGN, "-r", f"results/{CAMPAIGN}.csv")
    assert re.search(r"sms .* 20\.410 +1\.297%", reported)
    as_json = json.loads(run("attribute", "touches.csv", "--campaign", CAMPAIGN, "-f", "json"))
    assert "26234.5" in json.dumps(as_json)  # JSON keeps its plain numbers


PLANTED_SETS = [
    "broken", "countries/planted", "experiments/planted", "languages/planted", "markets/planted",
    "lint/compliance/planted", "lint/consistency/planted", "lint/email/planted",
    "lint/limits/planted", "lint/pressure/planted", "lint/templates/planted",
]  # fmt: skip


@pytest.mark.parametrize("locale", list(LOCALES))
@pytest.mark.parametrize("planted", PLANTED_SETS)
def test_every_number_of_a_finding_follows_the_workspace_locale(
    planted: str, locale: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Findings are read by people too: a workspace's planted findings (limits, sizes, caps,
    shares, a file too large, an alias bomb), in each locale, in the text and GitHub formats."""
    root = tmp_path / "workspace"
    shutil.copytree(WORKSPACES / planted, root)
    (root / "campaigns" / "huge.yaml").write_bytes(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    settings = root / "mcplan.toml"
    text = settings.read_text("utf-8") if settings.exists() else ""
    line = f'locale = "{locale}"'
    if "locale =" in text:
        text = re.sub(r'^locale = ".*"$', line, text, flags=re.MULTILINE)
    else:
        text = line + "\n" + text
    settings.write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    for fmt in ("text", "github"):
        result = invoke(["lint", "-f", fmt], env={"COLUMNS": "200"})
        assert result.exit_code in (0, 1, 2), result.output
        said = result.output.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
        assert mixed(said, locale) == [], fmt


def test_the_attribution_chart_writes_its_axis_in_the_workspace_locale(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`attribute --plot`: the chart's figures are read by people too (``1,5`` in German)."""
    matplotlib = pytest.importorskip("matplotlib")
    monkeypatch.setitem(matplotlib.rcParams, "svg.fonttype", "none")  # text as text
    monkeypatch.chdir(workspace)
    args = ["attribute", "touches.csv", "--plot", "chart.svg", "--force", "-f", "json"]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    ticks = re.findall(r">([^<]*\d[^<]*)</text>", (workspace / "chart.svg").read_text("utf-8"))
    locale = workspace.name.rstrip("0123456789")
    half = "1.5" if locale == "en-GB" else "1,5"
    assert half in ticks
    assert mixed(" ".join(ticks), locale) == []
