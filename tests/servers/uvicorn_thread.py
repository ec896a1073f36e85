"""Run an ASGI app with uvicorn on a free loopback port: in a background thread, or in a
forked process when its CPU must not compete with the code being measured (benchmarks)."""

from __future__ import annotations

import multiprocessing
import socket
import threading
import time

import httpx
import uvicorn
from starlette.types import ASGIApp


class ServerThread:
    """uvicorn serving `app` on 127.0.0.1 until `stop()`."""

    def __init__(self, app: ASGIApp) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


class ServerProcess:
    """uvicorn serving `app` in a forked child process until `stop()`; state lives in the child."""

    def __init__(self, app: ASGIApp) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._process = multiprocessing.get_context("fork").Process(target=uvicorn.Server(config).run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        self._process.start()
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(self.url, timeout=1)
                return self
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("test server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(timeout=10)
