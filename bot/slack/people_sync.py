"""Read Slack profiles (name, title, unit field) for the people directory (`schakel people sync`)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.state.people import SyncedProfile

log = logging.getLogger(__name__)
PAGE_SIZE = 200


def fetch_profiles(client: WebClient, unit_field: str | None) -> list[SyncedProfile]:
    """Every active, human member of the workspace, with the unit from `unit_field` when configured."""
    profiles: list[SyncedProfile] = []
    for page in client.users_list(limit=PAGE_SIZE):
        for member in page.get("members", []):
            if member.get("deleted") or member.get("is_bot") or member.get("id") == "USLACKBOT":
                continue
            profile = member.get("profile") or {}
            name = profile.get("real_name") or member.get("real_name") or member.get("name") or member["id"]
            profiles.append(SyncedProfile(
                user_id=member["id"],
                name=name,
                title=profile.get("title") or None,
                unit_label=_unit_label(client, member["id"], profile, unit_field),
            ))
    return profiles


def _unit_label(client: WebClient, user_id: str, profile: dict[str, Any], unit_field: str | None) -> str | None:
    if not unit_field:
        return None
    fields = profile.get("fields")
    if fields is None:
        # users.list may leave custom fields out; users.profile.get always has them.
        try:
            fields = client.users_profile_get(user=user_id).get("profile", {}).get("fields") or {}
        except SlackApiError as error:
            log.warning("profile of a member unavailable: %s", error.response.get("error"))
            return None
    value = (fields.get(unit_field) or {}).get("value")
    return value.strip() if isinstance(value, str) and value.strip() else None
