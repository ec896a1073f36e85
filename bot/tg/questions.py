"""Questions in, answers out: text, voice notes, suggested questions from /topics, and /sources.

Group chats: the bot answers only messages that mention it or reply to it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType

from bot.domain import Answer, AnswerMode, Question
from bot.errors import LLMError
from bot.language import supported_code
from bot.pipeline import Answered, Drafted, Pipeline
from bot.tg import keyboards, referrals
from bot.tg.context import BotContext
from bot.tg.logs import note
from bot.tg.previews import AnswerPreview
from bot.tg.render import render_answer, render_sources
from bot.tg.replies import say, send_parts, tapped, ui_language

_TYPING_EVERY_S = 4.0  # Telegram shows "typing…" for about 5 seconds


async def text_message(update: Update, context: BotContext) -> None:
    """Answer a text message (in groups, only one addressed to the bot)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = _addressed_text(message, context)
    if text is not None:
        await ask(update, context, text)


async def voice_message(update: Update, context: BotContext) -> None:
    """Transcribe a voice note and answer it like text; without an audio model, say what we read."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.voice is not None and user is not None
    if not _addressed(message, context):
        return
    services = context.services
    if services.transcriber is None:
        await say(update, services, "text_only")
        return
    profile = await services.profiles.get(str(user.id))
    async with _typing(context, message.chat_id):
        audio = await (await message.voice.get_file()).download_as_bytearray()
        try:
            text = await services.transcriber.transcribe(bytes(audio), "voice.ogg", language=profile.lang or supported_code(user.language_code))
        except LLMError:
            text = ""
    if not text:
        await say(update, services, "voice_failed")
        return
    await ask(update, context, text)


async def unsupported(update: Update, context: BotContext) -> None:
    """Photos, stickers, documents, locations, voice without transcription: say what the bot reads."""
    message = update.effective_message
    if message is not None and _addressed(message, context):
        await say(update, context.services, "text_only")


async def topics_command(update: Update, context: BotContext) -> None:
    """Offer questions for the owner's kind of business first, then the topics, as buttons."""
    services, user = context.services, update.effective_user
    assert user is not None
    lang = await ui_language(user, services)
    profile = await services.profiles.get(str(user.id))
    await say(update, services, "choose_topic", markup=keyboards.topics(services.prompts, lang, profile.sector))


async def topic_chosen(update: Update, context: BotContext) -> None:
    """Replace the topic buttons with that topic's suggested questions."""
    services = context.services
    query, lang = await tapped(update, services)
    try:
        markup = keyboards.questions(services.prompts, lang, int(keyboards.parse(query.data)[0]))
    except (IndexError, ValueError):  # a keyboard from before the suggestions changed
        return
    await query.edit_message_text(services.prompts.message(lang, "choose_question"), reply_markup=markup)


async def suggestion_chosen(update: Update, context: BotContext) -> None:
    """Ask the tapped suggestion, in the user's language, as if they had typed it."""
    services = context.services
    query, lang = await tapped(update, services)
    try:
        topic_index, question_index = (int(part) for part in keyboards.parse(query.data))
        text = list(services.prompts.topics(lang).values())[topic_index].questions[question_index]
    except (IndexError, ValueError):
        return
    await query.edit_message_text(f"❓ {text}")
    await ask(update, context, text)


async def sector_question_chosen(update: Update, context: BotContext) -> None:
    """Ask the tapped question for the owner's kind of business, as if they had typed it."""
    services = context.services
    query, lang = await tapped(update, services)
    sector, index = keyboards.parse(query.data)
    questions = services.prompts.sector_questions(lang, sector)
    if int(index) >= len(questions):  # a keyboard from before the suggestions changed
        return
    await query.edit_message_text(f"❓ {questions[int(index)]}")
    await ask(update, context, questions[int(index)])


