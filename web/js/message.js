// One turn of the conversation on screen: the question, then the quotes from the documents
// as soon as they are found, the answer as it streams, and the verified answer with its
// citation links, sources and feedback buttons.
//
// What the service decided is shown, never re-decided here: `answerable` says whether this
// is a refusal, `llm` whether a generated answer passed ("extractive": the quotes are the
// answer), `sentences` what verification removed, `fallback_reason` why no generated answer.

import { el, icon, ICONS, langOf } from "./dom.js";
import { citedText, evidenceBlock, evidenceDetails, removedNote, sources } from "./cited.js";
import { feedback } from "./feedback.js";
import { htmlLang, strings } from "./strings.js";

export { citationHref } from "./cited.js";

/** Create the <li> for a turn; call update(turn) on it whenever the turn changes. */
export function turnView(turn, actions) {
  const body = el("div", { class: "answer-body", "aria-live": "polite", "aria-atomic": "false" });
  const footer = el("div", { class: "answer-footer" });
  const assistant = el("article", { class: "msg assistant" }, body, footer);
  const asked = el("span", { class: "sr-only" });
  const node = el("li", { class: "turn", dataset: { turn: turn.id } },
    el("div", { class: "msg user", lang: langOf(turn.question) }, asked, el("p", {}, turn.question)),
    assistant);
  const state = { evidenceOpen: true, removedOpen: false }; // what the reader opened or closed
  const view = { node, update: (t) => render(t, { assistant, body, footer, asked, actions, state }) };
  view.update(turn);
  return view;
}

/** The service's language for this turn: from its answer, its meta event, else guessed. */
function languageOf(turn) {
  return turn.answer?.language || turn.language || (langOf(turn.question) === "zh-CN" ? "zh" : "en");
}

function render(turn, { assistant, body, footer, asked, actions, state }) {
  const language = languageOf(turn);
  const s = strings(language);
  const ctx = { turn, actions, s };
  const evidence = turn.answer?.evidence || turn.evidence;
  const quoted = evidence && evidence.answerability?.answerable && evidence.text ? evidence : null;
  assistant.className = "msg assistant";
  assistant.setAttribute("lang", htmlLang(language));
  assistant.setAttribute("aria-label", s.answer);
  asked.textContent = s.youAsked;
  body.setAttribute("aria-busy", String(turn.status === "pending"));
  body.replaceChildren();
  footer.replaceChildren();

  if (turn.status === "pending") {
    assistant.classList.add("pending");
    if (quoted) body.append(evidenceBlock(quoted, ctx));
    const status = pendingStatus(turn, quoted, s);
    if (status) body.append(thinking(status));
    if (turn.streamed) {
      body.append(el("p", { class: "answer-text streamed", lang: htmlLang(language) }, turn.streamed,
        el("span", { class: "caret", "aria-hidden": "true" })));
    }
    return;
  }
  if (turn.status === "error") {
    assistant.classList.add("failed");
    if (quoted) body.append(evidenceBlock(quoted, ctx));
    body.append(el("div", { class: "notice error", role: "alert" }, icon(ICONS.alert),
      el("div", {}, el("strong", {}, s.noAnswer), el("span", { lang: "en" }, turn.error || s.failed))));
    footer.append(retryButton(turn, actions, s));
    return;
  }
  if (turn.status === "stopped" && !turn.answer) {
    assistant.classList.add("stopped");
    if (quoted) body.append(evidenceBlock(quoted, ctx));
    if (turn.streamed) body.append(el("p", { class: "answer-text streamed" }, turn.streamed));
    body.append(el("p", { class: "stopped-note" }, s.stopped));
    footer.append(retryButton(turn, actions, s));
    return;
  }

  const answer = turn.answer;
  if (answer.standalone_question && answer.standalone_question.trim() !== turn.question.trim()) {
    body.append(el("p", { class: "standalone" }, s.understoodAs,
      el("q", { lang: langOf(answer.standalone_question) }, answer.standalone_question)));
  }
  if (!answer.answerable) {
    assistant.classList.add("refusal");
    body.append(refusal(answer, s, actions));
  } else if (answer.llm !== "extractive") {
    // A generated answer passed verification: it is the answer; the quotes stay, secondary.
    if (quoted) body.append(evidenceDetails(quoted, ctx, state));
    body.append(citedText(answer.answer, answer.citations, { ...ctx, cls: "answer-text", lang: htmlLang(answer.language) }));
  } else if (quoted) {
    body.append(evidenceBlock(quoted, ctx, answer)); // the quotes are the answer: shown once
  } else {
    body.append(citedText(answer.answer, answer.citations, { ...ctx, cls: "answer-text", lang: langOf(answer.answer) }));
  }
  if (answer.answerable) {
    const removed = removedNote(answer.sentences, s, state);
    if (removed) body.append(removed);
    if (answer.fallback) body.append(fallbackNotice(answer.fallback_reason, s));
    const list = sources(answer.citations, ctx);
    if (list) body.append(list);
  }
  footer.append(feedback(turn, actions, s, meta(answer, s)));
}

function pendingStatus(turn, quoted, s) {
  if (!turn.phase || turn.phase === "waiting") return s.searching;
  if (turn.phase === "meta") return s.quoting;
  // After the quotes a judge model may still check them (and refuse), then a generative
  // backend writes; with neither, the extractive answer is next, in milliseconds.
  if (quoted && turn.judge && turn.phase === "evidence") return s.checking;
  return quoted && turn.llm && turn.llm !== "extractive" ? s.writing : null;
}

function thinking(text) {
  return el("div", { class: "thinking", role: "status" },
    el("span", { class: "dots", "aria-hidden": "true" }, el("i"), el("i"), el("i")),
    el("span", {}, text));
}

function refusal(answer, s, actions) {
  const reason = answer.answerability?.reason || answer.evidence?.answerability?.reason;
  const [before, link, after] = s.refusalHint;
  return el("div", { class: "refusal-body" }, icon(ICONS.info),
    el("div", {},
      el("p", { class: "answer-text", lang: htmlLang(answer.language) }, answer.answer),
      reason ? el("p", { class: "refusal-reason" }, s.refusalWhy, el("span", { lang: langOf(reason) }, reason)) : null,
      el("p", { class: "refusal-hint" }, before,
        el("button", { type: "button", class: "link-btn", onclick: () => actions.browse() }, link), after)));
}

/** Why no generated answer is shown, in the service's own words. */
function fallbackNotice(reason, s) {
  const text = (reason || "").trim().replace(/[.。]$/, "");
  return el("p", { class: "notice fallback" }, icon(ICONS.alert),
    el("span", {}, text ? s.fallback : s.noFallbackReason, el("span", { lang: langOf(text) }, text), text ? s.stop : ""));
}

function retryButton(turn, actions, s) {
  return el("button", { type: "button", class: "btn btn-small", onclick: () => actions.retry(turn) },
    icon(ICONS.retry), s.tryAgain);
}

function meta(answer, s) {
  const total = answer.timings_ms && answer.timings_ms.total;
  const seconds = total ? ` · ${s.seconds((total / 1000).toFixed(1))}` : "";
  return el("span", { class: "answer-meta" }, `${answer.llm}${seconds}`);
}
