"""Block Kit formatting, Slack markup parsing, the dedupe set and signature checks, in-process."""

import time

import pytest

from qa.answer_types import Answer, Answerability, Citation, Evidence
from core.errors import Unauthorized
from qa.slack.dedupe import RecentKeys
from qa.slack.format import (
    MAX_BLOCKS, SECTION_CHARS, TEXT_CHARS, answer_messages, answer_part, escape, evidence_messages, link,
    split_text, to_plain,
)
from qa.slack.verify import verify_request
from tests.slack.harness import SECRET, sign


def citation(n: int, title: str = "Export Control Law", url: str = "http://example.org/a?x=1&y=2",
             text: str = "The law took effect on 1 December 2020 and covers dual-use items.") -> Citation:
    return Citation(n=n, chunk_id=f"c{n}", doc_id=f"doc-{n}", title=title, source_url=url, url=url,
                    date="2020-10-17", text=text, span=(0, 37))


def answer(text: str, citations: list[Citation], **fields) -> Answer:
    return Answer(answer=text, answerable=bool(citations), question="q", standalone_question="q",
                  citations=citations, **{"llm": "extractive", **fields})


def evidence(text: str, citations: list[Citation], label: str = "", reason: str = "on topic") -> Evidence:
    return Evidence(text=text, citations=citations, label=label,
                    answerability=Answerability(answerable=bool(citations), score=0.8 if citations else 0.1,
                                                reason=reason))


