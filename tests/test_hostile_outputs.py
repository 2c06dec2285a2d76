"""Outputs in a checkout a pull request made: a link it committed never takes a write out of the
folder named, and no file mcplan writes takes its mode from what it replaces.

Each test runs from the checkout, as CI does, with the outputs named as a workflow names them;
outside it are a folder of someone's files, a world-writable folder (1777) and a setuid
program (4755), which must be left exactly as they were.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import ROOT

CAMPAIGN = "soldes-hiver-2027"
NEW_FILE = 0o644  # what a new file gets under the umask these tests set


@pytest.fixture(autouse=True)
def _umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout holding the example workspace, and the current folder; beside it, what a
    link could lead to."""
    root = tmp_path / "repo"
    for folder in ("personas", "campaigns", "channel_rules"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "mcplan.toml", root / "mcplan.toml")
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    for name in ("sms.txt", "email.eml", "x.sarif", "p.html", "sub/notes.txt"):
        (outside / name).write_text(f"someone's {name}\n", encoding="utf-8")
        (outside / name).chmod(0o640)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    program = tmp_path / "program"
    program.write_text("#!/bin/sh\necho I run as my owner\n", encoding="utf-8")
    program.chmod(0o4755)
    monkeypatch.chdir(root)
    return root


def outside(repo: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Everything beside the checkout: each entry's mode, modification time and content."""
    top = repo.parent
    entries = {".": (top.lstat().st_mode, top.lstat().st_mtime_ns, None)}
    for folder, folders, files in os.walk(top):
        if Path(folder) == top:
            folders.remove(repo.name)
        for name in folders + files:
            path = Path(folder, name)
            info = path.lstat()
            content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
            entries[path.relative_to(top).as_posix()] = (info.st_mode, info.st_mtime_ns, content)
    return entries


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def refused(result: Result, name: str) -> None:
    """Exit 2 with a message naming the link, and no traceback."""
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{name} is a link, and mcplan does not write through a link" in result.stderr
    assert "Traceback" not in result.stderr


# Every output a command writes, named through a folder `reports` of the checkout.
THROUGH_REPORTS = [
    ["render", CAMPAIGN, "--out", "reports", "--force"],
    ["render", CAMPAIGN, "--out", "reports"],
    ["render", CAMPAIGN, "--out", "reports/renders", "--force"],
    ["lint", "--output", "sarif=reports/x.sarif"],
    ["lint", "--output", "junit=reports/junit.xml", "--output", "json=reports/lint.json"],
    ["lint", "--baseline", "reports/baseline.json"],
    ["lint", "--baseline", "reports/baseline.json", "--update-baseline"],
    ["preview", CAMPAIGN, "--out", "reports/p.html", "--force"],
    ["calendar", "--out", "reports/calendar.html", "--force"],
    ["calendar", "--ics", "reports/calendar.ics", "--force"],
    ["plan", "--ics", "reports/plan.ics", "--force"],
    ["schema", "--write", "reports/schemas"],
    ["init", "reports"],
]


@pytest.mark.parametrize("args", THROUGH_REPORTS, ids=" ".join)
def test_a_committed_link_to_a_folder_outside_is_never_written_through(
    run: Callable, repo: Path, args: list[str]
) -> None:
    # `render --out out --force` with out -> /somewhere overwrote the files there.
    (repo / "reports").symlink_to(repo.parent / "outside", target_is_directory=True)
    before = outside(repo)
    result = run(*args)
    refused(result, "reports")
    assert outside(repo) == before


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--output", "sarif=reports/ci/x.sarif"],
        ["render", CAMPAIGN, "--out", "reports/ci", "--force"],
        ["render", CAMPAIGN, "--out", "reports/ci/renders", "--force"],
    ],
    ids=" ".join,
)
def test_a_link_deeper_in_the_checkout_is_refused_too(
    run: Callable, repo: Path, args: list[str]
) -> None:
    (repo / "reports").mkdir()
    (repo / "reports" / "ci").symlink_to(repo.parent / "outside", target_is_directory=True)
    before = outside(repo)
    refused(run(*args), "reports/ci")
    assert outside(repo) == before


