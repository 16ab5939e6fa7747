"""One way to run a web app of this project: uvicorn on a socket bound before it starts.

Both ``xxgk serve`` (the API) and ``xxgk ls backend`` (the Label Studio ML backend) run their
FastAPI app through :class:`Server`: the port is taken at construction (a busy one is E023
there, and port 0 picks a free one, read back from ``server_address``), then
``serve_forever()`` runs until ``shutdown()`` (from another thread) or Ctrl-C. Logs go
through uvicorn's loggers at ``warning`` (or ``info`` with ``verbose``), never a request body.

>>> srv = Server(app, port=0)                                            # doctest: +SKIP
>>> threading.Thread(target=srv.serve_forever, daemon=True).start()      # doctest: +SKIP
>>> srv.url                                                              # doctest: +SKIP
'http://127.0.0.1:40123'
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from nlp.errors import Errors, XxgkError

HOST = "127.0.0.1"


class Server:
    """``app`` (ASGI) served by uvicorn on ``host``:``port``."""

    def __init__(self, app: Any, port: int, host: str = HOST, *, verbose: bool = False) -> None:
        import uvicorn

        self._sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._sock.bind((host, port))
        except OSError:
            self._sock.close()
            raise XxgkError(Errors.E023, port=port) from None
        self._sock.listen(2048)  # connections wait in the backlog until uvicorn accepts them
        self.server_address = self._sock.getsockname()[:2]
        config = uvicorn.Config(app, log_level="info" if verbose else "warning", access_log=verbose,
                                timeout_keep_alive=30, lifespan="on")
        self._server = uvicorn.Server(config)
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` or Ctrl-C (uvicorn handles the signal in the main
        thread)."""
        try:
            self._server.run(sockets=[self._sock])
        finally:
            self._stopped.set()

    def shutdown(self, timeout: float = 30) -> None:
        """Stop serving and wait until the server has stopped."""
        self._server.should_exit = True
        deadline = time.monotonic() + timeout
        while not self._stopped.is_set() and time.monotonic() < deadline:
            time.sleep(0.05)

    def server_close(self) -> None:
        self._sock.close()

    @property
    def started(self) -> bool:
        return bool(self._server.started)
