"""The reflection scheduler inside the bot process: APScheduler 3.x with a SQLAlchemy job store.

One persisted interval job ticks every few minutes; each tick runs `run_due`, which sends whatever
is due within the grace window. That keeps "bot was down at 10:00, back at 13:00 → one post"
independent of APScheduler's misfire handling, and the sent-log makes every tick, restart and
replica safe (APScheduler 3 does not coordinate schedulers that share a job store; the sent-log does).

The persisted job's callable is `reflection_tick`, a durable timer only: the work runs in a job
listener that holds the injected settings and poster, so no token or client is ever pickled into
the job store.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Callable, Mapping
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import ConflictingIdError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bot.reflection.sender import PromptPoster, run_due
from bot.settings import Settings
from bot.state.db import create_db_engine, create_tables

log = logging.getLogger(__name__)

JOB_ID = "reflection-run-due"
JOBS_TABLE = "reflection_jobs"
Clock = Callable[[], dt.datetime]


def reflection_tick() -> None:
    """The persisted job: a durable timer whose runs the listener in `start_scheduler` acts on."""


def start_scheduler(settings: Settings, poster: PromptPoster | Mapping[str, PromptPoster], *,
                    clock: Clock | None = None, tick: dt.timedelta | None = None,
                    digest: Callable[[dt.datetime], object] | None = None) -> BackgroundScheduler:
    """Start ticking in the background. Keeps a job already in the store (its timing survives restarts).

    `digest`: also run on every tick (the monthly digest, `bot.review.digest`), after the prompts."""
    tz = ZoneInfo(settings.reflection_timezone)
    tick = tick or dt.timedelta(seconds=settings.reflection_tick_seconds)
    now: Clock = clock or (lambda: dt.datetime.now(tz))
    db = create_db_engine(settings)
    jobstore = SQLAlchemyJobStore(engine=db, tablename=JOBS_TABLE)
    # APScheduler's own create-if-missing races when replicas start together; ours holds a lock.
    create_tables(db, [jobstore.jobs_t])
    scheduler = BackgroundScheduler(
        jobstores={"default": jobstore},
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={
            "coalesce": True,  # ticks missed while the bot was down collapse into one
            "max_instances": 1,
            "misfire_grace_time": settings.reflection_grace_hours * 3600,
        },
        timezone=tz,
    )

    def on_tick(event: JobExecutionEvent) -> None:
        if event.job_id != JOB_ID:
            return
        try:
            run_due(settings, poster, now(), engine=db)
        except Exception:  # a bad tick must not stop the scheduler; the next tick retries
            log.exception("reflection tick failed")
        if digest is not None:
            try:
                digest(now())
            except Exception:
                log.exception("digest tick failed")

    scheduler.add_listener(on_tick, EVENT_JOB_EXECUTED)
    scheduler.start(paused=True)
    if scheduler.get_job(JOB_ID) is None:
        try:
            scheduler.add_job(reflection_tick, "interval", seconds=int(tick.total_seconds()), id=JOB_ID,
                              name="reflection: send what is due")
        except ConflictingIdError:
            pass  # a second replica stored the same job at the same moment; one is enough
    scheduler.resume()
    log.info("reflection scheduler started", extra={"fields": {"tick_seconds": int(tick.total_seconds())}})
    return scheduler


def stop_scheduler(scheduler: BackgroundScheduler) -> None:
    """Shut down after the running tick (if any) finishes; the job stays in the store for the next start."""
    if scheduler.running:
        scheduler.shutdown(wait=True)
