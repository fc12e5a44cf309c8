// sitrep review page: confidence on screen. Each field shows how its evidence was found in the
// article (exact, fuzzy with its score, not found, or selected by the person); `u` goes to the
// next untouched field, the least certain first; sentences no evidence covers are shaded.
import { setFocus } from "./actions.js";
import { evidenceLeafOf, leafValue } from "./model.js";
import { S, cpLength, el, sliceCp } from "./state.js";

// { level: "exact" | "fuzzy" | "not_found" | "none" | "selected", score, text } of a field.
export function confidenceOf(leaf) {
  const evLeaf = evidenceLeafOf(leaf);
  const ev = evLeaf ? leafValue(evLeaf) : null;
  if (!ev) return { level: "none", score: null, text: "no evidence" };
  if (ev.start === null || ev.start === undefined) return { level: "not_found", score: 0, text: "not found" };
  if (!ev.alignment) return { level: "selected", score: 1, text: "selected" };
  const score = typeof ev.score === "number" ? ev.score : 1;
  if (ev.alignment === "exact") return { level: "exact", score, text: "exact" };
  return { level: ev.alignment, score, text: ev.alignment.replace("_", " ") + " " + Math.round(score * 100) + "%" };
}

// Lower is less certain: values with missing or lost evidence, then fuzzy matches by score,
// then the rest (empty fields included; a missing evidence is itself uncertain).
export function uncertainty(leaf) {
  const c = confidenceOf(leaf);
  const v = leafValue(leaf);
  const empty = v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length);
  if (empty && leaf.kind !== "evidence") return 2;
  if (c.level === "none" || c.level === "not_found") return 0;
  if (c.level === "exact" || c.level === "selected") return 2;
  return 1 + c.score * 0.999;
}

export function decorate(row, leaf) {
  const c = confidenceOf(leaf);
  const v = leafValue(leaf);
  const empty = v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length);
  row.dataset.confidence = empty && leaf.kind !== "evidence" ? "empty" : c.level;
  const label = row.querySelector(":scope > label");
  if (label) label.title = leaf.path + " · evidence: " + c.text + (leaf.prop.description ? "\n" + leaf.prop.description : "");
  const chip = row.querySelector(".conf");
  if (chip) {
    chip.className = "conf " + c.level;
    chip.textContent = c.text;
  }
}

export function confidenceChip() {
  return el("span", { class: "conf", title: "How the evidence was found in the article" });
}

// Focus the next untouched field: the least certain first, in document order among equals.
export function nextUntouched() {
  const rows = [...document.querySelectorAll("#form .field")].filter((r) => r.dataset.state === "untouched");
  if (!rows.length) return false;
  const rank = (r) => uncertainty(S.leaves.get(r.dataset.key));
  const best = Math.min(...rows.map(rank));
  const row = rows.find((r) => rank(r) === best);
  const card = row.closest(".record");
  if (card && card.classList.contains("collapsed")) card.classList.remove("collapsed");
  setFocus(row.dataset.key, { show: true, scrollForm: true });
  row.focus({ preventScroll: true });
  return true;
}

// Sentence ranges [start, end) in code points: ends at . ! ? (and closing quotes) before white
// space, or at a line break; blank stretches are left out.
export function sentences() {
  const out = [];
  const n = cpLength();
  let start = 0;
  const push = (a, b) => {
    while (a < b && /\s/.test(sliceCp(a, a + 1))) a += 1;
    while (b > a && /\s/.test(sliceCp(b - 1, b))) b -= 1;
    if (b > a && /\p{L}/u.test(sliceCp(a, b))) out.push([a, b]);
  };
  for (let i = 0; i < n; i++) {
    const ch = sliceCp(i, i + 1);
    if (ch === "\n") {
      push(start, i);
      start = i + 1;
    } else if (/[.!?]/.test(ch)) {
      let j = i + 1;
      while (j < n && /["”’')\]]/.test(sliceCp(j, j + 1))) j += 1;
      if (j >= n || /\s/.test(sliceCp(j, j + 1))) {
        push(start, j);
        start = j;
        i = j - 1;
      }
    }
  }
  push(start, n);
  return out;
}

// The sentences no evidence span touches (where a missed event or statement may hide).
export function uncoveredSentences(spans) {
  return sentences().filter(([a, b]) => !spans.some((s) => s.start < b && s.end > a));
}
