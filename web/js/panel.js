// The side panel (a bottom sheet on phones): a cited passage, the document list, or a
// whole document with the cited passage highlighted.

import { getJSON } from "./api.js";
import { el, icon, ICONS, langOf, renderText, formatDate, documentHref } from "./dom.js";

const LANGUAGES = { en: "English", zh: "中文" };

export class Panel {
  constructor({ onOpenDocument, onClose }) {
    this.root = document.getElementById("panel");
    this.title = document.getElementById("panel-title");
    this.body = document.getElementById("panel-body");
    this.back = document.getElementById("panel-back");
    this.scrim = document.getElementById("scrim");
    this.docsButton = document.getElementById("docs-button");
    this.onOpenDocument = onOpenDocument;
    this.onClose = onClose;
    this.opener = null;
    this.view = null;
    this.documents = null;
    this.request = 0;
    document.getElementById("panel-close").addEventListener("click", () => this.close());
    this.scrim.addEventListener("click", () => this.close());
    this.back.addEventListener("click", () => this.showDocuments());
  }

  get isOpen() {
    return !this.root.hidden;
  }

  open(view, title, opener) {
    if (!this.isOpen) this.opener = opener || document.activeElement;
    this.view = view;
    this.request += 1;
    this.title.textContent = title;
    this.back.hidden = view !== "document";
    this.docsButton.setAttribute("aria-expanded", String(view !== "citation"));
    this.root.dataset.view = view;
    this.root.hidden = false;
    this.scrim.hidden = false;
    document.body.classList.add("panel-open");
    this.body.scrollTop = 0;
    this.root.focus({ preventScroll: true });
  }

  close() {
    if (!this.isOpen) return;
    this.root.hidden = true;
    this.scrim.hidden = true;
    this.view = null;
    this.docsButton.setAttribute("aria-expanded", "false");
    document.body.classList.remove("panel-open");
    if (this.opener && document.contains(this.opener)) this.opener.focus({ preventScroll: true });
    this.opener = null;
    this.onClose();
  }

  showCitation(citation, opener) {
    this.open("citation", `Source ${citation.n}`, opener);
    const [spanStart, spanEnd] = citation.span || [0, 0];
    const passage = el("blockquote", { class: "passage", lang: langOf(citation.text) },
      renderText(citation.text, [{ start: spanStart, end: spanEnd, cls: "hl-span" }]));
    const readHref = documentHref(citation.doc_id, citation.start, citation.end,
      citation.start + spanStart, citation.start + spanEnd);
    this.body.replaceChildren(
      el("h3", { class: "doc-title", lang: langOf(citation.title) }, citation.title),
      docMeta(citation.date, citation.heading && citation.heading !== citation.title ? citation.heading : "",
        citation.page ? `page ${citation.page}` : ""),
      el("div", { class: "panel-actions" },
        el("a", {
          class: "btn btn-primary", href: readHref,
          onclick: (event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            this.onOpenDocument(citation.doc_id, readHref);
          },
        }, icon(ICONS.doc), "Read the whole document"),
        sourceLink(citation.source_url)),
      el("p", { class: "panel-label" }, "Cited passage · the highlighted sentence supports the claim"),
      passage,
    );
    const mark = passage.querySelector("mark");
    if (mark) mark.scrollIntoView({ block: "nearest" });
  }

  async showDocuments(opener) {
    this.open("documents", "Documents", opener);
    const ticket = this.request;
    this.body.replaceChildren(loading("Loading the documents…"));
    try {
      this.documents = this.documents || (await getJSON("/api/documents")).documents;
    } catch (err) {
      if (ticket === this.request) this.body.replaceChildren(failure(err));
      return;
    }
    if (ticket !== this.request) return;
    const filter = el("input", { type: "search", id: "doc-filter", class: "doc-filter", placeholder: "Filter by title…" });
    const list = el("ul", { class: "doc-list", "aria-label": "Indexed documents" });
    const count = el("p", { class: "panel-label", "aria-live": "polite" });
    const draw = () => {
      const needle = filter.value.trim().toLowerCase();
      const shown = this.documents.filter((d) => !needle || d.title.toLowerCase().includes(needle));
      count.textContent = `${shown.length} of ${this.documents.length} documents`;
      list.replaceChildren(...shown.map((d) => el("li", {},
        el("a", {
          class: "doc-item", href: documentHref(d.doc_id),
          onclick: (event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey) return;
            event.preventDefault();
            this.onOpenDocument(d.doc_id, documentHref(d.doc_id));
          },
        },
        el("span", { class: "doc-item-title", lang: langOf(d.title) }, d.title),
        el("span", { class: "doc-item-meta" },
          [formatDate(d.date), LANGUAGES[d.language] || d.language].filter(Boolean).join(" · "))))));
    };
    filter.addEventListener("input", draw);
    draw();
    this.body.replaceChildren(el("label", { for: "doc-filter", class: "sr-only" }, "Filter documents"), filter, count, list);
  }

  async showDocument(docId, highlight) {
    this.open("document", "Document");
    const ticket = this.request;
    this.body.replaceChildren(loading("Loading the document…"));
    let doc;
    try {
      doc = await getJSON(`/api/documents/${String(docId).split("/").map(encodeURIComponent).join("/")}`);
    } catch (err) {
      if (ticket === this.request) this.body.replaceChildren(failure(err));
      return;
    }
    if (ticket !== this.request) return;
    const ranges = [];
    if (highlight) {
      ranges.push({ start: highlight.start, end: highlight.end, cls: "hl-passage" });
      if (highlight.spanEnd > highlight.spanStart) {
        ranges.push({ start: highlight.spanStart, end: highlight.spanEnd, cls: "hl-span" });
      }
    }
    const text = el("div", { class: "doc-text", lang: langOf(doc.text.slice(0, 400)) }, renderText(doc.text, ranges));
    this.body.replaceChildren(
      el("h3", { class: "doc-title", lang: langOf(doc.title) }, doc.title),
      docMeta(doc.date, LANGUAGES[doc.language] || doc.language),
      el("div", { class: "panel-actions" }, sourceLink(doc.source_url)),
      text,
    );
    const mark = text.querySelector("mark.hl-span") || text.querySelector("mark");
    if (mark) requestAnimationFrame(() => mark.scrollIntoView({ block: "center" }));
  }
}

function docMeta(...parts) {
  const [date, ...rest] = parts;
  const text = [formatDate(date), ...rest].filter(Boolean).join(" · ");
  return el("p", { class: "doc-meta" }, text);
}

function sourceLink(url) {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  return el("a", { class: "btn", href: url, target: "_blank", rel: "noopener noreferrer" },
    icon(ICONS.external), "Original source");
}

function loading(text) {
  return el("div", { class: "thinking", role: "status" },
    el("span", { class: "dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")), el("span", {}, text));
}

function failure(err) {
  return el("div", { class: "notice error", role: "alert" }, icon(ICONS.alert), el("span", {}, err.message));
}
