// sitrep review page: Focus and the reviewer's actions on fields, items and records.
import { markFocusedSpan, readSelection } from "./article.js";
import { refreshRow, refreshStates, refreshStatus, render, toggleCollapsed } from "./form.js";
import { defaults, evidenceLeafOf, getRel, leafState, leafValue, recordOf } from "./model.js";
import { statementFromSelection } from "./entry.js";
import { forget, remember } from "./undo.js";
import { $, UNKNOWN_VALUES, RECORD_KINDS, S, clone, human, toast, track, uid } from "./state.js";

export function setFocus(key, opts) {
  const o = Object.assign({ show: false, scrollForm: false }, opts || {});
  const before = S.focus && S.rows.has(S.focus) ? S.rows.get(S.focus).closest(".record") : null;
  if (S.focus && S.rows.has(S.focus)) S.rows.get(S.focus).classList.remove("focused");
  for (const card of document.querySelectorAll(".record.current")) card.classList.remove("current");
  S.focus = key;
  const row = S.rows.get(key);
  if (row) {
    row.classList.add("focused");
    const card = row.closest(".record");
    if (card) card.classList.add("current");
    if (card && card.classList.contains("collapsed") && o.scrollForm && o.expand !== false) toggleCollapsed(recordOf(S.leaves.get(key).owner));
    if (o.scrollForm) {
      // Moving into another record brings that record to the top of the pane.
      if (card && card !== before) card.scrollIntoView({ block: "start" });
      row.scrollIntoView({ block: "nearest" });
    }
  }
  const shown = markFocusedSpan(o.show);
  if (o.show && !shown) {
    const ev = evidenceLeafOf(S.leaves.get(key));
    toast(ev && leafValue(ev) ? "This evidence is not located in the article" : "This field has no evidence yet: select words and press s");
  }
}

// Field rows in document order, leaving out those of collapsed records.
export function orderedKeys() {
  return [...document.querySelectorAll("#form .field")].filter((r) => !r.closest(".record.collapsed")).map((r) => r.dataset.key);
}

export function moveFocus(delta) {
  const keys = orderedKeys();
  if (!keys.length) return;
  let i = keys.indexOf(S.focus);
  i = i < 0 ? 0 : Math.max(0, Math.min(keys.length - 1, i + delta));
  setFocus(keys[i], { show: true, scrollForm: true });
  S.rows.get(keys[i]).focus({ preventScroll: true });
}

export function moveRecordFocus(delta) {
  const cards = [...document.querySelectorAll("#form .record")];
  if (!cards.length) return;
  const current = S.focus && S.rows.get(S.focus) ? S.rows.get(S.focus).closest(".record") : null;
  let i = cards.indexOf(current);
  i = i < 0 ? 0 : Math.max(0, Math.min(cards.length - 1, i + delta));
  const row = cards[i].querySelector(".field");
  if (row) {
    setFocus(row.dataset.key, { show: true, scrollForm: true, expand: false });
    row.focus({ preventScroll: true });
  }
}

export function focusedLeaf() {
  return S.focus ? S.leaves.get(S.focus) : null;
}

export function accept(key) {
  const leaf = S.leaves.get(key);
  if (!leaf) return;
  const state = leafState(leaf);
  remember("accept " + leaf.path);
  S.decisions.set(key, state === "edited" || state === "added" ? "edited" : "accepted");
  S.dirty = true;
  refreshRow(key);
  refreshStatus();
}

// What rejecting a field leaves in it: empty where the schema allows it (null, [], or its
// "unknown" default); otherwise blank, so that the person must choose the right value before
// the save validates (a required choice never silently keeps a value nobody chose).
export function clearedValue(leaf) {
  if (leaf.kind === "strings") return [];
  if (leaf.nullable) return null;
  if ("default" in leaf.prop && UNKNOWN_VALUES.has(leaf.prop.default)) return clone(leaf.prop.default);
  return leaf.kind === "string" ? "" : null;
}

export function reject(key) {
  const leaf = S.leaves.get(key);
  if (!leaf) return;
  const empty = clearedValue(leaf);
  if (JSON.stringify(leafValue(leaf)) === JSON.stringify(empty)) {
    toast(human(leaf.name) + " is already empty: nothing to reject");
    return;
  }
  remember("reject " + leaf.path);
  leaf.obj[leaf.name] = empty;
  S.decisions.set(key, "rejected");
  structural(key);
  if (empty === null && !leaf.nullable || empty === "") {
    toast(human(leaf.name) + " cannot stay empty: choose or type the right value before saving");
  }
}

