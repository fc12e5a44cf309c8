// sitrep review page: The article pane: text with evidence highlighted, and reading the selection.
import { uncoveredSentences } from "./confidence.js";
import { evidenceLeafOf, leafValue, recordOf } from "./model.js";
import { $, S, cpCount, cpLength, el, sliceCp } from "./state.js";

export function evidenceSpans() {
  const spans = [];
  for (const leaf of S.leaves.values()) {
    if (leaf.kind !== "evidence") continue;
    const ev = leafValue(leaf);
    if (!ev || ev.start === null || ev.end === null || ev.end <= ev.start) continue;
    const rec = recordOf(leaf.owner);
    const kind = rec && S.work.statements.includes(rec) ? "statement" : "event";
    spans.push({ key: leaf.key, start: ev.start, end: Math.min(ev.end, cpLength()), kind });
  }
  return spans;
}

export function renderArticle() {
  const box = $("#article");
  box.replaceChildren();
  const spans = evidenceSpans();
  const cuts = new Set([0, cpLength()]);
  for (const s of spans) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const uncovered = uncoveredSentences(spans);
  for (const [a, b] of uncovered) {
    cuts.add(a);
    cuts.add(b);
  }
  const bounds = [...cuts].filter((c) => c >= 0 && c <= cpLength()).sort((a, b) => a - b);
  S.segments = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = bounds[i];
    const b = bounds[i + 1];
    const covering = spans.filter((s) => s.start <= a && s.end >= b).sort((x, y) => x.end - x.start - (y.end - y.start));
    const seg = el("span", { class: "seg", "data-s": a, "data-e": b });
    seg.textContent = sliceCp(a, b);
    if (covering.length) {
      seg.classList.add("ev", covering[0].kind);
      if (covering.length > 1) seg.classList.add("deep");
    } else if (uncovered.some(([s, e]) => s <= a && e >= b)) {
      seg.classList.add("uncovered");
      seg.title = "No record's evidence is in this sentence";
    }
    S.segments.push({ el: seg, start: a, end: b, keys: covering.map((c) => c.key) });
    box.append(seg);
  }
  markFocusedSpan(false);
}

export function markFocusedSpan(scroll) {
  const ev = evidenceLeafOf(S.leaves.get(S.focus));
  const value = ev ? leafValue(ev) : null;
  let first = null;
  for (const seg of S.segments || []) {
    const on = Boolean(value && value.start !== null && seg.start >= value.start && seg.end <= value.end);
    seg.el.classList.toggle("focus", on);
    seg.el.classList.remove("flash");
    if (on && !first) first = seg.el;
  }
  if (scroll && first) {
    const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    first.scrollIntoView({ block: "center", behavior: calm ? "auto" : "smooth" });
    for (const seg of S.segments) {
      if (seg.el.classList.contains("focus")) {
        void seg.el.offsetWidth; // restart the animation
        seg.el.classList.add("flash");
      }
    }
  }
  return Boolean(first);
}

export function pointToCp(node, offset) {
  const box = $("#article");
  if (node === box) {
    const child = box.childNodes[offset];
    return child ? Number(child.dataset.s) : cpLength();
  }
  if (node.nodeType === Node.TEXT_NODE) {
    const seg = node.parentElement;
    if (!seg || !seg.classList.contains("seg")) return null;
    return Number(seg.dataset.s) + cpCount(node.data.slice(0, offset));
  }
  if (node.classList && node.classList.contains("seg")) {
    return offset === 0 ? Number(node.dataset.s) : Number(node.dataset.e);
  }
  return null;
}

export function readSelection() {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  const box = $("#article");
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return null;
  let start = pointToCp(range.startContainer, range.startOffset);
  let end = pointToCp(range.endContainer, range.endOffset);
  if (start === null || end === null) return null;
  if (start > end) [start, end] = [end, start];
  while (start < end && /\s/.test(sliceCp(start, start + 1))) start += 1;
  while (end > start && /\s/.test(sliceCp(end - 1, end))) end -= 1;
  if (end <= start) return null;
  return { start, end, quote: sliceCp(start, end) };
}
