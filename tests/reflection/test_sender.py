"""run_due against the local Slack Web API server: once per period, retries, grace, rotation, look back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from bot.reflection.catalogue import load_catalogue
from bot.reflection.models import Cadence, Subscription
from bot.reflection.schedule import next_slot
from bot.reflection.sender import run_due
from bot.reflection.slack_poster import ACTION_ANONYMOUS_REPLY, SlackPromptPoster
from bot.reflection.store import save_subscription, set_paused_until
from bot.settings import SHIPPED_PROMPTS, Settings
from tests.reflection.conftest import AMS, at
from tests.support.slack_api import SlackApiServer

DUE = at(2026, 12, 1, 10, 0)


def posted(slack: SlackApiServer) -> list[str]:
    return [call.params["text"] for call in slack.calls_to("chat.postMessage")]


def test_due_prompt_is_posted_once_however_often_run_due_runs(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), DUE)
    assert run_due(settings, poster, DUE - dt.timedelta(minutes=1), engine=db) == []
    first = run_due(settings, poster, DUE, engine=db)
    again = run_due(settings, poster, DUE + dt.timedelta(minutes=5), engine=db)
    assert [r.outcome for r in first] == ["sent"] and [r.outcome for r in again] == ["already-sent"]
    assert slack.count("chat.postMessage") == 1
    call = slack.calls_to("chat.postMessage")[0]
    assert call.params["channel"] == "C0TEAM"
    buttons = [e for b in call.json_param("blocks") if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["text"]["text"]) for b in buttons] == [(ACTION_ANONYMOUS_REPLY, "Anoniem reageren")]
    assert "thread" in call.params["text"]


def test_bot_down_at_ten_and_back_within_the_grace_posts_once(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), DUE)
    back = DUE + dt.timedelta(hours=3, minutes=12)
    assert [r.outcome for r in run_due(settings, poster, back, engine=db)] == ["sent"]
    run_due(settings, poster, back + dt.timedelta(minutes=5), engine=db)
    assert slack.count("chat.postMessage") == 1


def test_bot_back_after_the_grace_skips_the_period(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), DUE)
    assert run_due(settings, poster, DUE + dt.timedelta(hours=settings.reflection_grace_hours), engine=db) == []
    assert slack.count("chat.postMessage") == 0


def test_failed_post_is_released_and_sent_by_the_next_run(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), DUE)
    slack.fail("chat.postMessage", status=500, times=1)
    assert [r.outcome for r in run_due(settings, poster, DUE, engine=db)] == ["failed"]
    assert [r.outcome for r in run_due(settings, poster, DUE + dt.timedelta(minutes=5), engine=db)] == ["sent"]
    run_due(settings, poster, DUE + dt.timedelta(minutes=10), engine=db)
    assert slack.count("chat.postMessage", ok_only=False) == 2 and slack.count("chat.postMessage") == 1


def test_rate_limited_post_is_retried_within_the_run(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), DUE)
    slack.fail("chat.postMessage", status=429, times=1)
    assert [r.outcome for r in run_due(settings, poster, DUE, engine=db)] == ["sent"]
    assert slack.count("chat.postMessage") == 1


def test_rotation_asks_every_theme_question_before_repeating(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    sub = Subscription("C0TEAM", Cadence.BIWEEKLY, weekday=2, themes=("politie-defensie",))
    save_subscription(db, sub, DUE)
    pool = {p.text for p in load_catalogue(SHIPPED_PROMPTS).for_themes(["politie-defensie"])}
    moment = at(2026, 1, 1)
    for _ in range(len(pool) + 2):
        moment = next_slot(sub, moment, AMS).at
        run_due(settings, poster, moment + dt.timedelta(minutes=1), engine=db)
    questions = [text.split("Even reflecteren: ", 1)[1].split("\n", 1)[0] for text in posted(slack)]
    assert len(questions) == len(pool) + 2
    assert set(questions[: len(pool)]) == pool  # each theme question once, nothing outside the theme
    assert questions[len(pool)] != questions[len(pool) - 1]  # a new round does not start with the last one


def test_next_prompt_looks_back_at_the_previous_one(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), DUE)
    first = run_due(settings, poster, DUE, engine=db)[0]
    previous = slack.calls_to("chat.postMessage")[0].params["text"].split("Even reflecteren: ")[1].split("\n")[0]
    slack.add_message("C0TEAM", "1800000000.000001", "Goed punt", user="U0FENNA", thread_ts=first.message_id)
    slack.add_message("C0TEAM", "1800000000.000002", "Eens", user="U0JOOST", thread_ts=first.message_id)
    run_due(settings, poster, at(2027, 1, 5, 10, 1), engine=db)
    second = posted(slack)[1]
    assert second.splitlines()[0] == f"Vorige keer: 2 reacties op “{previous}”"
    assert "Vorige keer" not in posted(slack)[0]


def test_paused_channel_gets_nothing_and_resumes_in_rhythm(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), DUE)
    set_paused_until(db, "C0TEAM", dt.date(2027, 1, 1), DUE)
    assert run_due(settings, poster, DUE, engine=db) == []
    set_paused_until(db, "C0TEAM", None, DUE)
    assert run_due(settings, poster, at(2026, 12, 15, 10, 0), engine=db) == []  # no catch-up outside the rhythm
    assert [r.period for r in run_due(settings, poster, at(2027, 1, 5, 10, 0), engine=db)] == ["2027-01"]
    assert slack.count("chat.postMessage") == 1
