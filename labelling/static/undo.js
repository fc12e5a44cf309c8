// sitrep review page: undo and redo (Ctrl+Z, Ctrl+Shift+Z) of every change to the records, the
// field decisions and the notes. Each action calls remember() before it changes anything; a
// field's edit counts as one step however many keys were typed, until another action starts.
import { setFocus } from "./actions.js";
import { render } from "./form.js";
import { walkAll } from "./model.js";
import { S, toast } from "./state.js";

const LIMIT = 300;

function items(records) {
  const out = [];
  walkAll(records, () => {}, (item) => out.push(item));
  return out;
}

function snapshot(label) {
  return {
    label,
    json: JSON.stringify(S.work),
    metas: items(S.work).map((item) => ({ ...S.meta.get(item) })),
    decisions: new Map(S.decisions),
    notes: S.notes,
    confirmedNames: { ...S.confirmedNames },
    focus: S.focus,
    dirty: S.dirty,
  };
}

function restore(snap) {
  const work = JSON.parse(snap.json);
  items(work).forEach((item, i) => S.meta.set(item, { ...snap.metas[i] }));
  S.work = work;
  S.decisions = new Map(snap.decisions);
  S.notes = snap.notes;
  S.confirmedNames = { ...snap.confirmedNames };
  S.dirty = snap.dirty;
  S.editing = null;
  S.errors = new Map();
  render();
  if (snap.focus && S.rows.has(snap.focus)) {
    setFocus(snap.focus, { scrollForm: true });
    S.rows.get(snap.focus).focus({ preventScroll: true });
  }
}

// Record the state before an action (label: what the action is, for the toast on undo).
export function remember(label) {
  S.undo.push(snapshot(label));
  if (S.undo.length > LIMIT) S.undo.shift();
  S.redo = [];
  S.editing = null;
  document.body.dataset.undo = String(S.undo.length);
}

// Drop the last remembered state (the action turned out to change nothing).
export function forget() {
  S.undo.pop();
  document.body.dataset.undo = String(S.undo.length);
}

// The first change of a field's value since another action: one undo step for the whole edit.
export function rememberEdit(key, label) {
  if (S.editing === key) return;
  remember(label);
  S.editing = key;
}

export function undo() {
  const snap = S.undo.pop();
  if (!snap) {
    toast("Nothing to undo");
    return;
  }
  S.redo.push(snapshot(snap.label));
  restore(snap);
  document.body.dataset.undo = String(S.undo.length);
  toast("Undone: " + snap.label + " (Ctrl+Shift+Z redoes)");
}

export function redo() {
  const snap = S.redo.pop();
  if (!snap) {
    toast("Nothing to redo");
    return;
  }
  S.undo.push(snapshot(snap.label));
  restore(snap);
  document.body.dataset.undo = String(S.undo.length);
  toast("Redone: " + snap.label);
}

export function resetHistory() {
  S.undo = [];
  S.redo = [];
  S.editing = null;
  document.body.dataset.undo = "0";
}
