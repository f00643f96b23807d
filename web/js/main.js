// The chat page: wires the composer, the conversation, the panel and the URL together.

import { getJSON, postJSON, streamChat } from "./api.js";
import { el, langOf, parseHighlight } from "./dom.js";
import { turnView } from "./message.js";
import { Panel } from "./panel.js";
import { freshConversation, historyBefore, loadConversation, newTurn, saveConversation } from "./store.js";

const $ = (id) => document.getElementById(id);
const form = $("composer");
const input = $("question");
const sendButton = $("send");
const stopButton = $("stop");
const messages = $("messages");
const empty = $("empty");
const banner = $("banner");

let conversation = loadConversation();
let running = null; // {turn, controller} while an answer streams
const views = new Map(); // turn id -> {node, update}
const pendingRender = new Set();

const actions = { openCitation, retry, browse, draftFeedback, cancelFeedback, sendFeedback };

const panel = new Panel({
  onOpenDocument: (docId, href) => navigate(href),
  onClose: () => {
    markActive(null);
    if (location.pathname.startsWith("/documents")) history.replaceState(null, "", "/");
  },
});

// --- conversation on screen ---

function save() {
  saveConversation(conversation);
}

function renderAll() {
  views.clear();
  messages.replaceChildren(...conversation.turns.map((turn) => addView(turn, false)));
  empty.hidden = conversation.turns.length > 0;
}

function addView(turn, append = true) {
  const view = turnView(turn, actions);
  views.set(turn.id, view);
  if (append) {
    messages.append(view.node);
    empty.hidden = true;
  }
  return view.node;
}

/** Redraw a turn on the next frame: tokens arrive faster than the screen needs them. */
function update(turn) {
  if (pendingRender.has(turn)) return;
  pendingRender.add(turn);
  requestAnimationFrame(() => {
    pendingRender.delete(turn);
    const follow = nearBottom();
    views.get(turn.id)?.update(turn);
    if (follow) scrollToBottom();
  });
}

function nearBottom() {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
}

function scrollToBottom() {
  window.scrollTo({ top: document.documentElement.scrollHeight });
}

function setRunning(on) {
  sendButton.hidden = on;
  stopButton.hidden = !on;
  form.classList.toggle("running", on);
  if (!on && document.activeElement === document.body) input.focus();
}

// --- asking ---

function ask(question) {
  question = question.trim();
  if (!question || running) return;
  const turn = newTurn(question);
  conversation.turns.push(turn);
  addView(turn);
  save();
  scrollToBottom();
  run(turn);
}

async function run(turn) {
  const controller = new AbortController();
  running = { turn, controller };
  setRunning(true);
  Object.assign(turn, { status: "pending", phase: "waiting", streamed: "", error: "", answer: null, feedback: null,
    evidence: null, language: "", llm: "", judge: "" });
  update(turn);
  let ended = false;
  const onEvent = (kind, data) => {
    if (kind === "meta") {
      Object.assign(turn, { phase: "meta", language: data.language || "", llm: data.llm || "", judge: data.judge || "" });
    } else if (kind === "evidence") {
      turn.phase = "evidence";
      turn.evidence = data;
    } else if (kind === "token") {
      turn.phase = "token";
      turn.streamed += data.text || "";
    } else if (kind === "answer") {
      turn.answer = data;
      turn.status = "done";
      ended = true;
    } else if (kind === "error") {
      turn.status = "error";
      turn.error = data.error || "The answer failed; please try again.";
      ended = true;
    }
    update(turn);
  };
  try {
    await streamChat({ question: turn.question, history: historyBefore(conversation, turn) },
      { signal: controller.signal, onEvent });
    if (!ended) {
      turn.status = "error";
      turn.error = "The answer stopped before it was complete. Try again.";
    } else {
      banner.hidden = true;
    }
  } catch (err) {
    if (turn.answer) turn.status = "done";
    else if (err.name === "AbortError") turn.status = "stopped";
    else {
      turn.status = "error";
      turn.error = err.message || "Something went wrong.";
    }
  } finally {
    running = null;
    delete turn.phase;
    if (turn.answer) turn.evidence = null; // the answer carries its own: keep storage small
    setRunning(false);
    save();
    update(turn);
  }
}

