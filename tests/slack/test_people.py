"""`schakel people sync` and the people directory: who is named, and who asked not to be."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

from click.testing import CliRunner

from bot.cli import cli
from tests.slack.conftest import Bot
from tests.slack.helpers import DM, message, shown_text
from tests.support.slack_api import SlackApiServer

UNIT_FIELD = "Xf0EENHEID"
QUESTION = "Wie is het aanspreekpunt bij CIO voor data?"


def sync(slack: SlackApiServer, data_dir: Path) -> str:
    env = {"SLACK_BOT_TOKEN": "xoxb-schakel-test", "SLACK_API_URL": slack.url, "DATA_DIR": str(data_dir),
           "SLACK_UNIT_PROFILE_FIELD": UNIT_FIELD}
    with mock.patch.dict(os.environ, env):
        result = CliRunner().invoke(cli, ["people", "sync"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def add_workspace(slack: SlackApiServer) -> None:
    slack.add_user("U0DAAN", "Fictieve Daan", title="Adviseur datamanagement", fields={UNIT_FIELD: "CIO"})
    slack.add_user("U0ROOS", "Fictieve Roos", title="Jurist", fields={UNIT_FIELD: "CIO"})
    slack.add_user("U0PIM", "Fictieve Pim", title="Data-analist", fields={UNIT_FIELD: "onbekende club"})
    slack.add_user("U0GONE", "Fictieve Oud-collega", title="Datasteward", fields={UNIT_FIELD: "CIO"}, deleted=True)
    slack.add_user("U0ROBOT", "Fictieve Robot", title="Databot", fields={UNIT_FIELD: "CIO"}, is_bot=True)


def test_people_sync_reads_every_page_and_resolves_units(bot: Bot, tmp_path: Path) -> None:
    add_workspace(bot.slack)
    output = sync(bot.slack, tmp_path)
    # the fixture user Fenna has no unit field; Daan and Roos resolve to CIO; Pim's unit is unknown
    assert "4 profielen gelezen, 2 met een bekende eenheid" in output
    assert len(bot.slack.calls_to("users.list")) == 1  # 200 per page: one page here
    cio = next(unit.id for unit in bot.deps.engine.knowledge.units if unit.abbreviation == "CIO")
    assert [p.name for p in bot.deps.people.search(cio, ["data"])] == ["Fictieve Daan"]


def test_people_sync_follows_the_cursor(slack_api: SlackApiServer, tmp_path: Path) -> None:
    for number in range(450):
        slack_api.add_user(f"U0N{number:04d}", f"Fictief Lid {number}", fields={UNIT_FIELD: "CIO"})
    assert "451 profielen gelezen, 450 met een bekende eenheid" in sync(slack_api, tmp_path)
    assert [c.params.get("cursor") for c in slack_api.calls_to("users.list")] == [None, "200", "400"]


def test_people_are_named_in_answers_until_they_hide(bot: Bot, tmp_path: Path) -> None:
    add_workspace(bot.slack)
    sync(bot.slack, tmp_path)
    bot.sender.event(message(QUESTION, channel=DM))
    bot.settle()
    assert "Fictieve Daan" in shown_text(bot.replies()[-1])

    assert "niet meer voor" in bot.sender.command("/schakel", "verberg mij", user_id="U0DAAN").json()["text"]
    bot.sender.event(message(QUESTION, channel=DM))
    bot.settle()
    assert "Fictieve Daan" not in shown_text(bot.replies()[-1])

    bot.sender.command("/schakel", "toon mij", user_id="U0DAAN")
    bot.sender.event(message(QUESTION, channel=DM))
    bot.settle()
    assert "Fictieve Daan" in shown_text(bot.replies()[-1])


def test_maintained_people_are_found_by_expertise_once_and_can_hide(tmp_path: Path) -> None:
    from dataclasses import replace

    from bot.knowledge.loader import load_knowledge
    from bot.knowledge.schema import MaintainedPerson
    from bot.settings import SHIPPED_KNOWLEDGE
    from bot.state.db import create_db_engine
    from bot.state.people import PeopleStore, SyncedProfile
    from tests.conftest import make_settings

    shipped = load_knowledge(SHIPPED_KNOWLEDGE)
    cio = next(unit.id for unit in shipped.units if unit.abbreviation == "CIO")
    mira = MaintainedPerson(name="Fictieve Mira", unit=cio, title="Architect", expertise=["data-architectuur"],
                            slack_user_id="U0MIRA")
    store = PeopleStore(create_db_engine(make_settings(tmp_path)), replace(shipped, people=[mira]))
    # The same colleague also synced from Slack: named once, with the maintained expertise.
    store.replace_profiles([SyncedProfile("U0MIRA", "Mira F.", "Architect", "CIO"),
                            SyncedProfile("U0KEES", "Fictieve Kees", "Jurist", "CIO")])

    found = store.search(cio, ["data"])
    assert [(p.name, p.source) for p in found] == [("Fictieve Mira", "people.yaml")]
    assert {p.name for p in store.search(cio, [])} == {"Fictieve Mira", "Fictieve Kees"}
    assert store.unit_of("U0KEES") == cio and store.search(None, ["jurist"])[0].name == "Fictieve Kees"

    store.hide("U0MIRA")
    assert store.search(cio, ["data"]) == [] and store.profile("U0MIRA").hidden
    store.show("U0MIRA")
    assert [p.name for p in store.search(cio, ["data"])] == ["Fictieve Mira"]
