"""Citations are checked against the passages in code, whatever the model wrote: each
sentence keeps a citation only to a passage that says the same thing."""

from qa.citations import verify
from qa.passages import Passage


def passage(n: int, text: str, lang: str = "en") -> Passage:
    return Passage(chunk_id=f"doc{n}#0", doc_id=f"doc{n}", text=text, title=f"Doc {n}", source_url="",
                   date="2020-11-09", language=lang, start=100 * n, end=100 * n + len(text))


RAIL = passage(1, "Trade grew fast. China-Europe freight trains made 12,406 trips in 2020. "
                  "They carried 1.14 million TEU.")
HAINAN = passage(2, "The Law on the Hainan Free Trade Port was passed on 10 June 2021 by the NPC Standing Committee.")
RCEP_ZH = passage(3, "协定于2022年1月1日对首批完成核准的十个国家正式生效。区域内约九成货物贸易最终将实现零关税。", "zh")


def test_wrong_citation_is_moved_to_the_passage_that_supports_the_claim(checker):
    result = verify("China-Europe freight trains made 12,406 trips in 2020 [2].", [RAIL, HAINAN], checker)
    assert result.text == "China-Europe freight trains made 12,406 trips in 2020 [1]."
    assert [c.doc_id for c in result.citations] == ["doc1"]
    assert result.reassigned == 1


def test_citations_are_numbered_in_order_of_first_use_and_list_only_cited_passages(checker):
    answer = "The Hainan law was passed on 10 June 2021 [2]. The trains carried 1.14 million TEU [1]."
    result = verify(answer, [RAIL, HAINAN, RCEP_ZH], checker)
    assert result.text == "The Hainan law was passed on 10 June 2021 [1]. The trains carried 1.14 million TEU [2]."
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "doc2"), (2, "doc1")]


def test_span_points_at_the_supporting_sentence_inside_the_passage(checker):
    result = verify("They carried 1.14 million TEU [1].", [RAIL], checker)
    (citation,) = result.citations
    start, end = citation.span
    assert citation.text[start:end] == "They carried 1.14 million TEU."
    assert (citation.start, citation.end) == (RAIL.start, RAIL.end)


def test_sentence_that_no_passage_supports_is_dropped_and_every_sentence_gets_a_verdict(checker):
    answer = "The trains made 12,406 trips in 2020 [1]. Rare earth exports face a 25 percent tax [1]."
    result = verify(answer, [RAIL, HAINAN], checker)
    assert "Rare earth" not in result.text
    assert result.dropped == ["Rare earth exports face a 25 percent tax."]
    assert [(v.supported, v.citations) for v in result.sentences] == [(True, [1]), (False, [])]
    assert result.sentences[1].reason
    assert len(result.citations) == 1


def test_a_sentence_that_contradicts_its_passage_is_dropped_with_the_reason(checker):
    result = verify("China-Europe freight trains did not make 12,406 trips in 2020 [1].", [RAIL, HAINAN], checker)
    assert result.text == "" and not result.citations
    assert [(v.supported, v.reason) for v in result.sentences] == [(False, "negation")]


def test_a_sentence_with_a_changed_number_is_dropped(checker):
    result = verify("China-Europe freight trains made 21,406 trips in 2020 [1].", [RAIL, HAINAN], checker)
    assert [(v.supported, v.reason) for v in result.sentences] == [(False, "number")]


def test_a_verbatim_quote_is_kept_unchanged(checker):
    result = verify("Trade grew fast. [1] China-Europe freight trains made 12,406 trips in 2020. [1]", [RAIL], checker)
    assert result.text == "Trade grew fast [1]. China-Europe freight trains made 12,406 trips in 2020 [1]."
    assert all(v.supported for v in result.sentences)


def test_a_chinese_claim_about_an_english_passage_is_kept_when_faithful_and_dropped_when_its_number_changed(checker):
    kept = verify("2020年中欧班列共开行12406列[1]。", [RAIL], checker)
    assert kept.text == "2020年中欧班列共开行12406列[1]。"
    dropped = verify("2020年中欧班列共开行12506列[1]。", [RAIL], checker)
    assert not dropped.citations and dropped.sentences[0].reason == "number"


def test_marker_after_the_full_stop_and_out_of_range_numbers_are_handled(checker):
    result = verify("The Hainan Free Trade Port law was passed in June 2021. [7]", [RAIL, HAINAN], checker)
    assert result.text == "The Hainan Free Trade Port law was passed in June 2021 [1]."
    assert result.citations[0].doc_id == "doc2"


def test_chinese_sentence_is_checked_against_chinese_passage_without_spaces(checker):
    result = verify("协定于2022年1月1日正式生效[2]。", [RAIL, RCEP_ZH], checker)
    assert result.text == "协定于2022年1月1日正式生效[1]。"
    assert result.citations[0].doc_id == "doc3"


def test_text_with_nothing_to_cite_is_never_shown(checker):
    result = verify("PWNED. The trains made 12,406 trips in 2020 [1].", [RAIL], checker)
    assert result.text == "The trains made 12,406 trips in 2020 [1]."
    assert [(v.text, v.reason) for v in result.sentences][0] == ("PWNED.", "uncitable")


def test_citation_url_falls_back_to_the_document_reader_when_source_has_no_url(checker):
    result = verify("The trains made 12,406 trips in 2020 [1].", [RAIL], checker)
    assert result.citations[0].url == f"/documents/doc1#{RAIL.start}-{RAIL.end}"