function stop() {
  if (running) running.controller.abort();
}

function retry(turn) {
  if (!running) run(turn);
}

function newChat() {
  stop();
  conversation = freshConversation();
  save();
  renderAll();
  panel.close();
  input.value = "";
  autoGrow();
  input.focus();
}

// --- citations, documents and the URL ---

function openCitation(turn, citation, opener) {
  if (location.pathname !== "/") history.replaceState(null, "", "/");
  markActive(opener);
  panel.showCitation(citation, opener);
}

/** Show which marker or source the panel is showing. */
function markActive(link) {
  for (const old of document.querySelectorAll("a.active")) old.classList.remove("active");
  if (link) link.classList.add("active");
}

function browse() {
  navigate("/documents");
}

function navigate(href) {
  history.pushState(null, "", href);
  route();
}

function route() {
  const path = location.pathname;
  if (path.startsWith("/documents/")) {
    const docId = path.slice("/documents/".length).split("/").map(decodeURIComponent).join("/");
    panel.showDocument(docId, parseHighlight(location.hash));
  } else if (path === "/documents" || path === "/documents/") {
    panel.showDocuments();
  } else if (panel.isOpen && panel.view !== "citation") {
    panel.close();
  }
}

// --- feedback ---

function draftFeedback(turn, rating) {
  turn.feedback = { rating, comment: turn.feedback?.comment || "", sent: false };
  update(turn);
}

function cancelFeedback(turn) {
  turn.feedback = null;
  update(turn);
}

async function sendFeedback(turn, rating, comment) {
  const answer = turn.answer;
  try {
    const { id } = await postJSON("/api/feedback", {
      rating, comment, question: turn.question, answer: answer.answer, llm: answer.llm,
      citations: answer.citations.map((c) => ({ n: c.n, doc_id: c.doc_id, chunk_id: c.chunk_id, title: c.title })),
    });
    turn.feedback = { rating, comment, sent: true, id };
    save();
  } catch (err) {
    turn.feedback = { rating, comment, sent: false, error: `Feedback not sent: ${err.message}` };
  }
  update(turn);
}

// --- the empty page: example questions drawn from the indexed documents ---

function exampleQuestion(doc) {
  return doc.language === "zh" ? `《${doc.title}》的主要内容是什么？` : `What does “${doc.title}” say?`;
}

async function showExamples() {
  let documents;
  try {
    documents = (await getJSON("/api/documents")).documents;
  } catch {
    return; // the health banner already says what is wrong
  }
  const english = documents.filter((d) => d.language !== "zh").slice(0, 3);
  const chinese = documents.filter((d) => d.language === "zh").slice(0, 1);
  const picked = [...english, ...chinese];
  $("examples-title").hidden = picked.length === 0;
  $("examples").replaceChildren(...picked.map((doc) => {
    const question = exampleQuestion(doc);
    return el("li", {}, el("button", {
      type: "button", class: "example", lang: langOf(question), onclick: () => ask(question),
    }, question));
  }));
}

async function checkHealth() {
  try {
    const health = await getJSON("/healthz");
    if (!health.index) showBanner("The document index is not loaded yet, so questions cannot be answered. Build it with `qa index build`.");
  } catch (err) {
    showBanner(err.message);
  }
}

function showBanner(text) {
  banner.textContent = text;
  banner.hidden = false;
}

// --- composer ---

function autoGrow() {
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 200)}px`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const question = input.value;
  if (!question.trim() || running) return;
  input.value = "";
  autoGrow();
  ask(question);
});

input.addEventListener("keydown", (event) => {
  // isComposing: Enter also confirms a Chinese IME candidate, which must not send.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});
input.addEventListener("input", () => {
  input.setAttribute("lang", langOf(input.value));
  autoGrow();
});
stopButton.addEventListener("click", stop);
$("new-chat").addEventListener("click", newChat);
$("docs-button").addEventListener("click", () => {
  if (panel.isOpen && panel.view !== "citation") panel.close();
  else browse();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && panel.isOpen) panel.close();
});
window.addEventListener("popstate", route);

renderAll();
showExamples();
checkHealth();
route();
if (conversation.turns.length) scrollToBottom();
else input.focus();
