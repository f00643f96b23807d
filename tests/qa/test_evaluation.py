"""qa.evaluation: what each score means, checked on hand-made items and real Answer models;
and the shipped question sets in bench/questions/, checked against the shipped corpus."""

from __future__ import annotations

import pytest

from core.errors import BadRequest
from core.settings import REPO_ROOT
from qa.answer_types import Answer, SentenceVerdict
from qa.evaluation import (
    answer_correct,
    direction,
    evaluate_answers,
    evaluate_retrieval,
    format_table,
    load_questions,
    normalise,
    split_report,
)
from qa.passages import Passage

CORPUS = REPO_ROOT / "corpus"
QUESTIONS = REPO_ROOT / "bench" / "questions"
CIRCULAR = CORPUS / "2020-11-09-circular-foreign-trade-en.md"


def item(question: str, evidence=(), answer_all=(), kind: str = "factual", **extra) -> dict:
    return {"question": question, "kind": kind, "evidence": list(evidence),
            "answer_all": [list(g) for g in answer_all], **extra}


def unanswerable(question: str, **extra) -> dict:
    return item(question, kind="unanswerable", **extra)


def answer(text: str, answerable: bool = True, **fields) -> Answer:
    return Answer(answer=text, answerable=answerable, question="q", standalone_question="q",
                  llm="extractive", **fields)


def passage(text: str) -> Passage:
    return Passage(chunk_id="d#0", doc_id="d", text=text, title="t", source_url="", date="", language="en")


# -- direction -------------------------------------------------------------------------------

def test_chinese_question_with_english_evidence_is_zh_to_en():
    assert direction(item("通知对港口收费怎么说？", ["Fee reductions in ports"], lang="zh")) == "zh→en"


def test_english_question_with_chinese_evidence_is_en_to_zh():
    assert direction(item("How many bases are there?", ["全国基地总数达到578家"], lang="en")) == "en→zh"


def test_evidence_in_both_languages_counts_as_same():
    both = item("中欧班列开行多少列？", ["made 12,406 trips in 2020", "共开行12406列"], lang="zh")
    assert direction(both) == "same"


def test_unanswerable_has_no_direction():
    assert direction(unanswerable("What is the capital of Australia?", lang="en")) == "none"


def test_question_language_is_detected_when_lang_is_missing():
    assert direction(item("港口收费会降低吗？", ["Fee reductions in ports"])) == "zh→en"


def test_retrieval_groups_by_direction():
    items = [item("通知对港口收费怎么说？", ["fee"], lang="zh"),
             item("How many bases?", ["基地"], lang="en"),
             item("What about fees?", ["fee"], lang="en")]
    result = evaluate_retrieval(items, lambda q, k: [passage("fee 基地")])
    assert {"all", "dir=zh→en", "dir=en→zh", "dir=same", "lang=en", "lang=zh", "kind=factual"} == set(
        result["metrics"])
    assert result["metrics"]["dir=zh→en"]["n"] == 1


# -- retrieval arithmetic --------------------------------------------------------------------

def test_hit_at_k_and_mrr_follow_the_rank_of_the_first_passage_with_evidence():
    ranked = [passage("nothing"), passage("still nothing"), passage("The  Canton   FAIR moved online")]
    corpus = {"first": [passage("the canton fair moved online")] + ranked, "third": ranked, "never": ranked[:2]}
    items = [item("first", ["Canton Fair moved online"]), item("third", ["canton fair moved online"]),
             item("never", ["canton fair moved online"]), unanswerable("not scored")]
    result = evaluate_retrieval(items, lambda q, k: corpus[q])
    overall = result["metrics"]["all"]
    assert overall["n"] == 3
    assert overall["hit@1"] == round(1 / 3, 3)
    assert overall["hit@5"] == round(2 / 3, 3)
    assert overall["mrr"] == round((1 + 1 / 3) / 3, 3)
    assert result["misses"] == ["never"]
    assert result["latency_ms_p50"] is not None and result["latency_ms_p95"] is not None


