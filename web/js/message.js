// One turn of the conversation on screen: the question, then the answer as it streams,
// then the verified answer with its citation links, sources and feedback buttons.

import { el, icon, ICONS, langOf, formatDate, documentHref } from "./dom.js";

const MARKER = /\[(\d+)\]/g;
const RAW_REFUSAL = /^\s*NOT_IN_DOCUMENTS/;
const STATUS_TEXT = {
  waiting: "Searching the documents…",
  meta: "Reading the best passages…",
  token: "Writing the answer…",
};

export function citationHref(c) {
  const [s0, s1] = c.span || [0, 0];
  return documentHref(c.doc_id, c.start, c.end, c.start + s0, c.start + s1);
}

/** Create the <li> for a turn; call update(turn) on it whenever the turn changes. */
export function turnView(turn, actions) {
  const body = el("div", { class: "answer-body", "aria-live": "polite", "aria-atomic": "false" });
  const footer = el("div", { class: "answer-footer" });
  const assistant = el("article", { class: "msg assistant", "aria-label": "Answer" }, body, footer);
  const node = el("li", { class: "turn", dataset: { turn: turn.id } },
    el("div", { class: "msg user", lang: langOf(turn.question) },
      el("span", { class: "sr-only" }, "You asked: "),
      el("p", {}, turn.question)),
    assistant);
  const view = { node, update: (t) => render(t, assistant, body, footer, actions) };
  view.update(turn);
  return view;
}

function render(turn, assistant, body, footer, actions) {
  const answer = turn.answer;
  const lang = langOf(answer ? answer.answer : turn.question);
  assistant.className = "msg assistant";
  assistant.setAttribute("lang", lang);
  body.setAttribute("aria-busy", String(turn.status === "pending"));
  body.replaceChildren();
  footer.replaceChildren();

  if (turn.status === "pending") {
    assistant.classList.add("pending");
    body.append(thinking(turn.phase || "waiting"));
    const streamed = turn.streamed && !RAW_REFUSAL.test(turn.streamed) ? turn.streamed : "";
    if (streamed) body.append(el("p", { class: "answer-text streamed" }, streamed, el("span", { class: "caret", "aria-hidden": "true" })));
    return;
  }
  if (turn.status === "error") {
    assistant.classList.add("failed");
    body.append(el("div", { class: "notice error", role: "alert" }, icon(ICONS.alert),
      el("div", {}, el("strong", {}, "No answer. "), turn.error || "Something went wrong.")));
    footer.append(retryButton(turn, actions));
    return;
  }
  if (turn.status === "stopped" && !answer) {
    assistant.classList.add("stopped");
    if (turn.streamed && !RAW_REFUSAL.test(turn.streamed)) body.append(el("p", { class: "answer-text streamed" }, turn.streamed));
    body.append(el("p", { class: "stopped-note" }, "Stopped before the answer was complete."));
    footer.append(retryButton(turn, actions));
    return;
  }

  if (answer.standalone_question && answer.standalone_question.trim() !== turn.question.trim()) {
    body.append(el("p", { class: "standalone", lang: langOf(answer.standalone_question) },
      "Understood as: ", el("q", {}, answer.standalone_question)));
  }
  if (!answer.answerable) {
    assistant.classList.add("refusal");
    body.append(el("div", { class: "refusal-body" }, icon(ICONS.info),
      el("div", {},
        el("p", { class: "answer-text" }, answer.answer),
        el("p", { class: "refusal-hint", lang: "en" }, "Try rephrasing the question, or ",
          el("button", { type: "button", class: "link-btn", onclick: () => actions.browse() }, "browse the documents"),
          " to see what they cover."))));
  } else {
    body.append(answerText(answer, turn, actions));
    if (answer.fallback) {
      body.append(el("p", { class: "notice fallback", lang: "en" }, icon(ICONS.alert),
        el("span", {}, "Answered extractively: the language model was unavailable.")));
    }
    const list = sources(answer, turn, actions);
    if (list) body.append(list);
  }
  footer.append(feedback(turn, actions, meta(answer)));
}

function thinking(phase) {
  return el("div", { class: "thinking", role: "status" },
    el("span", { class: "dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")),
    el("span", {}, STATUS_TEXT[phase] || STATUS_TEXT.waiting));
}

/** The answer with each [n] turned into a link; a marker never wraps away from the word
 *  before it or the punctuation after it. */
function answerText(answer, turn, actions) {
  const text = answer.answer;
  const p = el("p", { class: "answer-text" });
  const byNumber = new Map(answer.citations.map((c) => [c.n, c]));
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
      "aria-label": `Source ${citation.n}: ${citation.title}`,
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

function openFromLink(event, open) {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button === 1) return; // new tab: let it go
  event.preventDefault();
  open();
}

function sources(answer, turn, actions) {
  if (!answer.citations.length) return null;
  return el("section", { class: "sources", "aria-label": "Sources" },
    el("h3", { class: "sources-title" }, "Sources"),
    el("ol", {}, answer.citations.map((c) => el("li", {},
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

function retryButton(turn, actions) {
  return el("button", { type: "button", class: "btn btn-small", onclick: () => actions.retry(turn) },
    icon(ICONS.retry), "Try again");
}

function meta(answer) {
  const seconds = answer.timings_ms && answer.timings_ms.total ? ` · ${(answer.timings_ms.total / 1000).toFixed(1)} s` : "";
  return el("span", { class: "answer-meta", lang: "en" }, `${answer.llm}${seconds}`);
}

function feedback(turn, actions, metaLine) {
  const box = el("div", { class: "feedback", lang: "en" });
  const state = turn.feedback;
  const sent = state && state.sent;
  const choose = (rating) => actions.draftFeedback(turn, rating);
  const thumb = (rating, label) => el("button", {
    type: "button", class: `icon-btn small thumb ${rating}`, "aria-label": label, title: label,
    "aria-pressed": String(!!state && state.rating === rating), disabled: sent, onclick: () => choose(rating),
  }, icon(ICONS[rating]));
  box.append(thumb("up", "Good answer"), thumb("down", "Bad answer"));
  if (sent) box.append(el("span", { class: "feedback-done", role: "status" }, "Thanks for the feedback."));
  box.append(metaLine);
  if (!sent && state && state.rating) {
    box.append(feedbackForm(turn, state, actions));
  }
  return box;
}

function feedbackForm(turn, state, actions) {
  const id = `fb-${turn.id}`;
  const comment = el("textarea", { id, rows: 2, maxlength: 2000, placeholder: state.rating === "down"
    ? "What was wrong or missing? (optional)" : "What was useful? (optional)" });
  comment.value = state.comment || "";
  comment.addEventListener("input", () => { state.comment = comment.value; });
  const error = el("p", { class: "feedback-error", role: "alert" }, state.error || "");
  const form = el("form", { class: "feedback-form" },
    el("label", { for: id, class: "sr-only" }, "Comment on this answer"),
    comment,
    el("div", { class: "feedback-actions" },
      el("button", { type: "submit", class: "btn btn-small btn-primary" }, "Send feedback"),
      el("button", { type: "button", class: "btn btn-small btn-ghost", onclick: () => actions.cancelFeedback(turn) }, "Cancel")),
    error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.sendFeedback(turn, state.rating, comment.value.trim());
  });
  queueMicrotask(() => comment.focus());
  return form;
}
