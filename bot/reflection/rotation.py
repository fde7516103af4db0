"""Which question a channel gets next: no repeats until the channel's set of prompts is used up."""

from __future__ import annotations

import hashlib

from bot.reflection.catalogue import ReflectionPrompt


def _channel_order(channel: str, prompt_id: str) -> str:
    # A fixed, per-channel shuffle: channels do not all get the same question in the same week.
    return hashlib.sha256(f"{channel}:{prompt_id}".encode()).hexdigest()


def next_prompt(channel: str, candidates: list[ReflectionPrompt], asked: list[str]) -> ReflectionPrompt:
    """Pick from `candidates` given the prompt ids already `asked` in this channel, oldest first.

    The history is replayed in rounds: a round ends when every candidate has been asked, and
    only the current round's questions are excluded.
    """
    if not candidates:
        raise ValueError("no candidate prompts")
    pool = {prompt.id for prompt in candidates}
    used: set[str] = set()
    for prompt_id in asked:
        if prompt_id in pool:
            used.add(prompt_id)
            if used == pool:
                used = set()
    last = asked[-1] if asked else None
    remaining = [prompt for prompt in candidates if prompt.id not in used and prompt.id != last]
    if not remaining:  # a set of one prompt: it has to repeat
        remaining = list(candidates)
    return min(remaining, key=lambda prompt: _channel_order(channel, prompt.id))
