// sitrep review page: Loading articles, the keyboard, and wiring the page together.
import { redo, resetHistory, undo } from "./undo.js";
import { accept, acceptAllUntouched, acceptRecord, addItem, addRecord, focusedLeaf, focusedList, move, moveFocus, moveRecordFocus, reject, removeItem, removeRecord, setEvidenceFromSelection, setFocus } from "./actions.js";
import { markFocusedSpan, readSelection } from "./article.js";
import { render } from "./form.js";
import { indexWork, itemPaths, recordOf } from "./model.js";
import { clearMessages, diff, save, showMessages } from "./save.js";
import { $, RECORD_KINDS, REVIEWER, S, api, clone, el, indexText, track } from "./state.js";

export async function loadListing() {
  const res = await api("GET", "/api/articles");
  S.listing = res.data.articles || [];
  const sel = $("#article-select");
  sel.replaceChildren();
  for (const a of S.listing) {
    const mark = a.error ? "⚠ " : a.gold ? "✓ " : a.draft ? "· " : "  ";
    sel.append(el("option", { value: a.id, text: mark + a.id, title: a.error || null }));
  }
}

export function buildWork(records, origins) {
  const work = { events: [], statements: [] };
  for (const k of RECORD_KINDS) work[k.list] = clone(records ? records[k.list] || [] : []);
  const paths = new Map();
  itemPaths(work, (o) => paths.get(o), (o, p) => paths.set(o, p));
  for (const [item, path] of paths) {
    const origin = origins ? (path in origins ? origins[path] : null) : path;
    track(item, origin);
  }
  return work;
}

export async function loadArticle(id, force) {
  if (!force && S.dirty && !confirm("Discard the unsaved changes to " + S.id + "?")) {
    $("#article-select").value = S.id;
    return;
  }
  const res = await api("GET", "/api/articles/" + encodeURIComponent(id));
  if (res.status !== 200) {
    showMessages("Cannot open " + id + ": " + (res.data.error || res.status), []);
    return;
  }
  const d = res.data;
  S.id = id;
  indexText(d.article.text);
  S.draft = d.draft;
  S.draftIndex = new Map();
  // Draft item paths (records by id, nested items by position).
  const draftPaths = new Map();
  if (d.draft) {
    itemPaths(d.draft, (o) => draftPaths.get(o), (o, p) => draftPaths.set(o, p));
    for (const [item, path] of draftPaths) S.draftIndex.set(path, item);
  }
  S.draftInfo = d.draft_info;
  S.goldInfo = d.gold_info;
  S.goldSha = d.gold_sha256;
  S.notes = d.notes;
  S.decisions = new Map();
  S.confirmedNames = {};
  resetHistory();
  S.errors = new Map();
  S.focus = null;
  if (d.gold) S.work = buildWork(d.gold, d.origins || {});
  else if (d.draft) S.work = buildWork(d.draft, null);
  else S.work = buildWork(null, null);
  S.priorByPath = d.prior || {};
  S.dirty = false;
  indexWork();
  S.prior = new Map();
  for (const [path, source] of Object.entries(S.priorByPath)) {
    const key = S.pathKey.get(path);
    if (key) S.prior.set(key, source);
  }
  $("#article-select").value = id;
  if (location.hash.slice(1) !== id) history.replaceState(null, "", "#" + encodeURIComponent(id));
  renderMeta(d);
  const problems = [d.draft_error, d.gold_error].filter(Boolean);
  if (problems.length) showMessages("Problems loading this article:", problems.map((p) => ({ path: "", message: p })));
  else clearMessages();
  render();
  const first = S.leaves.keys().next();
  if (!first.done) setFocus(first.value, { scroll: false });
}

export function renderMeta(d) {
  const a = d.article;
  const box = $("#article-meta");
  box.replaceChildren();
  box.append(el("span", { class: "title", text: a.title || a.id }));
  const bits = [a.id];
  if (a.outlet) bits.push(a.outlet);
  if (a.publication_date) bits.push(a.publication_date);
  else if (a.publication_date_text) bits.push("dated “" + a.publication_date_text + "”");
  if (d.draft_info) bits.push("draft by " + d.draft_info.drafted_by + (d.draft_info.run ? " (" + d.draft_info.run + ")" : ""));
  else bits.push("no draft: labelling from scratch");
  if (d.draft_notes) bits.push("drafter's notes: " + d.draft_notes);
  box.append(el("span", { text: bits.join(" · ") }));
}

export function typing(target) {
  return target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
}

export function onKey(e) {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
    e.preventDefault();
    save(false);
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

export function stepArticle(delta) {
  const ids = S.listing.map((a) => a.id);
  const i = ids.indexOf(S.id);
  const j = i + delta;
  if (j >= 0 && j < ids.length) loadArticle(ids[j]);
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
  await loadListing();
  document.addEventListener("keydown", onKey);
  $("#article").addEventListener("click", onArticleClick);
  $("#article-select").addEventListener("change", (e) => loadArticle(e.target.value));
  $("#btn-prev").addEventListener("click", () => stepArticle(-1));
  $("#btn-next").addEventListener("click", () => stepArticle(1));
  $("#btn-accept-all").addEventListener("click", () => acceptAllUntouched(null));
  $("#btn-diff").addEventListener("click", diff);
  $("#btn-save").addEventListener("click", () => save(false));
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
