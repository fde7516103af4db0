"""What Schakel posts can't ping anyone, and long answers fit Slack's limits."""

from __future__ import annotations

import json
import re

from bot.core.models import Answer, Source, UnitRef
from bot.slack.blocks import MAX_BLOCKS, SECTION_LIMIT, answer_message
from bot.slack.formatting import defang, has_words, question_text, safe_mrkdwn

LIVE_MARKUP = re.compile(r"<!(channel|here|everyone)|<!subteam\^|<@[UW]")
BARE_BROADCAST = re.compile(r"(?<![\w@\u200b])@(channel|here|everyone)\b")


def assert_inert(text: str) -> None:
    assert not LIVE_MARKUP.search(text), text
    assert not BARE_BROADCAST.search(text), text


def test_every_mention_form_is_inert_but_still_readable() -> None:
    text = ("<!channel> <!here|here> <!everyone> <!subteam^S0123ABC|@beheer> <@U0FENNA> <@W0BRAM|bram> "
            "@channel @here and mail@here.nl")
    safe = safe_mrkdwn(text)
    assert_inert(safe)
    for word in ("channel", "here", "everyone", "beheer", "bram"):
        assert word in safe
    assert "mail@here.nl" in safe  # an address is not a broadcast


def test_markup_cannot_be_smuggled_in_through_escapes_or_links() -> None:
    safe = safe_mrkdwn("&lt;!channel&gt; <https://example.org|klik> [tekst](https://example.org) **vet**")
    assert_inert(safe)
    assert "&amp;lt;!channel&amp;gt;" in safe  # shown literally, never turned back into markup
    assert "<https://example.org|tekst>" in safe and "*vet*" in safe


def test_question_text_drops_only_the_bot_mention() -> None:
    assert question_text("<@U0SCHAKEL> wie gaat over &lt;vastgoed&gt;?", "U0SCHAKEL") == "wie gaat over <vastgoed>?"
    assert not has_words(question_text("<@U0SCHAKEL> <!channel> :wave: ?", "U0SCHAKEL"))
    assert has_words(question_text("<@U0SCHAKEL> wat is DGB?", "U0SCHAKEL"))


def test_a_huge_answer_is_split_into_sections_within_the_block_limit() -> None:
    sources = [Source(chunk_id=f"c{i}", doc="003.txt", title=f"Bron <!here> {i}", location="r. 1-2",
                      text="x", score=1.0) for i in range(5)]
    answer = Answer(question="q", answer=("Een zin over samenwerking. " * 4000).strip(), kind="counterpart",
                    units=[UnitRef(id="dgb", name="DGB")], sources=sources)
    text, blocks = answer_message(answer)
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_LIMIT
    assert_inert(json.dumps(blocks))
    assert [b["accessory"]["value"] for b in blocks if "accessory" in b] == [f"c{i}" for i in range(5)]
    actions = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["breng_in_contact", "feedback_up", "feedback_down", "klopt_niet"]
    assert len(text) <= SECTION_LIMIT


def test_english_answers_get_english_buttons() -> None:
    answer = Answer(question="who handles real estate?", answer="DVOB.", kind="directory", language="en",
                    sources=[Source(chunk_id="c1", doc="d", title="t", location="r. 1", text="x", score=1.0)])
    labels = json.dumps(answer_message(answer)[1])
    assert "Show passage" in labels and "Sources" in labels and "Toon passage" not in labels


def test_defang_leaves_plain_text_alone() -> None:
    assert defang("Vastgoed valt onder DVOB (r. 12-14).") == "Vastgoed valt onder DVOB (r. 12-14)."
