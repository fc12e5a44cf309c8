// sitrep review page: the folder's articles: loading one, the list with progress and the
// unreviewed-only filter, moving between articles (n / p, save-and-next, the URL's #id).
import { setFocus } from "./actions.js";
import { render } from "./form.js";
import { indexWork, itemPaths } from "./model.js";
import { clearMessages, save, showMessages } from "./save.js";
import { $, RECORD_KINDS, S, api, clone, el, indexText, toast, track } from "./state.js";
import { resetHistory } from "./undo.js";

// The articles the list and n / p go through: all, or the unreviewed ones (and the current one).
export function shownArticles() {
  return S.onlyUnreviewed ? S.listing.filter((a) => !a.gold || a.id === S.id) : S.listing;
}

export function fillList() {
  const sel = $("#article-select");
  sel.replaceChildren();
  for (const a of shownArticles()) {
    const mark = a.error ? "⚠ " : a.gold ? "✓ " : a.draft ? "· " : "  ";
    sel.append(el("option", { value: a.id, text: mark + a.id, title: a.error || null }));
  }
  if (S.id) sel.value = S.id;
  const reviewed = S.listing.filter((a) => a.gold).length;
  $("#progress").textContent = reviewed + " of " + S.listing.length + " reviewed";
}

export function markReviewed(id) {
  const listed = S.listing.find((a) => a.id === id);
  if (listed) listed.gold = true;
  fillList();
}

// The next article without reviewed gold after the current one (wrapping round), or null.
export function nextUnreviewed() {
  const i = S.listing.findIndex((a) => a.id === S.id);
  for (let n = 1; n <= S.listing.length; n++) {
    const a = S.listing[(i + n) % S.listing.length];
    if (!a.gold && !a.error && a.id !== S.id) return a;
  }
  return null;
}

export async function saveAndNext() {
  if (!(await save(false))) return;
  const next = nextUnreviewed();
  if (next) await loadArticle(next.id);
  else toast("Every article in the folder is reviewed", 4000);
}

// Back and forward (and a link or typed #id) select the article the URL names.
export function onHashChange() {
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted && wanted !== S.id && S.listing.some((a) => a.id === wanted)) loadArticle(wanted);
}

export async function loadListing() {
  const res = await api("GET", "/api/articles");
  S.listing = res.data.articles || [];
  fillList();
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
    if (decodeURIComponent(location.hash.slice(1)) !== S.id) history.pushState(null, "", "#" + encodeURIComponent(S.id));
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
  fillList();
  if (decodeURIComponent(location.hash.slice(1)) !== id) history.pushState(null, "", "#" + encodeURIComponent(id));
  renderMeta(d);
  const problems = [d.draft_error, d.gold_error].filter(Boolean);
  if (problems.length) showMessages("Problems loading this article:", problems.map((p) => ({ path: "", message: p })));
  else clearMessages();
  render();
  const first = S.leaves.keys().next();
  if (!first.done) setFocus(first.value, { scroll: false });
  document.body.dataset.article = id;
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

export function stepArticle(delta) {
  const ids = shownArticles().map((a) => a.id);
  const i = ids.indexOf(S.id);
  const j = i + delta;
  if (j >= 0 && j < ids.length) loadArticle(ids[j]);
}
