"""Files are written whole or not at all, and failures name the file in plain words."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scorecam_gui.engine import atomicio
from scorecam_gui.engine.atomicio import (
    ExportError,
    atomic_open,
    atomic_write,
    save_csv,
    save_npy,
    save_png,
    save_text,
)


def leftovers(folder: Path) -> list[str]:
    """Temporary files that a failed write would leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_helpers_write_readable_files(tmp_path: Path) -> None:
    rgb = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    png = save_png(tmp_path / "map.png", rgb)
    with Image.open(png) as image:
        np.testing.assert_array_equal(np.asarray(image), rgb)

    array = np.linspace(0, 1, 12, dtype=np.float32).reshape(3, 4)
    npy = save_npy(tmp_path / "map.npy", array)
    np.testing.assert_array_equal(np.load(npy, allow_pickle=False), array)

    text = save_text(tmp_path / "notes.txt", "Katze 🐈\nespresso\n")
    assert text.read_bytes() == "Katze 🐈\nespresso\n".encode()

    csv_path = save_csv(
        tmp_path / "top5.csv", ["rank", "class"], [(1, "tabby, tabby cat"), (2, "x")]
    )
    assert csv_path.read_bytes() == b'rank,class\r\n1,"tabby, tabby cat"\r\n2,x\r\n'

    assert leftovers(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    # NamedTemporaryFile makes owner-only files; an export must not stay that way.
    path = save_text(tmp_path / "a.txt", "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~atomicio._UMASK
    path.chmod(0o640)
    save_text(path, "y")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_atomic_open_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with atomic_open(target) as f:
        f.write(b"new contents")
        # Until the block ends, readers still see the old file.
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new contents"
    assert leftovers(tmp_path) == []


def test_writer_raising_midway_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.png"

    def write(f) -> None:
        f.write(b"x" * 1000)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        atomic_write(target, write)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_existing_target_untouched_when_write_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("precious", encoding="utf-8")

    def write(f) -> None:
        f.write(b"half a tab")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(ExportError) as info:
        atomic_write(target, write)
    assert str(info.value) == f"Could not write {target}: disk full."
    assert info.value.path == target and info.value.reason == "disk full"
    assert target.read_text(encoding="utf-8") == "precious"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "disk full"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
    ],
)
def test_rename_failure_is_explained_and_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    target = tmp_path / "heatmap.png"
    target.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomicio.os, "replace", refuse)
    with pytest.raises(ExportError, match=rf"heatmap.png: {reason}\.$") as info:
        save_png(target, np.zeros((2, 2, 3), np.uint8))
    assert isinstance(info.value.__cause__, OSError)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_fsync_failure_is_explained_and_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomicio.os, "fsync", full)
    with pytest.raises(ExportError, match="read-only file system"):
        save_npy(tmp_path / "a.npy", np.zeros(3))
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "map.png"
    with pytest.raises(ExportError, match="folder does not exist"):
        save_text(target, "x")
    assert not target.parent.exists()


@pytest.mark.file_permissions
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "old.txt").write_text("old", encoding="utf-8")
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running with privileges that ignore folder permissions (root?)")
        with pytest.raises(ExportError, match="permission denied"):
            save_text(folder / "old.txt", "new")
        assert (folder / "old.txt").read_text(encoding="utf-8") == "old"
        assert leftovers(folder) == []
    finally:
        folder.chmod(0o700)


def test_unknown_errno_keeps_system_wording(tmp_path: Path) -> None:
    def write(f) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(ExportError, match=r"out.bin: Input/output error\.$"):
        atomic_write(tmp_path / "out.bin", write)


def test_bad_png_input_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="uint8"):
        save_png(tmp_path / "a.png", np.zeros((2, 2, 3), np.float32))
    with pytest.raises(ValueError, match="array"):
        save_png(tmp_path / "a.png", np.zeros((2, 2, 2), np.uint8))
    assert list(tmp_path.iterdir()) == []
