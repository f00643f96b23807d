"""Hybrid retrieval on real indexes: BM25 catches exact terms, dense catches meaning, RRF
fuses them without duplicates; Chinese and English questions cross over."""

import pytest

from core.errors import BadRequest
from qa.ranking import unnamed
from qa.retrieval import Retriever
from textkit.sentences import sentence_spans
from textkit.terms import terms


@pytest.fixture(scope="module")
def retriever(small_reader, embedder):
    return Retriever(small_reader, embedder)


def test_exact_term_query_ranks_the_chunk_with_that_term_first(retriever):
    query = "ZX-4471"
    assert retriever.search(query, k=1, mode="bm25")[0].chunk_id == "tariff-quota#0"
    top = retriever.search(query, k=3)[0]
    assert top.chunk_id == "tariff-quota#0" and "ZX-4471" in top.text
    assert top.scores["bm25"] > 0


def test_paraphrased_query_ranks_the_chunk_with_that_meaning_first(retriever):
    query = "Will it become cheaper to ship chilled food through harbours?"
    assert not {"refrigerat", "port", "charge", "reduce", "container"} & set(terms(query))
    assert retriever.search(query, k=1, mode="dense")[0].chunk_id == "tariff-quota#1"
    top = retriever.search(query, k=3)[0]
    assert top.chunk_id == "tariff-quota#1"
    assert "refrigerated containers" in top.text


def test_hybrid_results_carry_every_score_and_are_ordered_by_fused_score(retriever):
    results = retriever.search("quota applications for importers", k=5)
    assert len(results) == 5
    for p in results:
        assert set(p.scores) <= {"dense", "sentences", "bm25", "rrf"} and "rrf" in p.scores
        assert p.score == p.scores["rrf"]
        assert p.title and p.doc_id and p.text
    assert any(set(p.scores) == {"dense", "sentences", "bm25", "rrf"} for p in results)
    assert [p.score for p in results] == sorted((p.score for p in results), reverse=True)


def test_single_retriever_modes_report_their_own_score(retriever):
    assert all(set(p.scores) == {"dense", "rrf"} for p in retriever.search("pilotage", k=3, mode="dense"))
    assert all(set(p.scores) == {"bm25", "rrf"} for p in retriever.search("pilotage", k=3, mode="bm25"))


def test_fused_results_are_unique_and_do_not_repeat_overlapping_text(retriever):
    results = retriever.search("the committee noted item and agreed to keep reviewing quota levels", k=10)
    ids = [p.chunk_id for p in results]
    assert len(ids) == len(set(ids))
    for i, a in enumerate(results):
        for b in results[i + 1:]:
            if a.doc_id == b.doc_id:
                shared = min(a.end, b.end) - max(a.start, b.start)
                assert shared <= 0.5 * min(a.end - a.start, b.end - b.start)


def test_passage_carries_document_metadata_and_offsets(retriever, small_reader):
    top = retriever.search("transaction value method price actually paid", k=1)[0]
    assert top.doc_id == "valuation" and top.page == 1
    assert top.title == "Customs Valuation Guide"
    assert small_reader.document("valuation")["text"][top.start:top.end] == top.text
    fees = retriever.search("berth fees bulk carriers", k=1)[0]
    assert fees.source_url == "https://example.org/port-fees" and fees.heading == "Port Fees Bulletin"


def test_chinese_query_finds_the_chinese_chunk(retriever):
    top = retriever.search("边民免税额度是多少？", k=3)
    assert top[0].doc_id == "border-trade-zh" and "八千元" in top[0].text


def test_bm25_ranks_within_each_language_so_both_lead(retriever, small_reader):
    """A Chinese question's own words score the Chinese chunks, its gloss the English ones,
    and each language's best chunk takes rank 0 of the fused list."""
    ranked = retriever._bm25("边民免税额度是多少？")
    languages = small_reader.chunks_by_language
    leaders = {lang for chunk, (rank, _) in ranked.hits.items() if rank == 0
               for lang, ids in languages.items() if chunk in ids}
    assert leaders == {"en", "zh"}
    assert sum(len(ids) for ids in languages.values()) == small_reader.chunk_count()


def test_k_bounds_the_number_of_results(retriever):
    assert len(retriever.search("quota", k=2)) == 2
    assert len(retriever.search("quota", k=50)) <= retriever.reader.chunk_count()


@pytest.mark.parametrize("query", ["", "   \n"])
def test_empty_query_is_refused(retriever, query):
    with pytest.raises(BadRequest, match="empty"):
        retriever.search(query)


# --- cross-lingual, on the shipped corpus -------------------------------------------------

@pytest.mark.parametrize(("question", "doc_id", "evidence"), [
    ("海南自由贸易港法是哪天通过的？", "2021-06-10-hainan-free-trade-port-law-en", "10 June 2021"),
    ("出口管制法什么时候通过？", "2020-10-17-export-control-law-en", "Export Control Law"),
    ("广交会2020年怎么举办的？", "2020-canton-fair-online-en", "Canton Fair"),
])
def test_chinese_question_finds_the_english_passage(service, question, doc_id, evidence):
    results = service.search(question, 5)
    assert any(p.doc_id == doc_id and evidence in p.text for p in results), [p.chunk_id for p in results]


@pytest.mark.parametrize(("question", "doc_id", "evidence"), [
    ("How many containers did China-Europe trains carry in 2020?", "2020-china-europe-rail-zh", "114万标准箱"),
    # Only the Chinese brief says this: no English twin can stand in for it.
    ("How many national foreign trade transformation and upgrading bases are there in total?",
     "2021-07-upgrading-bases-zh", "578家"),
    ("How did sea and air freight disruption during the epidemic affect China-Europe trains?",
     "2020-china-europe-rail-zh", "海运和空运"),
    # No gloss says CIIE: the name table's other spellings (进博会) reach the Chinese brief.
    ("How big was the exhibition space at the third CIIE?", "2020-ciie-third-session-zh", "36万平方米"),
])
def test_english_question_finds_the_chinese_passage(service, question, doc_id, evidence):
    results = service.search(question, 5)
    assert any(p.doc_id == doc_id and evidence in p.text for p in results), [p.chunk_id for p in results]