# -- answers ---------------------------------------------------------------------------------

def test_correct_answer_needs_one_alternative_of_every_group():
    question = item("Which fields?", ["rail"], [["rail", "铁路"], ["aerospace", "航天"]])
    assert answer_correct(question, answer("Rail traffic and  aerospace."))
    assert not answer_correct(question, answer("Rail traffic only."))
    assert not answer_correct(question, answer("rail and aerospace", answerable=False))


def test_refusal_precision_recall_and_false_refusals():
    items = [item(f"a{i}", ["x"], [["yes"]]) for i in range(4)] + [unanswerable("u0"), unanswerable("u1")]
    replies = {"a0": answer("yes"), "a1": answer("yes"), "a2": answer("no"),
               "a3": answer("", answerable=False),  # a false refusal
               "u0": answer("", answerable=False),  # a right refusal
               "u1": answer("yes")}                 # answered what it should have refused
    overall = evaluate_answers(items, replies.__getitem__)["metrics"]["all"]
    assert overall["answer_acc"] == 0.5            # a0, a1 of four answerable
    assert overall["refusal_precision"] == 0.5     # of a3 and u0 refused, u0 was unanswerable
    assert overall["refusal_recall"] == 0.5        # u0 of u0, u1
    assert overall["false_refusal"] == 0.25        # a3 of four answerable


def test_refusal_precision_is_none_when_nothing_was_refused():
    result = evaluate_answers([item("a", ["x"], [["yes"]])], lambda q: answer("yes"))
    assert result["metrics"]["all"]["refusal_precision"] is None
    assert result["metrics"]["all"]["refusal_recall"] is None


def test_lang_ok_counts_answers_mainly_in_the_question_language_ignoring_quotes():
    items = [item("通知对港口收费怎么说？", ["fee"], [["降"]], lang="zh"),
             item("港口收费会降低吗？", ["fee"], [["降"]], lang="zh"),
             item("What about port fees?", ["fee"], [["fee"]], lang="en"),
             item("What about ports?", ["fee"], [["fee"]], lang="en")]
    replies = {
        items[0]["question"]: answer("通知要求进一步落实港口降费，原文：“Fee reductions and merging in ports "
                                     "should be further implemented”。"),
        items[1]["question"]: answer("Fee reductions and merging in ports should be further implemented."),
        items[2]["question"]: answer("Port fees should be cut (港口降费)."),
        items[3]["question"]: answer("", answerable=False),  # refused: not judged
    }
    metrics = evaluate_answers(items, lambda q: replies[q])["metrics"]
    assert metrics["lang=zh"]["lang_ok"] == 0.5
    assert metrics["lang=en"]["lang_ok"] == 1.0
    assert metrics["all"]["lang_ok"] == round(2 / 3, 3)


def test_citation_precision_uses_the_answers_sentence_verdicts():
    verdicts = [SentenceVerdict(text="Supported. [1]", supported=True, citations=[1]),
                SentenceVerdict(text="Also supported. [2]", supported=True, citations=[2]),
                SentenceVerdict(text="Dropped. [1]", supported=False, reason="no support", citations=[1]),
                SentenceVerdict(text="Uncited filler.", supported=True)]
    reply = answer("Supported. [1] Also supported. [2]", sentences=verdicts, fallback=True)
    result = evaluate_answers([item("q", ["x"], [["supported"]])], lambda q: reply)
    assert result["metrics"]["all"]["citation_precision"] == round(2 / 3, 3)
    assert result["fallbacks"] == 1


