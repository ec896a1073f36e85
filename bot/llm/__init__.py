"""Model calls: the only package that imports openai or langchain-openai's chat model."""

from bot.llm.client import ChatClient
from bot.llm.transcription import Transcriber

__all__ = ["ChatClient", "Transcriber"]
