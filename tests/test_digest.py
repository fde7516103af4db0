"""The monthly digest for the integrator, and what the question log keeps: counts and terms by default,
question text only when configured, and then only for QUESTION_TEXT_DAYS."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, MetaData, select, update

from bot.core.models import Answer, Question
from bot.evaluation import EvalItem
from bot.knowledge.loader import load_knowledge
from bot.reflection.scheduler import start_scheduler, stop_scheduler
from bot.review.digest import run_digest
from bot.settings import SHIPPED_KNOWLEDGE, Settings
from bot.state.corrections import CorrectionStore, Proposal
from bot.state.db import create_db_engine
from bot.state.feedback import FeedbackStore
from bot.state.questions import LoggedEngine, QuestionLog, questions
from tests.conftest import make_settings
from tests.support.databases import database_url  # noqa: F401 - the fixture, on SQLite and PostgreSQL
from tests.support.slack_api import SlackApiServer

KNOWLEDGE = load_knowledge(SHIPPED_KNOWLEDGE)
CHANNEL = "C0BEHEER"
SECRET_QUESTION = "Wie bij DMV regelt de sleutels van kazerne Zeemeeuw-geheim?"


def next_month(today: dt.date) -> dt.datetime:
    """A moment in the month after this one: the digest then covers this month."""
    first = dt.datetime(today.year, today.month, 1, 9, tzinfo=dt.timezone.utc)
    return (first + dt.timedelta(days=32)).replace(day=1)


@pytest.fixture
def slack() -> Iterator[SlackApiServer]:
    with SlackApiServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """On SQLite, and on PostgreSQL when a server is given (tests/support/databases.py)."""
    return make_settings(tmp_path, digest_slack_channel=CHANNEL, database_url=database_url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


def everything_stored(db: Engine) -> str:
    tables = MetaData()
    tables.reflect(db)
    with db.connect() as connection:
        return "\n".join(str(row) for table in tables.sorted_tables for row in connection.execute(select(table)))


def test_two_replicas_send_one_digest_with_counts_and_no_question_text(
        settings: Settings, db: Engine, slack: SlackApiServer) -> None:
    log = QuestionLog(settings, db, KNOWLEDGE)
    for kind in ("directory", "directory", "study", "not_found"):
        log.record(Question(text=SECRET_QUESTION), Answer(question=SECRET_QUESTION, answer="…", kind=kind))
    FeedbackStore(settings, db).record("a1", "up", "U1", "directory")
    FeedbackStore(settings, db).record("a2", "down", "U2", "not_found")
    CorrectionStore(db).propose(Proposal(platform="slack", proposer_id="U1", answer_id="a1", unit_id="dmv",
                                         field="taak", new_value="Beheert ook de sleutels"))

    now = next_month(dt.date.today())
    outcomes: list[str] = []

    def replica() -> None:  # its own database connection and Slack client, as a second process has
        engine = create_db_engine(settings)
        try:
            outcomes.append(run_digest(settings, engine, KNOWLEDGE, WebClient(token="xoxb-test", base_url=slack.url),
                                       now))
        finally:
            engine.dispose()

    threads = [threading.Thread(target=replica) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already-sent", "sent"]
    assert run_digest(settings, db, KNOWLEDGE, WebClient(token="x", base_url=slack.url), now) == "already-sent"
    [post] = slack.calls_to("chat.postMessage")
    text = post.params["text"]
    assert post.params["channel"] == CHANNEL
    assert text.startswith("*Maandoverzicht Schakel, ")
    assert "Vragen: 4 (wie-is-wie 2, " in text and "Beantwoord met “niet gevonden”: 25%" in text
    assert "👍 1 · 👎 1" in text and "Openstaande meldingen: 1" in text
    assert "• melding 1: Directie Materieel en Vastgoed (DMV), taak" in text
    assert "Gevraagd maar niet gevonden, over: DMV (1)" in text
    assert "Zeemeeuw" not in text and "Zeemeeuw" not in everything_stored(db)  # privacy default


def test_two_replicas_schedulers_send_the_digest_once(settings: Settings, slack: SlackApiServer) -> None:
    now = next_month(dt.date.today())
    ticks = threading.Semaphore(0)
    schedulers = []
    engines = [create_db_engine(settings) for _ in range(2)]
    try:
        for engine in engines:
            client = WebClient(token="xoxb-test", base_url=slack.url)

            def digest(moment: dt.datetime, engine: Engine = engine, client: WebClient = client) -> None:
                run_digest(settings, engine, KNOWLEDGE, client, moment)
                ticks.release()

            schedulers.append(start_scheduler(settings, {}, clock=lambda: now, tick=dt.timedelta(seconds=1),
                                              digest=digest))
        slack.wait_for("chat.postMessage", timeout=30)
        for _ in range(4):  # more ticks after the post, on either replica
            assert ticks.acquire(timeout=30)
    finally:
        for scheduler in schedulers:
            stop_scheduler(scheduler)
        for engine in engines:
            engine.dispose()
    assert slack.count("chat.postMessage") == 1


def test_no_digest_without_a_channel(tmp_path: Path, slack: SlackApiServer) -> None:
    settings = make_settings(tmp_path)
    engine = create_db_engine(settings)
    try:
        client = WebClient(token="x", base_url=slack.url)
        assert run_digest(settings, engine, KNOWLEDGE, client, next_month(dt.date.today())) == "off"
    finally:
        engine.dispose()
    assert slack.calls_to("chat.postMessage") == []


def test_a_failed_post_is_retried_on_the_next_tick(settings: Settings, db: Engine, slack: SlackApiServer) -> None:
    slack.fail("chat.postMessage", status=500, times=1)
    client = WebClient(token="x", base_url=slack.url)
    now = next_month(dt.date.today())
    assert run_digest(settings, db, KNOWLEDGE, client, now) == "failed"
    assert run_digest(settings, db, KNOWLEDGE, client, now) == "sent"


def test_the_real_engine_counts_questions_without_their_text_by_default(engine: Any, tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    db = create_db_engine(settings)
    try:
        counted = LoggedEngine(engine, QuestionLog(settings, db, engine.knowledge))
        answer = counted.answer(Question(text=SECRET_QUESTION))
        with db.connect() as connection:
            [row] = connection.execute(select(questions)).all()
        assert row.kind == answer.kind and row.text is None
        assert "Zeemeeuw" not in everything_stored(db)
    finally:
        db.dispose()


def test_feedback_export_eval_gives_the_kept_unanswered_and_voted_down_questions(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, store_question_text=True)
    db = create_db_engine(settings)
    try:
        log = QuestionLog(settings, db, KNOWLEDGE)
        asked = [("Wie regelt de sleutels?", "not_found"), ("Wat doet DSK?", "directory"),
                 ("Wat doet DMV?", "directory")]
        answers = [Answer(question=text, answer="…", kind=kind) for text, kind in asked]
        for answer in answers:
            log.record(Question(text=answer.question), answer)
        FeedbackStore(settings, db).record(answers[2].id, "down", "U1", "directory")
        FeedbackStore(settings, db).record(answers[1].id, "up", "U1", "directory")
    finally:
        db.dispose()
    env = {**os.environ, "DATA_DIR": str(tmp_path), "STORE_QUESTION_TEXT": "true"}
    result = subprocess.run([sys.executable, "-m", "bot", "feedback", "export", "--eval"], capture_output=True,
                            text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    items = [EvalItem.model_validate_json(line) for line in result.stdout.splitlines()]
    assert [(item.question, item.support) for item in items] == [("Wie regelt de sleutels?", []), ("Wat doet DMV?", [])]
    assert [json.loads(line)["why"] for line in result.stdout.splitlines()] == ["niet gevonden", "👎"]

    off = subprocess.run([sys.executable, "-m", "bot", "feedback", "export", "--eval"], capture_output=True,
                         text=True, env={**env, "DATA_DIR": str(tmp_path / "leeg"), "STORE_QUESTION_TEXT": "false"},
                         timeout=300, check=False)
    assert off.returncode == 0 and off.stdout == "" and "STORE_QUESTION_TEXT staat uit" in off.stderr


def test_kept_texts_are_deleted_after_the_configured_days(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, store_question_text=True, question_text_days=30)
    db = create_db_engine(settings)
    try:
        log = QuestionLog(settings, db, KNOWLEDGE)
        log.record(Question(text=SECRET_QUESTION), Answer(question="q", answer="…", kind="not_found"))
        assert "Zeemeeuw" in everything_stored(db)
        with db.begin() as connection:  # the question was asked 31 days ago
            connection.execute(update(questions).values(
                asked_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=31)))
        log.record(Question(text="Wat doet DSK?"), Answer(question="q", answer="…", kind="directory"))
        stored = everything_stored(db)
        assert "Zeemeeuw" not in stored and "Wat doet DSK?" in stored
    finally:
        db.dispose()
