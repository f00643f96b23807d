// Cited text on screen: [n] markers as links to their passage, the numbered sources, the
// quotes from the documents, and the sentences verification removed from an answer.

import { el, langOf, formatDate, documentHref } from "./dom.js";
import { htmlLang } from "./strings.js";

const MARKER = /\[(\d+)\]/g;

export function citationHref(c) {
  const [s0, s1] = c.span || [0, 0];
  return documentHref(c.doc_id, c.start, c.end, c.start + s0, c.start + s1);
}

function openFromLink(event, open) {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button === 1) return; // new tab: let it go
  event.preventDefault();
  open();
}

/** A paragraph of text with each [n] turned into a link to citation n; a marker never
 *  wraps away from the word before it or the punctuation after it. */
export function citedText(text, citations, { turn, actions, s, cls, lang }) {
  const p = el("p", { class: cls, lang });
  const byNumber = new Map(citations.map((c) => [c.n, c]));
  let last = 0;
  let group = null; // markers and punctuation kept on one line
  for (const match of text.matchAll(MARKER)) {
    const citation = byNumber.get(Number(match[1]));
    if (!citation) continue;
    const between = text.slice(last, match.index);
    if (!group || between) {
      const tail = /\S{1,12}\s?$/.exec(between); // the word before the marker stays with it
      const cut = tail ? tail.index : between.length;
      p.append(between.slice(0, cut));
      group = el("span", { class: "nowrap" }, between.slice(cut));
      p.append(group);
    }
    group.append(el("a", {
      class: "cite", href: citationHref(citation), dataset: { n: citation.n },
      "aria-label": s.source(citation.n, citation.title),
      onclick: (event) => openFromLink(event, () => actions.openCitation(turn, citation, event.currentTarget)),
    }, String(citation.n)));
    last = match.index + match[0].length;
    const punct = /^[.,;:!?。，；：！？、）)”"]+/.exec(text.slice(last));
    if (punct) {
      group.append(punct[0]);
      last += punct[0].length;
    }
  }
  p.append(text.slice(last));
  return p;
}

export function sources(citations, { turn, actions, s }) {
  if (!citations.length) return null;
  return el("section", { class: "sources", "aria-label": s.sources },
    el("h3", { class: "sources-title" }, s.sources),
    el("ol", {}, citations.map((c) => el("li", {},
      el("a", {
        class: "source", href: citationHref(c), dataset: { n: c.n },
        onclick: (event) => openFromLink(event, () => actions.openCitation(turn, c, event.currentTarget)),
      },
      el("span", { class: "source-n", "aria-hidden": "true" }, String(c.n)),
      el("span", { class: "source-text" },
        el("span", { class: "source-title", lang: langOf(c.title) }, c.title),
        el("span", { class: "source-meta" }, [formatDate(c.date), c.heading && c.heading !== c.title ? c.heading : ""]
          .filter(Boolean).join(" · ")))),
    ))));
}

function quoteLang(evidence) {
  return evidence.quote_language ? htmlLang(evidence.quote_language) : langOf(evidence.text);
}

function evidenceHead(evidence, s, tag) {
  return el(tag, { class: "evidence-head" },
    el("span", { class: "evidence-title" }, s.fromDocuments),
    evidence.label ? el("span", { class: "evidence-label", lang: langOf(evidence.label) }, evidence.label) : null);
}

/** The quotes as the answer's first layer: a heading, then the quoted sentences; or, given
 *  an ``answer`` that is the quotes themselves, that answer's text in their place. */
export function evidenceBlock(evidence, ctx, answer = null) {
  const [text, citations, cls] = answer
    ? [answer.answer, answer.citations, "answer-text"] : [evidence.text, evidence.citations, "quote-text"];
  return el("section", { class: "evidence" }, evidenceHead(evidence, ctx.s, "h3"),
    citedText(text, citations, { ...ctx, cls, lang: quoteLang(evidence) }));
}

/** The quotes under a generated answer: still there, secondary, and collapsible. */
export function evidenceDetails(evidence, ctx, state) {
  const details = el("details", { class: "evidence secondary", open: state.evidenceOpen },
    el("summary", {}, evidenceHead(evidence, ctx.s, "span")),
    citedText(evidence.text, evidence.citations, { ...ctx, cls: "quote-text", lang: quoteLang(evidence) }));
  details.addEventListener("toggle", () => { state.evidenceOpen = details.open; });
  return details;
}

/** "2 sentences removed: …", collapsed; opened, each removed sentence and why. */
export function removedNote(sentences, s, state) {
  const removed = (sentences || []).filter((v) => !v.supported);
  if (!removed.length) return null;
  const details = el("details", { class: "removed", open: state.removedOpen },
    el("summary", {}, s.removed(removed.length)),
    el("ul", {}, removed.map((v) => el("li", {},
      el("q", { class: "removed-text", lang: langOf(v.text) }, v.text),
      v.reason ? el("span", { class: "removed-reason", lang: langOf(v.reason) }, v.reason) : null))));
  details.addEventListener("toggle", () => { state.removedOpen = details.open; });
  return details;
}
