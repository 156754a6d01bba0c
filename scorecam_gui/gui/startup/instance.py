"""One Score-CAM Studio per user: a second launch hands its photos to the running window.

Double-clicking a photo, "Open with" and a drop on the Dock or task-bar icon all start the program
again. That second process connects to the first one's QLocalServer, sends the photos' absolute
paths, waits for the answer and exits; it needs only QtCore and QtNetwork, so it is done in well
under a second and never loads torch. `--new-window` skips all of this.

The server's name is per user. On Unix it is a socket file in a folder only this user can enter:
$XDG_RUNTIME_DIR/scorecam-studio, else a folder `scorecam-studio-UID` of mode 0700 in the temporary
folder, made if missing and used only when this user owns it and nobody else may enter it (another
user who made it first gets no photos: this program then serves no later launches). Both sides
also check the other end's user id (SO_PEERCRED, where the system has it) before a byte is
sent. On Windows it is a named pipe that only this user may open. A socket file left behind by a
crash refuses
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
import socket as pysocket
import stat
import struct
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


def server_name() -> str | None:
    """This user's server name: $SCORECAM_INSTANCE_NAME, else one derived from the user name, in
    private_folder() on Unix; None when there is no private folder (see the module docstring)."""
    override = os.environ.get(NAME_ENV)
    if override:
        return override
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment nor in the password database
        user = str(Path.home())
    digest = hashlib.sha256(f"scorecam-studio|{user}".encode()).hexdigest()[:16]
    name = f"scorecam-studio-{digest}"
    if sys.platform == "win32":
        return name
    folder = private_folder()
    return str(folder / name) if folder is not None else None


def _is_private(folder: Path) -> bool:
    """A real folder (no link) of this user that nobody else may enter or change."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    )


def private_folder() -> Path | None:
    """This user's folder for the socket (Unix): $XDG_RUNTIME_DIR/scorecam-studio, else
    TMP/scorecam-studio-UID (mode 0700); None when it is not this user's alone."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _is_private(Path(runtime)):
        folder = Path(runtime) / "scorecam-studio"
    else:
        folder = Path(QDir.tempPath()) / f"scorecam-studio-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not _is_private(folder):
        log.warning("%s is not this user's alone: no single instance", folder)
        return None
    return folder


def peer_is_this_user(socket: QLocalSocket) -> bool:
    """Whether the process at the other end runs as this user (SO_PEERCRED: Linux and others;
    True where the system cannot tell, since the folder is private there too)."""
    option = getattr(pysocket, "SO_PEERCRED", None)
    if option is None or sys.platform == "win32":
        return True
    descriptor = int(socket.socketDescriptor())
    if descriptor < 0:  # not connected: no one to trust
        return False
    try:
        with pysocket.socket(fileno=os.dup(descriptor)) as peer:
            raw = peer.getsockopt(pysocket.SOL_SOCKET, option, struct.calcsize("3i"))
    except OSError:
        return False
    _pid, uid, _gid = struct.unpack("3i", raw)
    return uid == os.getuid()


def _lock_path(name: str) -> str:
    if "/" in name or "\\" in name:  # a full socket path: the lock sits next to it
        return f"{name}.lock"
    return str(Path(QDir.tempPath()) / f"{name}.lock")


def encode(paths: Sequence[str]) -> bytes:
    """One message: the photos to open, as absolute paths (the two processes' folders differ)."""
    absolute = [str(Path(p).resolve()) for p in paths]
    return json.dumps({"open": absolute}).encode() + b"\n"


def decode(data: bytes) -> list[str] | None:
    """The paths of one message; None when it is not one of ours (nested too deep included)."""
    if not data.lstrip().startswith(b"{"):
        return None
    try:
        message = json.loads(data.decode())
    except (UnicodeDecodeError, ValueError, RecursionError):
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
    if not peer_is_this_user(socket):  # never hand another user the photos' paths
        log.warning("the instance socket %s belongs to another user: not used", name)
        socket.abort()
        return False
    _allow_foreground()
    socket.write(encode(paths))
    answer = b""
    if socket.waitForBytesWritten(ANSWER_TIMEOUT_MS):
        while (
            not answer.endswith(b"\n")
            and len(answer) < 64
            and socket.waitForReadyRead(ANSWER_TIMEOUT_MS)
        ):
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
            if not peer_is_this_user(socket):
                log.warning("refused a connection from another user")
                socket.abort()
                socket.deleteLater()
                continue
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
        self.name = name or server_name()  # None: no private folder, no single instance
        self._lock = QLockFile(_lock_path(self.name)) if self.name else None
        if self._lock is not None:
            self._lock.setStaleLockTime(0)  # only a dead owner's lock is stale, never a slow one

    def claim(self, paths: Sequence[str]) -> bool:
        """True when a running instance accepted `paths`; else this process goes on starting."""
        if self.name is None or self._lock is None:
            return False
        if not self._lock.tryLock(LOCK_TIMEOUT_MS):
            log.warning("could not take the start-up lock; starting a window of its own")
        return hand_off(self.name, paths)

    def serve(self, parent: QObject | None = None) -> InstanceServer | None:
        """Listen for later launches (needs the QApplication); releases the start-up lock."""
        if self.name is None:
            return None
        try:
            server = InstanceServer(self.name, parent)
            return server if server.listen() else None
        finally:
            self.release()

    def release(self) -> None:
        if self._lock is not None and self._lock.isLocked():
            self._lock.unlock()
