"""Files from a hostile pull request: nothing outside the workspace, and nothing that is not a
regular file, is ever opened or quoted; each such entry is a finding (S108) and the run exits 2.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PERSONA, WORKSPACES

SECRET = "password: hunter2-do-not-print"
MARKETS = WORKSPACES / "markets" / "clean"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(MARKETS, root)
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return root


def every_output(run: Callable, root: Path, tmp_path: Path) -> tuple[list[int], str]:
    """Exit codes and everything lint, validate and the baseline write."""
    baseline = tmp_path / "baseline.json"
    results = [
        run("lint", "-w", str(root), "-f", fmt)
        for fmt in ("text", "concise", "json", "sarif", "github", "junit")
    ]
    results.append(run("validate", "-w", str(root)))
    results.append(run("lint", "-w", str(root), "--baseline", str(baseline)))
    text = "".join(r.stdout + r.stderr for r in results)
    if baseline.exists():
        text += baseline.read_text("utf-8")
    return [r.exit_code for r in results], text


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "personas/secret.yaml",
            lambda path, tmp: path.symlink_to(tmp / "secret.txt"),
            "a link that leads out of the workspace: it is not opened",
        ),
        (
            "campaigns/dangling.yaml",
            lambda path, tmp: path.symlink_to(tmp / "nothing-here.yaml"),
            "a link that leads nowhere (or to itself): it is not opened",
        ),
        (
            "campaigns/loop.yaml",
            lambda path, tmp: path.symlink_to(path),
            "a link that leads nowhere (or to itself): it is not opened",
        ),
        ("campaigns/pipe.yaml", lambda path, tmp: os.mkfifo(path), "a FIFO, not a regular file"),
        (
            "personas/zero.yaml",
            lambda path, tmp: path.symlink_to("/dev/zero"),
            "a link that leads out of the workspace",
        ),
        (
            "personas/folder.yaml",
            lambda path, tmp: path.mkdir(),
            "a folder, not a regular file: it is not read",
        ),
    ],
)
def test_an_entry_that_is_not_a_workspace_file_is_refused_and_never_quoted(
    run: Callable, workspace: Path, tmp_path: Path, name: str, make: Callable, message: str
) -> None:
    make(workspace / name, tmp_path)
    codes, text = every_output(run, workspace, tmp_path)
    assert SECRET not in text
    assert codes[:7] == [2] * 7, text
    findings = json.loads(run("lint", "-w", str(workspace), "-f", "json").stdout)
    [refused] = [f for f in findings if f["file"] == name]
    assert (refused["rule"], refused["line"]) == ("S108", 1)
    assert refused["message"].startswith(message)


@pytest.mark.parametrize(
    "name",
    [
        "personas/lyon.yaml",
        "campaigns/noel.yml",
        "channel_rules/sms.yaml",
        "campaigns/2027/soldes.yaml",
        "personas/b2b/clients.yaml",
    ],
)
def test_a_folder_named_like_a_file_is_refused(run: Callable, workspace: Path, name: str) -> None:
    folder = workspace / name
    folder.mkdir(parents=True)
    (folder / "inside.yaml").write_text(SECRET + "\n", encoding="utf-8")  # never read
    result = run("validate", "-w", str(workspace), "-f", "concise")
    assert result.exit_code == 2, result.stdout + result.stderr
    says = f"{name}:1:1: error S108 a folder, not a regular file: it is not read"
    assert says in result.stdout
    assert "inside.yaml" not in result.stdout


def test_a_link_inside_the_workspace_is_read(run: Callable, workspace: Path) -> None:
    (workspace / "personas/alias.yaml").symlink_to(workspace / "personas/paris.yaml")
    assert run("validate", "-w", str(workspace)).exit_code == 0
    listed = json.loads(run("personas", "-w", str(workspace), "-f", "json").stdout)
    assert "alias" in {p["id"] for p in listed}


def test_a_linked_folder_out_of_the_workspace_is_not_followed(
    run: Callable, workspace: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "spy.yaml").write_text(SECRET + "\n", encoding="utf-8")
    (workspace / "personas/team").symlink_to(outside)
    codes, text = every_output(run, workspace, tmp_path)
    assert SECRET not in text
    assert "personas/team:1:1: error S108 a link to a folder out of the workspace" in text
    assert codes[:7] == [2] * 7


def test_settings_that_are_a_folder_or_a_link_out_are_refused(
    run: Callable, workspace: Path, tmp_path: Path
) -> None:
    (workspace / "mcplan.toml").unlink()
    (workspace / "mcplan.toml").mkdir()
    result = run("validate", "-w", str(workspace), "-f", "concise")
    assert result.exit_code == 2
    assert "mcplan.toml:1:1: error S108 a folder, not a regular file" in result.stdout
    (workspace / "mcplan.toml").rmdir()
    (workspace / "mcplan.toml").symlink_to(tmp_path / "secret.txt")
    codes, text = every_output(run, workspace, tmp_path)
    assert SECRET not in text
    assert codes[:7] == [2] * 7


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="Linux /proc only")
def test_the_process_environment_is_never_printed(workspace: Path) -> None:
    # CI runs lint with the repository's secrets in its environment.
    (workspace / "campaigns/env.yaml").symlink_to("/proc/self/environ")
    canary = "MCPLAN_TEST_CANARY=s3cr3t-value"
    env = {**os.environ, "MCPLAN_TEST_CANARY": "s3cr3t-value"}
    done = subprocess.run(
        [sys.executable, "-m", "mcplan", "lint", "-w", str(workspace), "-f", "json"],
        capture_output=True, text=True, env=env, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert "s3cr3t-value" not in done.stdout + done.stderr
    assert canary.split("=")[0] not in done.stdout + done.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_a_folder_that_cannot_be_listed_is_a_finding(run: Callable, workspace: Path) -> None:
    locked = workspace / "personas/locked"
    locked.mkdir()
    (locked / "x.yaml").write_text(PERSONA, encoding="utf-8")
    locked.chmod(0)
    try:
        result = run("validate", "-w", str(workspace), "-f", "concise")
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2
    assert "personas/locked:1:1: error S108 a folder that cannot be listed" in result.stdout


def test_a_committed_baseline_linked_out_of_its_folder_is_not_read(
    run: Callable, workspace: Path, tmp_path: Path
) -> None:
    """A baseline is the pull request's file too: a link to another file is refused, as an
    export's is; recording one replaces the link, never what it leads to."""
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"version": 1, "findings": []}\n' + SECRET, encoding="utf-8")
    baseline = workspace / "baseline.json"
    baseline.symlink_to(outside)
    result = run("lint", "-w", str(workspace), "--baseline", "baseline.json", cwd=workspace)
    assert result.exit_code == 2, result.output
    assert "baseline.json: a link that leads out of its folder" in result.stderr
    assert SECRET not in result.output
    recorded = run("lint", "-w", ".", "--baseline", "baseline.json", "--update-baseline")
    assert recorded.exit_code == 0, recorded.output
    assert not baseline.is_symlink()
    assert outside.read_text("utf-8").endswith(SECRET)  # untouched
