"""Voice notes to text through an OpenAI-compatible `/audio/transcriptions` endpoint (Whisper)."""

from __future__ import annotations

import openai

from bot.config import LLMSettings
from bot.llm.client import api_key
from bot.llm.errors import translated_errors


class Transcriber:
    """Transcribes short recordings with `settings.transcription_model`."""

    def __init__(self, settings: LLMSettings) -> None:
        if settings.transcription_model is None:
            raise ValueError("no transcription_model configured")
        self.model = settings.transcription_model
        self._client = openai.AsyncOpenAI(
            api_key=api_key(settings).get_secret_value(),
            base_url=settings.base_url,
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,
        )

    async def transcribe(self, audio: bytes, filename: str, language: str | None = None) -> str:
        """The spoken text; `language` (ISO 639-1) is a hint that helps short recordings."""
        with translated_errors(self.model, "a transcription"):
            result = await self._client.audio.transcriptions.create(model=self.model, file=(filename, audio), language=language or openai.omit)
        return str(result.text).strip()

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.close()
