"""Slack text both ways: Block Kit messages out of ``Evidence`` and ``Answer``, plain text
out of Slack's.

Out: the quotes (first) or the answer (then) with its [n] markers, then a numbered
*Sources* list linking each title to its source and quoting the cited span. When nothing
but the quotes is shown, evidence and answer render to the same messages, so the bot can
tell that there is nothing to update. Slack's limits (3000 characters a section, 50
blocks and 40k characters of ``text`` a message) are kept by splitting, never by
dropping citations. Everything that came from documents or users is escaped, so a
title cannot become a link or a mention.
In: Slack's ``<@U1>``, ``<url|label>`` and ``&amp;`` markup back to what a person typed.
"""

from __future__ import annotations

import re

from qa.answer_types import Answer, Citation, Evidence

SECTION_CHARS = 3000
MAX_BLOCKS = 50
TEXT_CHARS = 40_000
QUOTE_CHARS = 280
TITLE_CHARS = 150
SOURCES = "*Sources*"
APOLOGY = "Sorry, I couldn't answer that just now. Please try again in a moment."
WORKING = "Working on it…"

_ANGLE = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
_SPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """Slack's three control characters; everything else is literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, title: str) -> str:
    """``<url|title>`` for web links; a plain (escaped) title when there is nowhere to go."""
    if not url.startswith(("http://", "https://")):
        return escape(title)
    return f"<{escape(url).replace('|', '%7C')}|{escape(title)}>"


def evidence_messages(evidence: Evidence, asked_by: tuple[str, str] | None = None) -> list[dict]:
    """The verified quotes, posted before any model is asked; none when refused (the
    refusal comes with the answer, in the question's language)."""
    if not evidence.answerability.answerable or not evidence.text.strip():
        return []
    return _messages(evidence.text, evidence.citations, asked_by, label=evidence.label)


def answer_messages(answer: Answer, asked_by: tuple[str, str] | None = None) -> list[dict]:
    """One or more ``{"text", "blocks"}`` messages, in order. ``asked_by`` = (user id,
    question) heads a message that would not otherwise show what was asked (slash commands)."""
    quotes = answer.evidence is not None and answer.answer == answer.evidence.text
    note = fallback_note(answer.fallback_reason) if answer.fallback else ""
    if not answer.answerable and answer.answerability and answer.answerability.reason:
        note = escape(answer.answerability.reason)
    return _messages(answer.answer, answer.citations if answer.answerable else [], asked_by,
                     label=answer.evidence.label if quotes and answer.evidence else "", note=note)


def fallback_note(reason: str) -> str:
    """Why no generated answer is shown, in the pipeline's own words ("the model timed
    out, so the answer quotes the documents")."""
    reason = reason.strip().rstrip(".") or "no generated answer could be shown, so the answer quotes the documents"
    return escape(reason[:1].upper() + reason[1:] + ".")


def _messages(text: str, citations: list[Citation], asked_by: tuple[str, str] | None,
              label: str = "", note: str = "") -> list[dict]:
    blocks = []
    if asked_by:
        user, question = asked_by
        who = f"<@{user}>" if _USER_ID.match(user) else "Someone"
        blocks.append(_context(f"{who} asked: {escape(_clip(question, 500))}"))
    blocks += [_section(part) for part in split_text(escape(text))]
    if citations:
        blocks.append(_section(SOURCES))
        if label:  # under Sources, so answer_part() leaves it out of the thread's history
            blocks.append(_context(escape(label)))
        blocks += [_section(source_line(c)) for c in citations]
    if note:
        blocks.append(_context(note))
    return [_message(blocks[i:i + MAX_BLOCKS]) for i in range(0, len(blocks), MAX_BLOCKS)]


def source_line(citation: Citation) -> str:
    title = _clip(citation.title or citation.doc_id, TITLE_CHARS)
    url = citation.url if citation.url.startswith(("http://", "https://")) else citation.source_url
    line = f"*[{citation.n}]* {link(url, title)}"
    if citation.date:
        line += f" · {escape(citation.date)}"
    start, end = citation.span
    quote = _clip(_SPACE.sub(" ", citation.text[start:end]).strip(), QUOTE_CHARS)
    return f"{line}\n> {escape(quote)}" if quote else line


def text_message(text: str) -> dict:
    return _message([_section(part) for part in split_text(escape(text))])


def usage(command: str | None = None) -> str:
    """Help for an empty question: by slash command, or by mention/DM when ``command`` is None."""
    example = f"`{command} what about used car exports?`" if command else "“what about used car exports?”"
    return f"Ask me a question about the trade-policy documents, e.g. {example}"


def split_text(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a paragraph, line, sentence or word."""
    parts = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text.strip():
        parts.append(text)
    return parts


def to_plain(text: str, bot_user: str | None = None) -> str:
    """What a person typed, from Slack's markup; mentions of the bot itself are dropped."""

    def plain(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return "" if target[1:] == bot_user else f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return f"@{label or target[1:].split('^')[0]}"
        return label or target

    text = _ANGLE.sub(plain, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return _SPACE.sub(" ", text).strip()


def answer_part(text: str) -> str:
    """The answer itself from one of our own messages' ``text``, without its sources."""
    return text.split(f"\n\n{SOURCES}", 1)[0]


def _cut_point(text: str, limit: int) -> int:
    for sep in ("\n\n", "\n", ". ", "。", " "):
        at = text.rfind(sep, limit // 2, limit)
        if at > 0 and at + len(sep) <= limit:
            return at + len(sep)
    amp = text.rfind("&", limit - 5, limit)  # never cut an escape such as "&amp;" in half
    return amp if amp > 0 and ";" not in text[amp:limit] else limit


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _message(blocks: list[dict]) -> dict:
    texts = [b["text"]["text"] if b["type"] == "section" else b["elements"][0]["text"] for b in blocks]
    return {"text": _clip("\n\n".join(texts), TEXT_CHARS), "blocks": blocks}