export function acceptAllUntouched(within) {
  let n = 0;
  remember(within ? "accept the rest of " + within.id : "accept all untouched");
  for (const leaf of S.leaves.values()) {
    if (within && recordOf(leaf.owner) !== within) continue;
    if (leafState(leaf) === "untouched") {
      S.decisions.set(leaf.key, "accepted");
      n += 1;
    }
  }
  if (n) S.dirty = true;
  else forget();
  refreshStates();
  toast("Accepted " + n + " untouched field" + (n === 1 ? "" : "s") + (n ? " (Ctrl+Z undoes)" : ""));
}

export function acceptRecord(rec) {
  acceptAllUntouched(rec);
}

export function structural(focusKey) {
  S.dirty = true;
  render();
  if (focusKey && S.rows.has(focusKey)) setFocus(focusKey);
}

export function nextId(k) {
  let max = 0;
  for (const r of S.work[k.list]) {
    const m = /^[ES](\d+)$/.exec(r.id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return k.prefix + (max + 1);
}

export function addRecord(k) {
  remember("add " + k.one);
  const rec = defaults(S.defs[k.def]);
  rec.id = nextId(k);
  const sel = k.list === "statements" ? readSelection() : null;
  if (sel) {
    Object.assign(rec, statementFromSelection(sel));
    window.getSelection().removeAllRanges();
  }
  if (k.list === "events") rec.event_type = null;
  track(rec, null);
  S.work[k.list].push(rec);
  structural(null);
  const row = [...document.querySelectorAll('.record[data-uid="' + uid(rec) + '"] .field')][0];
  if (row) {
    setFocus(row.dataset.key, { scrollForm: true });
    row.focus({ preventScroll: true });
  }
  toast("Added " + rec.id + " (Ctrl+Z undoes)");
}

export function removeRecord(rec) {
  const k = RECORD_KINDS.find((kk) => S.work[kk.list].includes(rec));
  if (!k) return;
  remember("remove " + rec.id);
  S.work[k.list].splice(S.work[k.list].indexOf(rec), 1);
  let unlinked = 0;
  if (k.list === "events") {
    for (const st of S.work.statements) {
      const before = (st.about_events || []).length;
      st.about_events = (st.about_events || []).filter((e) => e !== rec.id);
      unlinked += before - st.about_events.length;
    }
  }
  structural(null);
  toast("Removed " + rec.id + (unlinked ? "; unlinked it from " + unlinked + " statement(s)" : "") + " (Ctrl+Z undoes)");
}

export function move(list, i, delta) {
  const j = i + delta;
  if (j < 0 || j >= list.length) return;
  remember("move");
  [list[i], list[j]] = [list[j], list[i]];
  structural(S.focus);
}

export function addItem(list, itemDef) {
  remember("add an item");
  const item = track(defaults(itemDef), null);
  list.push(item);
  structural(null);
  const row = document.querySelector('.item[data-uid="' + uid(item) + '"] .field');
  if (row) {
    setFocus(row.dataset.key, { scrollForm: true });
    row.focus({ preventScroll: true });
  }
}

export function removeItem(list, i) {
  remember("remove an item");
  list.splice(i, 1);
  structural(null);
}

// The list (and index) holding the focused field's item, for i / Delete / [ / ].
export function focusedList() {
  const leaf = focusedLeaf();
  if (!leaf) return null;
  const path = S.itemPath.get(leaf.owner);
  const parts = path.split(".");
  if (parts.length === 2) {
    const list = S.work[parts[0]];
    return { list, index: list.indexOf(leaf.owner), record: true };
  }
  const parentPath = parts.slice(0, parts.length - 2).join(".");
  const listRel = parts[parts.length - 2];
  let parent = null;
  for (const [item, p] of S.itemPath) if (p === parentPath) parent = item;
  const list = parent ? getRel(parent, listRel) : null;
  if (!list) return null;
  return { list, index: list.indexOf(leaf.owner), record: false, def: S.itemDef.get(leaf.owner) };
}

export function setEvidenceFromSelection() {
  const leaf = focusedLeaf();
  const target = evidenceLeafOf(leaf);
  if (!target) {
    toast("Focus a field first (click it, or j / k)");
    return;
  }
  const sel = readSelection(); // only what is visibly selected now, never an earlier selection
  if (!sel) {
    toast("Select the supporting words in the article first");
    return;
  }
  remember("set evidence of " + target.path);
  target.obj[target.name] = { quote: sel.quote, start: sel.start, end: sel.end, alignment: null, score: null };
  S.errors.delete(target.key);
  window.getSelection().removeAllRanges();
  structural(S.focus);
  markFocusedSpan(true);
  toast("Evidence set: “" + (sel.quote.length > 60 ? sel.quote.slice(0, 57) + "…" : sel.quote) + "”");
}
