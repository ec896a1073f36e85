"""Run an ASGI app with uvicorn on a free loopback port: in a background thread, or in a
forked process when its CPU must not compete with the code being measured (benchmarks)."""

from __future__ import annotations

import contextlib
import multiprocessing
import socket
import threading
import time

import httpx
import uvicorn
from starlette.types import ASGIApp


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _LoopbackServer:
    """uvicorn set up to serve `app` on a free loopback port."""

    def __init__(self, app: ASGIApp) -> None:
        self.port = free_port()
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class ServerThread(_LoopbackServer):
    """uvicorn serving `app` on 127.0.0.1 until `stop()`."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

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


class ServerProcess(_LoopbackServer):
    """uvicorn serving `app` in a forked child process until `stop()`; state lives in the child."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._process = multiprocessing.get_context("fork").Process(target=self._server.run, daemon=True)

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


class Blackhole:
    """A loopback port whose connections never complete: its one-place accept queue is full.

    What a Bot API or model server address looks like when the network drops the packets:
    every connect attempt waits until the client's connect timeout."""

    def __init__(self) -> None:
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(0)
        self.port = int(self._server.getsockname()[1])
        self._queued: list[socket.socket] = []
        for _ in range(3):  # fill the accept queue; later SYNs are dropped
            client = socket.socket()
            client.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                client.connect(("127.0.0.1", self.port))
            self._queued.append(client)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        for client in self._queued:
            client.close()
        self._server.close()
