"""The day a correction was approved, as answers show it: read from the store, never from the test's clock."""
from __future__ import annotations

import datetime as dt

from bot.state.corrections import CorrectionStore


def approved_on(store: CorrectionStore, correction_id: int) -> str:
    """The approval day of a decided correction; a run that crosses midnight still agrees with what was shown."""
    correction = store.get(correction_id)
    assert correction is not None and correction.decided_at is not None
    assert stamped_today(correction.decided_at)  # stamped by the decision in this test, not a stale date
    return correction.decided_at.date().isoformat()


def stamped_today(moment: dt.datetime) -> bool:
    """Stored in UTC; a test that started before midnight may read it after."""
    today = dt.datetime.now(dt.timezone.utc).date()
    return moment.date() in {today, today - dt.timedelta(days=1)}
