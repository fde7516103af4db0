"""`schakel reflect …`: reflection subscriptions and sends for operators and tests.

Bad arguments print a Dutch usage line with an example and exit with code 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import IO, Any

import click
from sqlalchemy import Engine

from bot.knowledge.loader import KnowledgeError
from bot.reflection.catalogue import load_catalogue
from bot.reflection.channels import conversation_id
from bot.reflection.models import DEFAULT_TIME, Cadence, Subscription
from bot.reflection.parsing import (
    describe_rhythm,
    describe_slot,
    format_moment,
    is_weekend_day,
    parse_cadence,
    parse_date,
    parse_moment,
    parse_time,
    parse_weekday,
)
from bot.reflection.schedule import next_slot
from bot.reflection.sender import SendResult, reflection_tz, run_due
from bot.reflection.slack_poster import SlackPromptPoster
from bot.reflection.store import list_subscriptions, remove_subscription, save_subscription, set_paused_until
from bot.settings import Settings
from bot.state.db import create_db_engine

OUTCOME_NL = {
    "sent": "verstuurd",
    "already-sent": "was al verstuurd, niets gedaan",
    "busy-elsewhere": "wordt al verstuurd door een ander proces, niets gedaan",
    "failed": "mislukt; de volgende run probeert het opnieuw",
    "invalid-channel": "geen geldig kanaal-id, niets verstuurd; zet het uit met schakel reflect unsubscribe",
}


class DutchUsageError(click.UsageError):
    """A usage error shown in Dutch, with the command's usage and an example (exit code 2)."""

    def __init__(self, message: str, usage: str, example: str) -> None:
        super().__init__(message)
        self.usage, self.example = usage, example

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fout: {self.message}\nGebruik: {self.usage}\nVoorbeeld: {self.example}", err=True)


