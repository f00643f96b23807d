// Thumbs up or down on an answer, with an optional comment.

import { el, icon, ICONS } from "./dom.js";

export function feedback(turn, actions, s, metaLine) {
  const box = el("div", { class: "feedback" });
  const state = turn.feedback;
  const sent = state && state.sent;
  const choose = (rating) => actions.draftFeedback(turn, rating);
  const thumb = (rating, label) => el("button", {
    type: "button", class: `icon-btn small thumb ${rating}`, "aria-label": label, title: label,
    "aria-pressed": String(!!state && state.rating === rating), disabled: sent, onclick: () => choose(rating),
  }, icon(ICONS[rating]));
  box.append(thumb("up", s.good), thumb("down", s.bad));
  if (sent) box.append(el("span", { class: "feedback-done", role: "status" }, s.thanks));
  box.append(metaLine);
  if (!sent && state && state.rating) {
    box.append(feedbackForm(turn, state, actions, s));
  }
  return box;
}

function feedbackForm(turn, state, actions, s) {
  const id = `fb-${turn.id}`;
  const comment = el("textarea", { id, rows: 2, maxlength: 2000, placeholder: state.rating === "down"
    ? s.whatWrong : s.whatUseful });
  comment.value = state.comment || "";
  comment.addEventListener("input", () => { state.comment = comment.value; });
  const error = el("p", { class: "feedback-error", role: "alert", lang: "en" }, state.error || "");
  const form = el("form", { class: "feedback-form" },
    el("label", { for: id, class: "sr-only" }, s.comment),
    comment,
    el("div", { class: "feedback-actions" },
      el("button", { type: "submit", class: "btn btn-small btn-primary" }, s.send),
      el("button", { type: "button", class: "btn btn-small btn-ghost", onclick: () => actions.cancelFeedback(turn) }, s.cancel)),
    error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.sendFeedback(turn, state.rating, comment.value.trim());
  });
  queueMicrotask(() => comment.focus());
  return form;
}
