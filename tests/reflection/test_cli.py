"""Driving only the `schakel reflect` CLI against the local Slack Web API server (the issue's "done when")."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.reflection.cli import reflect_group
from bot.settings import Settings
from tests.reflection.conftest import Cli
from tests.support.slack_api import SlackApiServer

DUE = "2026-12-01T10:00:00+01:00"


def test_run_due_twice_posts_once(cli: Cli, slack: SlackApiServer) -> None:
    assert cli.run("subscribe", "C0REFLECT").returncode == 0
    first = cli.run("run-due", "--now", DUE)
    second = cli.run("run-due", "--now", DUE)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "C0REFLECT 2026-12: verstuurd" in first.stdout
    assert "C0REFLECT 2026-12: was al verstuurd" in second.stdout
    assert slack.count("chat.postMessage") == 1


def test_two_processes_at_once_post_once(cli: Cli, slack: SlackApiServer) -> None:
    assert cli.run("subscribe", "C0REFLECT").returncode == 0
    racers = [cli.start("run-due", "--now", DUE) for _ in range(2)]
    outputs = [racer.communicate(timeout=120) for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    stdout = "".join(out for out, _ in outputs)
    assert stdout.count("verstuurd (vraag") == 1
    assert slack.count("chat.postMessage") == 1


def test_list_moves_a_holiday_send_to_the_next_working_day(cli: Cli) -> None:
    assert cli.run("subscribe", "C0REFLECT", "--day", "maandag").returncode == 0
    listed = cli.run("list", "--json", "--now", "2026-03-10T12:00")
    [row] = json.loads(listed.stdout)
    assert (row["nominal_date"], row["moved_for"]) == ("2026-04-06", "Tweede paasdag")
    assert row["next_send"] == "2026-04-07T10:00:00+02:00"
    assert listed.returncode == 0


def test_list_text_shows_the_shift_for_operators(settings: Settings) -> None:
    runner = CliRunner()  # in-process: the subprocess tests above already cover the console script
    runner.invoke(reflect_group, ["subscribe", "C0REFLECT", "--day", "maandag"], obj=settings)
    listed = runner.invoke(reflect_group, ["list", "--now", "2026-03-10T12:00"], obj=settings)
    assert listed.exit_code == 0
    assert listed.stdout == ("C0REFLECT: maandelijks, eerste maandag van de maand om 10:00 (alle thema's); "
                             "volgende: di 7 april 2026 10:00 (verschoven van ma 6 april 2026: Tweede paasdag)\n")


def test_bad_arguments_get_dutch_usage_exit_2_and_no_traceback(cli: Cli, settings: Settings,
                                                             slack: SlackApiServer) -> None:
    result = cli.run("subscribe", "C0REFLECT", "--cadence", "wekelijks")  # one real process for the exit code
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Fout: --cadence: 'wekelijks' is geen ritme; kies maandelijks, tweewekelijks")
    assert "\nVoorbeeld: schakel reflect subscribe C0123ABCD --cadence tweewekelijks" in result.stderr
    cases = [
        ("subscribe",),
        ("subscribe", "C0REFLECT", "--day", "zaterdag"),
        ("subscribe", "C0REFLECT", "--time", "25:00"),
        ("subscribe", "C0REFLECT", "--theme", "onbekend"),
        ("subscribe", "C0REFLECT", "extra"),
        ("pause", "C0REFLECT", "--until", "morgen"),
        ("run-due", "--now", "gisteren"),
        ("list", "--bogus"),
        ("bestaat-niet",),
    ]
    runner = CliRunner()
    for args in cases:
        outcome = runner.invoke(reflect_group, list(args), obj=settings, prog_name="schakel reflect")
        assert outcome.exit_code == 2, (args, outcome.output)
        assert isinstance(outcome.exception, SystemExit), args  # a clean exit, not a crash
        assert outcome.stderr.startswith("Fout: ") and "\nGebruik: schakel reflect" in outcome.stderr, args
        assert "\nVoorbeeld: schakel reflect" in outcome.stderr, args
    assert slack.count("chat.postMessage") == 0
