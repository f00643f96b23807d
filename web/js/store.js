// The conversation, kept in localStorage so it survives a reload.
// A turn: {id, question, status: "pending"|"done"|"error"|"stopped", answer, streamed, error, feedback}.

const KEY = "policy-qa:conversation:v1";
const HISTORY_TURNS = 6; // earlier question/answer pairs sent with a follow-up

function newId() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function freshConversation() {
  return { id: newId(), turns: [] };
}

export function loadConversation() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY));
    if (saved && Array.isArray(saved.turns)) {
      // A reload in the middle of an answer ends that answer.
      for (const turn of saved.turns) if (turn.status === "pending") turn.status = "stopped";
      return saved;
    }
  } catch { /* unreadable: start over */ }
  return freshConversation();
}

export function saveConversation(conversation) {
  try {
    localStorage.setItem(KEY, JSON.stringify(conversation));
  } catch { /* storage full or disabled: the chat still works, it just won't persist */ }
}

export function newTurn(question) {
  return { id: newId(), question, status: "pending", answer: null, streamed: "", error: "", feedback: null };
}

/** What a follow-up sends as history: the last completed turns, oldest first, without
 *  citation markers (they number passages the next question will not see). */
export function historyBefore(conversation, turn) {
  const earlier = conversation.turns.slice(0, conversation.turns.indexOf(turn));
  const done = earlier.filter((t) => t.status === "done" && t.answer).slice(-HISTORY_TURNS);
  return done.flatMap((t) => [
    { role: "user", content: t.question.slice(0, 4000) },
    { role: "assistant", content: t.answer.answer.replace(/\s*\[\d+\]/g, "").slice(0, 4000) },
  ]);
}