def test_search_orders_passages_by_the_sentence_that_answers(service):
    """Fusion ranks a long chunk of the circular that touches many topics first; the chunk
    whose one sentence answers comes first once passages go by their best sentence."""
    question = "How many sectors do China's national foreign trade transformation and upgrading bases cover?"
    evidence = "八大行业"
    fused = service.retriever().search(question, 5)
    results = service.search(question, 5)
    assert evidence not in fused[0].text
    assert evidence in results[0].text
    pool = {p.chunk_id for p in service.retriever().search(question, service.settings.rerank_pool)}
    assert {p.chunk_id for p in results} <= pool  # the best five of those fusion found, reordered
    assert [p.score for p in results] == sorted((p.score for p in results), reverse=True)
    assert all("rrf" in p.scores for p in results)


def test_a_wider_rerank_pool_reads_past_the_five_passages_fusion_ranks_first(service, monkeypatch):
    """Fusion ranks the circular's opening chunk below five others for this question (its
    words are everywhere in the circular); read sentence by sentence among the ten fusion
    ranks first (QA_RERANK_POOL=10), it is among the five that answer best."""
    monkeypatch.setattr(service.settings, "rerank_pool", 10)
    question = "通知提出在哪些方面加大创新？"
    evidence = "technological, systematic and model innovation"
    assert not any(evidence in p.text for p in service.retriever().search(question, 5))
    passages, ranked = service.find(question, 5)
    assert len(passages) == 5 and any(evidence in p.text for p in passages)
    assert {s.passage for s in ranked} <= set(range(5))


def test_a_chinese_question_is_also_searched_word_for_word_in_english(service):
    """The dense lists search with the question's vector averaged with its word-for-word
    English reading (qa.semantics): by the Chinese alone, the circular's sentence on where
    innovation should go is not among fusion's five."""
    question = "外贸创新发展要在哪些方面下功夫？"
    evidence = "technological, systematic and model innovation"
    assert any(evidence in p.text for p in service.retriever().search(question, 5))
    own = service.semantics.question(question)
    searched = service.semantics.search(question)
    assert float(own @ searched) < 0.95  # not the question's own vector
    english = "What should innovation in foreign trade focus on?"
    assert (service.semantics.search(english) == service.semantics.question(english)).all()


def test_a_sentence_is_read_with_its_documents_title(service):
    """The Chinese brief titled 国家外贸转型升级基地 gives the eight industries without
    naming the bases in that sentence; its title's words count, and it ranks first."""
    question = "How many sectors do China's national foreign trade transformation and upgrading bases cover?"
    passages, _ = service.find(question, 5)
    assert passages[0].doc_id == "2021-07-upgrading-bases-zh" and "八大行业" in passages[0].text


def test_a_passage_that_answers_in_several_sentences_outranks_one_that_echoes_the_question(service):
    """The circular's chunk on trade shows echoes "Import Expo ... should be improved"; the
    Chinese brief on the third CIIE gives its space, visitors and deals: its next sentences
    widen its lead over the echo, which by best sentence alone ranked first for this
    wording (and second, by less, for others)."""
    question = "How large was the total exhibition space of the third CIIE in 2020?"
    passages, ranked = service.find(question, 5)
    brief = passages[0]
    assert "36万平方米" in brief.text
    echo = next(p for p in passages[1:] if p.doc_id == "2020-11-09-circular-foreign-trade-en")
    assert brief.score - echo.score > brief.scores["sentence"] - echo.scores["sentence"]


def test_a_document_that_never_names_the_asked_name_yields_the_first_place(service):
    """Only the Chinese brief on the upgrading bases names the Ministry of Commerce (商务部);
    the circular's sentences on the bases, closer in meaning to the English question, are
    from a document that never names it."""
    question = "According to the Ministry of Commerce, where have the foreign trade upgrading bases made progress?"
    passages, ranked = service.find(question, 5)
    flags = unnamed(question, passages, service.retriever())
    assert any(flags) and not all(flags)
    best = passages[ranked[0].passage]
    assert best.doc_id == "2021-07-upgrading-bases-zh" and not flags[ranked[0].passage]
    assert "数字化能力建设" in ranked[0].text


def test_a_question_about_one_item_of_a_list_sentence_is_close_to_that_item(service):
    """The circular's legal-aid directive is the last item of a long list sentence: whole, it
    is far from a question about legal aid; its item is close, and the sentence ranks by it."""
    text = next(p.text for p in service.search("legal aid platforms for cross-border trade", 5)
                if "legal aid platforms" in p.text)
    sentence = next(text[a:b] for a, b in sentence_spans(text) if "legal aid platforms" in text[a:b])
    question = "文件对跨境贸易投资法律援助有什么安排？"
    whole = float((service.semantics.statements([sentence]) @ service.semantics.question(question))[0])
    ranked = float(service.ranker.item_similarity(question, [sentence])[0])
    assert ranked > whole + 0.1


def test_a_which_ones_question_ranks_the_sentence_that_lists_them_first(service):
    """Asked which items should grow in China's imports, the sentence listing technologies,
    equipment and components outranks one that only shares the question's subject."""
    question = "Which items should make up a growing share of China's imports?"
    passages, ranked = service.find(question, 5)
    assert "advanced technologies, important equipment, and key components" in ranked[0].text
