"""The bot's HTTP client for Bot API calls: python-telegram-bot's `BaseRequest` on aiohttp.

PTB's own `HTTPXRequest` costs about a millisecond of event-loop time per call, and more as
connections pile up: httpx's pool walks all of its connections, and for each waiting request
all of them again, every time a request starts or ends. With hundreds of chats being answered
at once (a "typing…" every few seconds each, then the answer) that alone stalled the loop for
hundreds of milliseconds. aiohttp does the same call for about a third of the cost, and its
pool does not grow slower with its size.

A call that fails on the way (a 5xx answer, a refused or timed-out connection) is tried again
with backoff within a time budget, so that one bad gateway does not cost an owner their answer.
A call that timed out while *reading* may have been carried out, so a message is not sent a
second time for it: the caller gets `TimedOut`, meaning delivery unknown. `PollingRequest`
adds what long polling needs: one update PTB cannot read must not stop polling (incoming.py).
"""

from __future__ import annotations

import asyncio
import logging
import time

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.tg.incoming import UpdateReader

logger = logging.getLogger(__name__)

_MAX_BACKOFF_S = 8.0
# PTB's polling loop retries getUpdates itself; a draft that failed is stale by the time a retry lands.
_NOT_RETRIED = ("getUpdates", "sendMessageDraft")


class AiohttpRequest(BaseRequest):
    """Bot API calls over one aiohttp session of up to `connections` connections.

    Timeouts are `timeout_s` to connect and to read unless a call passes its own; a call waits
    for a free connection as long as it takes (PTB's pool timeout is not used). A failed try is
    repeated after `backoff_s`, doubling, while the next one still starts within `retry_budget_s`.
    """

    def __init__(self, connections: int = 256, timeout_s: float = 5.0, *, retry_budget_s: float = 30.0, backoff_s: float = 0.5) -> None:
        self._connections = connections
        self._timeout_s = timeout_s
        self._retry_budget_s = retry_budget_s
        self._backoff_s = backoff_s
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
        """One call, tried again while it fails on the way and the budget allows.

        A timeout to connect or a lost connection becomes PTB's `NetworkError`, a timeout while
        reading its `TimedOut`; a 5xx answer is returned as it is, for PTB to raise."""
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        api_method = url.rsplit("/", 1)[-1]
        # aiohttp has no write timeout; uploads are bounded by the read timeout that follows them.
        connect_s = _seconds(connect_timeout, self._timeout_s)
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect_s, sock_read=_seconds(read_timeout, self._timeout_s))
        deadline = time.monotonic() + (self._retry_budget_s if api_method not in _NOT_RETRIED else 0)
        delay = self._backoff_s
        while True:
            again = time.monotonic() + delay <= deadline
            try:
                async with self._session.request(method, url, data=_body(request_data), headers={"User-Agent": self.USER_AGENT}, timeout=timeout) as response:
                    status, payload = response.status, await response.read()
            except aiohttp.ConnectionTimeoutError as exc:  # nothing was sent: safe to try again
                if not again:
                    raise NetworkError(f"could not connect within {connect_s} s") from exc
                reason = "no connection in time"
            except TimeoutError as exc:  # sent, but no answer in time: it may have been carried out
                if not again or _creates_message(api_method):
                    raise TimedOut from exc
                reason = "no answer in time"
            except aiohttp.ClientError as exc:
                if not again:
                    raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
                reason = type(exc).__name__
            else:
                if status < 500 or not again:
                    return status, payload
                reason = f"HTTP {status}"
            logger.warning("Bot API %s failed (%s); trying again in %.1f s", api_method, reason, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _MAX_BACKOFF_S)


class PollingRequest(AiohttpRequest):
    """The client for long polling (getUpdates only): one connection, and each batch read by
    `UpdateReader`, so that an update PTB cannot parse is skipped instead of stopping polling."""

    def __init__(self, timeout_s: float, reader: UpdateReader) -> None:
        super().__init__(connections=1, timeout_s=timeout_s)
        self._reader = reader

    def parse_json_payload(self, payload: bytes) -> JSONDict:  # type: ignore[override]  # PTB's is a staticmethod
        data = BaseRequest.parse_json_payload(payload)
        if isinstance(data.get("result"), list):
            data["result"] = self._reader.readable(data["result"])
        return data


def _creates_message(api_method: str) -> bool:
    """Calls that a second try would carry out twice (a second message in the chat)."""
    return api_method.startswith(("send", "forward", "copy")) and api_method != "sendChatAction"


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
