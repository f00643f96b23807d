"""Loaders turn Markdown, text, HTML and PDF into documents; unreadable files are reported
by name with a reason and skipped."""

import pytest

from index.loaders import load_corpus
from tests.conftest import write
from tests.index.conftest import PDF_PAGES, make_pdf, write_small_corpus


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = write_small_corpus(tmp_path_factory.mktemp("loaders"))
    documents, errors = load_corpus(folder)
    return {d.doc_id: d for d in documents}, {e.path: e.reason for e in errors}


def test_markdown_front_matter_becomes_metadata(loaded):
    doc = loaded[0]["tariff-quota"]
    assert doc.title == "Tariff Quota Notice"
    assert doc.source_url == "https://example.org/tariff-quota"
    assert doc.date == "2024-03-01"
    assert doc.language == "en"
    assert doc.metadata["kind"] == "notice"
    assert not doc.text.startswith("---") and "source_url" not in doc.text
    assert doc.text.lstrip().startswith("# Tariff Quota Notice")


def test_markdown_without_front_matter_takes_its_title_from_the_first_heading(tmp_path):
    write(tmp_path / "memo.md", "Intro line.\n\n# Grain Export Memo\n\nBody.\n")
    (doc,), errors = load_corpus(tmp_path)
    assert errors == []
    assert doc.title == "Grain Export Memo"


def test_plain_text_is_read_whole_with_its_first_line_as_title(loaded):
    doc = loaded[0]["minutes"]
    assert doc.title == "Minutes of the quota committee"
    assert doc.text.startswith("Minutes of the quota committee")
    assert doc.language == "en"


def test_plain_text_opening_with_a_sentence_takes_the_file_name_as_title(tmp_path):
    write(tmp_path / "memo.txt", "Quotas were cut.\n\nThe committee met twice.\n")
    write(tmp_path / "run-on.txt", "出口退税率调整\n本次调整自2021年8月1日起执行。\n")
    documents, _ = load_corpus(tmp_path)
    assert {d.doc_id: d.title for d in documents} == {"memo": "memo", "run-on": "run-on"}


def test_a_file_that_states_no_date_is_dated_by_its_name(tmp_path):
    """Year checks read a passage's date: a text or HTML file has none of its own."""
    write(tmp_path / "2021-08-01-rebates.txt", "出口退税率调整\n\n本次调整自2021年8月1日起执行。\n")
    write(tmp_path / "20190218_bay-area.html", "<html><body><p>The plan was published.</p></body></html>")
    write(tmp_path / "2019-13-01-odd.txt", "Not a date in the name.\n")
    write(tmp_path / "notes.txt", "No date anywhere.\n")
    write(tmp_path / "2020-01-01-dated.md", "---\ndate: 2024-05-06\n---\n\nBody.\n")
    documents, _ = load_corpus(tmp_path)
    dates = {d.doc_id: d.date for d in documents}
    assert dates == {"2021-08-01-rebates": "2021-08-01", "20190218_bay-area": "2019-02-18", "2019-13-01-odd": "",
                     "notes": "", "2020-01-01-dated": "2024-05-06"}  # the file's own date first


def test_html_takes_its_date_from_its_meta_tags_or_time_element(tmp_path):
    write(tmp_path / "meta.html", '<html><head><meta property="article:published_time" '
          'content="2022-04-07T09:00:00+08:00"></head><body><p>Text.</p></body></html>')
    write(tmp_path / "time.html", '<html><body><p>Posted <time datetime="2021-06-10">10 June</time>.</p></body></html>')
    documents, _ = load_corpus(tmp_path)
    assert {d.doc_id: d.date for d in documents} == {"meta": "2022-04-07", "time": "2021-06-10"}


def test_chinese_plain_text_is_detected_as_chinese(loaded):
    assert loaded[0]["zh-run-on"].language == "zh"
    assert loaded[0]["border-trade-zh"].language == "zh"


def test_html_keeps_the_main_text_only(loaded):
    doc = loaded[0]["port-fees"]
    assert doc.title == "Port Fees Bulletin"
    assert doc.source_url == "https://example.org/port-fees"
    assert "Berth fees for bulk carriers stay unchanged this quarter." in doc.text
    assert "Night pilotage costs twenty percent more." in doc.text
    assert "## Pilotage" in doc.text  # headings survive as Markdown headings for chunking
    for marker in ("NAV_MARKER", "SCRIPT_MARKER", "STYLE_MARKER", "FOOTER_MARKER", "HEADER_MARKER"):
        assert marker not in doc.text


def test_pdf_text_keeps_page_numbers(loaded):
    doc = loaded[0]["valuation"]
    assert doc.title == "Customs Valuation Guide"
    assert [number for number, _, _ in doc.pages] == [1, 2, 3]
    for (number, start, end), lines in zip(doc.pages, PDF_PAGES, strict=True):
        page_text = doc.text[start:end]
        assert all(line in page_text for line in lines)
        assert doc.page_at(start) == number and doc.page_at(end - 1) == number


def test_pdf_page_without_text_is_skipped_but_numbering_holds(tmp_path):
    (tmp_path / "gap.pdf").write_bytes(make_pdf([["First page text."], [], ["Third page text."]]))
    (doc,), errors = load_corpus(tmp_path)
    assert errors == []
    assert [number for number, _, _ in doc.pages] == [1, 3]
    assert doc.page_at(doc.text.index("Third")) == 3


def test_unreadable_files_are_reported_by_name_with_a_reason_and_the_rest_load(loaded):
    documents, errors = loaded
    assert set(errors) == {"corrupt.pdf", "bad-encoding.txt", "bad-front-matter.md"}
    assert "UTF-8" in errors["bad-encoding.txt"]
    assert "front-matter" in errors["bad-front-matter.md"]
    assert errors["corrupt.pdf"]
    assert all("\n" not in reason for reason in errors.values())  # one line each, for the CLI
    assert set(documents) == {"tariff-quota", "port-fees", "border-trade-zh", "minutes", "zh-run-on", "valuation"}


def test_empty_file_hidden_files_and_other_types_are_not_documents(tmp_path):
    write(tmp_path / "empty.md", "---\ntitle: Empty\n---\n   \n")
    write(tmp_path / ".hidden" / "secret.md", "# Hidden\n\nNot for the index.\n")
    write(tmp_path / "data.csv", "a,b\n")
    write(tmp_path / "sub" / "kept.txt", "Kept text.\n")
    documents, errors = load_corpus(tmp_path)
    assert [d.doc_id for d in documents] == ["sub/kept"]
    assert [(e.path, e.reason) for e in errors] == [("empty.md", "ValueError: no text found")]


def test_content_hash_changes_with_the_bytes_only(tmp_path):
    write(tmp_path / "a.txt", "Same text.\n")
    write(tmp_path / "b.txt", "Same text.\n")
    (a, b), _ = load_corpus(tmp_path)
    assert a.content_hash == b.content_hash
    write(tmp_path / "b.txt", "Other text.\n")
    (_, b2), _ = load_corpus(tmp_path)
    assert b2.content_hash != a.content_hash


def test_missing_corpus_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")
