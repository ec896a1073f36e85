"""Recorded model responses are found again for the same request, on any machine."""

from __future__ import annotations

import json

import httpx

from bot.llm.recording import request_key

SOURCES = """<sources>
[1] Cut the electricity bill (applies to: asean)
Switch off what runs after closing time.

[2] A business continuity plan (applies to: asean)
Storms, fires or power cuts.
</sources>

<question>
how do I cut my power bill
</question>"""


def _request(user: str, model: str = "gpt-4o-mini") -> httpx.Request:
    body = {"model": model, "messages": [{"role": "system", "content": "rules"}, {"role": "user", "content": user}], "temperature": 0.1}
    return httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions", content=json.dumps(body).encode())


def test_the_key_ignores_which_passages_of_the_same_documents_were_retrieved_and_their_order() -> None:
    """Passage ranks hinge on scores five decimals apart, which another machine can swap (issue 10)."""
    reordered = SOURCES.replace("Switch off what runs after closing time.", "Replace the lamps that burn longest with LED.")
    reordered = reordered.replace("[1] Cut the electricity bill", "[9] Cut the electricity bill").replace("[2] A business", "[1] A business")
    assert request_key(_request(reordered)) == request_key(_request(SOURCES))


def test_the_key_changes_with_the_documents_the_question_or_the_model() -> None:
    key = request_key(_request(SOURCES))
    other_document = SOURCES.replace("A business continuity plan", "Flood insurance")
    assert request_key(_request(other_document)) != key
    assert request_key(_request(SOURCES.replace("power bill", "water bill"))) != key
    assert request_key(_request(SOURCES, model="gpt-4o")) != key


def test_the_key_is_the_same_whichever_server_the_request_went_to() -> None:
    here = _request(SOURCES)
    there = httpx.Request("POST", "https://api.example.org/v1/chat/completions", content=here.content)
    assert request_key(here) == request_key(there)
