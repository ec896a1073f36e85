"""The redacting log filter: known secrets and token-shaped strings never reach a log line."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

from bot.cli.logs import REDACTED, Redactor

TOKEN = "123:TEST-token-of-another-shape"


def _logged(redactor: Redactor, emit: logging.Logger) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(redactor)
    emit.addHandler(handler)
    try:
        try:
            try:
                raise OSError(f"Connection timeout to host http://127.0.0.1:1/bot{TOKEN}/getMe")
            except OSError as exc:
                raise RuntimeError("Timed out") from exc
        except RuntimeError:
            emit.error("call %s failed for bot%s", "getMe", TOKEN.replace(":", "%3A"), exc_info=True, stack_info=True)
    finally:
        emit.removeHandler(handler)
    return stream.getvalue()


def test_known_secrets_are_redacted_from_message_arguments_tracebacks_and_stacks() -> None:
    redactor = Redactor()
    redactor.add([TOKEN, ""])
    out = _logged(redactor, logging.getLogger("test.redaction"))
    assert TOKEN not in out and "TEST-token" not in out
    assert f"call getMe failed for bot{REDACTED}" in out and f"/bot{REDACTED}/getMe" in out and "Timed out" in out


def test_anything_shaped_like_a_bot_token_is_redacted_even_when_unknown() -> None:
    token = "987654321:AAHx-abcdefghijklmnopqrstuvwxyz012345"
    assert Redactor().redact(f"GET /bot{token}/sendMessage") == f"GET /bot{REDACTED}/sendMessage"


def test_a_library_imported_after_set_up_stays_quiet_below_warning() -> None:
    # bm25s sets its own logger to DEBUG when imported; commands import it after logging is set up.
    code = (
        "import logging; from bot.cli.logs import configure_logging; configure_logging(verbose=True); import bm25s; "
        "logging.getLogger('bm25s').debug('building'); logging.getLogger('bm25s').warning('careful'); logging.getLogger('bot').debug('ours')"
    )
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr
    assert "careful" in err and "ours" in err and "building" not in err
