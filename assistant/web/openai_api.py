"""The OpenAI-compatible chat endpoint: a chat portal a ministry already runs (Open WebUI, LibreChat, the openai
Python/JS clients, LangChain's ChatOpenAI) talks to the assistant as if it were a model.

    GET  /v1/models             the model names (below)
    GET  /v1/models/{model}     one of them
    POST /v1/chat/completions   {"model", "messages", "stream"?} → a chat.completion, or with "stream": true
                                chat.completion.chunk server-sent events ending with "data: [DONE]"

Models: "assistant" answers by quoting the documents (deterministic, the default when "model" is missing);
"assistant-llm" has the configured LLM write the answer from the same sources, and exists only when an LLM is
configured (ASSISTANT_LLM_MODEL). Sampling parameters (temperature, max_tokens, …) and stream_options are
accepted and ignored; no token usage is reported (the assistant does not count tokens).

The reply's content is the cited answer in Markdown with [n] markers, then a "Nguồn / Sources" list (document,
section, quoted passage). The same sources, structured, are an extra field for clients that know it:
`choices[0].message.citations` (streaming: `choices[0].delta.citations` of the last chunk), each
{"n", "doc_id", "title", "section", "text", "start", "end", "page"} with text == document[start:end];
`message.found` (false when the documents do not answer) and `message.generated` (true when the LLM wrote the
answer; the content then says so above the sources, as every export does).

The conversation: the last message is the question (it must be the user's); the earlier user messages are its
history, for follow-ups like "Còn Quảng Ninh thì sao?", "Cơ quan đó còn làm gì?" or a short "Khi nào?" asked of the plan
the chat is on (query.leans_on_history). Such a question is understood from the answers to the earlier questions
(what they asked, resolved); those answers are rebuilt by asking the earlier user messages again, in order, quoted
(no LLM), starting from the last one that leans on no earlier turn: such a question is understood without any
history, so the questions before it change nothing (and a question that leans on none rebuilds nothing). The
assistant's own
earlier messages and system prompts are not used.

Who may call: the access guard (access.py), with the password of an account as the API key
(Authorization: Bearer <password>). Errors are OpenAI's shape: {"error": {"message", "type", "param", "code"}}.
"""
# No `from __future__ import annotations`: FastAPI must see the request models defined inside create_openai_router.
import itertools
import json
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..errors import AssistantError, UnknownModel, UsageError, status_for
from ..query import leans_on_history
from .export import generated_note, sources_markdown
from .openai_errors import openai_error

if TYPE_CHECKING:
    from ..answer import Answer
    from ..config import Settings
    from .service import Service

log = logging.getLogger(__name__)

QUOTED_MODEL = "assistant"
GENERATED_MODEL = "assistant-llm"
MAX_MESSAGES = 200
# Earlier questions asked again to rebuild a chain of follow-ups; a longer chain starts from its last ones.
MAX_REPLAYED = 10
SOURCES_HEADING = {True: "Nguồn / Sources", False: "Đoạn liên quan / Related passages"}



def error_code(exc: AssistantError) -> str | None:
    """The OpenAI error code of an assistant error, when it has a more precise one than its status."""
    return "model_not_found" if isinstance(exc, UnknownModel) else None


def served_models(settings: "Settings") -> list[str]:
    """The model names this server answers to: the quoted one, and the generated one when an LLM is configured."""
    return [QUOTED_MODEL, *([GENERATED_MODEL] if settings.llm_model else [])]


def wants_generation(model: str | None, settings: "Settings") -> bool:
    """Whether a model name asks for the LLM's answer (True) or the quoted one; UnknownModel for any other."""
    name = (model or QUOTED_MODEL).strip()
    if name == QUOTED_MODEL:
        return False
    if name == GENERATED_MODEL:
        if settings.llm_model:
            return True
        raise UnknownModel(f"The model '{GENERATED_MODEL}' needs a language model and none is configured on this "
                           f"server (ASSISTANT_LLM_MODEL); use '{QUOTED_MODEL}'.")
    names = ", ".join(f"'{m}'" for m in served_models(settings))
    raise UnknownModel(f"The model '{name}' does not exist here; the models are: {names}.")


