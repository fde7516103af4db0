"""The Teams connector failing for a while: the computed answer is posted later, exactly once."""

from __future__ import annotations

import time

import pytest

from bot.ops.metrics import Metrics
from bot.settings import Settings
from tests.support.teams_connector import TeamsConnector
from tests.teams.conftest import TeamsClient
from tests.teams.test_conversations import DMV, VASTGOED


@pytest.fixture
def teams_settings(teams_settings: Settings) -> Settings:
    # Short waits, so that minutes of retrying take seconds here.
    return teams_settings.model_copy(update={"outbox_retry_seconds": 60.0, "outbox_backoff_seconds": 0.2,
                                             "outbox_backoff_max_seconds": 0.5, "outbox_poll_seconds": 0.1})


def test_six_connector_500s_in_a_row_still_post_the_answer_once(
        teams: TeamsClient, connector: TeamsConnector, metrics: Metrics) -> None:
    connector.fail("activities", status=500, times=6)
    activity = teams.activity(VASTGOED)
    assert teams.post(activity).status_code == 202
    connector.wait_for("activities", count=7)  # six refused, then the one accepted
    [reply] = connector.delivered("activities")
    assert reply.body["replyToId"] == activity["id"] and DMV in reply.card_text()
    time.sleep(1)  # the outbox worker ticks ten times more: nothing else is posted
    assert len(connector.delivered("activities")) == 1 and len(connector.of_kind("activities")) == 7
    assert metrics.registry.get_sample_value("schakel_outbox_total", {"platform": "teams", "outcome": "posted"}) == 1


def test_the_connector_down_for_a_while_then_back_gets_one_reply(
        teams: TeamsClient, connector: TeamsConnector) -> None:
    connector.fail_for("activities", status=500, seconds=6)
    assert teams.post(teams.activity(VASTGOED)).status_code == 202
    deadline = time.monotonic() + 60
    while not connector.delivered("activities"):
        assert time.monotonic() < deadline, "no reply after the connector came back"
        time.sleep(0.1)
    time.sleep(1)
    assert len(connector.delivered("activities")) == 1 and DMV in connector.delivered("activities")[0].card_text()
