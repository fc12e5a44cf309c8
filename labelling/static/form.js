// sitrep review page: The form pane: records, fields and controls generated from the schema.
import { remember, rememberEdit } from "./undo.js";
import { accept, acceptRecord, addItem, addRecord, move, reject, removeItem, removeRecord, setEvidenceFromSelection, setFocus, structural } from "./actions.js";
import { renderArticle } from "./article.js";
import { confidenceChip, decorate } from "./confidence.js";
import { aboutEventsControl, decorateName, isNameField } from "./entry.js";
import { defaults, deref, indexWork, isObject, isObjectList, leafState, leafValue, recordOf, unwrap } from "./model.js";
import { $, LONG_TEXT, NOT_LEAVES, RECORD_KINDS, S, el, human, singular, uid } from "./state.js";

export function render() {
  indexWork();
  const form = $("#form");
  const scroll = $("#form-pane").scrollTop;
  form.replaceChildren();
  S.rows = new Map();
  for (const k of RECORD_KINDS) {
    const group = el("section", { class: "group", "data-list": k.list });
    const head = el("h2", {}, k.label + " (" + S.work[k.list].length + ")");
    head.append(el("button", { class: "small", title: "Add " + k.one + " (" + (k.one === "event" ? "E" : "S") + ")", onclick: () => addRecord(k), text: "+ add " + k.one }));
    group.append(head);
    S.work[k.list].forEach((rec, i) => group.append(renderRecord(k, rec, i)));
    form.append(group);
  }
  const notes = el("textarea", { id: "notes", rows: 2, "aria-label": "Notes on this article", placeholder: "Notes for other labellers (optional)" });
  notes.value = S.notes || "";
  notes.addEventListener("input", () => {
    rememberEdit("notes", "edit the notes");
    S.notes = notes.value.trim() ? notes.value : null;
    S.dirty = true;
    refreshStatus();
  });
  form.append(el("section", { class: "group notes" }, el("h2", { text: "Notes" }), notes));
  $("#form-pane").scrollTop = scroll;
  renderArticle();
  refreshStates();
  if (S.focus && S.rows.has(S.focus)) S.rows.get(S.focus).classList.add("focused");
  else S.focus = null;
}

export function recordSummary(k, rec) {
  if (k.list === "events") {
    const where = rec.location ? rec.location.place || rec.location.admin1 || rec.location.country : null;
    return [rec.sub_type, rec.standing, where].filter(Boolean).map(human).join(" · ");
  }
  return [rec.kind, rec.speaker || rec.organisation].filter(Boolean).map(human).join(" · ");
}

export function renderRecord(k, rec, i) {
  const collapsed = S.collapsed.has(uid(rec));
  const card = el("article", { class: "record " + k.one + (collapsed ? " collapsed" : ""), "data-uid": uid(rec), "data-path": k.list + "." + rec.id });
  const summary = el("span", { class: "summary", text: recordSummary(k, rec) });
  const head = el("header", {},
    el("button", { class: "small toggle", title: "Collapse / expand (c)", "aria-expanded": String(!collapsed), onclick: () => toggleCollapsed(rec), text: collapsed ? "▸" : "▾" }),
    el("span", { class: "rid", text: rec.id }),
    summary,
    el("span", { class: "checked", title: "Fields accepted, edited, rejected or added, of all its fields" }),
    el("button", { class: "small ok", title: "Accept the untouched fields of this record (e)", onclick: () => acceptRecord(rec), text: "✓ accept record" }),
    el("button", { class: "small", title: "Move up ([)", onclick: () => move(S.work[k.list], i, -1), text: "↑" }),
    el("button", { class: "small", title: "Move down (])", onclick: () => move(S.work[k.list], i, 1), text: "↓" }),
    el("button", { class: "small bad", title: "Reject: remove this record (X)", onclick: () => removeRecord(rec), text: "✗ reject" }),
  );
  const body = el("div", { class: "body" });
  renderFields(body, rec, S.defs[k.def], rec, "");
  card.append(head, body);
  card.addEventListener("input", () => { summary.textContent = recordSummary(k, rec); });
  return card;
}

