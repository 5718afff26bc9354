"""One window per database: a second `carelog-gui` brings the first window forward.

The first window holds a lock file beside the database and listens on a local socket named
after the database; a second start finds the lock taken, asks the first to come forward
through the socket, and exits.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_SHOW = b"show\n"


def server_name(db: Path) -> str:
    """A socket name unique to this user and database file."""
    try:
        key = str(db.resolve())
    except OSError:
        key = str(db.absolute())
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name on some sandboxed systems
        user = ""
    digest = hashlib.sha256(f"{user}\0{key}".encode()).hexdigest()[:20]
    return f"carelog-{digest}"


class InstanceServer(QObject):
    """Listens for later starts on the same database and asks the window to come forward."""

    activate_requested = Signal()

    def __init__(self, db: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(db)
        self._server = QLocalServer(self)
        self._sockets: list[QLocalSocket] = []
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # We hold the database's lock file, so a socket left by a crashed window is stale.
        QLocalServer.removeServer(self.name)
        self.listening = self._server.listen(self.name)
        self._server.newConnection.connect(self._on_server_new_connection)

    def _on_server_new_connection(self) -> None:
        # Each later start sends one short line and hangs up; the socket (a child of the
        # server) is read once it has data and lives until the server goes.
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._sockets.append(socket)
            socket.readyRead.connect(self._on_socket_ready_read)
            if socket.bytesAvailable():
                self._read(socket)

    def _on_socket_ready_read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(_SHOW.strip()):
            self.activate_requested.emit()

    def close(self) -> None:
        """Stop listening and let go of the connections."""
        for socket in self._sockets:
            socket.readyRead.disconnect(self._on_socket_ready_read)
            socket.abort()
        self._sockets.clear()
        self._server.close()


def bring_forward(db: Path, timeout_ms: int = 1500) -> bool:
    """Ask the window already open on this database to come forward; True if it answered."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(_SHOW)
    socket.flush()
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True
