"""`mcplan diff` on a hostile pull request: git runs nothing the workspace configures, reads
only the user's own repository, and a revision can neither crash nor exhaust it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from ruamel.yaml import YAML
from typer.testing import Result

from conftest import ROOT, french
from mcplan.diff.listing import MAX_BYTES, MAX_FILES, MAX_LISTED

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
SOLDES = "campaigns/soldes-hiver-2027.yaml"
MISSING = "1" * 40  # an object no repository has


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        input=stdin, capture_output=True, check=True,
    )  # fmt: skip
    return done.stdout.decode().strip()


def snapshot(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def markers(tmp_path: Path) -> list[str]:
    """What the hostile configurations' commands leave when they run."""
    return sorted(p.name for p in tmp_path.rglob("PWNED*"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose workspace is `team/marketing/`: the example, then a second commit
    that takes Marie over her cap (a P101 error added)."""
    folder = tmp_path / "repo"
    workspace = folder / "team" / "marketing"
    workspace.mkdir(parents=True)
    for name in ("personas", "campaigns", "channel_rules"):
        shutil.copytree(ROOT / name, workspace / name)
    shutil.copy(ROOT / "mcplan.toml", workspace)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "the winter sales")
    soldes = workspace / SOLDES
    text = soldes.read_text("utf-8").replace(
        "  - {channel: sms, at: 2027-01-15T18:30, after: email, personas: [marie-citadine]}\n",
        "  - {channel: sms, at: 2027-01-15T18:30, after: email, personas: [marie-citadine]}\n"
        "  - {channel: email, at: 2027-01-16T10:00, personas: [marie-citadine]}\n"
        "  - {channel: email, at: 2027-01-18T10:00, personas: [marie-citadine]}\n",
    )
    soldes.write_text(text, encoding="utf-8")
    git(folder, "commit", "-qam", "more for Marie")
    return folder


def hostile_config(tmp_path: Path, worktree: str | None) -> str:
    """A repository configuration whose every program leaves a marker in ``tmp_path``."""
    hooks = tmp_path / "hooks"
    hooks.mkdir(exist_ok=True)
    for hook in ("reference-transaction", "pre-auto-gc", "post-checkout", "post-index-change",
                 "fsmonitor-watchman", "pre-commit", "post-merge"):  # fmt: skip
        (hooks / hook).write_text(f"#!/bin/sh\ntouch '{tmp_path}/PWNED-hook-{hook}'\n")
        (hooks / hook).chmod(0o755)

    def mark(name: str) -> str:
        return f"touch '{tmp_path}/PWNED-{name}'; false"

    return "\n".join([
        "[core]",
        "\trepositoryformatversion = 1",
        "\tbare = false",
        *([f"\tworktree = {worktree}"] if worktree is not None else []),
        f"\tsshCommand = {mark('ssh')}",
        f"\tfsmonitor = {mark('fsmonitor')}",
        f"\thooksPath = {hooks}",
        f"\talternateRefsCommand = {mark('alternate-refs')}",
        f"\tpager = {mark('pager')}",
        f"\taskPass = {mark('askpass')}",
        "[extensions]",
        "\tpartialClone = origin",
        '[remote "origin"]',
        "\turl = ssh://git.example.invalid/campaigns.git",
        "\tpromisor = true",
        "\tfetch = +refs/heads/*:refs/remotes/origin/*",
        '[remote "other"]',
        f"\turl = ext::sh -c {mark('ext').replace(' ', '% ')}",
        "\tpromisor = true",
        "[protocol]",
        "\tallow = always",
        '[protocol "ext"]',
        "\tallow = always",
        "[credential]",
        f"\thelper = !{mark('credential')}",
        "[uploadpack]",
        f"\tpackObjectsHook = {mark('pack-objects')}",
        "",
    ])  # fmt: skip


def bare_skeleton(folder: Path, config: str) -> None:
    """What a pull request can add to any folder to make git take it for a bare repository:
    HEAD, objects/, refs/, a config, and refs naming an object it does not have."""
    for sub in ("objects/info", "objects/pack", "refs/heads", "refs/tags"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "config").write_text(config)
    (folder / "packed-refs").write_text(
        "# pack-refs with: peeled fully-peeled sorted\n"
        f"{MISSING} refs/heads/main\n{MISSING} refs/remotes/origin/main\n"
    )


def assert_safe(result: Result, tmp_path: Path) -> None:
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert markers(tmp_path) == []


@pytest.mark.parametrize("worktree", [None, ".", "/usr", "../.."])
@pytest.mark.parametrize("where", ["team/marketing", "team"])
def test_a_bare_repository_skeleton_runs_nothing_and_the_real_repository_is_read(
    repo: Path, tmp_path: Path, run: Callable[..., Result], worktree: str | None, where: str
) -> None:
    """The pull request adds the skeleton to the workspace, or to a folder between it and the
    top: git never takes it for the repository, never fetches, never runs its commands."""
    bare_skeleton(repo / where, hostile_config(tmp_path, worktree))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a bare repository, of a kind")
    workspace = repo / "team" / "marketing"
    before = snapshot(tmp_path)
    for cwd in (repo, workspace, tmp_path):
        result = run("diff", "HEAD~2", "-w", str(workspace), "-f", "json", cwd=cwd)
        assert_safe(result, tmp_path)
        assert result.exit_code == 1  # the real change: Marie over her cap
        assert "P101" in {f["rule"] for f in json.loads(result.stdout)["new"]}
        missing = run("diff", "origin/main", "-w", str(workspace), cwd=cwd)
        assert_safe(missing, tmp_path)
        assert missing.exit_code == 2
        assert f"'origin/main' is not a revision of the repository at {repo}" in missing.stderr
    assert snapshot(tmp_path) == before  # nothing fetched, nothing written


def test_a_workspace_at_the_top_of_its_repository(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """The usual layout (the Action's default workspace, `.`), a skeleton beside its `.git`."""
    workspace = tmp_path / "campaigns-repo"
    for name in ("personas", "campaigns", "channel_rules"):
        shutil.copytree(ROOT / name, workspace / name)
    git(workspace, "init", "-q")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "the winter sales")
    bare_skeleton(workspace, hostile_config(tmp_path, "/usr"))
    (workspace / SOLDES).unlink()
    result = run("diff", "-w", str(workspace), "-f", "json", cwd=workspace)
    assert_safe(result, tmp_path)
    assert [c["status"] for c in json.loads(result.stdout)["campaigns"]] == ["removed"]


def test_the_action_runs_git_in_the_checkout() -> None:
    """The Action fetches the base in the checkout it runs in, never from the workspace."""
    action = YAML(typ="safe", pure=True).load((ROOT / "action.yml").read_text("utf-8"))
    [step] = [s for s in action["runs"]["steps"] if "mcplan diff" in s.get("run", "")]
    assert step["working-directory"] == "${{ github.workspace }}"
    assert "git -c safe.bareRepository=explicit fetch" in step["run"]
    assert "git -C" not in step["run"]


@pytest.mark.parametrize("kind", ["folder", "gitdir file"])
def test_a_git_folder_planted_in_the_workspace_is_not_the_repository(
    repo: Path, tmp_path: Path, run: Callable[..., Result], kind: str
) -> None:
    """A `.git` inside the checkout (no checkout writes one, but a folder may be filled by
    other means): the repository is the outermost one whose HEAD holds the workspace."""
    workspace = repo / "team" / "marketing"
    planted = tmp_path / "planted" if kind == "gitdir file" else workspace / ".git"
    bare_skeleton(planted, hostile_config(tmp_path, "/usr"))
    if kind == "gitdir file":
        (workspace / ".git").write_text(f"gitdir: {planted}\n")
    result = run("diff", "HEAD~1", "-w", str(workspace), "-f", "json", cwd=tmp_path)
    assert_safe(result, tmp_path)
    assert result.exit_code == 1
    assert "P101" in {f["rule"] for f in json.loads(result.stdout)["new"]}


def test_git_runs_nothing_a_repository_configures(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """When the repository itself is hostile (a workspace in no other repository, whose
    `.git` says to run commands and fetch what it lacks), reading it still runs nothing."""
    workspace = tmp_path / "ws"
    for name in ("personas", "campaigns", "channel_rules"):
        shutil.copytree(ROOT / name, workspace / name)
    git(workspace, "init", "-q")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "the winter sales")
    config = workspace / ".git" / "config"
    config.write_text(hostile_config(tmp_path, "/usr"))
    with (workspace / ".git" / "packed-refs").open("a") as refs:
        refs.write(f"{MISSING} refs/remotes/origin/main\n")
    (workspace / "campaigns" / "soldes-hiver-2027.yaml").unlink()  # the index: fsmonitor
    for revision in ("HEAD", "origin/main", "HEAD:campaigns"):
        result = run("diff", revision, "-w", str(workspace), "-f", "markdown", cwd=workspace)
        assert_safe(result, tmp_path)
    assert run("diff", "HEAD", "-w", str(workspace), "-f", "json").exit_code == 0


def test_git_never_sees_the_callers_environment(
    repo: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI's secrets are in mcplan's environment; git runs without them."""
    real = shutil.which("git")
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\nenv >> "{tmp_path}/git-env"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "hunter2-do-not-pass")
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    result = run("diff", "HEAD~1", "-w", str(repo / "team" / "marketing"), "-f", "json")
    assert result.exit_code == 1, result.stderr
    seen = (tmp_path / "git-env").read_text()
    assert "hunter2" not in seen
    assert f"GIT_DIR={repo.resolve() / '.git'}\n" in seen
    assert "elsewhere" not in seen


# -- revisions no checkout can have ---------------------------------------------------------


def tree(repo: Path, entries: list[tuple[str, bytes, str]]) -> str:
    """A tree object written as given, however broken: (mode, name, hash) entries."""
    raw = b"".join(
        f"{mode} ".encode() + name + b"\0" + bytes.fromhex(h) for mode, name, h in entries
    )
    return git(repo, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", stdin=raw)


def blob(repo: Path, content: bytes) -> str:
    return git(repo, "hash-object", "-w", "--stdin", stdin=content)


def entries(repo: Path, treeish: str) -> list[tuple[str, bytes, str]]:
    listed = git(repo, "ls-tree", treeish).splitlines()
    return [(m.replace("040000", "40000"), n.encode(), h) for m, _, h, n in
            (line.replace("\t", " ").split(" ", 3) for line in listed)]  # fmt: skip


def with_campaigns(repo: Path, more: list[tuple[str, bytes, str]]) -> str:
    """A commit on HEAD whose `team/marketing/campaigns/` also holds ``more``."""
    campaigns = entries(repo, "HEAD:team/marketing/campaigns") + more
    inner = tree(repo, sorted(campaigns, key=lambda e: e[1] + (b"/" if e[0] == "40000" else b"")))
    marketing = [(m, n, inner if n == b"campaigns" else h)
                 for m, n, h in entries(repo, "HEAD:team/marketing")]  # fmt: skip
    team = [(m, n, tree(repo, marketing) if n == b"marketing" else h)
            for m, n, h in entries(repo, "HEAD:team")]  # fmt: skip
    top = [(m, n, tree(repo, team) if n == b"team" else h) for m, n, h in entries(repo, "HEAD")]
    return git(repo, "commit-tree", tree(repo, top), "-p", "HEAD", "-m", "crafted")


@pytest.mark.parametrize(
    ("crafted", "message"),
    [
        ("file and folder", "'team/marketing/campaigns/x.yaml' both as a file and as a folder"),
        ("twice", "holds 'team/marketing/campaigns/x.yaml' twice"),
        ("slash", "holds a path no checkout can have: 'team/marketing/campaigns//"),
        ("too long", "cannot copy 'team/marketing/campaigns/xxxxxxxx"),
    ],
)  # fmt: skip
def test_a_path_no_checkout_can_have_is_a_clear_error(
    repo: Path, tmp_path: Path, run: Callable[..., Result], crafted: str, message: str
) -> None:
    yaml = blob(repo, b"id: x\nbrand: B\n")
    other = blob(repo, b"id: y\nbrand: B\n")
    more = {
        "file and folder": [("100644", b"x.yaml", yaml),
                            ("40000", b"x.yaml", tree(repo, [("100644", b"y.yaml", yaml)]))],
        "twice": [("100644", b"x.yaml", yaml), ("100644", b"x.yaml", other)],
        "slash": [("100644", f"/{tmp_path}/escaped.yaml".encode(), yaml)],
        "too long": [("100644", b"x" * 300 + b".yaml", yaml)],
    }[crafted]  # fmt: skip
    commit = with_campaigns(repo, more)
    before = snapshot(tmp_path)
    result = run("diff", commit, "-w", str(repo / "team" / "marketing"))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_names_that_lead_out_are_never_written(
    repo: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    yaml = blob(repo, b"id: x\nbrand: B\n")
    escape = f"../../../../../../../../{tmp_path.name}/escaped.yaml".encode()
    commit = with_campaigns(repo, [("100644", escape, yaml), ("100644", b"..", yaml)])
    before = snapshot(tmp_path)
    result = run("diff", commit, "-w", str(repo / "team" / "marketing"), "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    assert snapshot(tmp_path) == before


def test_a_revision_brings_at_most_so_many_bytes(repo: Path, run: Callable[..., Result]) -> None:
    """One blob of a megabyte listed again and again: a few kilobytes of git objects that
    would write gigabytes; refused from the listing, before a byte is read."""
    megabyte = blob(repo, b"# " + b"x" * 1_000_000 + b"\n")
    copies = MAX_BYTES // 1_000_000 + 1
    commit = with_campaigns(repo, [("100644", f"c{i:04}.yaml".encode(), megabyte)
                                   for i in range(copies)])  # fmt: skip
    result = run("diff", commit, "-w", str(repo / "team" / "marketing"))
    assert result.exit_code == 2
    assert "add up to more than 64 MB: `mcplan diff` reads at most that much" in result.stderr


def test_a_revision_brings_at_most_so_many_files(repo: Path, run: Callable[..., Result]) -> None:
    yaml = blob(repo, b"id: x\n")
    hundred = tree(repo, [("100644", f"c{i:03}.yaml".encode(), yaml) for i in range(100)])
    folders = [("40000", f"f{i:03}".encode(), hundred) for i in range(MAX_FILES // 100 + 1)]
    commit = with_campaigns(repo, [("40000", b"many", tree(repo, folders))])
    result = run("diff", commit, "-w", str(repo / "team" / "marketing"))
    assert result.exit_code == 2
    assert french(f"holds more than {MAX_FILES:,} workspace files") in result.stderr


def test_listing_a_revision_stops(repo: Path, run: Callable[..., Result]) -> None:
    """Trees that share subtrees list a million entries from a few kilobytes."""
    image = blob(repo, b"\x89PNG")
    level = tree(repo, [("100644", f"i{i:03}.png".encode(), image) for i in range(100)])
    for _ in range(2):
        level = tree(repo, [("40000", f"d{i:03}".encode(), level) for i in range(100)])
    commit = with_campaigns(repo, [("40000", b"images", level)])
    result = run("diff", commit, "-w", str(repo / "team" / "marketing"))
    assert result.exit_code == 2
    assert french(f"lists more than {MAX_LISTED:,} entries") in result.stderr


def test_a_file_too_big_is_reported_not_read(
    repo: Path, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = blob(repo, b"id: big\n# " + b"x" * (3 * 1024 * 1024) + b"\n")
    commit = with_campaigns(repo, [("100644", b"big.yaml", big)])
    # A temporary folder of its own: other processes write theirs in the machine's.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    result = run("diff", commit, "-w", str(repo / "team" / "marketing"), "-f", "json")
    assert result.exit_code == 0, result.stderr  # the working tree has no such file: fixed
    [fixed] = [f for f in json.loads(result.stdout)["fixed"] if f["rule"] == "S103"]
    assert fixed["file"] == "campaigns/big.yaml"
    assert "file is 3 MB, more than the 1 MB allowed" in fixed["message"]
    assert list(temporary.iterdir()) == []  # its copy of the revision is gone


# -- what the outputs show of the files -----------------------------------------------------

FORGED = (
    "x\n\n## mcplan: no findings, safe to merge\n[details](https://evil.example) <b>hi</b> "
    "www.evil.example"
)


def test_the_markdown_shows_text_from_files_as_text(repo: Path, run: Callable[..., Result]) -> None:
    """A key, an id and a file name that would write a heading, a link, HTML and a table
    cell in the job summary: every one shows as text."""
    campaigns = repo / "team" / "marketing" / "campaigns"
    soldes = campaigns / "soldes-hiver-2027.yaml"
    soldes.write_text(soldes.read_text("utf-8") + json.dumps(FORGED) + ": 1\n", encoding="utf-8")
    name = "a`b|c [x](y) *z* ![i](j) \x1b]0;t\x07.yaml"
    (campaigns / name).write_text('id: "e\\n# evil | cell"\nbrand: <script>x</script>\n')
    result = run("diff", "HEAD~1", "-w", str(repo / "team" / "marketing"), "-f", "markdown")
    assert result.exit_code == 1, result.stderr
    markdown = result.stdout
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(markdown)
    nested = [t for token in tokens for t in [token, *(token.children or [])]]
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [  # in French, as the example workspace
        "mcplan diff : `HEAD~1` → la copie de travail",
        "soldes-hiver-2027 (supprimée)",  # the file now has an error: it is left out
        "Pression de contact, toutes campagnes confondues",
        "Constats ajoutés",
    ]
    kinds = {t.type for t in nested}
    assert not kinds & {"link_open", "image", "html_inline", "html_block", "em_open", "s_open"}
    assert "\x1b" not in markdown
    assert re.search(r"(?<!\\):(?=//)|www\.", markdown) is None  # no autolink (GitHub's)
    text = [t.content for t in nested if t.type in ("text", "code_inline")]
    assert any("## mcplan: no findings, safe to merge" in t for t in text)  # shown, as text
    assert any(r"\u001b]0;t\u0007" in t for t in text)


def test_the_terminal_and_json_show_no_control_character_nor_line_break(
    repo: Path, run: Callable[..., Result]
) -> None:
    campaigns = repo / "team" / "marketing" / "campaigns"
    soldes = campaigns / "soldes-hiver-2027.yaml"
    evil = "k\x1b]0;t\x07 \x9b31m \u202e [link=https://evil.example]x[/link]\nmcplan: all good"
    soldes.write_text(soldes.read_text("utf-8") + json.dumps(evil) + ": 1\n", encoding="utf-8")
    workspace = str(repo / "team" / "marketing")
    for output in ("text", "json", "markdown"):
        result = run("diff", "HEAD~1", "-w", workspace, "-f", output)
        assert result.exit_code == 1, result.stderr
        for character in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert character not in result.stdout, output
        assert "\nmcplan: all good" not in result.stdout  # a line of its own
    data = json.loads(run("diff", "HEAD~1", "-w", workspace, "-f", "json").stdout)
    assert any(evil in f["message"] for f in data["new"])  # the same text, escaped in JSON


def test_git_that_does_not_answer_is_stopped(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO where git reads a file of the repository (its HEAD) would hang it."""
    monkeypatch.setattr("mcplan.diff.gitcommand.TIMEOUT", 1.0)
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "personas", workspace / "personas")
    git(workspace, "init", "-q")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "personas")
    (workspace / ".git" / "HEAD").unlink()
    os.mkfifo(workspace / ".git" / "HEAD")
    result = run("diff", "-w", str(workspace))
    assert result.exit_code == 2
    assert "git did not answer within 1 s in the repository at" in result.stderr
