"""Corrections in the shared database, on SQLite and PostgreSQL: reviewers on two replicas deciding on one
correction at the same moment take one decision, and every replica's answers see the approved overlay."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bot.state.corrections import CorrectionStore, Proposal
from bot.state.db import create_db_engine
from tests.conftest import REPO_ROOT, make_settings

RACERS = 4

# Each racer (a replica) opens its own engine, waits for the start file, then approves or rejects.
RACER = """
import json, sys, time
from pathlib import Path
from bot.settings import Settings
from bot.state.corrections import CorrectionStore
from bot.state.db import create_db_engine
settings = Settings(_env_file=None, data_dir=sys.argv[1], database_url=sys.argv[2])
store = CorrectionStore(create_db_engine(settings))
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
approve = sys.argv[4] == "approve"
taken = store.decide(1, approve, "U0RACER" + sys.argv[4], "Racer", reason=None if approve else "nee")
print(json.dumps({"taken": taken is not None}))
"""


def test_racing_reviewers_take_one_decision_that_every_replica_sees(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path / "data", database_url=database_url)
    first = create_db_engine(settings)
    try:
        CorrectionStore(first).propose(Proposal(platform="slack", proposer_id="U0FENNA", answer_id="a1",
                                                unit_id="dmv", field="taak", new_value="Beheert ook de kazernes"))
        go = tmp_path / "go"
        decisions = ["approve", "reject"] * (RACERS // 2)
        racers = [subprocess.Popen([sys.executable, "-c", RACER, str(tmp_path / "data"), database_url, str(go),
                                    decision], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True) for decision in decisions]
        time.sleep(3)  # every racer has its engine; the race is the decision
        go.touch()
        outcomes = [racer.communicate(timeout=120) for racer in racers]
        assert [racer.returncode for racer in racers] == [0] * RACERS, [err for _, err in outcomes]
        taken = [json.loads(out.strip().splitlines()[-1])["taken"] for out, _ in outcomes]
        assert taken.count(True) == 1

        decided = CorrectionStore(first).get(1)
        winner = decisions[taken.index(True)]
        assert decided is not None and decided.status == ("approved" if winner == "approve" else "rejected")
        second = create_db_engine(settings)  # another replica's view of the overlay
        try:
            facts = CorrectionStore(second).facts("dmv")
        finally:
            second.dispose()
        assert [fact.text for fact in facts] == (["Beheert ook de kazernes"] if winner == "approve" else [])
    finally:
        first.dispose()
