"""Citations are checked against the passages in code, whatever the model wrote."""

from qa.citations import verify
from qa.passages import Passage


def passage(n: int, text: str, lang: str = "en") -> Passage:
    return Passage(chunk_id=f"doc{n}#0", doc_id=f"doc{n}", text=text, title=f"Doc {n}", source_url="",
                   date="2020-11-09", language=lang, start=100 * n, end=100 * n + len(text))


RAIL = passage(1, "Trade grew fast. China-Europe freight trains made 12,406 trips in 2020. They carried 1.14 million TEU.")
HAINAN = passage(2, "The Law on the Hainan Free Trade Port was passed on 10 June 2021 by the NPC Standing Committee.")
RCEP_ZH = passage(3, "协定于2022年1月1日对首批完成核准的十个国家正式生效。区域内约九成货物贸易最终将实现零关税。", "zh")


def test_wrong_citation_is_moved_to_the_passage_that_supports_the_claim():
    result = verify("China-Europe freight trains made 12,406 trips in 2020 [2].", [RAIL, HAINAN])
    assert result.text == "China-Europe freight trains made 12,406 trips in 2020 [1]."
    assert [c.doc_id for c in result.citations] == ["doc1"]
    assert result.reassigned == 1


def test_citations_are_numbered_in_order_of_first_use_and_list_only_cited_passages():
    answer = "The Hainan law was passed on 10 June 2021 [2]. The trains carried 1.14 million TEU [1]."
    result = verify(answer, [RAIL, HAINAN, RCEP_ZH])
    assert result.text == "The Hainan law was passed on 10 June 2021 [1]. The trains carried 1.14 million TEU [2]."
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "doc2"), (2, "doc1")]


def test_span_points_at_the_supporting_sentence_inside_the_passage():
    result = verify("They carried 1.14 million TEU of containers [1].", [RAIL])
    (citation,) = result.citations
    start, end = citation.span
    assert citation.text[start:end] == "They carried 1.14 million TEU."
    assert (citation.start, citation.end) == (RAIL.start, RAIL.end)


def test_sentence_that_no_passage_supports_is_dropped():
    answer = "The trains made 12,406 trips in 2020 [1]. Rare earth exports face a 25 percent tax [1]."
    result = verify(answer, [RAIL, HAINAN])
    assert "Rare earth" not in result.text
    assert result.dropped == ["Rare earth exports face a 25 percent tax."]
    assert len(result.citations) == 1


def test_marker_after_the_full_stop_and_out_of_range_numbers_are_handled():
    result = verify("The Hainan Free Trade Port law was passed in June 2021. [7]", [RAIL, HAINAN])
    assert result.text == "The Hainan Free Trade Port law was passed in June 2021 [1]."
    assert result.citations[0].doc_id == "doc2"


def test_chinese_sentence_is_checked_against_chinese_passage_without_spaces():
    result = verify("协定于2022年1月1日正式生效[2]。", [RAIL, RCEP_ZH])
    assert result.text == "协定于2022年1月1日正式生效[1]。"
    assert result.citations[0].doc_id == "doc3"


def test_citation_url_falls_back_to_the_document_reader_when_source_has_no_url():
    result = verify("The trains made 12,406 trips in 2020 [1].", [RAIL])
    assert result.citations[0].url == f"/documents/doc1#{RAIL.start}-{RAIL.end}"