def test_a_link_in_the_workspace_is_refused_when_named_from_outside_the_checkout(
    run: Callable, repo: Path
) -> None:
    (repo / "out").symlink_to(repo.parent / "outside", target_is_directory=True)
    elsewhere = repo.parent / "runner"
    elsewhere.mkdir()
    before = outside(repo)
    result = run(
        "render", CAMPAIGN, "-w", str(repo), "--out", str(repo / "out"), "--force", cwd=elsewhere
    )
    refused(result, str(repo / "out"))
    del before["runner"]
    after = outside(repo)
    del after["runner"]
    assert after == before


# Every output file a command writes (with the --force it needs to replace one); the first
# ones may be named by a link to a folder, the others are file options, which refuse it.
ANY_PATH = [
    (["lint", "--output", "sarif=mcplan.sarif"], "mcplan.sarif"),
    (["lint", "--output", "json=lint.json"], "lint.json"),
    (["render", CAMPAIGN, "--out", "out", "--force"], "out/sms.txt"),
    (["schema", "--write", "schemas"], "schemas/persona.schema.json"),
]
FILE_OPTIONS = [
    (["lint", "--baseline", "baseline.json", "--update-baseline"], "baseline.json"),
    (["preview", CAMPAIGN, "--out", "p.html", "--force"], "p.html"),
    (["calendar", "--out", "c.html", "--force"], "c.html"),
    (["calendar", "--ics", "c.ics", "--force"], "c.ics"),
    (["plan", "--ics", "p.ics", "--force"], "p.ics"),
]
FILES = ANY_PATH + FILE_OPTIONS


@pytest.mark.parametrize("target", ["shared", "program", "outside/sub/notes.txt"])
@pytest.mark.parametrize(("args", "name"), FILES, ids=[" ".join(a) for a, _ in FILES])
def test_a_committed_link_in_place_of_an_output_is_replaced_with_the_process_own_mode(
    run: Callable, repo: Path, args: list[str], name: str, target: str
) -> None:
    # mcplan.sarif -> a 1777 folder made the output 1777; lint.json -> a 4755 program, 4755.
    link = repo / name
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(repo.parent / target)
    before = outside(repo)
    result = run(*args)
    if target == "shared" and (args, name) in FILE_OPTIONS:
        assert result.exit_code == 2  # the option names a file, and this is a folder
        assert "is a directory" in result.stderr
        assert outside(repo) == before
        return
    assert result.exit_code == 0, result.stdout + result.stderr
    assert outside(repo) == before
    assert not link.is_symlink()
    assert link.is_file()
    assert mode(link) == NEW_FILE


@pytest.mark.parametrize(
    "args",
    [
        ["preview", CAMPAIGN, "--out", "p.html"],
        ["calendar", "--out", "c.html"],
        ["plan", "--ics", "p.ics"],
    ],
    ids=" ".join,
)
def test_a_link_in_place_of_an_output_is_not_replaced_without_force(
    run: Callable, repo: Path, args: list[str]
) -> None:
    link = repo / args[-1]
    link.symlink_to(repo.parent / "nothing-there")  # leads nowhere: still something there
    result = run(*args)
    assert result.exit_code == 2
    assert "already exists; add --force to overwrite it" in result.stderr
    assert link.is_symlink()


@pytest.mark.parametrize("permissions", [0o600, 0o640, 0o4755, 0o2775, 0o777], ids=oct)
def test_a_file_replaced_gives_at_most_its_read_and_write_permissions(
    run: Callable, repo: Path, permissions: int
) -> None:
    sarif = repo / "mcplan.sarif"
    sarif.write_text("{}", encoding="utf-8")
    sarif.chmod(permissions)
    had = mode(sarif)  # a system may drop setgid for a group the user is not in
    assert run("lint", "--output", "sarif=mcplan.sarif").exit_code == 0
    assert mode(sarif) == had & 0o666 & ~0o022