# -- loading ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "says"), [
    ('{"question": "ok"', "not JSON"),
    ('["a list"]', "needs a 'question' string"),
    ('{"question": "q", "evidence": "a string"}', "'evidence' must be a list of strings"),
    ('{"question": "q", "answer_all": ["flat"]}', "'answer_all' must be a list"),
    ('{"question": "q", "lang": "fr"}', "'lang' must be one of"),
    ('{"question": "q", "kind": "unanswerable", "evidence": ["x"]}', "unanswerable"),
])
def test_a_bad_line_fails_with_one_line_naming_it(tmp_path, line, says):
    path = tmp_path / "set.jsonl"
    path.write_text('{"question": "fine"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(BadRequest) as caught:
        load_questions(path)
    assert caught.value.message.startswith("set.jsonl line 2: ")
    assert says in caught.value.message
    assert "\n" not in caught.value.message


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a", "question": "one"}\n{"id": "a", "question": "two"}\n', encoding="utf-8")
    with pytest.raises(BadRequest, match="line 2: duplicate id"):
        load_questions(path)


def test_loader_fills_in_defaults_and_detects_the_language(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text('{"question": "港口收费会降低吗？"}\n\n', encoding="utf-8")
    (loaded,) = load_questions(path)
    assert (loaded["lang"], loaded["kind"], loaded["evidence"], loaded["answer_all"]) == ("zh", "unknown", [], [])


# -- reporting -------------------------------------------------------------------------------

def test_table_shows_every_column_and_none_as_a_dash():
    result = evaluate_answers([unanswerable("u", lang="en")], lambda q: answer("", answerable=False))
    table = format_table(result)
    header, row = table.splitlines()[:2]
    for column in ("acc", "refuse P", "refuse R", "false ref", "cite P", "lang ok", "fallback", "p50 ms"):
        assert column in header
    assert row.split()[:3] == ["all", "1", "-"]


def test_a_cell_wider_than_its_header_keeps_a_space_from_its_neighbour():
    result = {"metrics": {"all": {"p50_ms": 8752.6, "p95_ms": 121232.4}}}
    assert format_table(result).splitlines()[1].split() == ["all", "8752.6", "121232.4"]


def test_split_report_puts_each_split_under_its_heading():
    result = evaluate_retrieval([item("q", ["x"])], lambda q, k: [passage("x")])
    report = split_report({"dev": result, "heldout": result})
    assert report.index("== dev ==") < report.index("== heldout ==")
    assert report.count("hit@1") == 2


# -- the shipped question sets ---------------------------------------------------------------

def _shipped() -> list[dict]:
    return [q for path in sorted(QUESTIONS.glob("*.jsonl")) for q in load_questions(path)]


def _corpus_texts() -> list[str]:
    return [normalise(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.md"))]


def _circular_paragraphs() -> list[str]:
    text = CIRCULAR.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]  # after the front-matter
    return [line for line in body.splitlines() if line.strip() and not line.startswith("#") and len(line) > 80]


def test_shipped_questions_load_with_unique_ids():
    questions = _shipped()
    assert {p.name for p in QUESTIONS.glob("*.jsonl")} >= {"tune.jsonl", "heldout.jsonl"}
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids))


def test_every_evidence_string_occurs_verbatim_in_the_corpus():
    texts = _corpus_texts()
    missing = [(q["id"], e) for q in _shipped() for e in q["evidence"]
               if not any(normalise(e) in t for t in texts)]
    assert missing == []


def test_shipped_sets_are_large_enough_and_refusals_cover_both_languages():
    questions = _shipped()
    refusals = [q for q in questions if q["kind"] == "unanswerable"]
    assert len(questions) >= 80
    assert len(refusals) >= 25
    for lang in ("en", "zh"):
        assert sum(q["lang"] == lang for q in refusals) >= 10


def test_every_circular_paragraph_has_an_english_and_a_chinese_question():
    questions = _shipped()
    uncovered = []
    for paragraph in _circular_paragraphs():
        text = normalise(paragraph)
        langs = {q["lang"] for q in questions if any(normalise(e) in text for e in q["evidence"])}
        if not {"en", "zh"} <= langs:
            uncovered.append(paragraph[:60])
    assert len(_circular_paragraphs()) > 30
    assert uncovered == []
