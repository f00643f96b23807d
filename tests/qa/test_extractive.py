"""The extractive ranking: which passage sentence answers a question, across languages."""

from qa.llm import Prompt
from qa.llm.extractive import ExtractiveLLM
from qa.support import word_senses
from tests.qa.test_citations import passage

ECOMMERCE = passage(1, "Trade fairs were moved online. New business forms, such as cross-border e-commerce, "
                       "should be further boosted, with more pilot zones.")
RCEP_ZH = passage(2, "2022年初，商务部等六部门联合印发文件，就高质量实施协定提出措施，包括支持中小企业利用协定。", "zh")


def test_a_chinese_word_counts_once_whichever_language_it_is_found_in():
    words = word_senses("文件对跨境电商有什么支持？")
    assert {"跨境", "cross-border"} <= next(w for w in words if "跨境" in w)
    assert len(words) == len({w for w in words})
    assert all(len([w for w in words if term in w]) == 1 for term in ("文件", "电商", "支持"))


def test_chinese_question_is_answered_from_the_english_sentence_about_its_subject(corpus_settings):
    ranked = ExtractiveLLM(corpus_settings).rank_sentences(
        Prompt("answer", [], "对跨境电商有哪些支持措施？", [RCEP_ZH, ECOMMERCE]))
    _, index, (start, end) = ranked[0]
    assert index == 1 and "cross-border e-commerce" in ECOMMERCE.text[start:end]
