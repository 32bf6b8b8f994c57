"""The OpenAI-compatible endpoint (/v1) driven by the real openai client and LangChain's ChatOpenAI against a real
server on 127.0.0.1, over the session index."""
from __future__ import annotations

import httpx
import pytest
from llm_server import FakeLLM

WHO_VI = "Ai chủ trì hỗ trợ nạn nhân?"
FOLLOW_UP = "Còn Quảng Ninh thì sao?"
PARTICIPANT_KEY = "tap-huan-2026"
TRAINER_KEY = "trainer-2026"
ADMIN_KEY = "quan-tri-2026"
# A reply the LLM guard accepts whatever source 1 is: cited, and naming no figure or agency.
WRITTEN = "Việc này được giao trong kế hoạch [1]."


@pytest.fixture(scope="module")
def open_url(serve):
    """127.0.0.1 without any account: the person at the machine (the local rule of every route)."""
    return serve()[0]


@pytest.fixture(scope="module")
def room(serve):
    """A workshop server: participants' password, a trainer and an admin."""
    return serve(auth=f"tap-huan:{PARTICIPANT_KEY}", trainer_password=TRAINER_KEY, admin_password=ADMIN_KEY)


@pytest.fixture(scope="module")
def endpoint():
    with FakeLLM() as fake:
        yield fake


@pytest.fixture(scope="module")
def llm_url(serve, bot, endpoint):
    """A server whose Assistant has an LLM configured (the scripted endpoint)."""
    from assistant.assistant import Assistant

    llm_bot = Assistant(bot.settings.replace(llm_model=f"openai:{endpoint.model}", llm_base_url=endpoint.base_url,
                                             llm_timeout=10.0), embedder=bot.embedder).warm_up()
    return serve(bot=llm_bot)[0]


def client(url: str, key: str = "any-key"):
    from openai import OpenAI

    return OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=60)


def quoted(text: str) -> str:
    """A passage as the sources list quotes it (one line, inert Markdown)."""
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")


def assert_cited_reply(bot, content: str, citations: list[dict], expected) -> None:
    """The reply is the answer's text, then the sources list naming and quoting every citation, and the structured
    citations are the answer's, exact spans of their documents."""
    assert content.startswith(expected.text + "\n\n**Nguồn / Sources:**\n\n")
    sources = content[len(expected.text):]
    for c in expected.citations:
        assert f"- [{c.n}] {c.title}" in sources
        assert f"  > {quoted(c.text)}" in sources
        assert f"[{c.n}]" in expected.text
    assert citations == [{**c.to_json(), "page": c.page} for c in expected.citations]
    for c in citations:
        assert bot.store.documents[c["doc_id"]].text[c["start"]:c["end"]] == c["text"]


# -- the openai client ---------------------------------------------------------------------------

def test_openai_client_gets_the_cited_answer_with_its_sources(open_url, bot):
    completion = client(open_url).chat.completions.create(model="assistant",
                                                          messages=[{"role": "user", "content": WHO_VI}])
    assert completion.object == "chat.completion" and completion.model == "assistant"
    assert completion.id.startswith("chatcmpl-")
    (choice,) = completion.choices
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    expected = bot.ask(WHO_VI)
    assert expected.found and expected.citations
    assert choice.message.model_extra["found"] is True
    assert_cited_reply(bot, choice.message.content, choice.message.model_extra["citations"], expected)


