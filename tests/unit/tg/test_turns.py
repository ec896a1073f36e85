"""ChatTurns: a chat's questions one at a time, in the order asked; other chats never wait."""

from __future__ import annotations

import asyncio

from bot.tg.turns import ChatTurns


async def test_a_chats_questions_are_answered_in_order_and_other_chats_do_not_wait() -> None:
    turns, done = ChatTurns(), []
    first_may_finish = asyncio.Event()

    async def answer(chat_id: int, name: str, wait: asyncio.Event | None = None) -> None:
        async with turns.turn(chat_id):
            if wait is not None:
                await wait.wait()
            done.append(name)

    tasks = [asyncio.create_task(answer(1, "first", first_may_finish)), asyncio.create_task(answer(1, "second")), asyncio.create_task(answer(2, "other"))]
    await asyncio.wait_for(tasks[2], 5)
    assert done == ["other"] and len(turns) == 1  # chat 1's second question waits for its first
    first_may_finish.set()
    await asyncio.gather(*tasks)
    assert done == ["other", "first", "second"] and len(turns) == 0  # nothing kept once answered