def sections(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def contexts(message: dict) -> list[str]:
    return [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]


def test_answer_then_numbered_sources_linked_and_quoted():
    [message] = answer_messages(answer("It took effect on 1 December 2020 [1].", [citation(1)]))
    texts = sections(message)
    assert texts[0] == "It took effect on 1 December 2020 [1]."
    assert texts[1] == "*Sources*"
    assert texts[2].startswith("*[1]* <http://example.org/a?x=1&amp;y=2|Export Control Law> · 2020-10-17\n> ")
    assert "The law took effect on 1 December" in texts[2]
    assert "[1]" in message["text"] and "Sources" in message["text"]


def test_document_text_cannot_inject_links_or_mentions():
    evil = citation(1, title="A <!channel> & <http://evil|b>", url="http://example.org/p|q")
    [message] = answer_messages(answer("Tariffs <@U1> & quotas [1].", [evil]))
    texts = sections(message)
    assert texts[0] == "Tariffs &lt;@U1&gt; &amp; quotas [1]."
    assert "<http://example.org/p%7Cq|A &lt;!channel&gt; &amp; &lt;http://evil|b&gt;>" in texts[2]
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_source_without_web_address_is_a_plain_title():
    local = citation(1, title="Circular", url="/documents/doc-1#0-10")
    [message] = answer_messages(answer("Promote it [1].", [local]))
    assert sections(message)[2].startswith("*[1]* Circular · ")
    assert link("/documents/x", "T&C") == "T&amp;C"


def test_refusal_is_shown_plainly_without_sources():
    [message] = answer_messages(answer("The documents do not cover this question.", []))
    assert sections(message) == ["The documents do not cover this question."]


def test_fallback_note_gives_the_pipelines_reason():
    reason = "the model timed out, so the answer quotes the documents"
    [message] = answer_messages(answer("It took effect [1].", [citation(1)], fallback=True, fallback_reason=reason))
    assert contexts(message) == ["The model timed out, so the answer quotes the documents."]
    assert "unavailable" not in message["text"]


def test_evidence_is_quotes_then_sources_with_the_language_label_under_sources():
    quotes = evidence("It took effect on 1 December 2020 [1].", [citation(1)], label="以下引自英文资料原文")
    [message] = evidence_messages(quotes)
    assert sections(message)[:2] == ["It took effect on 1 December 2020 [1].", "*Sources*"]
    assert contexts(message) == ["以下引自英文资料原文"]
    assert answer_part(message["text"]) == "It took effect on 1 December 2020 [1]."  # history leaves the label out


def test_refused_evidence_posts_nothing_and_the_refusal_says_why():
    assert evidence_messages(evidence("", [], reason="no passage is about football")) == []
    refusal = answer("The documents do not cover this question.", [],
                     answerability=Answerability(answerable=False, score=0.1, reason="no passage is about football"))
    [message] = answer_messages(refusal)
    assert sections(message) == ["The documents do not cover this question."]
    assert contexts(message) == ["no passage is about football"]


def test_an_answer_that_is_the_quotes_renders_exactly_as_the_evidence_did():
    quotes = evidence("It took effect on 1 December 2020 [1].", [citation(1)], label="Quoted from Chinese sources")
    same = answer(quotes.text, quotes.citations, evidence=quotes)
    assert answer_messages(same) == evidence_messages(quotes)
    assert answer_messages(same, asked_by=("U0HUMAN", "q")) == evidence_messages(quotes, asked_by=("U0HUMAN", "q"))
    generated = answer("The law applies from December 2020 [1].", quotes.citations, evidence=quotes, llm="openai")
    [message] = answer_messages(generated)
    assert sections(message)[0] == "The law applies from December 2020 [1]." and contexts(message) == []


def test_long_answer_is_split_into_sections_and_messages_within_slack_limits():
    sentence = "Exporters of dual-use items need a licence & must keep records for five years [1]. "
    long_text = sentence * 2500  # ~215k characters: several messages of 50 blocks
    messages = answer_messages(answer(long_text, [citation(i) for i in range(1, 9)]))
    assert len(messages) > 1
    blocks = [b for m in messages for b in m["blocks"]]
    assert all(len(m["blocks"]) <= MAX_BLOCKS for m in messages)
    assert all(len(t) <= SECTION_CHARS for m in messages for t in sections(m))
    assert all(m["text"] and len(m["text"]) <= TEXT_CHARS for m in messages)
    answer_text = "".join(b["text"]["text"] for b in blocks[:-9])
    assert answer_text.replace(" ", "") == escape(long_text).replace(" ", "")  # nothing lost or cut mid-escape
    assert blocks[-9]["text"]["text"] == "*Sources*"


def test_split_prefers_sentence_and_word_boundaries():
    parts = split_text("One two three. Four five six. Seven eight nine.", limit=20)
    assert parts == ["One two three.", "Four five six.", "Seven eight nine."]
    assert split_text("x" * 45, limit=20) == ["x" * 20, "x" * 20, "x" * 5]
    assert split_text("a" * 17 + "&amp;b", limit=20) == ["a" * 17, "&amp;b"]


def test_slash_command_answer_says_who_asked_what():
    [message] = answer_messages(answer("Yes [1].", [citation(1)]), asked_by=("U0HUMAN", "is it <law>?"))
    head = message["blocks"][0]
    assert head["type"] == "context"
    assert head["elements"][0]["text"] == "<@U0HUMAN> asked: is it &lt;law&gt;?"


def test_slack_markup_becomes_what_the_user_typed():
    text = "<@UBOT> what about <http://a.example/x|this page> &amp; <#C1|trade> &lt;tariffs&gt; <@U2|bo>?"
    assert to_plain(text, "UBOT") == "what about this page & #trade <tariffs> @bo?"
    assert to_plain("<@UBOT>", "UBOT") == ""
    assert answer_part("It is so [1].\n\n*Sources*\n\n*[1]* x") == "It is so [1]."


def test_recent_keys_forget_after_ttl_and_stay_bounded():
    now = [0.0]
    keys = RecentKeys(ttl=10, max_size=3, clock=lambda: now[0])
    assert keys.add("a") and not keys.add("a")
    now[0] = 11
    assert keys.add("a")
    for k in "bcde":
        keys.add(k)
    assert len(keys) == 3 and keys.add("a")


def test_signature_must_match_and_be_fresh():
    def lower(headers: dict) -> dict:
        return {k.lower(): v for k, v in headers.items()}

    body = b'{"type":"url_verification"}'
    verify_request(SECRET, body, lower(sign(body)))
    bad = [
        {},
        lower(sign(body, secret="another-secret")),
        lower(sign(body, timestamp=int(time.time()) - 301)),
        lower(sign(b"another body")),
        {"x-slack-request-timestamp": "soon", "x-slack-signature": "v0=00"},
    ]
    for headers in bad:
        with pytest.raises(Unauthorized):
            verify_request(SECRET, body, headers)