async def sources_command(update: Update, context: BotContext) -> None:
    """Show the last answer's sources again, with a short snippet of each."""
    services, user = context.services, update.effective_user
    assert user is not None
    sources = await services.conversations.last_sources(str(user.id))
    if not sources:
        await say(update, services, "no_sources")
        return
    lang = await ui_language(user, services)
    prompts = services.prompts
    await send_parts(update.effective_message, render_sources(sources, prompts.message(lang, "sources_heading"), prompts.message(lang, "applies_to")))


async def ask(update: Update, context: BotContext, text: str) -> None:
    """Run one question through the pipeline and reply with the answer and 👍/👎 under it."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.services
    verdict = await context.limits.admit(user.id)
    if verdict != "ok":
        note(mode=f"limited_{verdict}")
        if context.limits.first_notice(user.id, verdict):  # later messages in the window are dropped silently
            await say(update, services, f"rate_limited_{verdict}", limit=context.limits.per_day)
        return
    async with context.turns.turn(message.chat_id):  # a chat's questions are answered in the order asked
        await context.limits.start()
        profile = await services.profiles.get(str(user.id))
        question = Question(
            text=text, user_id=str(user.id), chosen_lang=profile.lang, client_lang=user.language_code, country=profile.country, sector=profile.sector
        )
        preview = context.previews.start(context.bot, message.chat_id, message.message_id, private=message.chat.type == ChatType.PRIVATE)
        async with preview, _typing(context, message.chat_id, preview):
            answer = await _answered(services.pipeline, question, preview)
        note(lang=answer.language, mode=answer.mode, sources=len(answer.sources), previews=preview.shown)
        await _deliver(context, message, answer, preview)


async def _deliver(context: BotContext, message: Message, answer: Answer, preview: AnswerPreview) -> None:
    """The answer with its sources, and 👍/👎 under it when it can be rated: in a private chat a
    👍/👎 reaction on that message rates it too (feedback.reacted). A referral (the owner asked
    for a person) is followed by the question whether to write a case summary."""
    services = context.services
    prompts = services.prompts
    parts = render_answer(answer, prompts.message(answer.language, "sources_heading"), prompts.message(answer.language, "applies_to"))
    turn_id = answer.turn_id if answer.mode is not AnswerMode.REFUSAL else None
    sent = await preview.deliver(message, parts, keyboards.rating(turn_id, prompts, answer.language) if turn_id is not None else None)
    if turn_id is not None and sent is not None and message.chat.type == ChatType.PRIVATE:
        await services.conversations.delivered(turn_id, message.chat_id, sent.message_id)
    if answer.mode is AnswerMode.REFERRAL:
        await referrals.ask_consent(message, prompts, answer.language)


async def _answered(pipeline: Pipeline, question: Question, preview: AnswerPreview) -> Answer:
    """The pipeline's checked answer; the model's text on the way is offered to the preview."""
    async for event in pipeline.events(question):
        if isinstance(event, Drafted):
            preview.offer(event.text)
        elif isinstance(event, Answered):
            return event.answer
    raise AssertionError("events() always ends with the answer")


@contextlib.asynccontextmanager
async def _typing(context: BotContext, chat_id: int, preview: AnswerPreview | None = None) -> AsyncIterator[None]:
    """Keep "typing…" showing while the body runs, until the answer's preview shows; a failed
    chat action never fails the answer."""

    async def keep_typing() -> None:
        while preview is None or not preview.shown:
            with contextlib.suppress(Exception):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(_TYPING_EVERY_S)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _addressed(message: Message, context: BotContext) -> bool:
    """Private chats always; groups only when the message mentions the bot or replies to it."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
        return True
    return _mention(message, context) is not None


def _mention(message: Message, context: BotContext) -> str | None:
    mention = f"@{context.bot.username}".lower()
    for text in message.parse_entities([MessageEntity.MENTION]).values():
        if text.lower() == mention:
            return text
    return None


def _addressed_text(message: Message, context: BotContext) -> str | None:
    """The question without the bot's @mention, or None when the message is not for the bot."""
    assert message.text is not None
    if not _addressed(message, context):
        return None
    mention = _mention(message, context)
    return message.text.replace(mention, " ").strip() if mention else message.text
