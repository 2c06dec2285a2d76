"""What one workspace may hold in all (files, bytes, values): past a limit, every command stops
with a usage error (exit 2) that names the limit and the first file not read, and reports
nothing of the part it read."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PERSONA as INDENTED
from conftest import french
from mcplan.workspace import load_workspace, reading
from mcplan.workspace.reading import WorkspaceLimits, WorkspaceTooLarge

PERSONA = textwrap.dedent(INDENTED).lstrip()
COMMANDS = [
    ("validate",),
    ("lint", "-f", "json"),
    ("lint", "-f", "sarif"),
    ("plan",),
    ("personas",),
    ("channels",),
]


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> WorkspaceLimits:
    """Limits a test reaches in a moment (the real ones: `mcplan.workspace.reading.LIMITS`)."""
    limits = WorkspaceLimits(files=12, bytes=20_000, values=1_000)
    monkeypatch.setattr(reading, "LIMITS", limits)
    return limits


def refused_everywhere(run: Callable, root: Path, says: str) -> None:
    for command in COMMANDS:
        result = run(*command, "-w", str(root))
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        assert result.stdout == "", command  # nothing of the part that was read
        assert "internal error" not in result.stderr
        assert french(says) in result.stderr, (command, result.stderr)
        assert "nothing is checked" in result.stderr


@pytest.mark.usefixtures("small_limits")
def test_more_files_than_a_workspace_may_hold_is_a_usage_error(
    run: Callable, make_workspace: Callable
) -> None:
    root = make_workspace({f"personas/p{i:02d}.yaml": PERSONA for i in range(8)})
    for i in range(5):  # not YAML, and in a folder: each costs a look all the same
        (root / "campaigns" / "assets" / f"image{i}.png").parent.mkdir(exist_ok=True)
        (root / "campaigns" / "assets" / f"image{i}.png").write_bytes(b"")
    refused_everywhere(
        run,
        root,
        "the workspace is too large to check: it holds more than 12 files and folders under "
        "personas/, campaigns/, journeys/ and channel_rules/",
    )


@pytest.mark.usefixtures("small_limits")
def test_more_bytes_than_a_workspace_may_hold_is_a_usage_error(
    run: Callable, make_workspace: Callable
) -> None:
    padding = "# " + "x" * 6_000 + "\n"  # 6 kB a file: the fourth passes 20 kB
    root = make_workspace({f"personas/p{i}.yaml": PERSONA + padding for i in range(5)})
    says = "it holds more than 19.5 kB in its files (personas/p3.yaml is the first not read)"
    refused_everywhere(run, root, says)


@pytest.mark.usefixtures("small_limits")
def test_more_values_than_a_workspace_may_hold_is_a_usage_error(
    run: Callable, make_workspace: Callable
) -> None:
    listed = "profile:\n  tags: [" + ", ".join(["a"] * 400) + "]\n"  # 400 values and more
    root = make_workspace({f"personas/p{i}.yaml": PERSONA + listed for i in range(4)})
    refused_everywhere(
        run, root, "it holds more than 1,000 values in its files (personas/p2.yaml is the first"
    )


@pytest.mark.usefixtures("small_limits")
def test_values_are_counted_as_aliases_repeat_them_and_in_files_refused_on_the_way(
    make_workspace: Callable,
) -> None:
    aliases = "profile:\n  a: &a [" + ", ".join(["x"] * 300) + "]\n  b: [*a, *a, *a]\n"
    root = make_workspace({"personas/p0.yaml": PERSONA + aliases + "bad: [\n"})
    (root / "personas/p1.yaml").write_text(PERSONA, encoding="utf-8")
    with pytest.raises(WorkspaceTooLarge, match=r"\(personas/p0.yaml is the first not read\)"):
        load_workspace(root, discover=False)


def test_limits_can_be_given_to_the_loader(make_workspace: Callable) -> None:
    root = make_workspace({f"personas/p{i}.yaml": PERSONA for i in range(3)})
    load_workspace(root, discover=False, limits=WorkspaceLimits(files=3))
    with pytest.raises(WorkspaceTooLarge, match="more than 2 files and folders"):
        load_workspace(root, discover=False, limits=WorkspaceLimits(files=2))


def test_a_folder_of_more_entries_than_the_limit_is_refused_before_a_file_is_read(
    run: Callable, make_workspace: Callable
) -> None:
    root = make_workspace({"personas/p.yaml": PERSONA})
    folder = root / "campaigns"
    for i in range(reading.LIMITS.files):
        os.close(os.open(folder / f"c{i:05d}.yaml", os.O_CREAT | os.O_WRONLY, 0o644))
    result = run("validate", "-w", str(root))
    assert result.exit_code == 2
    assert french("more than 20,000 files and folders under personas/, campaigns/") in result.stderr
    assert result.stdout == ""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in kilobytes on Linux")
def test_the_same_big_file_many_times_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    # The work tree: one 1 MB file committed 1,200 times cost lint 1.3 GB.
    (tmp_path / "personas").mkdir()
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    head = "personas: [" + ", ".join(["x"] * 2_000) + "]\nmessage: {headline: a}\n"
    big = campaigns / "c0000.yaml"
    big.write_text(head + "# " + "y" * (1_000_000 - len(head)) + "\n", encoding="utf-8")
    for i in range(1, 1_200):
        os.link(big, campaigns / f"c{i:04d}.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "mcplan", "lint", "-w", str(tmp_path), "-f", "json"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    first_not_read = f"campaigns/c{reading.LIMITS.bytes // big.stat().st_size:04d}.yaml"
    assert f"more than 64 MB in its files ({first_not_read} is the first not read)" in done.stderr
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 1024 * 1024, f"{peak_kb / 1024:.0f} MB"


@pytest.mark.usefixtures("small_limits")
def test_the_file_a_limit_names_is_shown_with_its_control_characters_escaped(
    run: Callable, make_workspace: Callable
) -> None:
    padding = "# " + "x" * 12_000 + "\n"
    root = make_workspace({"personas/a.yaml": PERSONA + padding})
    (root / "personas/b\x1b]0;pwned\x07.yaml").write_text(PERSONA + padding, encoding="utf-8")
    result = run("validate", "-w", str(root))
    assert result.exit_code == 2
    assert "(personas/b\\u001b]0;pwned\\u0007.yaml is the first not read)" in result.stderr
    assert "\x1b" not in result.stderr
