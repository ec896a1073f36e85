"""Model calls: the only package that imports openai or langchain-openai's chat model."""

from bot.llm.client import ChatClient, Completion, Role
from bot.llm.transcription import Transcriber

__all__ = ["ChatClient", "Completion", "Role", "Transcriber"]
