"""Optional LLM phrasing of an answer, through a LangChain chat model.

The model sees only the retrieved passages and the directory facts of the extractive
draft. Its output is checked: citations that map to no source are dropped, and on any
failure or timeout the extractive answer stands.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from bot.core.models import Answer
from bot.settings import Settings

log = logging.getLogger(__name__)
CITATION = re.compile(r"\[(\d+)\]")
NOT_IN_SOURCES = re.compile(r"(staat niet in de bronnen|sources don.t (cover|say))", re.IGNORECASE)
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "Engels (English)"}
MAX_PASSAGE_CHARS = 1500


class LlmWriter:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.template = (Path(settings.prompts_dir) / "answer.md").read_text(encoding="utf-8")
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="llm")
        # Built once, up front: the timeout should bound the request, not LangChain's import.
        self._model = self._chat_model()

    def _chat_model(self) -> Any:
        from langchain.chat_models import init_chat_model

        settings = self.settings
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        options: dict[str, Any] = {"temperature": 0}
        if settings.llm_provider == "ollama":
            options.update(base_url=settings.llm_base_url, client_kwargs={"timeout": settings.llm_timeout_seconds})
        elif settings.llm_provider == "azure_openai":
            options.update(azure_endpoint=settings.llm_base_url, api_key=key, api_version=settings.llm_api_version,
                           timeout=settings.llm_timeout_seconds, max_retries=0)
        else:  # any OpenAI-compatible endpoint: vLLM, a gateway, OpenAI itself
            options.update(base_url=settings.llm_base_url, api_key=key or "not-needed",
                           timeout=settings.llm_timeout_seconds, max_retries=0)
        return init_chat_model(settings.llm_model, model_provider=settings.llm_provider, **options)

    def prompt(self, answer: Answer) -> str:
        sources = "\n\n".join(
            f"[{number}] {source.title}, {source.location}:\n{source.text[:MAX_PASSAGE_CHARS]}"
            for number, source in enumerate(answer.sources, start=1)
        )
        return self.template.format(
            language_name=LANGUAGE_NAMES[answer.language], question=answer.question, draft=answer.answer,
            sources=sources,
        )

    def rewrite(self, answer: Answer, knowledge: object = None) -> Answer | None:
        """An LLM-phrased copy of `answer`, or None to keep the extractive one."""
        if answer.kind == "not_found" or not answer.sources:
            return None
        try:
            future = self._pool.submit(self._model.invoke, self.prompt(answer))
            reply = future.result(timeout=self.settings.llm_timeout_seconds)
        except FutureTimeout:
            log.warning("llm timed out", extra={"fields": {"answer_id": answer.id}})
            return None
        except Exception as error:  # any provider failure: the extractive answer stands
            log.warning("llm failed", extra={"fields": {"answer_id": answer.id, "error": type(error).__name__}})
            return None
        text = checked_text(str(getattr(reply, "content", reply)), len(answer.sources))
        if not text:
            return None
        if NOT_IN_SOURCES.search(text) and not CITATION.search(text):
            return answer.model_copy(update={"answer": text, "kind": "not_found", "related": answer.sources,
                                             "sources": []})
        return answer.model_copy(update={"answer": text})


def checked_text(text: str, source_count: int) -> str:
    """Drop citations that point at no listed source."""
    cleaned = CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= source_count else "", text.strip())
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip()
