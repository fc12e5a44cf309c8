// sitrep review page: Saving, checking and the diff against the draft; the pinned messages.
import { setFocus } from "./actions.js";
import { markReviewed } from "./articles.js";
import { refreshStates } from "./form.js";
import { indexWork } from "./model.js";
import { $, RECORD_KINDS, REVIEWER, S, api, clone, el, toast, uid } from "./state.js";

export function payload(overwrite) {
  indexWork();
  const records = { events: [], statements: [] };
  for (const k of RECORD_KINDS) {
    records[k.list] = S.work[k.list].map((r) => {
      const copy = clone(r);
      if (k.list === "events") copy.event_type = null;
      return copy;
    });
  }
  const origins = {};
  for (const [item, path] of S.itemPath) origins[path] = S.meta.get(item).origin;
  const decisions = {};
  for (const [key, dec] of S.decisions) {
    const leaf = S.leaves.get(key);
    if (leaf) decisions[leaf.path] = dec;
  }
  return {
    records, origins, decisions, notes: S.notes, base_sha256: S.goldSha, overwrite: Boolean(overwrite),
    confirmed_names: S.confirmedNames,
  };
}

export function clearMessages() {
  const box = $("#messages");
  box.replaceChildren();
  box.className = "";
  delete box.dataset.kind;
}

function problemList(problems) {
  const ul = el("ul", {});
  for (const e of problems) {
    const link = e.path ? el("a", { href: "#", class: "path", text: e.path }) : null;
    const li = el("li", {}, link, e.path ? ": " : "", e.message);
    li.addEventListener("click", (ev) => { ev.preventDefault(); focusPath(e.path); });
    ul.append(li);
  }
  return ul;
}

// The pinned message box: every problem at once, each linked to its field; it stays until the
// next save or check succeeds. Warnings (unknown names) come with "save anyway".
export function showMessages(title, errors, info, warnings) {
  const box = $("#messages");
  box.replaceChildren();
  box.className = info ? "info" : "";
  box.dataset.kind = info ? "info" : "refused";
  box.append(el("strong", { text: title }));
  if (errors.length) box.append(problemList(errors));
  if (warnings && warnings.length) {
    box.append(el("p", { class: "warn-title", text: "To confirm (the gazetteer does not know these names):" }), problemList(warnings));
    if (!errors.length) {
      box.append(el("button", { id: "btn-save-anyway", class: "small", text: "Keep these names and save", onclick: () => {
        for (const w of warnings) if (w.value !== undefined) S.confirmedNames[w.path] = w.value;
        save(false);
      } }));
    }
  }
}

export function focusPath(path) {
  if (!path) return;
  let p = path;
  while (p) {
    const key = S.pathKey.get(p);
    if (key && S.rows.has(key)) {
      setFocus(key, { show: true, scrollForm: true });
      return;
    }
    if (key && key.startsWith("item:")) {
      const row = document.querySelector('[data-uid="' + key.slice(5) + '"] .field');
      if (row) setFocus(row.dataset.key, { show: true, scrollForm: true });
      return;
    }
    p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "";
  }
}

export function markErrors(errors) {
  S.errors = new Map();
  for (const e of errors) {
    let p = e.path;
    while (p) {
      const key = S.pathKey.get(p);
      if (key && !key.startsWith("item:")) {
        S.errors.set(key, e.message);
        break;
      }
      if (key) {
        const row = document.querySelector('[data-uid="' + key.slice(5) + '"] .field');
        if (row) S.errors.set(row.dataset.key, e.path + ": " + e.message);
        break;
      }
      p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "";
    }
  }
  refreshStates();
}

export async function save(overwrite) {
  // Replacing the file this page itself saved needs no confirmation; someone else's does.
  const body = payload(overwrite || Boolean(S.goldSha && S.ownSave === S.goldSha));
  const res = await api("POST", "/api/articles/" + encodeURIComponent(S.id) + "/gold", body);
  if (res.status === 200) {
    S.goldSha = res.data.gold_sha256;
    S.ownSave = res.data.gold_sha256;
    S.goldInfo = { labeller: REVIEWER, labelled_at: new Date().toISOString().slice(0, 10), status: "reviewed" };
    S.priorByPath = res.data.prior || {};
    S.prior = new Map();
    for (const [path, source] of Object.entries(S.priorByPath)) {
      const key = S.pathKey.get(path);
      if (key) S.prior.set(key, source);
    }
    S.decisions = new Map();
    S.errors = new Map();
    S.dirty = false;
    clearMessages();
    refreshStates();
    markReviewed(S.id);
    const s = res.data.summary || {};
    toast("Saved " + res.data.path + " (" + Object.entries(s).map(([k, n]) => n + " " + k).join(", ") + ")", 4000);
    document.body.dataset.saved = res.data.gold_sha256;
    return true;
  }
  delete document.body.dataset.saved;
  if (res.status === 422) {
    const errors = res.data.errors || [];
    const warnings = res.data.warnings || [];
    showMessages(res.data.error || "Not saved: invalid fields", errors, false, warnings);
    markErrors([...errors, ...warnings]);
    toast(errors.length ? "Not saved: fix the fields listed above" : "Not saved: confirm the names listed above");
    return false;
  }
  if (res.status === 409 && !overwrite && S.goldSha && res.data.current_sha256 === S.goldSha) {
    if (confirm(res.data.error + "\n\nReplace the reviewed gold file?")) return save(true);
    showMessages("Not saved: " + res.data.error, []);
    return false;
  }
  showMessages("Not saved: " + (res.data.error || "error " + res.status), []);
  return false;
}

export function shown(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object" && "quote" in v) return "“" + v.quote + "” [" + v.start + "–" + v.end + "]";
  return typeof v === "string" ? v : JSON.stringify(v);
}

export async function diff() {
  const res = await api("POST", "/api/articles/" + encodeURIComponent(S.id) + "/check", payload(false));
  const body = $("#diff-body");
  body.replaceChildren();
  if (res.status !== 200) {
    body.append(el("p", { text: res.data.error || "error " + res.status }));
    const ul = el("ul", {});
    for (const e of res.data.errors || []) ul.append(el("li", { text: e.path + ": " + e.message }));
    body.append(ul);
  } else {
    const s = res.data.summary || {};
    body.append(el("p", { text: Object.entries(s).map(([k, n]) => n + " " + k).join(" · ") }));
    if (!res.data.diff.length) body.append(el("p", { text: "No changes: every value is the draft's." }));
    else {
      const table = el("table", { class: "diff" },
        el("thead", {}, el("tr", {}, el("th", { text: "field" }), el("th", { text: "draft" }), el("th", { text: "now" }), el("th", { text: "" }))));
      const tb = el("tbody", {});
      for (const r of res.data.diff) {
        tb.append(el("tr", {},
          el("td", { class: "path", text: r.path }),
          el("td", { class: "old", text: shown(r.draft) }),
          el("td", { class: "new", text: shown(r.value) }),
          el("td", { text: r.source })));
      }
      table.append(tb);
      body.append(table);
    }
  }
  $("#diff-dialog").showModal();
}