export function renderFields(container, obj, def, owner, prefix) {
  for (const [name, prop] of Object.entries(def.properties)) {
    if (NOT_LEAVES.has(name)) continue;
    const rel = prefix ? prefix + "." + name : name;
    const { node, nullable } = unwrap(prop);
    const value = obj[name];
    const key = uid(owner) + ":" + rel;
    if (name === "evidence") {
      container.append(renderEvidenceRow(S.leaves.get(key)));
    } else if (isObject(node) && value !== null && value !== undefined) {
      const legend = el("legend", { text: human(name) });
      if (nullable) legend.append(el("button", { class: "small bad", title: "Remove " + human(name), onclick: () => { remember("remove " + human(name)); obj[name] = null; structural(key); }, text: "✗" }));
      const fs = el("fieldset", {}, legend);
      renderFields(fs, value, node, owner, rel);
      container.append(fs);
    } else if (isObject(node)) {
      const leaf = S.leaves.get(key);
      const row = fieldRow(leaf, el("button", { class: "small", onclick: () => { remember("add " + human(name)); obj[name] = defaults(node); structural(key); }, text: "+ add " + human(name) }));
      container.append(row);
    } else if (isObjectList(node)) {
      const itemDef = deref(node.items);
      const list = value || (obj[name] = []);
      const fs = el("fieldset", { class: "list", "data-list": rel },
        el("legend", { text: human(name) + " (" + list.length + ")" }));
      list.forEach((item, i) => {
        const box = el("div", { class: "item", "data-uid": uid(item) });
        box.append(el("div", { class: "item-head" },
          el("span", { text: human(name) + " " + (i + 1) }),
          el("button", { class: "small", title: "Move up ([)", onclick: () => move(list, i, -1), text: "↑" }),
          el("button", { class: "small", title: "Move down (])", onclick: () => move(list, i, 1), text: "↓" }),
          el("button", { class: "small bad", title: "Remove (Delete)", onclick: () => removeItem(list, i), text: "✗" }),
        ));
        renderFields(box, item, itemDef, item, "");
        fs.append(box);
      });
      fs.append(el("button", { class: "small", title: "Add (i)", onclick: () => addItem(list, itemDef), text: "+ add " + singular(name) }));
      container.append(fs);
    } else {
      container.append(fieldRow(S.leaves.get(key), control(S.leaves.get(key))));
    }
  }
}

export function fieldRow(leaf, ctl) {
  const row = el("div", { class: "field", tabindex: "-1", "data-key": leaf.key, "data-path": leaf.path, "data-kind": leaf.kind });
  const label = el("label", { text: human(leaf.name), title: leaf.prop.description || leaf.path });
  const badge = el("span", { class: "badge" });
  const actions = el("span", { class: "actions" },
    el("button", { class: "small ok", title: "Accept (a)", onclick: (e) => { e.stopPropagation(); setFocus(leaf.key); accept(leaf.key); }, text: "✓" }),
    el("button", { class: "small bad", title: "Reject: clear (x)", onclick: (e) => { e.stopPropagation(); setFocus(leaf.key); reject(leaf.key); }, text: "✗" }),
  );
  row.append(label, ctl, badge, actions);
  row.addEventListener("click", () => setFocus(leaf.key, { show: true }));
  row.addEventListener("focusin", () => { if (S.focus !== leaf.key) setFocus(leaf.key, { show: false }); });
  S.rows.set(leaf.key, row);
  return row;
}

export function control(leaf) {
  const v = leafValue(leaf);
  let ctl;
  if (leaf.name === "about_events") return aboutEventsControl(leaf);
  if (leaf.kind === "enum") {
    ctl = el("select", {});
    if (leaf.nullable) ctl.append(el("option", { value: "", text: "—" }));
    else if (v === null || v === undefined) ctl.append(el("option", { value: "", text: "— choose —", disabled: true }));
    for (const opt of leaf.node.enum) ctl.append(el("option", { value: opt, text: human(opt) }));
    ctl.value = v === null || v === undefined ? "" : v;
  } else if (leaf.kind === "integer" || leaf.kind === "number") {
    ctl = el("input", { type: "number", min: leaf.node.minimum, step: leaf.kind === "integer" ? 1 : "any" });
    ctl.value = v === null || v === undefined ? "" : String(v);
  } else if (leaf.kind === "date") {
    ctl = el("input", { type: "date" });
    ctl.value = v || "";
  } else if (leaf.kind === "strings") {
    ctl = el("input", { type: "text", placeholder: "comma-separated" });
    ctl.value = (v || []).join(", ");
  } else if (LONG_TEXT.has(leaf.name)) {
    ctl = el("textarea", { rows: 3 });
    ctl.value = v || "";
  } else {
    ctl = el("input", { type: "text" });
    ctl.value = v === null || v === undefined ? "" : v;
  }
  if (leaf.kind === "string" && isNameField(leaf)) ctl.setAttribute("list", "actor-names");
  ctl.setAttribute("aria-label", leaf.path);
  const onChange = () => {
    rememberEdit(leaf.key, "edit " + leaf.path);
    leaf.obj[leaf.name] = parseControl(leaf, ctl.value);
    S.decisions.set(leaf.key, "edited"); // a value the person set, even back to the draft's, is checked
    S.dirty = true;
    S.errors.delete(leaf.key);
    refreshRow(leaf.key);
    refreshStatus();
  };
  ctl.addEventListener("input", onChange);
  ctl.addEventListener("change", onChange);
  return ctl;
}

