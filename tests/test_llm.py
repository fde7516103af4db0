"""Optional LLM answers over the real HTTP path, against an OpenAI-compatible test server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.core.engine import AnswerEngine
from bot.core.llm import LlmWriter
from bot.core.models import AskerContext, Question

QUESTION = "Waarom zijn bestuurders terughoudend met de inzet van militairen op straat?"


@dataclass
class FakeModelServer:
    """Answers /v1/chat/completions like vLLM would; `reply`, `delay` and `status` steer it."""

    reply: str = "Bestuurders vrezen beeldvorming [1]. Zie ook [9]."
    delay: float = 0.0
    status: int = 200
    prompts: list[str] = field(default_factory=list)
    url: str = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.prompts.append(body["messages"][-1]["content"])
                time.sleep(fake.delay)
                payload = {
                    "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": fake.reply}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                data = json.dumps(payload if fake.status == 200 else {"error": {"message": "kapot"}}).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out first, which is what the timeout test wants

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def model_server() -> Iterator[FakeModelServer]:
    fake = FakeModelServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()


@pytest.fixture
def llm_engine(engine: AnswerEngine, model_server: FakeModelServer) -> Iterator[AnswerEngine]:
    settings = engine.settings.model_copy(
        update={"llm_provider": "openai", "llm_model": "schakel-test", "llm_base_url": model_server.url,
                "llm_timeout_seconds": 10.0}
    )
    original = engine.llm
    engine.llm = LlmWriter(settings)
    yield engine
    engine.llm = original


def ask(engine: AnswerEngine) -> str:
    return engine.answer(Question(text=QUESTION, asker=AskerContext(private=True))).answer


def test_model_phrases_the_answer_and_unknown_citations_are_dropped(llm_engine, model_server) -> None:
    answer = ask(llm_engine)
    assert answer.startswith("Bestuurders vrezen beeldvorming [1].")
    assert "[9]" not in answer


def test_model_sees_only_the_question_and_the_numbered_passages(llm_engine, model_server) -> None:
    ask(llm_engine)
    prompt = model_server.prompts[-1]
    assert QUESTION in prompt
    assert "[1] " in prompt and "Dat staat niet in de bronnen." in prompt


def test_a_failing_model_falls_back_to_the_extractive_answer(llm_engine, model_server) -> None:
    model_server.status = 500
    assert ask(llm_engine).startswith("Volgens de bronnen:")


def test_a_slow_model_falls_back_after_the_timeout(llm_engine, model_server) -> None:
    llm_engine.llm = LlmWriter(llm_engine.llm.settings.model_copy(update={"llm_timeout_seconds": 0.5}))
    model_server.delay = 2.0
    assert ask(llm_engine).startswith("Volgens de bronnen:")


def test_model_that_says_the_sources_do_not_answer_becomes_not_found(llm_engine, model_server) -> None:
    model_server.reply = "Dat staat niet in de bronnen."
    answer = llm_engine.answer(Question(text=QUESTION, asker=AskerContext(private=True)))
    assert answer.kind == "not_found" and answer.related and not answer.sources