def message_text(content: Any) -> str:
    """The text of a message's content: a string, or the text parts of a list of parts (UsageError for images,
    audio or files: the assistant reads questions, not attachments)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    texts = []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind != "text" or not isinstance(part.get("text"), str):
            raise UsageError(f"Only text messages are understood here, not a {kind or 'malformed'} part.")
        texts.append(part["text"])
    return "\n".join(texts)


def split_conversation(messages: Iterable[Any]) -> tuple[str, list[str]]:
    """(the question, the earlier user questions oldest first) of a chat; UsageError when the last message is not
    the user's or has no text."""
    turns = [(m.role, message_text(m.content)) for m in messages]
    if not turns:
        raise UsageError("messages is empty: send at least the user's question.")
    role, question = turns[-1]
    if role != "user":
        raise UsageError(f"The last message must be the user's question, not a {role!r} message.")
    if not question.strip():
        raise UsageError("The last user message has no text: type a question, e.g. \"Ai chủ trì hỗ trợ nạn nhân?\"")
    return question, [text for role, text in turns[:-1] if role == "user" and text.strip()]


def replay_history(service: "Service", question: str, questions: list[str], filters: dict | None) -> list:
    """The history `question` is understood with: none when it leans on no earlier turn (history would change
    nothing), else the answers to the earlier `questions` (quoted, no LLM), asked again in order from the last one that
    leans on none (see the module docstring)."""
    if not leans_on_history(question):
        return []
    start = max(0, len(questions) - MAX_REPLAYED)
    for i in range(len(questions) - 1, start - 1, -1):
        if not leans_on_history(questions[i]):
            start = i
            break
    history: list = []
    for question in questions[start:]:
        history.append(service.ask(question, history=history, filters=filters, generate=False))
    return history


def citation_json(citation: Any) -> dict:
    """A citation as the `citations` extra field carries it: the `ask --json` keys and the page."""
    return {**citation.to_json(), "page": citation.page}


def extra_fields(answer: "Answer") -> dict:
    """The fields beyond OpenAI's on the reply message (streamed: on the last chunk's delta)."""
    return {"citations": [citation_json(c) for c in answer.citations], "found": answer.found,
            "generated": answer.generated}


def closing_markdown(answer: "Answer", shown: str) -> str:
    """What follows the streamed answer text in the reply: the notice when the text did not show it, the label of
    an answer the LLM wrote (known only once it is accepted), and the sources list."""
    parts = []
    if answer.notice and answer.notice not in shown:
        parts.append(f"_{answer.notice}_")
    if answer.generated:
        parts.append(f"_{generated_note(answer.language)}_")
    sources = sources_markdown(answer, answer.language, SOURCES_HEADING[bool(answer.found)])
    if sources:
        parts.append(sources)
    return "".join(f"\n\n{p}" for p in parts)


def reply_pieces(stream: Iterator[Any]) -> Iterator[str | Any]:
    """The reply's Markdown pieces from a Service stream (text pieces, then the Answer): the answer's text as it
    comes, then `closing_markdown`, then the Answer itself. Streamed and whole replies are both made of these,
    so they carry the same content."""
    shown: list[str] = []
    for item in stream:
        if isinstance(item, str):
            if item:
                shown.append(item)
                yield item
        else:
            closing = closing_markdown(item, "".join(shown))
            if closing:
                yield closing
            yield item


