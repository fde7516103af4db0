"""The sent-log's claim/confirm/release protocol on a real SQLite database (the race on PostgreSQL too)."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Engine

from bot.reflection import sentlog
from bot.settings import Settings
from bot.state.db import create_db_engine
from tests.reflection.conftest import at
from tests.support.databases import database_url  # noqa: F401 - fixture

NOW = at(2026, 12, 1, 10, 0)


def test_second_claim_for_the_same_channel_and_period_fails(db: Engine) -> None:
    first = sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW)
    assert first is not None
    assert sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW) is None
    assert sentlog.claim(db, "C0OTHER", "2026-12", "lmi-geven", "Vraag?", NOW) is not None
    sentlog.confirm(db, first, "1700000000.000100", NOW)
    assert sentlog.is_sent(db, "C0TEAM", "2026-12")
    assert sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW + dt.timedelta(hours=2)) is None


def test_released_claim_can_be_claimed_again(db: Engine) -> None:
    held = sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW)
    sentlog.release(db, held)
    assert not sentlog.is_sent(db, "C0TEAM", "2026-12")
    assert sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW) is not None


def test_a_claim_abandoned_by_a_crashed_process_is_taken_over_once(db: Engine) -> None:
    crashed = sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW)
    assert sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW + dt.timedelta(minutes=5)) is None
    later = NOW + sentlog.STALE_CLAIM + dt.timedelta(minutes=1)
    taken = sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", later)
    assert taken is not None and taken.token != crashed.token
    assert sentlog.claim(db, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", later) is None
    sentlog.confirm(db, crashed, "late", later)  # the crashed holder's token no longer matches
    assert not sentlog.is_sent(db, "C0TEAM", "2026-12")


def test_many_threads_with_their_own_engines_claim_once(settings: Settings, database_url: str) -> None:
    shared = settings.model_copy(update={"database_url": database_url})  # SQLite, and PostgreSQL when given
    engines = [create_db_engine(shared) for _ in range(8)]
    winners: list[sentlog.Claim] = []
    barrier = threading.Barrier(len(engines))

    def race(engine: Engine) -> None:
        barrier.wait()
        held = sentlog.claim(engine, "C0TEAM", "2026-12", "lmi-geven", "Vraag?", NOW)
        if held:
            winners.append(held)

    threads = [threading.Thread(target=race, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    for engine in engines:
        engine.dispose()
