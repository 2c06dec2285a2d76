"""Files mcplan writes: in one step, with the permissions a user expects."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcplan.files import write_atomic


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask")
def test_a_new_file_follows_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    write_atomic(target, "x")
    assert mode(target) == 0o644  # was 0600 whatever the umask


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("permissions", [0o644, 0o640, 0o664])
def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, permissions: int) -> None:
    target = tmp_path / "campaign.yaml"
    target.write_text("before", encoding="utf-8")
    target.chmod(permissions)
    write_atomic(target, "after")
    assert (target.read_text("utf-8"), mode(target)) == ("after", permissions)


def test_a_failed_write_leaves_the_file_and_no_trace(tmp_path: Path) -> None:
    target = tmp_path / "campaign.yaml"
    target.write_text("before", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text("utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["campaign.yaml"]
