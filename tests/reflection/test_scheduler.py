"""APScheduler with the SQLite job store: the persisted job survives a restart and the send happens once."""

from __future__ import annotations

import datetime as dt
import threading

from apscheduler.events import EVENT_JOB_EXECUTED
from sqlalchemy import Engine

from bot.reflection.models import Subscription
from bot.reflection.scheduler import JOB_ID, start_scheduler, stop_scheduler
from bot.reflection.slack_poster import SlackPromptPoster
from bot.reflection.store import save_subscription
from bot.settings import Settings
from tests.reflection.conftest import at
from tests.support.slack_api import SlackApiServer

TICKS_AFTER_THE_POST = 3


def test_restart_between_scheduling_and_sending_posts_once(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), at(2026, 11, 30))
    # Before the restart: the job is stored with a one-second tick; at 09:55 nothing is due yet.
    before = start_scheduler(settings, poster, clock=lambda: at(2026, 12, 1, 9, 55), tick=dt.timedelta(seconds=1))
    stored = before.get_job(JOB_ID)
    stop_scheduler(before)
    assert slack.count("chat.postMessage") == 0

    # After the restart (at 10:05) with the default five-minute tick: only the persisted one-second
    # job can fire this soon, so a post proves the stored job survived rather than being re-added.
    ticks = threading.Semaphore(0)
    after = start_scheduler(settings, poster, clock=lambda: at(2026, 12, 1, 10, 5))
    after.add_listener(lambda event: ticks.release() if event.job_id == JOB_ID else None, EVENT_JOB_EXECUTED)
    try:
        job = after.get_job(JOB_ID)
        assert job.trigger.interval == stored.trigger.interval == dt.timedelta(seconds=1)
        slack.wait_for("chat.postMessage", timeout=30)
        for _ in range(TICKS_AFTER_THE_POST):
            assert ticks.acquire(timeout=30)
    finally:
        stop_scheduler(after)
    assert slack.count("chat.postMessage") == 1


def test_scheduler_settings_follow_the_issue(settings: Settings, poster: SlackPromptPoster) -> None:
    scheduler = start_scheduler(settings, poster, clock=lambda: at(2026, 12, 1, 9, 0))
    try:
        job = scheduler.get_job(JOB_ID)
        assert str(scheduler.timezone) == "Europe/Amsterdam"
        assert job.coalesce is True and job.max_instances == 1
        assert job.misfire_grace_time == settings.reflection_grace_hours * 3600
        assert job.trigger.interval == dt.timedelta(minutes=5)
    finally:
        stop_scheduler(scheduler)
    assert not scheduler.running


def test_two_schedulers_on_one_database_post_once(
        settings: Settings, db: Engine, slack: SlackApiServer, poster: SlackPromptPoster) -> None:
    save_subscription(db, Subscription("C0TEAM"), at(2026, 11, 30))
    save_subscription(db, Subscription("C0OTHER"), at(2026, 11, 30))
    ticks = threading.Semaphore(0)
    replicas = [start_scheduler(settings, poster, clock=lambda: at(2026, 12, 1, 10, 1), tick=dt.timedelta(seconds=1))
                for _ in range(2)]
    for replica in replicas:
        replica.add_listener(lambda event: ticks.release() if event.job_id == JOB_ID else None, EVENT_JOB_EXECUTED)
    try:
        slack.wait_for("chat.postMessage", count=2, timeout=30)
        for _ in range(2 * TICKS_AFTER_THE_POST):
            assert ticks.acquire(timeout=30)
    finally:
        for replica in replicas:
            stop_scheduler(replica)
    assert sorted(call.params["channel"] for call in slack.calls_to("chat.postMessage")) == ["C0OTHER", "C0TEAM"]