class ReflectError(click.ClickException):
    """A correct command that cannot be carried out (exit code 1), in Dutch."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Fout: {self.message}", err=True)


def _dutch(error: click.UsageError) -> str:
    if isinstance(error, click.NoSuchOption):
        return f"onbekende optie {error.option_name}"
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return f"{_param_name(error.param)} ontbreekt"
    if isinstance(error, click.BadParameter):
        where = _param_name(error.param) if error.param is not None else "een waarde"
        return f"{where}: {error.message}"
    if isinstance(error, click.BadOptionUsage):
        return f"optie {error.option_name} heeft een waarde nodig"
    if "extra argument" in error.message:
        return "te veel argumenten: " + error.message.split("(", 1)[-1].rstrip(")")
    return "ongeldige aanroep"


def _param_name(param: click.Parameter) -> str:
    if isinstance(param, click.Option):
        return param.opts[0]
    return param.human_readable_name


class ReflectCommand(click.Command):
    def __init__(self, *args: Any, usage: str, example: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dutch_usage, self.example = usage, example

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except DutchUsageError:
            raise
        except click.UsageError as error:
            raise DutchUsageError(_dutch(error), self.dutch_usage, self.example) from None

    def fail(self, message: str) -> DutchUsageError:
        return DutchUsageError(message, self.dutch_usage, self.example)


class ReflectGroup(click.Group):
    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            raise DutchUsageError(
                f"onbekend commando {args[0]!r}; kies uit {', '.join(self.list_commands(ctx))}",
                "schakel reflect subscribe|unsubscribe|pause|resume|list|run-due …",
                "schakel reflect list",
            ) from None


class CadenceType(click.ParamType):
    name = "ritme"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Cadence:
        if isinstance(value, Cadence):
            return value
        cadence = parse_cadence(str(value))
        if cadence is None:
            self.fail(f"{value!r} is geen ritme; kies maandelijks, tweewekelijks of per-kwartaal", param, ctx)
        return cadence


class WeekdayType(click.ParamType):
    name = "dag"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        day = parse_weekday(str(value))
        if day is None:
            hint = " (in het weekend wordt niet verstuurd)" if is_weekend_day(str(value)) else ""
            self.fail(f"{value!r} is geen werkdag; kies maandag t/m vrijdag{hint}", param, ctx)
        return day


class TimeType(click.ParamType):
    name = "UU:MM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.time:
        if isinstance(value, dt.time):
            return value
        moment = parse_time(str(value))
        if moment is None:
            self.fail(f"{value!r} is geen tijd; schrijf UU:MM, bijvoorbeeld 09:30", param, ctx)
        return moment


class MomentType(click.ParamType):
    name = "ISO-8601"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if not _is_iso(str(value)):
            self.fail(f"{value!r} is geen moment; schrijf bijvoorbeeld 2026-12-01T10:00 of 2026-12-01T10:00+01:00",
                      param, ctx)
        return str(value)


def _is_iso(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _settings(ctx: click.Context) -> Settings:
    # The `schakel` group puts the Settings in ctx.obj; run standalone, read them here (an entry point).
    return ctx.obj if isinstance(ctx.obj, Settings) else Settings()


def _moment(settings: Settings, now: str | None) -> dt.datetime:
    tz = reflection_tz(settings)
    if now is None:
        return dt.datetime.now(tz)
    moment = parse_moment(now, tz)
    assert moment is not None  # MomentType checked it
    return moment


def _db(settings: Settings) -> Engine:
    return create_db_engine(settings)


CHANNEL_ARG = click.argument("channel", metavar="KANAAL")


@click.group("reflect", cls=ReflectGroup)
def reflect_group() -> None:
    """Reflectievragen per kanaal: abonneren, plannen en versturen."""


@reflect_group.command(
    "subscribe", cls=ReflectCommand,
    usage="schakel reflect subscribe KANAAL [--cadence maandelijks|tweewekelijks|per-kwartaal] "
          "[--day maandag..vrijdag] [--time UU:MM] [--theme THEMA …]",
    example="schakel reflect subscribe C0123ABCD --cadence tweewekelijks --day donderdag --time 09:30 --theme pps",
)
@CHANNEL_ARG
@click.option("--cadence", type=CadenceType(), default=Cadence.MONTHLY.value, show_default=True, help="Ritme.")
@click.option("--day", type=WeekdayType(), default="dinsdag", show_default=True, help="Werkdag van verzending.")
@click.option("--time", "send_time", type=TimeType(), default=DEFAULT_TIME.strftime("%H:%M"), show_default=True,
              help="Tijd (Europe/Amsterdam).")
@click.option("--theme", "themes", multiple=True, help="Thema('s) van de vragen, bijv. pps; herhaalbaar.")
@click.pass_context
def subscribe_command(ctx: click.Context, channel: str, cadence: Cadence, day: int, send_time: dt.time,
                      themes: tuple[str, ...]) -> None:
    """Zet reflectievragen aan voor KANAAL (of wijzig het ritme)."""
    settings = _settings(ctx)
    command = ctx.command
    assert isinstance(command, ReflectCommand)
    stored_id = conversation_id(channel)
    if stored_id is None:
        shown = channel if len(channel) <= 40 else f"{channel[:40]}… ({len(channel)} tekens)"
        raise command.fail(f"{shown!r} is geen kanaal-id; verwacht een Slack-id zoals C0123ABCD of een "
                           "Teams-gesprek-id zoals 19:…@thread.tacv2")
    channel = stored_id
    try:
        known = load_catalogue(settings.prompts_dir).themes
    except KnowledgeError as error:
        raise ReflectError(f"de vragencatalogus is ongeldig: {error}") from None
    unknown = [theme for theme in themes if theme not in known]
    if unknown:
        raise command.fail(f"onbekend thema {', '.join(unknown)}; kies uit {', '.join(known)}")
    tz = reflection_tz(settings)
    now = dt.datetime.now(tz)
    sub = Subscription(channel=channel, cadence=cadence, weekday=day, send_time=send_time, themes=tuple(themes))
    db = _db(settings)
    created = save_subscription(db, sub, now)
    db.dispose()
    slot = next_slot(sub, now, tz)
    click.echo(f"{'Aangezet' if created else 'Bijgewerkt'}: {channel}, {describe_rhythm(sub)}"
               f"{', thema ' + ', '.join(themes) if themes else ''}.")
    if slot:
        click.echo(f"Volgende vraag: {describe_slot(slot, tz)}.")


@reflect_group.command("unsubscribe", cls=ReflectCommand, usage="schakel reflect unsubscribe KANAAL",
                       example="schakel reflect unsubscribe C0123ABCD")
@CHANNEL_ARG
@click.pass_context
def unsubscribe_command(ctx: click.Context, channel: str) -> None:
    """Zet reflectievragen uit voor KANAAL."""
    db = _db(_settings(ctx))
    removed = remove_subscription(db, channel)
    db.dispose()
    if not removed:
        raise ReflectError(f"{channel} heeft geen reflectievragen aan")
    click.echo(f"Uitgezet: {channel}.")


@reflect_group.command("pause", cls=ReflectCommand, usage="schakel reflect pause KANAAL --until DATUM",
                       example="schakel reflect pause C0123ABCD --until 2027-01-05")
@CHANNEL_ARG
@click.option("--until", "until", required=True, metavar="DATUM", help="Eerste dag waarop weer verstuurd mag worden.")
@click.pass_context
def pause_command(ctx: click.Context, channel: str, until: str) -> None:
    """Pauzeer KANAAL tot een datum; het ritme blijft gelijk."""
    settings = _settings(ctx)
    command = ctx.command
    assert isinstance(command, ReflectCommand)
    now = dt.datetime.now(reflection_tz(settings))
    day = parse_date(until, now.date())
    if day is None:
        raise command.fail(f"{until!r} is geen datum; schrijf bijvoorbeeld 2027-01-05 of '5 januari'")
    db = _db(settings)
    paused = set_paused_until(db, channel, day, now)
    db.dispose()
    if not paused:
        raise ReflectError(f"{channel} heeft geen reflectievragen aan")
    click.echo(f"Gepauzeerd: {channel} tot {day.isoformat()}.")


@reflect_group.command("resume", cls=ReflectCommand, usage="schakel reflect resume KANAAL",
                       example="schakel reflect resume C0123ABCD")
@CHANNEL_ARG
@click.pass_context
def resume_command(ctx: click.Context, channel: str) -> None:
    """Hervat KANAAL in het oude ritme."""
    settings = _settings(ctx)
    db = _db(settings)
    resumed = set_paused_until(db, channel, None, dt.datetime.now(reflection_tz(settings)))
    db.dispose()
    if not resumed:
        raise ReflectError(f"{channel} heeft geen reflectievragen aan")
    click.echo(f"Hervat: {channel}.")


@reflect_group.command("list", cls=ReflectCommand, usage="schakel reflect list [--json] [--now ISO-8601]",
                       example="schakel reflect list --json --now 2026-03-10T12:00")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--now", type=MomentType(), default=None, help="Reken vanaf dit moment (standaard: nu).")
@click.pass_context
def list_command(ctx: click.Context, as_json: bool, now: str | None) -> None:
    """Alle abonnementen met hun volgende verzendmoment (na feestdagen en weekends)."""
    settings = _settings(ctx)
    tz = reflection_tz(settings)
    moment = _moment(settings, now)
    db = _db(settings)
    subs = list_subscriptions(db)
    db.dispose()
    rows = []
    for sub in subs:
        slot = next_slot(sub, moment, tz)
        rows.append({
            "channel": sub.channel,
            "cadence": sub.cadence.value,
            "day": sub.weekday,
            "time": sub.send_time.strftime("%H:%M"),
            "themes": list(sub.themes),
            "paused_until": sub.paused_until.isoformat() if sub.paused_until else None,
            "next_send": slot.at.isoformat() if slot else None,
            "next_period": slot.period if slot else None,
            "nominal_date": slot.nominal.isoformat() if slot else None,
            "moved_for": slot.moved_for if slot else None,
            "rhythm": describe_rhythm(sub),
            "next_send_text": describe_slot(slot, tz) if slot else "geen",
        })
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Geen kanalen met reflectievragen.")
    for row in rows:
        paused = f", gepauzeerd tot {row['paused_until']}" if row["paused_until"] else ""
        themes = ", ".join(row["themes"]) or "alle thema's"
        click.echo(f"{row['channel']}: {row['rhythm']} ({themes}{paused}); volgende: {row['next_send_text']}")


@reflect_group.command("run-due", cls=ReflectCommand, usage="schakel reflect run-due [--now ISO-8601]",
                       example="schakel reflect run-due --now 2026-12-01T10:00+01:00")
@click.option("--now", type=MomentType(), default=None, help="Verstuur wat op dit moment aan de beurt is.")
@click.pass_context
def run_due_command(ctx: click.Context, now: str | None) -> None:
    """Verstuur wat nu (of op --now) aan de beurt is, via Slack, en stop."""
    settings = _settings(ctx)
    tz = reflection_tz(settings)
    moment = _moment(settings, now)
    try:
        poster = SlackPromptPoster.from_settings(settings)
        results = run_due(settings, poster, moment)
    except (ValueError, KnowledgeError) as error:
        raise ReflectError(str(error)) from None
    _report(results, moment, tz)
    if any(result.outcome in ("failed", "invalid-channel") for result in results):
        ctx.exit(1)


def _report(results: list[SendResult], moment: dt.datetime, tz: Any) -> None:
    if not results:
        click.echo(f"Niets te versturen op {format_moment(moment, tz)} ({tz.key}).")
    for result in results:
        detail = f" (vraag {result.prompt_id})" if result.outcome == "sent" else ""
        click.echo(f"{result.channel} {result.period}: {OUTCOME_NL[result.outcome]}{detail}")
