"""Files mcplan writes: in one step, with the permissions a user expects."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcplan import writing
from mcplan.writing import RefusedPath, open_folder, write_atomic, write_file


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
@pytest.mark.parametrize(
    ("permissions", "kept"),
    [
        (0o644, 0o644),
        (0o640, 0o640),
        (0o600, 0o600),  # a private file stays private
        (0o664, 0o644),  # never more than the umask gives
        (0o666, 0o644),
        (0o755, 0o644),  # never executable
        (0o4755, 0o644),  # never setuid or setgid
        (0o2775, 0o644),
    ],
    ids=lambda permissions: oct(permissions),
)
def test_a_replaced_file_keeps_its_read_and_write_permissions_within_the_umask(
    tmp_path: Path, permissions: int, kept: int
) -> None:
    target = tmp_path / "campaign.yaml"
    target.write_text("before", encoding="utf-8")
    target.chmod(permissions)
    write_atomic(target, "after")
    assert (target.read_text("utf-8"), mode(target)) == ("after", kept)


def test_a_failed_write_leaves_the_file_and_no_trace(tmp_path: Path) -> None:
    target = tmp_path / "campaign.yaml"
    target.write_text("before", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text("utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["campaign.yaml"]


@pytest.fixture(params=["descriptors", "paths"])
def walked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test twice: through folder descriptors, and on paths (as on Windows)."""
    if request.param == "paths":
        monkeypatch.setattr(writing, "_DIR_FD", False)
    return str(request.param)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, walked: str) -> Path:
    """The current folder, and beside it a folder ``outside`` with one file."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.txt").write_text("theirs", encoding="utf-8")
    here = tmp_path / "checkout"
    here.mkdir()
    monkeypatch.chdir(here)
    return here


def untouched(checkout: Path) -> bool:
    outside = checkout.parent / "outside"
    return [p.name for p in outside.iterdir()] == ["x.txt"] and (
        (outside / "x.txt").read_text("utf-8") == "theirs"
    )


@pytest.mark.parametrize("path", ["link/x.txt", "link/new/x.txt", "real/link/x.txt"])
def test_a_link_below_the_current_folder_is_refused(checkout: Path, path: str) -> None:
    (checkout / "real").mkdir()
    for name in ("link", "real/link"):
        (checkout / name).symlink_to(checkout.parent / "outside", target_is_directory=True)
    with pytest.raises(RefusedPath) as refused:
        write_atomic(Path(path), "mine")
    link = path.rsplit("/link/", 1)[0] + "/link" if path.startswith("real") else "link"
    assert refused.value.strerror.startswith(f"{link} is a link, and mcplan does not write")
    assert untouched(checkout)


def test_dot_dot_goes_up_from_where_it_is_not_from_where_a_link_leads(checkout: Path) -> None:
    (checkout / "real").mkdir()
    write_atomic(Path("real/../mine.txt"), "mine")
    assert (checkout / "mine.txt").read_text("utf-8") == "mine"
    (checkout / "link").symlink_to(checkout.parent / "outside", target_is_directory=True)
    with pytest.raises(RefusedPath):
        write_atomic(Path("link/../x.txt"), "mine")  # the system would write outside/../x.txt
    assert untouched(checkout)
    assert not (checkout.parent / "x.txt").exists()


def test_a_file_on_the_way_is_not_a_folder(checkout: Path) -> None:
    (checkout / "report").write_text("", encoding="utf-8")
    with pytest.raises(RefusedPath, match="report is not a folder"):
        write_atomic(Path("report/x.txt"), "mine")


def test_folders_are_made_when_asked_and_only_then(checkout: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(Path("a/b/x.txt"), "mine")
    with open_folder(Path("a/b"), create=True) as folder:
        folder.write("x.txt", "mine")
        assert folder.names() == ["x.txt"]
    assert (checkout / "a" / "b" / "x.txt").read_text("utf-8") == "mine"


@pytest.mark.parametrize("name", ["", ".", "..", "a/b"])
def test_a_file_name_is_one_name(checkout: Path, name: str) -> None:
    with open_folder(Path()) as folder, pytest.raises(RefusedPath, match="is not a file name"):
        folder.write(name, "mine")


def test_the_workspace_is_guarded_from_anywhere(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = checkout / "ws"
    workspace.mkdir()
    (workspace / "out").symlink_to(checkout.parent / "outside", target_is_directory=True)
    monkeypatch.chdir(checkout.parent / "outside")
    with pytest.raises(RefusedPath, match="out is a link"):
        write_atomic(workspace / "out" / "x.txt", "mine", root=workspace)
    assert untouched(checkout)


def test_a_link_the_user_names_above_the_current_folder_is_followed(checkout: Path) -> None:
    (checkout.parent / "mine").symlink_to(checkout.parent / "outside", target_is_directory=True)
    write_atomic(checkout.parent / "mine" / "y.txt", "mine")
    write_atomic(Path("../mine/z.txt"), "mine")
    assert sorted(p.name for p in (checkout.parent / "outside").iterdir()) == [
        "x.txt",
        "y.txt",
        "z.txt",
    ]


def test_a_link_in_place_of_the_file_is_replaced_not_followed(checkout: Path) -> None:
    (checkout / "out.txt").symlink_to(checkout.parent / "outside" / "x.txt")
    write_file(Path("out.txt"), "mine", force=True)
    assert not (checkout / "out.txt").is_symlink()
    assert (checkout / "out.txt").read_text("utf-8") == "mine"
    assert untouched(checkout)