def create_openai_router(service: "Service", filters_model: Any):
    """The /v1 routes over `service` (a service.Service); `filters_model` is the API's pydantic Filters (api.py),
    whose handlers also shape the errors."""
    from fastapi import APIRouter
    from fastapi.responses import StreamingResponse
    from pydantic import BaseModel, ConfigDict, Field
    from starlette.exceptions import HTTPException as StarletteHTTPException

    created = int(time.time())

    class Message(BaseModel):
        """One chat message; tool calls, names and other fields clients send are accepted and ignored."""

        model_config = ConfigDict(extra="ignore")
        role: str = Field(..., examples=["user"])
        content: str | list[dict] | None = Field(None, examples=["Ai chủ trì hỗ trợ nạn nhân?"])

    class ChatRequest(BaseModel):
        """OpenAI's chat request; temperature, max_tokens and the other sampling fields are ignored."""

        model_config = ConfigDict(extra="ignore")
        model: str | None = Field(QUOTED_MODEL, examples=[QUOTED_MODEL, GENERATED_MODEL])
        messages: list[Message] = Field(..., min_length=1, max_length=MAX_MESSAGES)
        stream: bool | None = False
        n: int | None = Field(None, description="only 1")
        filters: filters_model | None = Field(None, description="not OpenAI's: restrict to documents, a province "
                                                                "or a year, as in POST /api/ask")

    router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"])

    def model_card(name: str) -> dict:
        return {"id": name, "object": "model", "created": created, "owned_by": "antitrafficking-assistant"}

    @router.get("/models", summary="The model names: 'assistant' (quoted), 'assistant-llm' (when an LLM is configured)")
    def models() -> dict:
        return {"object": "list", "data": [model_card(name) for name in served_models(service.bot.settings)]}

    @router.get("/models/{model}", summary="One model")
    def model(model: str) -> dict:
        wants_generation(model, service.bot.settings)
        return model_card(model)

    @router.post("/chat/completions", summary="A cited answer as a chat completion (streamed with \"stream\": true)")
    def chat_completions(body: ChatRequest) -> Any:
        generate = wants_generation(body.model, service.bot.settings)
        if body.n not in (None, 1):
            raise UsageError("n must be 1: there is one answer to a question.")
        filters = body.filters.as_dict() if body.filters else None
        question, earlier = split_conversation(body.messages)
        history = replay_history(service, question, earlier, filters)
        pieces = reply_pieces(service.stream(question, history=history, filters=filters, generate=generate))
        # The first piece is awaited here: an empty question, an index still building or a failing answer gets
        # its HTTP status before any event is sent (deterministic answers are whole by then).
        first = next(pieces)
        reply_id, model_name = f"chatcmpl-{uuid.uuid4().hex}", body.model or QUOTED_MODEL
        if not body.stream:
            text, answer = _collect(first, pieces)
            return {"id": reply_id, "object": "chat.completion", "created": int(time.time()), "model": model_name,
                    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                                 "message": {"role": "assistant", "content": text, "refusal": None,
                                             **extra_fields(answer)}}]}
        return StreamingResponse(_events(reply_id, model_name, first, pieces), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"], include_in_schema=False)
    def not_found(rest: str) -> None:
        raise StarletteHTTPException(404, f"No endpoint /v1/{rest}: this server has /v1/models and "
                                          "/v1/chat/completions.")

    return router


def _collect(first: Any, pieces: Iterator[Any]) -> tuple[str, Any]:
    """The whole reply text and the Answer."""
    texts, answer = [], None
    for item in [first, *pieces]:
        if isinstance(item, str):
            texts.append(item)
        else:
            answer = item
    return "".join(texts), answer


def _events(reply_id: str, model: str, first: Any, pieces: Iterator[Any]) -> Iterator[str]:
    """The server-sent events of a streamed reply: role, text pieces, the citations with finish_reason "stop",
    then [DONE]. An error after the first event is sent as an error event (the openai clients raise it)."""
    created = int(time.time())

    def chunk(delta: dict, finish: str | None = None) -> str:
        body = {"id": reply_id, "object": "chat.completion.chunk", "created": created, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    try:
        for item in itertools.chain([first], pieces):
            if isinstance(item, str):
                yield chunk({"content": item})
            else:
                yield chunk(extra_fields(item), "stop")
    except AssistantError as exc:

        yield f"data: {json.dumps(openai_error(status_for(exc), str(exc), error_code(exc)), ensure_ascii=False)}\n\n"
    except Exception:  # a bug: the traceback stays in the log
        log.exception("the streamed chat reply failed")
        yield f"data: {json.dumps(openai_error(500, 'Internal error — the details are in the server log.'))}\n\n"
    yield "data: [DONE]\n\n"