def test_streaming_sends_the_same_reply_in_chunks_then_the_citations_and_done(open_url, bot):
    stream = client(open_url).chat.completions.create(model="assistant", stream=True,
                                                      messages=[{"role": "user", "content": WHO_VI}])
    chunks = list(stream)
    assert {c.object for c in chunks} == {"chat.completion.chunk"} and len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len([c for c in chunks if c.choices[0].delta.content]) >= 2  # the answer, then its sources
    last = chunks[-1].choices[0]
    assert last.finish_reason == "stop" and all(c.choices[0].finish_reason is None for c in chunks[:-1])
    assert_cited_reply(bot, content, last.delta.model_extra["citations"], bot.ask(WHO_VI))
    whole = client(open_url).chat.completions.create(model="assistant", messages=[{"role": "user", "content": WHO_VI}])
    assert content == whole.choices[0].message.content
    # On the wire: server-sent events ending with [DONE].
    with httpx.stream("POST", f"{open_url}/v1/chat/completions", timeout=60,
                      json={"model": "assistant", "stream": True, "messages": [{"role": "user", "content": WHO_VI}]}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        raw = r.read().decode("utf-8")
    events = [e for e in raw.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events) and events[-1] == "data: [DONE]"


def test_models_are_listed_and_the_llm_one_only_when_an_llm_is_configured(open_url, llm_url):
    assert [m.id for m in client(open_url).models.list()] == ["assistant"]
    assert [m.id for m in client(llm_url).models.list()] == ["assistant", "assistant-llm"]
    assert client(llm_url).models.retrieve("assistant-llm").id == "assistant-llm"


def test_a_follow_up_is_understood_from_the_earlier_messages(open_url, bot):
    first = client(open_url).chat.completions.create(model="assistant", messages=[{"role": "user", "content": WHO_VI}])
    messages = [{"role": "system", "content": "You are a helpful assistant."},
                {"role": "user", "content": WHO_VI},
                {"role": "assistant", "content": first.choices[0].message.content},
                {"role": "user", "content": FOLLOW_UP}]
    reply = client(open_url).chat.completions.create(model="assistant", messages=messages).choices[0].message
    conversation = bot.conversation()
    conversation.ask(WHO_VI)
    expected = conversation.ask(FOLLOW_UP)
    assert expected.text != bot.ask(FOLLOW_UP).text  # the follow-up means something else alone
    assert reply.content.startswith(expected.text + "\n\n")
    quang_ninh = {d for d in bot.store.documents if d.startswith("quang-ninh")}
    assert reply.model_extra["citations"] and {c["doc_id"] for c in reply.model_extra["citations"]} == quang_ninh


def test_a_chain_of_follow_ups_is_rebuilt_from_every_earlier_question(open_url, bot):
    questions = [WHO_VI, FOLLOW_UP, "Còn phối hợp?"]
    conversation = bot.conversation()
    for question in questions:
        expected = conversation.ask(question)
    # Rebuilding only the last earlier turn would lose Quảng Ninh from "Còn phối hợp?".
    assert expected.text != bot.ask(questions[-1], history=[bot.ask(questions[-2])]).text
    messages = []
    for question in questions:
        messages.append({"role": "user", "content": question})
        messages.append({"role": "assistant", "content": "…"})
    reply = client(open_url).chat.completions.create(model="assistant", messages=messages[:-1]).choices[0].message
    assert reply.content.startswith(expected.text + "\n\n")


def test_the_llm_model_writes_the_answer_and_the_quoted_model_never_calls_it(llm_url, bot, endpoint):
    endpoint.reset()
    endpoint.script(WRITTEN)
    messages = [{"role": "user", "content": WHO_VI}, {"role": "assistant", "content": "…"},
                {"role": "user", "content": FOLLOW_UP}]
    reply = client(llm_url).chat.completions.create(model="assistant-llm", messages=messages).choices[0].message
    from assistant.web.export import generated_note

    assert reply.content.startswith(f"{WRITTEN}\n\n_{generated_note('vi')}_\n\n**Nguồn / Sources:**"), reply.content
    assert reply.model_extra["generated"] is True
    (citation,) = reply.model_extra["citations"]
    assert citation["n"] == 1 and citation["doc_id"].startswith("quang-ninh")  # the follow-up, understood
    assert len(endpoint.requests) == 1  # the earlier question is rebuilt without the model
    endpoint.reset()
    quoted_reply = client(llm_url).chat.completions.create(model="assistant", messages=[{"role": "user", "content": WHO_VI}])
    assert quoted_reply.choices[0].message.content.startswith(bot.ask(WHO_VI).text + "\n\n")
    assert quoted_reply.choices[0].message.model_extra["generated"] is False
    assert endpoint.requests == []


# -- LangChain ---------------------------------------------------------------------------------

def test_langchain_chat_openai_invokes_and_streams_a_conversation(room, bot):
    from langchain_core.messages import AIMessage, HumanMessage
    from langchain_openai import ChatOpenAI

    url, _service = room
    chat = ChatOpenAI(base_url=f"{url}/v1", api_key=PARTICIPANT_KEY, model="assistant", max_retries=0, timeout=60)
    first = chat.invoke([HumanMessage(WHO_VI)])
    assert first.content.startswith(bot.ask(WHO_VI).text + "\n\n**Nguồn / Sources:**")
    follow = [HumanMessage(WHO_VI), AIMessage(first.content), HumanMessage(FOLLOW_UP)]
    invoked = chat.invoke(follow).content
    streamed = "".join(chunk.content for chunk in chat.stream(follow))
    assert streamed == invoked
    assert invoked.startswith(bot.ask(FOLLOW_UP, history=[bot.ask(WHO_VI)]).text + "\n\n")


# -- keys ----------------------------------------------------------------------------------------

def test_the_key_is_an_accounts_password_with_that_accounts_role(room):
    url, _service = room
    for key in (PARTICIPANT_KEY, TRAINER_KEY, ADMIN_KEY):
        reply = client(url, key).chat.completions.create(model="assistant", messages=[{"role": "user", "content": WHO_VI}])
        assert reply.model == "assistant" and reply.choices[0].message.model_extra["found"] is True
    feedback = f"{url}/api/feedback.csv"
    assert httpx.get(feedback, headers={"Authorization": f"Bearer {PARTICIPANT_KEY}"}, timeout=30).status_code == 403
    assert httpx.get(feedback, headers={"Authorization": f"Bearer {TRAINER_KEY}"}, timeout=30).status_code == 200
    assert httpx.get(feedback, auth=("trainer", TRAINER_KEY), timeout=30).status_code == 200  # Basic still works


def test_without_any_account_any_key_is_accepted_like_no_key(open_url):
    for key in ("sk-anything", "x"):
        assert client(open_url, key).models.list().data[0].id == "assistant"


def test_accounts_match_a_key_by_password_with_the_smallest_role(tmp_path):
    from assistant.web.access import Accounts, hash_password
    from assistant.config import Settings

    users = tmp_path / "users.txt"
    users.write_text(f"co-lan trainer {hash_password('lan-2026-ninh-binh')}\n"
                     f"anh-minh participant {hash_password('minh-2026-quang-ninh')}\n", encoding="utf-8")
    accounts = Accounts.from_settings(Settings(users_file=str(users), auth="tap-huan:shared-2026-pw",
                                               admin_password="shared-2026-pw"))
    assert accounts.by_password("lan-2026-ninh-binh") == ("co-lan", "trainer")
    assert accounts.by_password("lan-2026-ninh-binh") == ("co-lan", "trainer")  # the cached path
    assert accounts.by_password("minh-2026-quang-ninh") == ("anh-minh", "participant")
    assert accounts.by_password("shared-2026-pw") == ("tap-huan", "participant")  # not the admin sharing it
    assert accounts.by_password("wrong-password") is None


# -- errors in OpenAI's shape ------------------------------------------------------------------------

def assert_openai_error(r: httpx.Response, status: int, code: str, kind: str = "invalid_request_error") -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["code"] == code and body["error"]["type"] == kind and body["error"]["message"]
    return body["error"]["message"]


def test_a_missing_or_wrong_key_is_a_401(room):
    from openai import AuthenticationError

    url, _service = room
    r = httpx.post(f"{url}/v1/chat/completions", json={"messages": [{"role": "user", "content": WHO_VI}]}, timeout=30)
    assert "Bearer" in assert_openai_error(r, 401, "missing_api_key")
    assert r.headers["www-authenticate"].startswith("Bearer")
    with pytest.raises(AuthenticationError) as caught:
        client(url, "wrong-password").chat.completions.create(model="assistant", messages=[{"role": "user", "content": WHO_VI}])
    assert caught.value.code == "invalid_api_key" and "Incorrect API key" in caught.value.message
    r = httpx.get(f"{url}/v1/models", headers={"Authorization": "Bearer wrong-password"}, timeout=30)
    assert_openai_error(r, 401, "invalid_api_key")


def test_an_unknown_model_is_a_404_and_the_llm_model_needs_an_llm(open_url):
    from openai import NotFoundError

    with pytest.raises(NotFoundError) as caught:
        client(open_url).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": WHO_VI}])
    assert caught.value.code == "model_not_found" and "'assistant'" in caught.value.message
    r = httpx.post(f"{open_url}/v1/chat/completions", timeout=30,
                   json={"model": "assistant-llm", "messages": [{"role": "user", "content": WHO_VI}]})
    assert "ASSISTANT_LLM_MODEL" in assert_openai_error(r, 404, "model_not_found")
    assert_openai_error(httpx.get(f"{open_url}/v1/models/assistant-llm", timeout=30), 404, "model_not_found")
    assert_openai_error(httpx.get(f"{open_url}/v1/embeddings", timeout=30), 404, "not_found")


@pytest.mark.parametrize("body, says", [
    (b"this is not json", "Invalid request"),
    (b'{"model": "assistant"}', "messages"),
    (b'{"model": "assistant", "messages": []}', "messages"),
    (b'{"messages": [{"content": "Ai?"}]}', "role"),
    (b'{"messages": [{"role": "user", "content": "   "}]}', "no text"),
    (b'{"messages": [{"role": "user", "content": "Ai?"}, {"role": "assistant", "content": "X"}]}', "user's question"),
    (b'{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}', "image_url"),
    (b'{"n": 2, "messages": [{"role": "user", "content": "Ai?"}]}', "n must be 1"),
    (b'{"messages": [{"role": "user", "content": "Ai?"}], "filters": {"year": "many"}}', "year"),
])
def test_bad_bodies_are_a_400(open_url, body, says):
    r = httpx.post(f"{open_url}/v1/chat/completions", content=body, headers={"content-type": "application/json"},
                   timeout=30)
    assert says in assert_openai_error(r, 400, "invalid_request")


def test_an_empty_message_list_is_a_400_for_the_client(open_url):
    from openai import BadRequestError

    with pytest.raises(BadRequestError) as caught:
        client(open_url).chat.completions.create(model="assistant", messages=[])
    assert caught.value.type == "invalid_request_error" and "messages" in caught.value.message


def test_a_body_over_the_cap_is_a_413_before_it_is_read(room):
    from openai import APIStatusError

    url, _service = room
    with pytest.raises(APIStatusError) as caught:
        client(url, PARTICIPANT_KEY).chat.completions.create(model="assistant", messages=[{"role": "user", "content": "a" * 1_100_000}])
    assert caught.value.status_code == 413 and caught.value.code == "request_too_large"


def test_a_crash_is_a_generic_500_and_a_failure_mid_stream_an_error_event(serve, monkeypatch):
    from openai import APIError, InternalServerError

    from assistant.errors import LLMError

    url, service = serve()

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(service, "stream", broken)
    with pytest.raises(InternalServerError) as caught:
        client(url).chat.completions.create(model="assistant", messages=[{"role": "user", "content": WHO_VI}])
    assert caught.value.code == "internal_error" and "secret" not in caught.value.message

    def cut_off(*args, **kwargs):
        yield "Sở Y tế chủ trì"
        raise LLMError("The language model did not finish its answer within 10 s.")

    monkeypatch.setattr(service, "stream", cut_off)
    received = []
    with pytest.raises(APIError) as caught:
        for chunk in client(url).chat.completions.create(model="assistant", stream=True, messages=[{"role": "user", "content": WHO_VI}]):
            received.append(chunk.choices[0].delta.content or "")
    assert "".join(received) == "Sở Y tế chủ trì"
    assert "did not finish" in caught.value.message and caught.value.type == "server_error"


def test_every_v1_route_needs_a_participant_and_is_in_the_openapi_spec(room):
    from assistant.web.access import PARTICIPANT, route_role

    for method, path in (("GET", "/v1/models"), ("POST", "/v1/chat/completions"), ("GET", "/v1/models/assistant")):
        assert route_role(method, path).role == PARTICIPANT
    url, _service = room
    spec = httpx.get(f"{url}/openapi.json", auth=("tap-huan", PARTICIPANT_KEY), timeout=30).json()
    assert {"/v1/chat/completions", "/v1/models"} <= set(spec["paths"])


def test_guessing_keys_is_slowed_down_with_a_429(serve):
    from assistant.web.access import MAX_FAILURES

    url, _service = serve(auth=f"tap-huan:{PARTICIPANT_KEY}")  # its own server: the failures count per server
    for attempt in range(MAX_FAILURES):
        r = httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer guess-{attempt:04d}"}, timeout=30)
        assert_openai_error(r, 401, "invalid_api_key")
    r = httpx.get(f"{url}/v1/models", headers={"Authorization": f"Bearer {PARTICIPANT_KEY}"}, timeout=30)
    assert "too many failed logins" in assert_openai_error(r, 429, "rate_limit_exceeded", "rate_limit_error")
    assert int(r.headers["retry-after"]) > 0


def test_only_the_chain_a_follow_up_leans_on_is_asked_again(serve, monkeypatch):
    url, service = serve()
    asked: list[str] = []
    real_ask = service.ask

    def counted(question, **kwargs):
        asked.append(question)
        return real_ask(question, **kwargs)

    monkeypatch.setattr(service, "ask", counted)
    goals, investigations = "Mục tiêu của kế hoạch là gì?", "Ai chủ trì điều tra các vụ án mua bán người?"

    def chat(*questions: str) -> None:
        messages = [{"role": "user", "content": q} for q in questions]
        client(url).chat.completions.create(model="assistant", messages=messages)

    chat(goals, investigations)  # not a follow-up: the earlier question changes nothing
    assert asked == []
    chat(goals, investigations, FOLLOW_UP)  # leans on the last question, which leans on nothing
    assert asked == [investigations]