def test_render_writes_only_its_own_files_in_the_folder(run: Callable, repo: Path) -> None:
    out = repo / "out"
    out.mkdir()
    (out / "sms.txt").symlink_to(repo.parent / "outside" / "sms.txt")
    (out / "email.eml").symlink_to(repo.parent / "program")
    (out / "mine").symlink_to(repo.parent / "outside", target_is_directory=True)
    before = outside(repo)
    assert run("render", CAMPAIGN, "--out", "out", "--force").exit_code == 0
    assert outside(repo) == before
    assert (out / "mine").is_symlink()  # not mcplan's: left alone
    for name in ("sms.txt", "email.eml"):
        assert not (out / name).is_symlink()
        assert mode(out / name) == NEW_FILE


@pytest.fixture
def unplanned(repo: Path) -> Path:
    """The checkout with a campaign that has no channels yet: `plan --write` writes it."""
    campaign = repo / "campaigns" / f"{CAMPAIGN}.yaml"
    text = campaign.read_text("utf-8").split("channels: [email, sms, instagram]")[0]
    for other in (repo / "campaigns").iterdir():
        other.unlink()
    campaign.write_text(text, encoding="utf-8")
    return repo


def test_plan_write_replaces_a_campaign_file_that_is_a_link(run: Callable, unplanned: Path) -> None:
    drafts = unplanned / "drafts"
    drafts.mkdir()
    campaign = unplanned / "campaigns" / f"{CAMPAIGN}.yaml"
    campaign.rename(drafts / campaign.name)
    campaign.symlink_to(Path("..", "drafts", campaign.name))
    draft = (drafts / campaign.name).read_bytes()
    result = run("plan", "--write")
    assert result.exit_code == 0, result.stderr
    assert f"updated campaigns/{CAMPAIGN}.yaml" in result.stderr
    assert not campaign.is_symlink()
    assert "touches:" in campaign.read_text("utf-8")
    assert (drafts / campaign.name).read_bytes() == draft


def test_plan_write_refuses_a_campaigns_folder_that_is_a_link(
    run: Callable, unplanned: Path
) -> None:
    # The loader reads a link that stays in the workspace; a write never goes through one.
    (unplanned / "campaigns").rename(unplanned / "drafts")
    (unplanned / "campaigns").symlink_to("drafts", target_is_directory=True)
    draft = (unplanned / "drafts" / f"{CAMPAIGN}.yaml").read_bytes()
    result = run("plan", "--write")
    refused(result, "campaigns")
    assert (unplanned / "drafts" / f"{CAMPAIGN}.yaml").read_bytes() == draft


@pytest.mark.parametrize("named", ["absolute", "relative"])
def test_a_link_of_the_user_outside_the_checkout_is_followed(
    run: Callable, repo: Path, named: str
) -> None:
    # /tmp is a link on macOS: a folder the user names outside the checkout is theirs.
    mine = repo.parent / "mine"
    mine.symlink_to(repo.parent / "outside", target_is_directory=True)
    target = mine / "reports" / "x.sarif" if named == "absolute" else "../mine/reports/x.sarif"
    (repo.parent / "outside" / "reports").mkdir()
    result = run("lint", "--output", f"sarif={target}")
    assert result.exit_code == 0, result.stderr
    assert (repo.parent / "outside" / "reports" / "x.sarif").is_file()


def test_attribute_plot_is_written_like_every_output(run: Callable, repo: Path) -> None:
    pytest.importorskip("matplotlib")  # an extra: mcplan[plot]
    touches = str(Path(__file__).parent / "attribution" / "data" / "touches.csv")
    (repo / "reports").symlink_to(repo.parent / "outside", target_is_directory=True)
    (repo / "chart.svg").symlink_to(repo.parent / "program")
    before = outside(repo)
    refused(run("attribute", touches, "--plot", "reports/chart.png"), "reports")
    assert run("attribute", touches, "--plot", "chart.svg", "--force").exit_code == 0
    assert outside(repo) == before
    assert not (repo / "chart.svg").is_symlink()
    assert mode(repo / "chart.svg") == NEW_FILE
