"""Shared state on SQLite and PostgreSQL: what replicas rely on when they share one database.

Races run in separate processes (as replicas do), released at the same moment by a start file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import Settings
from bot.state.db import create_db_engine
from bot.state.feedback import FeedbackStore
from bot.state.idempotency import IdempotencyStore
from bot.state.ratelimit import RateLimiter
from tests.conftest import REPO_ROOT, make_settings

RACERS = 4

# Each racer builds its own engine (schema creation included), waits for the start file, then claims.
RACER = """
import json, os, sys, time
from pathlib import Path
from bot.settings import Settings
from bot.state.db import create_db_engine
from bot.state.idempotency import IdempotencyStore
settings = Settings(_env_file=None, data_dir=sys.argv[1], database_url=sys.argv[2])
store = IdempotencyStore(create_db_engine(settings))
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
print(json.dumps({"won": store.claim(["event:Ev0RACE", "message:C0PUBLIC:1700000000.000100"])}))
"""


def settings_for(tmp_path: Path, url: str, **overrides: object) -> Settings:
    return make_settings(tmp_path / "data", database_url=url, **overrides)


def test_racing_processes_claim_an_event_once(tmp_path: Path, database_url: str) -> None:
    go = tmp_path / "go"
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(tmp_path / "data"), database_url, str(go)],
                               cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(RACERS)]
    time.sleep(3)  # let every racer create its engine and tables first (the race is the claim, not start-up)
    go.touch()
    outcomes = [racer.communicate(timeout=120) for racer in racers]
    assert [racer.returncode for racer in racers] == [0] * RACERS, [err for _, err in outcomes]
    won = [json.loads(out.strip().splitlines()[-1])["won"] for out, _ in outcomes]
    assert won.count(True) == 1


def test_a_redelivered_event_is_a_duplicate_on_another_replica(tmp_path: Path, database_url: str) -> None:
    settings = settings_for(tmp_path, database_url)
    first, second = create_db_engine(settings), create_db_engine(settings)
    try:
        assert IdempotencyStore(first).claim(["event:Ev1", "message:C0PUBLIC:1.1"])
        # The same post as the other event type: a different event id, the same channel+ts.
        assert not IdempotencyStore(second).claim(["event:Ev2", "message:C0PUBLIC:1.1"])
        assert IdempotencyStore(second).claim(["event:Ev3", "message:C0PUBLIC:1.2"])
    finally:
        first.dispose()
        second.dispose()


def test_old_keys_are_pruned(tmp_path: Path, database_url: str) -> None:
    db = create_db_engine(settings_for(tmp_path, database_url))
    try:
        store = IdempotencyStore(db)
        assert store.claim(["event:Ev9"])
        assert store.prune(now=time.time() + 8 * 24 * 3600) == 1
        assert store.claim(["event:Ev9"])
    finally:
        db.dispose()


def test_feedback_is_shared_and_keeps_text_only_when_allowed(tmp_path: Path, database_url: str) -> None:
    quiet = settings_for(tmp_path, database_url)
    keeping = settings_for(tmp_path, database_url, store_feedback_text=True)
    first, second = create_db_engine(quiet), create_db_engine(keeping)
    try:
        FeedbackStore(quiet, first).record("ans-1", "down", "U0FENNA", "directory", text="Wie doet vastgoed?")
        FeedbackStore(keeping, second).record("ans-1", "up", "U0PIM", "directory", text="Dank!")
        records = FeedbackStore(quiet, second).for_answer("ans-1")
        assert [(r.vote, r.user_id, r.text) for r in records] == [("down", "U0FENNA", None), ("up", "U0PIM", "Dank!")]
    finally:
        first.dispose()
        second.dispose()


def test_rate_limit_counts_across_replicas(tmp_path: Path, database_url: str) -> None:
    settings = settings_for(tmp_path, database_url)
    first, second = create_db_engine(settings), create_db_engine(settings)
    try:
        now = time.time()
        one, two = RateLimiter(first, per_minute=3), RateLimiter(second, per_minute=3)
        assert [one.allow("U0FENNA", now), two.allow("U0FENNA", now), one.allow("U0FENNA", now)] == [True] * 3
        assert not two.allow("U0FENNA", now)
        assert two.allow("U0PIM", now)
    finally:
        first.dispose()
        second.dispose()


# Everything imported first; then, at the same moment, what `schakel serve` does at start-up.
SCHEMA_RACER = """
import sys, time
from pathlib import Path
from bot.settings import Settings
from bot.state.db import create_db_engine
from bot.reflection.scheduler import start_scheduler, stop_scheduler
import bot.state.feedback, bot.state.idempotency, bot.state.people, bot.state.ratelimit
import bot.reflection.sentlog, bot.reflection.store, bot.slack.threads
settings = Settings(_env_file=None, data_dir=sys.argv[1], database_url=sys.argv[2])
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
create_db_engine(settings).dispose()
stop_scheduler(start_scheduler(settings, {}))
"""


def test_replicas_starting_together_on_an_empty_database_all_come_up(tmp_path: Path, database_url: str) -> None:
    go = tmp_path / "go"
    racers = [subprocess.Popen([sys.executable, "-c", SCHEMA_RACER, str(tmp_path / "data"), database_url, str(go)],
                               cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True) for _ in range(RACERS)]
    time.sleep(3)  # imports done in every racer: the race is the tables, not the interpreter start
    go.touch()
    errors = [racer.communicate(timeout=120)[1] for racer in racers]
    assert [racer.returncode for racer in racers] == [0] * RACERS, errors