export function parseControl(leaf, raw) {
  const text = raw.trim();
  if (leaf.kind === "strings") return text ? text.split(",").map((s) => s.trim()).filter(Boolean) : [];
  if (text === "") {
    if (leaf.nullable) return null;
    return leaf.kind === "string" ? "" : null;
  }
  if (leaf.kind === "integer") return /^-?\d+$/.test(text) ? Number(text) : text;
  if (leaf.kind === "number") return Number.isFinite(Number(text)) ? Number(text) : text;
  return leaf.kind === "string" ? raw : text;
}

export function renderEvidenceRow(leaf) {
  const ev = leafValue(leaf);
  const box = el("div", { class: "evidence" + (ev ? "" : " none") });
  if (!ev) box.textContent = "no evidence";
  else {
    box.append(el("span", { class: "quote", text: "“" + ev.quote + "”" }));
    if (ev.start === null || ev.start === undefined) box.append(el("span", { class: "lost", text: "not found in the article: select the right words and press s" }));
    else box.append(el("span", { class: "where", text: "[" + ev.start + "–" + ev.end + "]" }));
  }
  box.append(confidenceChip());
  const row = fieldRow(leaf, box);
  const actions = row.querySelector(".actions");
  actions.prepend(
    el("button", { class: "small", title: "Show in the article (g)", onclick: (e) => { e.stopPropagation(); setFocus(leaf.key, { show: true }); }, text: "show" }),
    el("button", { class: "small", title: "Use the selected article text (s)", onmousedown: (e) => e.preventDefault(), onclick: (e) => { e.stopPropagation(); setFocus(leaf.key); setEvidenceFromSelection(); }, text: "⇤ selection" }),
  );
  return row;
}

export function refreshRow(key) {
  const leaf = S.leaves.get(key);
  const row = S.rows.get(key);
  if (!leaf || !row) return;
  const state = leafState(leaf);
  decorate(row, leaf);
  decorateName(row, leaf);
  const badge = row.querySelector(".badge");
  badge.className = "badge " + state;
  badge.textContent = state;
  row.dataset.state = state;
  const msg = S.errors.get(key);
  row.classList.toggle("invalid", Boolean(msg));
  row.title = msg || "";
}

export function refreshStates() {
  for (const key of S.rows.keys()) refreshRow(key);
  refreshStatus();
}

export function counts() {
  const out = { untouched: 0, accepted: 0, edited: 0, rejected: 0, added: 0 };
  for (const leaf of S.leaves.values()) out[leafState(leaf)] += 1;
  return out;
}

export function refreshStatus() {
  const pill = $("#status");
  pill.className = "pill";
  if (S.dirty) {
    pill.textContent = "unsaved changes";
    pill.classList.add("dirty");
  } else if (S.goldInfo) {
    pill.textContent = "reviewed by " + S.goldInfo.labeller + " on " + S.goldInfo.labelled_at;
    pill.classList.add("reviewed");
  } else {
    pill.textContent = S.draftInfo ? "draft" : "new";
  }
  refreshChecked();
  const c = counts();
  $("#counts").textContent = Object.entries(c).filter(([, n]) => n).map(([k, n]) => n + " " + k).join(" · ");
}

// "12/15 checked" in each record's header: its fields that are no longer untouched.
export function refreshChecked() {
  const tally = new Map();
  for (const leaf of S.leaves.values()) {
    const rec = recordOf(leaf.owner);
    if (!rec) continue;
    const t = tally.get(rec) || { done: 0, all: 0 };
    t.all += 1;
    if (leafState(leaf) !== "untouched") t.done += 1;
    tally.set(rec, t);
  }
  for (const [rec, t] of tally) {
    const card = document.querySelector('.record[data-uid="' + uid(rec) + '"]');
    const out = card && card.querySelector(":scope > header .checked");
    if (!out) continue;
    out.textContent = t.done + "/" + t.all + " checked";
    card.classList.toggle("all-checked", t.done === t.all);
  }
}

export function toggleCollapsed(rec) {
  const id = uid(rec);
  if (S.collapsed.has(id)) S.collapsed.delete(id);
  else S.collapsed.add(id);
  const card = document.querySelector('.record[data-uid="' + id + '"]');
  if (!card) return;
  const collapsed = S.collapsed.has(id);
  card.classList.toggle("collapsed", collapsed);
  const toggle = card.querySelector(":scope > header .toggle");
  toggle.textContent = collapsed ? "▸" : "▾";
  toggle.setAttribute("aria-expanded", String(!collapsed));
}
