"""Chunks are bounded in the embedding model's own tokens, follow headings and sentences,
overlap, and point back into their document by exact character offsets."""

import re
from pathlib import Path

import pytest

from index.chunking import chunk_document
from textkit.sentences import split_units
from textkit.gloss import gloss
from index.loaders import Document
from tests.index.conftest import CHUNK_TOKENS

ZH_STOPS = "。！？；"


@pytest.fixture(scope="module")
def count(embedder):
    return lambda text: embedder.count_tokens([text])[0]


@pytest.fixture(scope="module")
def rows(small_reader):
    by_doc: dict[str, list] = {}
    for row in sorted(small_reader.chunks(list(range(small_reader.chunk_count()))).values(), key=lambda r: r.id):
        by_doc.setdefault(row.doc_id, []).append(row)
    return by_doc


def chunk(text: str, embedder, max_tokens: int, overlap: int, doc_id: str = "d"):
    return chunk_document(Document(doc_id=doc_id, path="", title="", text=text), embedder.count_tokens,
                          embedder.token_spans, max_tokens, overlap)


def test_every_chunk_fits_the_bound_which_fits_the_model(rows, count, embedder, small):
    assert embedder.max_tokens >= CHUNK_TOKENS
    assert small.report.chunks == sum(len(r) for r in rows.values())
    for row in (r for doc_rows in rows.values() for r in doc_rows):
        assert count(row.text) <= CHUNK_TOKENS, row.chunk_id
        assert row.n_tokens <= CHUNK_TOKENS


def test_chinese_chunks_fit_the_bound_and_keep_their_gloss_for_bm25(rows, count):
    for doc_id in ("border-trade-zh", "zh-run-on"):
        for row in rows[doc_id]:
            assert row.gloss == gloss(row.text)
            assert count(row.text) <= CHUNK_TOKENS, row.chunk_id


@pytest.mark.parametrize("doc_id",
                         ["tariff-quota", "port-fees", "valuation", "border-trade-zh", "minutes", "zh-run-on"])
def test_chunk_text_is_the_exact_slice_of_its_document(rows, small_reader, doc_id):
    text = small_reader.document(doc_id)["text"]
    assert rows[doc_id]
    for ordinal, row in enumerate(rows[doc_id]):
        assert row.chunk_id == f"{doc_id}#{ordinal}" and row.ordinal == ordinal
        assert text[row.start:row.end] == row.text
        assert row.text == row.text.strip()


@pytest.mark.parametrize("doc_id", ["minutes", "zh-run-on"])
def test_run_on_sentence_is_split_and_nothing_is_lost(rows, small_reader, doc_id):
    text = small_reader.document(doc_id)["text"]
    covered = set()
    for row in rows[doc_id]:
        covered.update(range(row.start, row.end))
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered]
    assert missing == []
    assert len(rows[doc_id]) > 3


def test_headings_start_chunks_and_give_each_chunk_its_heading_path(rows):
    tariff = rows["tariff-quota"]
    assert [r.heading for r in tariff] == ["Tariff Quota Notice > Who may apply",
                                           "Tariff Quota Notice > Refrigerated cargo",
                                           "Tariff Quota Notice > Review"]
    assert [r.text.splitlines()[0] for r in tariff] == ["## Who may apply", "## Refrigerated cargo", "## Review"]
    assert [r.heading for r in rows["port-fees"]] == ["Port Fees Bulletin", "Port Fees Bulletin > Pilotage"]
    assert rows["border-trade-zh"][-1].heading == "边境贸易便利化措施 > 监管"


def test_chunks_end_at_sentence_ends(rows):
    for row in rows["tariff-quota"] + rows["port-fees"]:
        assert row.text[-1] in ".!?", row.chunk_id
    for row in rows["border-trade-zh"]:
        assert row.text[-1] in ZH_STOPS, row.chunk_id


def test_chinese_sentence_ends_split_sentences():
    text = "第一句。第二句！第三句？第四句；第五句"
    assert [text[u.start:u.end] for u in split_units(text)] == [
        "第一句。", "第二句！", "第三句？", "第四句；", "第五句"]


def test_english_sentences_split_at_stops_followed_by_space_only():
    text = "Tariffs fell 2.5 percent. Exports rose! Why? See annex 2.5 below"
    assert [text[u.start:u.end] for u in split_units(text)] == [
        "Tariffs fell 2.5 percent.", "Exports rose!", "Why?", "See annex 2.5 below"]


def test_an_abbreviation_before_a_number_or_a_name_ends_no_sentence():
    text = "It was issued as Order No. 4 of 2020. Dr. Wang e.g. signed it. We said no. 3 came."
    assert [text[u.start:u.end] for u in split_units(text)] == [
        "It was issued as Order No. 4 of 2020.", "Dr. Wang e.g. signed it.", "We said no.", "3 came."]


def test_a_full_stop_before_a_lower_case_word_ends_no_sentence():
    text = "In 2014 Henan Civil Aviation Development and Investment Co. acquired a stake. It grew."
    assert [text[u.start:u.end] for u in split_units(text)] == [
        "In 2014 Henan Civil Aviation Development and Investment Co. acquired a stake.", "It grew."]


def test_pdf_chunks_carry_the_page_they_start_on(rows, small_reader):
    pages = [row.page for row in rows["valuation"]]
    assert pages[0] == 1 and len(set(pages)) > 1
    text = small_reader.document("valuation")["text"]
    for row in rows["valuation"]:
        page_number = 1 + text[:row.start].count("\n\n")  # pages are joined by a blank line
        assert row.page == page_number
    assert all(row.page is None for row in rows["tariff-quota"])


def test_consecutive_chunks_in_a_section_overlap(embedder):
    sentences = [f"Rule {n} sets the quota for product group {n} at {n * 10} tonnes per year." for n in range(1, 30)]
    chunks = chunk("# Quotas\n\n" + " ".join(sentences), embedder, max_tokens=80, overlap=30)
    assert len(chunks) > 3
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start < before.end  # the next chunk repeats the tail of the previous one
        assert before.text[-(before.end - after.start):] == after.text[: before.end - after.start]


def test_no_overlap_when_overlap_is_zero_or_across_headings(embedder):
    sentences = " ".join(f"Sentence number {n} talks about tariff line {n}." for n in range(40))
    chunks = chunk(sentences, embedder, max_tokens=60, overlap=0)
    assert all(after.start >= before.end for before, after in zip(chunks, chunks[1:], strict=False))
    two_sections = chunk("# A\n\n" + sentences + "\n\n# B\n\nLast words here.", embedder, max_tokens=60, overlap=20)
    first_b = next(c for c in two_sections if c.heading == "B")
    assert first_b.text.startswith("# B")


def test_chunk_bound_holds_for_a_long_english_document(embedder, count):
    words = " ".join(re.sub(r"\W", "", w) for w in Path(__file__).read_text(encoding="utf-8").split()[:3000])
    text = "# Title\n\n" + words.replace(" a ", ". A ")
    for max_tokens in (32, 128, embedder.max_tokens):
        for piece in chunk(text, embedder, max_tokens=max_tokens, overlap=max_tokens // 4):
            assert count(piece.text) <= max_tokens
            assert text[piece.start:piece.end] == piece.text
    assert embedder.max_tokens <= 512  # e5 reads 512-token windows, prefix and specials included
