// Building DOM safely: every piece of text becomes a text node, never HTML.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

export function icon(path) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const p = document.createElementNS(SVG, "path");
  p.setAttribute("d", path);
  svg.append(p);
  return svg;
}

export const ICONS = {
  up: "M7 11v9H4v-9zM7 11l4-8c1.7 0 2.6 1 2.3 2.6L12.6 9H19a2 2 0 0 1 2 2.3l-1.2 7A2 2 0 0 1 17.8 20H7",
  down: "M17 13V4h3v9zM17 13l-4 8c-1.7 0-2.6-1-2.3-2.6l.7-3.4H5a2 2 0 0 1-2-2.3l1.2-7A2 2 0 0 1 6.2 4H17",
  external: "M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5",
  doc: "M6 3h9l5 5v13H6zM14 3v6h6",
  alert: "M12 8v5M12 16.5v.5M10.3 3.9 2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
  info: "M12 11v6M12 7.5v.5M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z",
  retry: "M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4",
};

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

export function langOf(text) {
  return CJK.test(text || "") ? "zh-CN" : "en";
}

/** Python counts characters by code point, JavaScript strings by UTF-16 unit. */
export function toUnits(text, codePoint) {
  if (!/[\ud800-\udfff]/.test(text)) return codePoint;
  let units = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen >= codePoint) break;
    units += ch.length;
    seen += 1;
  }
  return units;
}

/** Render plain text as paragraphs and headings ("# Title" lines), wrapping the
 *  ranges [{start, end, cls}] (code-point offsets into text) in <mark>s. */
export function renderText(text, ranges = []) {
  const marks = ranges
    .filter((r) => r && r.end > r.start)
    .map((r) => ({ start: toUnits(text, r.start), end: toUnits(text, r.end), cls: r.cls }));
  const fragment = document.createDocumentFragment();
  const blockRe = /[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g;
  let match;
  while ((match = blockRe.exec(text))) {
    let start = match.index;
    let body = match[0];
    const heading = /^(#{1,6})\s+/.exec(body);
    let tag = "p";
    if (heading && !body.includes("\n")) {
      tag = heading[1].length <= 2 ? "h3" : "h4";
      start += heading[0].length;
      body = body.slice(heading[0].length);
    }
    if (!body.trim()) continue;
    fragment.append(el(tag, {}, markedRun(body, start, marks)));
  }
  return fragment;
}

function markedRun(body, offset, marks) {
  const end = offset + body.length;
  const cuts = new Set([offset, end]);
  for (const m of marks) {
    for (const at of [m.start, m.end]) if (at > offset && at < end) cuts.add(at);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = body.slice(a - offset, b - offset);
    const classes = marks.filter((m) => m.start <= a && m.end >= b).map((m) => m.cls);
    out.push(classes.length ? el("mark", { class: classes.join(" ") }, piece) : piece);
  }
  return out;
}

export function formatDate(date) {
  if (!date) return "";
  const parts = String(date).split("-").map(Number);
  if (!parts[0]) return String(date);
  const options = { year: "numeric" };
  if (parts[1]) options.month = "short";
  if (parts[2]) options.day = "numeric";
  const value = new Date(Date.UTC(parts[0], (parts[1] || 1) - 1, parts[2] || 1));
  return new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }).format(value);
}

export function documentHref(docId, start, end, spanStart, spanEnd) {
  const path = `/documents/${String(docId).split("/").map(encodeURIComponent).join("/")}`;
  if (start === undefined || end === undefined || end <= start) return path;
  const span = spanEnd > spanStart ? `:${spanStart}-${spanEnd}` : "";
  return `${path}#${start}-${end}${span}`;
}

/** "#120-480" (a passage) or "#120-480:200-260" (a passage and the span that supports the claim). */
export function parseHighlight(hash) {
  const m = /^#?(\d+)-(\d+)(?::(\d+)-(\d+))?$/.exec(hash || "");
  if (!m) return null;
  const [start, end, spanStart, spanEnd] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v)));
  return { start, end, spanStart, spanEnd };
}
