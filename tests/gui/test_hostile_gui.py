"""Hostile input to the window (issue 24): class names with rich text from a labels file, and the
single-instance socket (another user's squat, another user's connection, a nested message)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtNetwork import QLocalSocket

from scorecam_gui.gui.panels.prediction import PredictionPanel
from scorecam_gui.gui.startup import instance
from scorecam_gui.gui.widgets import ElidedLabel, plain_tip, section_title

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="a socket file in a folder")


@dataclass(frozen=True)
class _Prediction:
    index: int
    name: str
    probability: float


RICH = '<b>tabby</b><img src="x"><a href="file:///etc/passwd">cat</a>'


def test_class_names_from_a_labels_file_are_shown_as_plain_text(qtbot) -> None:
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    top = [_Prediction(3, RICH, 0.41), _Prediction(7, "<i>dog</i>", 0.38)]
    panel.set_predictions(top)
    assert panel.note.textFormat() == Qt.TextFormat.PlainText  # the unsure note names both
    assert "<b>tabby</b>" in panel.note_text()
    tip = panel.list.item(0).toolTip()
    assert tip.startswith("<qt>") and "&lt;b&gt;tabby&lt;/b&gt;" in tip and "<b>" not in tip
    assert panel.list.item(0).text() == RICH  # the list draws its text itself, as text


def test_tooltips_and_titles_never_take_names_for_rich_text(qtbot) -> None:
    assert plain_tip("plain words") == "plain words"
    assert plain_tip("a <b>b</b> & c\nd") == "<qt>a &lt;b&gt;b&lt;/b&gt; &amp; c<br>d</qt>"
    label = ElidedLabel("x")
    qtbot.addWidget(label)
    label.set_details(RICH)
    assert "&lt;b&gt;" in label.toolTip() and "<b>" not in label.toolTip()
    title = section_title(f"Sanity check: {RICH}")
    qtbot.addWidget(title)
    assert title.textFormat() == Qt.TextFormat.PlainText


# -- the single-instance socket ------------------------------------------------------------------
def test_a_deeply_nested_message_is_ignored_not_a_recursion_error() -> None:
    nested = b'{"open": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    assert instance.decode(nested) is None
    assert instance.decode(b"[" * 200_000) is None
    assert instance.decode(instance.encode(["a.png"]).strip()) == [str(Path("a.png").resolve())]


def test_a_nested_message_on_the_live_socket_is_dropped_quietly(qtbot, tmp_path: Path) -> None:
    server = instance.InstanceServer(str(tmp_path / "instance"))
    assert server.listen()
    received: list[list[str]] = []
    server.photosReceived.connect(received.append)
    try:
        client = QLocalSocket()
        client.connectToServer(str(tmp_path / "instance"))
        assert client.waitForConnected(2000)
        client.write(b'{"open": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
        client.flush()
        qtbot.waitUntil(lambda: client.state() != QLocalSocket.LocalSocketState.ConnectedState,
                        timeout=10_000)  # fmt: skip
        assert received == []
    finally:
        server.close()


@posix_only
def test_the_socket_lives_in_a_folder_only_this_user_can_enter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(instance.NAME_ENV, raising=False)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    name = instance.server_name()
    assert name is not None
    assert Path(name).parent == runtime / "scorecam-studio"
    assert (runtime / "scorecam-studio").stat().st_mode & 0o077 == 0
    # Without a runtime folder: a private folder of this user's in the temporary folder.
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    name = instance.server_name()
    assert name is not None
    folder = Path(name).parent
    assert folder == tmp_path / f"scorecam-studio-{os.getuid()}"
    assert folder.stat().st_mode & 0o777 == 0o700 and folder.stat().st_uid == os.getuid()


@posix_only
@pytest.mark.parametrize("squat", ["open to all", "another user's"])
def test_a_folder_squatted_by_another_user_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, squat: str
) -> None:
    monkeypatch.delenv(instance.NAME_ENV, raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    folder = tmp_path / f"scorecam-studio-{os.getuid()}"
    folder.mkdir()
    if squat == "open to all":
        folder.chmod(0o777)
    else:
        folder.chmod(0o700)
        if os.getuid() == 0:
            os.chown(folder, 4242, 4242)
        else:
            monkeypatch.setattr(instance.os, "getuid", lambda: os.getuid() + 4242)
    try:
        assert instance.server_name() is None
        single = instance.SingleInstance()
        assert single.name is None
        assert single.claim(["photo.png"]) is False  # this program starts on its own
        assert single.serve() is None  # and serves nobody
    finally:
        monkeypatch.undo()
        if folder.stat().st_uid != os.getuid():  # give it back, so that pytest can remove it
            os.chown(folder, os.getuid(), os.getgid())


def _connected(qtbot, name: str) -> QLocalSocket:
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(2000)
    return client


@posix_only
def test_a_peer_of_another_user_gets_no_photo_paths(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = str(tmp_path / "instance")
    server = instance.InstanceServer(name)
    assert server.listen()
    received: list[list[str]] = []
    server.photosReceived.connect(received.append)
    try:
        mine = _connected(qtbot, name)
        assert instance.peer_is_this_user(mine)  # SO_PEERCRED: the same user at both ends
        mine.write(instance.encode(["mine.png"]))
        qtbot.waitUntil(lambda: received == [[str(Path("mine.png").resolve())]], timeout=5000)

        real = os.getuid()
        again = _connected(qtbot, name)
        monkeypatch.setattr(instance.os, "getuid", lambda: real + 4242)  # now they differ
        assert not instance.peer_is_this_user(again)
        assert instance.hand_off(name, ["secret.png"]) is False  # the launcher sends nothing
        other = _connected(qtbot, name)  # and the server takes nothing from such a peer
        other.write(instance.encode(["theirs.png"]))
        other.flush()
        qtbot.waitUntil(
            lambda: other.state() != QLocalSocket.LocalSocketState.ConnectedState, timeout=5000
        )
        assert received == [[str(Path("mine.png").resolve())]]
    finally:
        server.close()
