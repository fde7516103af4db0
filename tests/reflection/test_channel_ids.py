"""Reflection prompts go only to Slack or Teams conversation ids (issue 15, section 5).

Before, `reflect subscribe` stored "#algemeen", "🤖" or a 10,001-character id, and `run-due` posted to them.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from bot.reflection.models import Subscription
from bot.reflection.store import save_subscription
from tests.reflection.conftest import Cli, at
from tests.support.slack_api import SlackApiServer

DUE = "2026-12-01T10:00:00+01:00"


@pytest.mark.parametrize("channel", ["#algemeen", "🤖", "C" * 10_001, "c0123abcd", "C0123 ABCD"],
                         ids=["name", "emoji", "10001-chars", "lower-case", "space"])
def test_what_is_no_conversation_id_is_refused_and_never_posted_to(
        cli: Cli, slack: SlackApiServer, channel: str) -> None:
    result = cli.run("subscribe", channel)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Fout: ") and "is geen kanaal-id" in result.stderr
    assert len(result.stderr) < 1000  # a 10,001-character id is not echoed whole
    assert json.loads(cli.run("list", "--json").stdout) == []
    assert cli.run("run-due", "--now", DUE).returncode == 0
    assert slack.count("chat.postMessage") == 0


def test_slack_and_teams_ids_are_accepted_and_a_bare_teams_id_gets_its_prefix(cli: Cli) -> None:
    for channel in ("C0123ABCD", "G0PRIVATE1", "19:f1ct1ef@thread.tacv2", "teams:a:1Fict-ief_Chat"):
        assert cli.run("subscribe", channel).returncode == 0, channel
    listed = [row["channel"] for row in json.loads(cli.run("list", "--json").stdout)]
    assert sorted(listed) == sorted(["C0123ABCD", "G0PRIVATE1", "teams:19:f1ct1ef@thread.tacv2",
                                     "teams:a:1Fict-ief_Chat"])


def test_an_invalid_id_stored_before_the_check_is_reported_not_posted_to(
        cli: Cli, slack: SlackApiServer, db: Engine) -> None:
    save_subscription(db, Subscription("#algemeen"), at(2026, 11, 30))
    assert cli.run("subscribe", "C0REFLECT").returncode == 0

    result = cli.run("run-due", "--now", DUE)

    assert result.returncode == 1, result.stderr
    assert "#algemeen 2026-12: geen geldig kanaal-id, niets verstuurd" in result.stdout
    assert "C0REFLECT 2026-12: verstuurd" in result.stdout
    assert [call.params["channel"] for call in slack.calls_to("chat.postMessage")] == ["C0REFLECT"]
