"""Start-up loads what a first question would otherwise wait seconds for, and embeds the
collection's sentences so a first question about a passage is as fast as a repeated one."""

import logging

from qa.service import Service
from textkit.sentences import clauses, sentence_spans


def sentences_of(passages) -> set[str]:
    return {p.text[s:e] for p in passages for s, e in sentence_spans(p.text)}


def test_warm_embeds_every_sentence_a_question_will_rank(corpus_settings, embedder, caplog):
    service = Service(corpus_settings, embedder)
    with caplog.at_level(logging.INFO, logger="qa.service"):
        service.warm(background=False)
    cache = service.semantics._vectors
    assert any("preloaded" in r.message and str(len(cache)) in r.message for r in caplog.records)
    for question in ("Which countries signed RCEP?", "海南自由贸易港什么时候开始全岛封关运作？"):
        assert sentences_of(service.retriever().search(question)) <= cache.keys()
    before = len(cache)
    assert service.ask("What does the circular say about overseas warehouses?").answerable
    assert len(cache) == before  # questions are embedded on the query side, sentences were all known


def test_preload_is_bounded_and_can_be_turned_off(corpus_settings, embedder):
    limited = Service(corpus_settings.model_copy(update={"preload_sentences": 7}), embedder)
    limited.warm(background=False)
    texts, _ = limited.retriever().reader.sentence_vectors(7)
    assert len(texts) == 7  # and the items of those seven that are long lists (qa.ranking)
    assert limited.semantics._vectors.keys() == set(texts) | {item for text in texts for item in clauses(text)}
    off = Service(corpus_settings.model_copy(update={"preload_sentences": 0}), embedder)
    off.warm(background=False)
    assert len(off.semantics._vectors) == 0
