"""One Score-CAM Studio per user: a second launch hands its photos to the running window.

Double-clicking a photo, "Open with" and a drop on the Dock or task-bar icon all start the program
again. That second process connects to the first one's QLocalServer, sends the photos' absolute
paths, waits for the answer and exits; it needs only QtCore and QtNetwork, so it is done in well
under a second and never loads torch. `--new-window` skips all of this.

The server's name is per user (a hash of the user name): on Unix it is a socket file in the
temporary folder, on Windows a named pipe. A socket file left behind by a crash refuses
connections; the next start removes it (QLocalServer.removeServer) and listens again. A lock file
around "connect, else listen" keeps two programs started at the same moment from both deciding
they are the first one. $SCORECAM_INSTANCE_NAME replaces the name (tests, benchmarks).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

NAME_ENV = "SCORECAM_INSTANCE_NAME"
CONNECT_TIMEOUT_MS = 1000
ANSWER_TIMEOUT_MS = 5000  # the running window may be busy painting a result
LOCK_TIMEOUT_MS = 10000  # a first instance holds the lock only until it listens
MAX_MESSAGE = 1 << 20


def server_name() -> str:
    """This user's server name: $SCORECAM_INSTANCE_NAME, else one derived from the user name."""
    override = os.environ.get(NAME_ENV)
    if override:
        return override
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment nor in the password database
        user = str(Path.home())
    digest = hashlib.sha256(f"scorecam-studio|{user}".encode()).hexdigest()[:16]
    return f"scorecam-studio-{digest}"


def _lock_path(name: str) -> str:
    if "/" in name or "\\" in name:  # a full socket path: the lock sits next to it
        return f"{name}.lock"
    return str(Path(QDir.tempPath()) / f"{name}.lock")


def encode(paths: Sequence[str]) -> bytes:
    """One message: the photos to open, as absolute paths (the two processes' folders differ)."""
    absolute = [str(Path(p).resolve()) for p in paths]
    return json.dumps({"open": absolute}).encode() + b"\n"


def decode(data: bytes) -> list[str] | None:
    """The paths of one message; None when it is not one of ours."""
    try:
        message = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError):
        return None
    paths = message.get("open") if isinstance(message, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return None
    return paths


def _allow_foreground() -> None:
    # Windows only lets the process the user is working with bring a window to the front; this
    # one passes that right on, so that the running window can come forward.
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


def hand_off(name: str, paths: Sequence[str]) -> bool:
    """Send `paths` to the running instance; True once it has answered that it took them."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    _allow_foreground()
    socket.write(encode(paths))
    answer = b""
    if socket.waitForBytesWritten(ANSWER_TIMEOUT_MS):
        while not answer.endswith(b"\n") and socket.waitForReadyRead(ANSWER_TIMEOUT_MS):
            answer += bytes(socket.readAll().data())
    socket.abort()
    return answer.strip() == b"ok"


class InstanceServer(QObject):
    """Listens for later launches; `photosReceived` carries each one's photos (maybe none)."""

    photosReceived = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        # Unix: only this user may connect (the socket file is mode 0700).
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket file left by a crashed instance is removed first (Qt
        replaces it by itself when it can: it binds elsewhere and renames into place)."""
        if self._server.listen(self.name):
            return True
        if self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            # Nobody answered on it (the caller tried), so it is left over from a crash.
            QLocalServer.removeServer(self.name)
            if self._server.listen(self.name):
                log.info("removed a stale instance socket %s", self.name)
                return True
        log.warning("cannot listen as %s: %s", self.name, self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE:
                self._drop(socket)
            else:
                self._buffers[socket] = data
            return
        paths = decode(data.split(b"\n", 1)[0])
        if paths is None:
            log.warning("ignored a message that is not Score-CAM Studio's")
            self._drop(socket)
            return
        self._buffers.pop(socket, None)
        log.info("another launch handed over %d photo(s)", len(paths))
        # The answer first: the other program may exit now, whatever opening the photos takes.
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        self.photosReceived.emit(paths)

    def _drop(self, socket: QLocalSocket) -> None:
        if self._buffers.pop(socket, None) is not None:
            socket.abort()
        socket.deleteLater()


class SingleInstance:
    """The start-up decision: hand the photos to a running instance, or become it.

    Use `claim(paths)` before the QApplication exists: True means another instance took the
    photos (exit now). Otherwise the lock stays held until `serve()` listens, so that a program
    started at the same moment waits and then finds this one.
    """

    def __init__(self, name: str | None = None) -> None:
        self.name = name or server_name()
        self._lock = QLockFile(_lock_path(self.name))
        self._lock.setStaleLockTime(0)  # only a dead owner's lock is stale, never a slow one

    def claim(self, paths: Sequence[str]) -> bool:
        """True when a running instance accepted `paths`; else this process goes on starting."""
        if not self._lock.tryLock(LOCK_TIMEOUT_MS):
            log.warning("could not take the start-up lock; starting a window of its own")
        return hand_off(self.name, paths)

    def serve(self, parent: QObject | None = None) -> InstanceServer | None:
        """Listen for later launches (needs the QApplication); releases the start-up lock."""
        try:
            server = InstanceServer(self.name, parent)
            return server if server.listen() else None
        finally:
            self.release()

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()
