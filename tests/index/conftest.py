"""A small mixed corpus (Markdown, text, HTML, PDF, Chinese, unreadable files) written to a
temp folder and indexed once per session with short chunks, so every chunking rule shows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from index.build import BuildReport, build_index
from index.store import IndexReader
from core.settings import Settings
from tests.conftest import MODEL, write

CHUNK_TOKENS, OVERLAP = 64, 16


def make_pdf(pages: list[list[str]], title: str = "") -> bytes:
    """A minimal valid PDF (Helvetica text, one line per string) with a correct xref table."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    count = len(pages)
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({escape(title)}) >>".encode(),
    ]
    for i, lines in enumerate(pages):
        shown = "".join(f"({escape(line)}) Tj T*\n" for line in lines)
        content = ("BT /F1 10 Tf 12 TL 40 760 Td\n" + shown + "ET").encode()
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {6 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


TARIFF_MD = """---
title: Tariff Quota Notice
source_url: https://example.org/tariff-quota
date: 2024-03-01
language: en
kind: notice
---

# Tariff Quota Notice

## Who may apply

Importers registered with the customs authority may apply for a share of the annual quota. \
Applications must quote the form number ZX-4471 and the importer's registration code. \
Late applications are not considered.

## Refrigerated cargo

Ports will reduce handling charges for refrigerated containers from next year. \
Operators of cold-chain warehouses near the terminals will receive a rent rebate. \
The aim is to keep fresh food moving when shipping schedules are disrupted.

## Review

The ministry reviews the quota every autumn. It publishes the allocation results on its website.
"""

PAGE_HTML = """<!doctype html>
<html><head><title>Port Fees Bulletin</title>
<link rel="canonical" href="https://example.org/port-fees">
<style>.menu { color: red; } STYLE_MARKER</style>
<script>var SCRIPT_MARKER = 1;</script></head>
<body>
<nav><a href="/">NAV_MARKER home</a></nav>
<header>HEADER_MARKER banner</header>
<main>
<h1>Port Fees Bulletin</h1>
<p>Berth fees for bulk carriers stay unchanged this quarter.</p>
<h2>Pilotage</h2>
<ul><li>Pilotage is compulsory for vessels longer than 150 metres.</li>
<li>Night pilotage costs twenty percent more.</li></ul>
</main>
<footer>FOOTER_MARKER contact us</footer>
</body></html>
"""

ZH_MD = """---
title: 边境贸易便利化措施
language: zh
---

# 边境贸易便利化措施

海关将简化边民互市贸易的申报手续。边民每人每日免税额度提高到八千元！这项措施何时生效？自明年一月一日起施行；各口岸应当做好准备。

## 监管

口岸管理部门应当加强风险防控。对违规行为依法处理。
"""

PDF_PAGES = [
    ["Customs Valuation Guide", "Page one explains the transaction value method.",
     "The transaction value is the price actually paid for the goods."],
    ["Page two covers deductive value.",
     "Deductive value starts from the resale price in the importing country."],
    ["Page three covers the fallback method.",
     "The fallback method uses reasonable means consistent with the agreement."],
]

RUN_ON = " ".join(f"the committee noted item {i} and agreed to keep reviewing quota levels for grain and cotton"
                  for i in range(40))

ZH_RUN_ON = "".join(
    "海关总署和商务部共同推进跨境电子商务综合试验区建设并完善进口商品质量安全风险监测" for _ in range(20))


def write_small_corpus(folder: Path) -> Path:
    write(folder / "tariff-quota.md", TARIFF_MD)
    write(folder / "port-fees.html", PAGE_HTML)
    write(folder / "border-trade-zh.md", ZH_MD)
    write(folder / "minutes.txt", "Minutes of the quota committee\n\n" + RUN_ON + "\n")
    write(folder / "zh-run-on.txt", ZH_RUN_ON + "\n")
    (folder / "valuation.pdf").write_bytes(make_pdf(PDF_PAGES, title="Customs Valuation Guide"))
    # Unreadable files: each is reported by name and skipped.
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    (folder / "bad-encoding.txt").write_bytes(b"caf\xe9 \xff\xfe au lait")
    write(folder / "bad-front-matter.md", "---\ntitle: [unclosed\n---\n\nBody text.\n")
    write(folder / "notes.csv", "not,a,document\n")  # not a supported type: ignored silently
    return folder


@dataclass
class Built:
    settings: Settings
    report: BuildReport


@pytest.fixture(scope="session")
def small(tmp_path_factory, embedder) -> Built:
    """The small corpus, indexed once per session (read-only for tests)."""
    root = tmp_path_factory.mktemp("small")
    write_small_corpus(root / "corpus")
    settings = Settings(corpus_dir=root / "corpus", index_dir=root / "index", embedding_model=MODEL,
                        chunk_tokens=CHUNK_TOKENS, chunk_overlap=OVERLAP, llm="extractive")
    return Built(settings, build_index(settings, embedder, progress=False))


@pytest.fixture(scope="session")
def small_reader(small) -> IndexReader:
    reader = IndexReader.open(small.settings.index_dir, MODEL)
    yield reader
    reader.close()
