"""The bot's HTTP client for Bot API calls: python-telegram-bot's `BaseRequest` on aiohttp.

PTB's own `HTTPXRequest` costs about a millisecond of event-loop time per call, and more as
connections pile up: httpx's pool walks all of its connections, and for each waiting request
all of them again, every time a request starts or ends. With hundreds of chats being answered
at once (a "typing…" every few seconds each, then the answer) that alone stalled the loop for
hundreds of milliseconds. aiohttp does the same call for about a third of the cost, and its
pool does not grow slower with its size. Long polling (getUpdates) keeps PTB's default client.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """Bot API calls over one aiohttp session of up to `connections` connections.

    Timeouts are PTB's defaults (5 s to connect and to read) unless a call passes its own;
    a call waits for a free connection as long as it takes (PTB's pool timeout is not used).
    """

    def __init__(self, connections: int = 256, timeout_s: float = 5.0) -> None:
        self._connections = connections
        self._timeout_s = timeout_s
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._timeout_s

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._connections))

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One call; a timeout becomes PTB's `TimedOut`, any other failure its `NetworkError`."""
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        # aiohttp has no write timeout; uploads are bounded by the read timeout that follows them.
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=_seconds(connect_timeout, self._timeout_s), sock_read=_seconds(read_timeout, self._timeout_s))
        try:
            async with self._session.request(
                method, url, data=_body(request_data), headers={"User-Agent": self.USER_AGENT}, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _seconds(value: ODVInput[float], default: float) -> float | None:
    """The timeout PTB passed (None: wait as long as it takes), or ours when it passed none."""
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields as PTB encodes them; multipart when there are files to upload."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData(fields)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
