"""The chat model: the only package that imports openai or langchain-openai's chat model."""

from bot.llm.client import ChatClient, Completion, Role

__all__ = ["ChatClient", "Completion", "Role"]
