"""/wieiswie and /schakel. All /schakel subcommands are parsed here, in `parse_schakel`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Literal

from slack_bolt import Ack, App, BoltContext

from bot.slack.deps import SlackDeps
from bot.slack.formatting import defang, safe_mrkdwn
from bot.slack.handler import Where, answer_ephemeral, is_dm
from bot.slack.texts import help_text

log = logging.getLogger(__name__)

SubcommandName = Literal["help", "hide", "show", "reflection", "unknown"]
WIEISWIE_EMPTY = (
    "Typ een onderwerp of eenheid achter `/wieiswie`, bijvoorbeeld `/wieiswie vastgoed` of `/wieiswie DMO`."
)
HIDDEN = "Je komt niet meer voor in de antwoorden van Schakel. Met `/schakel toon mij` zet je dat terug."
SHOWN = "Je kunt weer voorkomen in de antwoorden van Schakel. Met `/schakel verberg mij` haal je jezelf eruit."
UNKNOWN = "Dat commando ken ik niet: `/schakel {text}`. Dit kan ik wel:\n\n"


@dataclass(frozen=True)
class Subcommand:
    name: SubcommandName
    rest: str = ""  # the text after the subcommand word(s)


def parse_schakel(text: str) -> Subcommand:
    words = text.strip().split()
    lowered = [word.lower() for word in words]
    if not words or lowered[0] in {"help", "hulp", "?"}:
        return Subcommand("help")
    if lowered[:2] in (["verberg", "mij"], ["verberg", "me"], ["hide", "me"]):
        return Subcommand("hide")
    if lowered[:2] in (["toon", "mij"], ["toon", "me"], ["show", "me"]):
        return Subcommand("show")
    if lowered[0] in {"reflectie", "reflection"}:
        return Subcommand("reflection", " ".join(words[1:]))
    return Subcommand("unknown", text.strip())


def register(app: App, deps: SlackDeps) -> None:
    def ack_wieiswie(ack: Ack) -> None:
        ack()

    def answer_wieiswie(command: dict[str, Any], respond: Callable[..., Any], context: BoltContext) -> None:
        channel = command.get("channel_id", "")
        where = Where(channel_id=channel, user_id=command.get("user_id", ""),
                      private=is_dm(channel, "im" if command.get("channel_name") == "directmessage" else None))
        answer_ephemeral(deps, respond, where, command.get("text", ""), context.bot_user_id, empty_text=WIEISWIE_EMPTY,
                         wants="directory")

    def ack_schakel(ack: Ack, command: dict[str, Any]) -> None:
        sub = parse_schakel(command.get("text", ""))
        user_id = command.get("user_id", "")
        if sub.name == "help":
            ack(response_type="ephemeral", text=help_text(_language(command)))
        elif sub.name == "hide":
            deps.people.hide(user_id)
            ack(response_type="ephemeral", text=HIDDEN)
        elif sub.name == "show":
            deps.people.show(user_id)
            ack(response_type="ephemeral", text=SHOWN)
        elif sub.name == "reflection":
            ack()  # the reflection module answers through respond() below
        else:
            ack(response_type="ephemeral", text=UNKNOWN.format(text=safe_mrkdwn(sub.rest)) + help_text("nl"))

    def run_reflection(command: dict[str, Any], respond: Callable[..., Any]) -> None:
        sub = parse_schakel(command.get("text", ""))
        if sub.name != "reflection":
            return
        # The reflection module owns `/schakel reflectie …`; it returns the reply text.
        from bot.reflection.slack_command import handle

        try:
            reply = handle(deps.settings, sub.rest, command.get("channel_id", ""), command.get("user_id", ""))
        except Exception:
            log.exception("reflection command failed")
            reply = "Sorry, dat lukte niet. Probeer het zo nog eens."
        respond(text=defang(reply), response_type="ephemeral")

    app.command("/wieiswie")(ack=ack_wieiswie, lazy=[answer_wieiswie])
    app.command("/schakel")(ack=ack_schakel, lazy=[run_reflection])


def _language(command: dict[str, Any]) -> Literal["nl", "en"]:
    return "en" if command.get("text", "").strip().lower() in {"help en", "english"} else "nl"
