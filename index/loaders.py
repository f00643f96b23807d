"""Read a folder of documents (Markdown with front-matter, plain text, HTML, PDF) into
:class:`Document` objects.

A file that cannot be read is reported with its reason and skipped; one bad file never
aborts a build. Loaders keep ``text`` exactly as chunk offsets will index it.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
# Bumped when a loader changes what text it produces, so stored hashes stop matching.
LOADER_VERSION = "3"
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_CJK = re.compile(r"[\u3400-\u9fff]")
# A date opening a file name (2021-08-01-rebates.txt, 20210801_rebates.html) or a page's
# date attribute ("2022-04-07T09:00:00+08:00"): a file that states none is dated by its
# name, since year checks read a passage's date.
_DATE_START = re.compile(r"\s*(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
# A plain text file's first line is its title when it stands alone, short and unpunctuated,
# above a blank line; else the file name is.
_TEXT_TITLE = re.compile(r"\A\s*([^\n]{1,120}?)[ \t]*\n[ \t]*\n")
_SENTENCE_END = ".。!！?？;；:：,，"
# Where pages put their publication date, in the order trusted.
_HTML_DATES = ("date", "dc.date", "dc.date.issued", "dcterms.date", "article:published_time", "pubdate",
               "publishdate", "publication_date")


@dataclass
class Document:
    doc_id: str
    path: str  # relative to the corpus folder
    title: str
    text: str
    source_url: str = ""
    date: str = ""
    language: str = ""  # from front-matter, else detected from the text
    content_hash: str = ""
    pages: list[tuple[int, int, int]] = field(default_factory=list)  # (page number, start, end)
    metadata: dict = field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        for number, start, end in self.pages:
            if start <= offset < end:
                return number
        return None


@dataclass
class LoadError:
    path: str
    reason: str


def detect_language(text: str) -> str:
    """'zh' when a noticeable share of letters are CJK ideographs, else 'en'."""
    sample = text[:4000]
    letters = sum(ch.isalpha() for ch in sample) or 1
    return "zh" if len(_CJK.findall(sample)) / letters > 0.2 else "en"


def load_corpus(folder: Path) -> tuple[list[Document], list[LoadError]]:
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    documents, errors = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            documents.append(load_file(path, rel))
        except Exception as exc:  # noqa: BLE001 - any reader failure is reported, not fatal
            errors.append(LoadError(rel, " ".join(f"{type(exc).__name__}: {exc}".split())))
    return documents, errors


def load_file(path: Path, rel: str) -> Document:
    raw = path.read_bytes()
    kind = SUFFIXES[path.suffix.lower()]
    doc = {"markdown": _markdown, "text": _plain, "html": _html, "pdf": _pdf}[kind](raw, path)
    if not doc.text.strip():
        raise ValueError("no text found")
    doc.doc_id = re.sub(r"[^A-Za-z0-9_.\-/]", "_", rel.rsplit(".", 1)[0])
    doc.path = rel
    doc.title = doc.title or path.stem
    doc.date = doc.date or _leading_date(path.stem)
    doc.language = doc.language or detect_language(doc.text)
    doc.content_hash = hashlib.sha256(LOADER_VERSION.encode() + raw).hexdigest()
    return doc


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("not valid UTF-8 or GB18030 text")


def _markdown(raw: bytes, path: Path) -> Document:
    text = _decode(raw)
    meta: dict = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ValueError("front-matter is not valid YAML" + (f" (line {mark.line + 1})" if mark else "")) from None
        if not isinstance(meta, dict):
            raise ValueError("front-matter is not a mapping")
        text = text[match.end():]
    title = str(meta.get("title") or "")
    if not title:
        heading = re.search(r"^#\s+(.+)$", text, re.M)
        title = heading.group(1).strip() if heading else ""
    return Document(
        doc_id="", path="", title=title, text=text,
        source_url=str(meta.get("source_url") or ""),
        date=str(meta.get("date") or ""),
        language=str(meta.get("language") or ""),
        metadata={k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool))},
    )


def _leading_date(text: str) -> str:
    """The date ``text`` starts with, as YYYY-MM-DD, or ""."""
    match = _DATE_START.match(text)
    if not match:
        return ""
    year, month, day = match.groups()
    return f"{year}-{month}-{day}" if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 else ""


def _plain(raw: bytes, path: Path) -> Document:
    text = _decode(raw)
    first = _TEXT_TITLE.match(text)
    title = first.group(1).strip() if first and first.group(1).strip()[-1] not in _SENTENCE_END else ""
    return Document(doc_id="", path="", title=title, text=text)


def _html(raw: bytes, path: Path) -> Document:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "template"]):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    lines = []
    for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "td", "blockquote"]):
        if el.find(["p", "li", "h1", "h2", "h3", "h4", "h5", "h6"]):
            continue  # a container: its children are read on their own
        content = el.get_text(" ", strip=True)
        if not content:
            continue
        if el.name[0] == "h":
            lines.append("#" * int(el.name[1]) + " " + content)
        else:
            lines.append(content)
    if not lines:
        lines = [root.get_text("\n", strip=True)]
    meta_url = soup.find("link", rel="canonical")
    return Document(
        doc_id="", path="", title=title, text="\n\n".join(lines),
        source_url=str(meta_url.get("href", "")) if meta_url else "",  # href is one string, never a list
        date=_html_date(soup),
    )


def _html_date(soup) -> str:
    """The page's publication date (its ``<meta>`` date, else its first ``<time datetime>``), as YYYY-MM-DD."""
    metas = {str(m.get("name") or m.get("property") or "").lower(): str(m.get("content") or "")
             for m in soup.find_all("meta")}
    time = soup.find("time", datetime=True)
    found = [metas.get(name, "") for name in _HTML_DATES] + [str(time["datetime"]) if time else ""]
    return next((date for value in found if (date := _leading_date(value))), "")


def _pdf(raw: bytes, path: Path) -> Document:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(raw))
    parts: list[str] = []
    pages: list[tuple[int, int, int]] = []
    offset = 0
    for number, page in enumerate(reader.pages, start=1):
        content = (page.extract_text() or "").strip()
        if not content:
            continue
        if parts:
            offset += 2  # the "\n\n" joining pages
        pages.append((number, offset, offset + len(content)))
        parts.append(content)
        offset += len(content)
    info: dict = reader.metadata or {}
    return Document(doc_id="", path="", title=str(info.get("/Title") or ""), text="\n\n".join(parts), pages=pages)
