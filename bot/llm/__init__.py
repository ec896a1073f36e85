"""Model calls (chat, embeddings, transcription): the only package that imports openai or langchain-openai."""

from bot.llm.client import ChatClient
from bot.llm.embeddings import OpenAIEmbeddings
from bot.llm.transcription import Transcriber

__all__ = ["ChatClient", "OpenAIEmbeddings", "Transcriber"]
