// sitrep review page: Loading articles, the keyboard, and wiring the page together.
import { redo, undo } from "./undo.js";
import { accept, acceptAllUntouched, acceptRecord, addItem, addRecord, focusedLeaf, focusedList, move, moveFocus, moveRecordFocus, reject, removeItem, removeRecord, setEvidenceFromSelection, setFocus } from "./actions.js";
import { markFocusedSpan } from "./article.js";
import { nextUntouched } from "./confidence.js";
import { loadNames } from "./entry.js";
import { toggleCollapsed } from "./form.js";
import { recordOf } from "./model.js";
import { fillList, loadArticle, loadListing, onHashChange, saveAndNext, stepArticle } from "./articles.js";
import { diff, save, showMessages } from "./save.js";
import { $, RECORD_KINDS, REVIEWER, S, api, toast } from "./state.js";

// Whether keys typed at the target are text for it (check boxes take no letters).
export function typing(target) {
  if (!target) return false;
  if (target.tagName === "INPUT") return !["checkbox", "radio", "button"].includes(target.type);
  return target.tagName === "SELECT" || target.tagName === "TEXTAREA";
}

export function onKey(e) {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
    e.preventDefault();
    save(false);
    return;
  }
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
    e.preventDefault();
    saveAndNext();
    return;
  }
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key.toLowerCase() === "z" || e.key.toLowerCase() === "y")) {
    if (document.querySelector("dialog[open]")) return;
    e.preventDefault();
    if (e.key.toLowerCase() === "y" || e.shiftKey) redo();
    else undo();
    return;
  }
  if (document.querySelector("dialog[open]")) return; // dialogs handle Esc themselves
  // A focused dropdown keeps its arrow keys, but letters stay shortcuts: a dropdown's
  // type-to-select would otherwise turn "a" (accept) into "attempted".
  const letterOnSelect = e.target.tagName === "SELECT" && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
  if (typing(e.target) && !letterOnSelect) {
    if (e.key === "Escape") {
      const row = e.target.closest(".field");
      e.target.blur();
      if (row) row.focus({ preventScroll: true });
    }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const k = e.key;
  const leaf = focusedLeaf();
  const handled = () => e.preventDefault();
  switch (k) {
    case "?": handled(); $("#help-dialog").showModal(); break;
    case "j": handled(); moveFocus(1); break;
    case "k": handled(); moveFocus(-1); break;
    case "J": handled(); moveRecordFocus(1); break;
    case "K": handled(); moveRecordFocus(-1); break;
    case "Enter": {
      const row = S.rows.get(S.focus);
      const ctl = row && row.querySelector("input, select, textarea, button");
      if (ctl) { handled(); ctl.focus(); }
      break;
    }
    case "a": if (leaf) { handled(); accept(leaf.key); } break;
    case "x": if (leaf) { handled(); reject(leaf.key); } break;
    case "A": handled(); acceptAllUntouched(null); break;
    case "e": if (leaf) { handled(); acceptRecord(recordOf(leaf.owner)); } break;
    case "X": if (leaf) { handled(); removeRecord(recordOf(leaf.owner)); } break;
    case "g": if (leaf) { handled(); setFocus(leaf.key, { show: true }); } break;
    case "s": handled(); setEvidenceFromSelection(); break;
    case "d": handled(); diff(); break;
    case "u": handled(); if (!nextUntouched()) toast("No untouched field left in this article"); break;
    case "c": if (leaf) { handled(); toggleCollapsed(recordOf(leaf.owner)); } break;
    case "n": handled(); stepArticle(1); break;
    case "p": handled(); stepArticle(-1); break;
    case "E": handled(); addRecord(RECORD_KINDS[0]); break;
    case "S": handled(); addRecord(RECORD_KINDS[1]); break;
    case "i": {
      const fl = focusedList();
      if (fl && !fl.record && fl.def) { handled(); addItem(fl.list, fl.def); }
      else if (fl && fl.record) { handled(); addRecord(RECORD_KINDS.find((kk) => S.work[kk.list] === fl.list)); }
      break;
    }
    case "Delete": {
      const fl = focusedList();
      if (fl && fl.record) { handled(); removeRecord(fl.list[fl.index]); }
      else if (fl) { handled(); removeItem(fl.list, fl.index); }
      break;
    }
    case "[":
    case "]": {
      const fl = focusedList();
      if (fl) { handled(); move(fl.list, fl.index, k === "[" ? -1 : 1); }
      break;
    }
    default:
  }
}

export function onArticleClick(e) {
  const sel = window.getSelection();
  if (sel && !sel.isCollapsed) return; // a drag to select text, not a click
  const segEl = e.target.closest(".seg");
  if (!segEl) return;
  const seg = S.segments.find((s) => s.el === segEl);
  if (!seg || !seg.keys.length) return;
  // Cycle through overlapping spans on repeated clicks, innermost first.
  const at = seg.keys.indexOf(S.focus);
  const key = seg.keys[(at + 1) % seg.keys.length];
  setFocus(key, { scrollForm: true });
  markFocusedSpan(false);
}

export async function init() {
  $("#reviewer").textContent = "reviewing as " + REVIEWER;
  const schema = await api("GET", "/api/schema");
  S.defs = schema.data.$defs;
  await Promise.all([loadListing(), loadNames()]);
  document.addEventListener("keydown", onKey);
  $("#article").addEventListener("click", onArticleClick);
  $("#article-select").addEventListener("change", (e) => loadArticle(e.target.value));
  $("#btn-prev").addEventListener("click", () => stepArticle(-1));
  $("#btn-next").addEventListener("click", () => stepArticle(1));
  $("#btn-accept-all").addEventListener("click", () => acceptAllUntouched(null));
  $("#btn-diff").addEventListener("click", diff);
  $("#btn-save").addEventListener("click", () => save(false));
  $("#btn-save-next").addEventListener("click", saveAndNext);
  $("#only-unreviewed").addEventListener("change", (e) => {
    S.onlyUnreviewed = e.target.checked;
    fillList();
  });
  window.addEventListener("popstate", onHashChange);
  window.addEventListener("hashchange", onHashChange);
  $("#btn-help").addEventListener("click", () => $("#help-dialog").showModal());
  window.addEventListener("beforeunload", (e) => {
    if (S.dirty) e.preventDefault();
  });
  const wanted = decodeURIComponent(location.hash.slice(1));
  const first = S.listing.find((a) => a.id === wanted) || S.listing.find((a) => !a.gold) || S.listing[0];
  if (first) await loadArticle(first.id, true);
  else showMessages("The labelling folder has no articles yet: add some with `sitrep label ARTICLE...`", [], true);
  document.body.dataset.ready = "1";
}

init();
