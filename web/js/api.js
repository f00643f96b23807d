// Talking to the service: JSON calls and the /api/chat event stream.
// EventSource cannot POST, so the stream is read with fetch + ReadableStream and parsed here.

export class ServiceError extends Error {
  constructor(message, status = 0) {
    super(message);
    this.status = status;
  }
}

const UNREACHABLE = "The answer service can't be reached. Check that it is running, then try again.";

async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === "string") return body.error;
  } catch { /* not JSON: fall through to the status */ }
  if (response.status === 429) return "Too many questions at once. Wait a moment and try again.";
  if (response.status >= 500) return `The service is unavailable right now (HTTP ${response.status}). Try again shortly.`;
  return `The request failed (HTTP ${response.status}).`;
}

export async function getJSON(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ServiceError(UNREACHABLE);
  }
  if (!response.ok) throw new ServiceError(await errorMessage(response), response.status);
  return response.json();
}

export function postJSON(url, body, options = {}) {
  return getJSON(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    ...options,
  });
}

function parseEvent(block) {
  let kind = "message";
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith("event:")) kind = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
  }
  if (!data.length) return null;
  try {
    return { kind, data: JSON.parse(data.join("\n")) };
  } catch {
    return null;
  }
}

/** POST a question to /api/chat and call onEvent(kind, data) for each server-sent event.
 *  Resolves when the stream ends; rejects with ServiceError, or AbortError when stopped. */
export async function streamChat(body, { signal, onEvent }) {
  let response;
  try {
    response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ServiceError(UNREACHABLE);
  }
  if (!response.ok) throw new ServiceError(await errorMessage(response), response.status);
  if (!response.body) throw new ServiceError("This browser cannot read streamed answers.");

  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const flush = (final) => {
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = final ? "" : blocks.pop();
    for (const block of blocks) {
      const event = block.trim() && parseEvent(block);
      if (event) onEvent(event.kind, event.data);
    }
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      flush(false);
    }
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ServiceError("The connection to the service was lost before the answer was complete.");
  }
  buffer += decoder.decode();
  flush(true);
}
