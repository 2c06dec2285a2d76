"""`mcplan diff`: a change reviewed like code, in git repositories the tests build."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import ROOT, Golden, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
GOLDEN = Path(__file__).parent / "output" / "golden"
SOLDES = "marketing/campaigns/soldes-hiver-2027.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose workspace is in `marketing/`: the example, then a change to it in
    a second commit (an SMS moved a day earlier, two e-mails more for Marie, a bigger
    budget)."""
    folder = tmp_path / "repo"
    workspace = folder / "marketing"
    workspace.mkdir(parents=True)
    for name in ("personas", "campaigns", "channel_rules"):
        shutil.copytree(ROOT / name, workspace / name)
    shutil.copy(ROOT / "mcplan.toml", workspace)
    (folder / "README.md").write_text("Our campaigns\n", encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "the winter sales")
    soldes = folder / SOLDES
    text = soldes.read_text("utf-8")
    text = text.replace(
        "  - {channel: sms, at: 2027-01-15T18:30, after: email, personas: [marie-citadine]}\n",
        "  - {channel: sms, at: 2027-01-14T18:30, after: email, personas: [marie-citadine]}\n"
        "  - {channel: email, at: 2027-01-16T10:00, personas: [marie-citadine]}\n"
        "  - {channel: email, at: 2027-01-18T10:00, personas: [marie-citadine]}\n",
    ).replace("budget: 6000", "budget: 7000")
    soldes.write_text(text, encoding="utf-8")
    git(folder, "commit", "-qam", "more for Marie")
    return folder


def test_a_change_shows_the_moved_touch_the_persona_over_its_cap_and_the_new_finding(
    repo: Path, run: Callable[..., Result]
) -> None:
    result = run("diff", "HEAD~1", "-w", str(repo / "marketing"), "-f", "json")
    assert result.exit_code == 1, result.stderr  # it adds an error
    data = json.loads(result.stdout)
    [soldes] = data["campaigns"]
    moved = [t for t in soldes["touches"] if t["change"] == "moved"]
    assert moved == [{
        "change": "moved", "channel": "sms", "personas": ["marie-citadine"],
        "before": "2027-01-15T18:30", "after": "2027-01-14T18:30",
        "file": "campaigns/soldes-hiver-2027.yaml", "line": 23, "column": 5, "end_line": 23,
        "end_column": 83,
    }]  # fmt: skip
    assert [t["change"] for t in soldes["touches"]] == ["moved", "added", "added"]
    assert soldes["budget"] == {"before": 6000, "after": 7000}
    assert soldes["after"]["contacts"] > soldes["before"]["contacts"]
    [marie] = data["personas"]
    assert marie == {
        "persona": "marie-citadine", "week": {"before": 2, "after": 4, "cap": 3},
        "month": {"before": 2, "after": 4, "cap": None}, "over": True,
    }  # fmt: skip
    assert "P101" in {f["rule"] for f in data["new"]}
    assert data["fixed"] == []
    assert data["journeys"] == []  # a workspace without journeys


def test_the_pull_request_comment(repo: Path, run: Callable[..., Result], golden: Golden) -> None:
    result = run("diff", "HEAD~1", "-w", str(repo / "marketing"), "-f", "markdown")
    golden(GOLDEN / "diff.md", result.stdout)


def test_head_compares_two_revisions_and_leaves_nothing_behind(
    repo: Path, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / SOLDES).write_text("not: [yaml", encoding="utf-8")  # the working tree is not read
    scratch = tmp_path / "scratch"  # a temporary folder of its own: other runs share /tmp
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = run("diff", "HEAD~1", "--head", "HEAD", "-w", str(repo / "marketing"), "-f", "json")
    assert result.exit_code == 1, result.stderr
    assert json.loads(result.stdout)["head"] == "HEAD"
    assert list(scratch.iterdir()) == []
    assert git(repo, "status", "--porcelain") == f" M {SOLDES}\n"  # only what the test did
    assert git(repo, "worktree", "list").count("\n") == 1


def test_no_change_is_exit_zero(repo: Path, run: Callable[..., Result]) -> None:
    result = run("diff", "-w", str(repo / "marketing"), "-f", "markdown")
    assert result.exit_code == 0
    assert "Le changement ne touche ni aux campagnes" in result.stdout  # a French workspace
    fixed = run("diff", "HEAD", "--head", "HEAD~1", "-w", str(repo / "marketing"), "-f", "json")
    assert fixed.exit_code == 0  # going back fixes the finding, and adds none
    assert "P101" in {f["rule"] for f in json.loads(fixed.stdout)["fixed"]}


def test_a_new_workspace_is_all_added(repo: Path, run: Callable[..., Result]) -> None:
    other = repo / "other"
    shutil.copytree(repo / "marketing", other)
    result = run("diff", "-w", str(other), "-f", "json")
    data = json.loads(result.stdout)
    assert data["new_workspace"] is True
    assert {c["status"] for c in data["campaigns"]} == {"added"}
    assert len(data["campaigns"]) == 3


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("nowhere", "'nowhere' is not a revision of the repository at"),
        ("--output=x", "'--output=x' is not a revision (it would be read as an option of git)"),
    ],
)
def test_a_base_that_is_not_a_revision_is_a_usage_error(
    repo: Path, run: Callable[..., Result], revision: str, message: str
) -> None:
    result = run("diff", "-w", str(repo / "marketing"), "--", revision)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_outside_a_repository_or_before_the_first_commit(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "personas", workspace / "personas")
    result = run("diff", "-w", str(workspace))
    assert result.exit_code == 2
    assert "is not in a git repository" in result.stderr
    git(workspace, "init", "-q")
    result = run("diff", "-w", str(workspace))
    assert result.exit_code == 2
    assert "has no commit yet" in result.stderr
