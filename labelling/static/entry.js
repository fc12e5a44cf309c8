// sitrep review page: faster entry. A new statement from the selected words; about_events as a
// pick-list of the article's events; canonical names completed from the gazetteer (served by
// /api/names), with a warning beside a name it does not know.
import { refreshRow, refreshStatus } from "./form.js";
import { leafValue } from "./model.js";
import { $, S, api, el, human } from "./state.js";
import { rememberEdit } from "./undo.js";

const OPENING = "“\"«‘„";
const CLOSING = "”\"»’“";
const ID_OR_INDEX = /^(?:[ES]\d+|\d+|#\d+)$/;

export async function loadNames() {
  const res = await api("GET", "/api/names");
  if (res.status !== 200) return;
  S.nameFields = new Set(res.data.fields);
  S.names = new Set(res.data.actors.map((a) => a.canonical));
  const list = $("#actor-names");
  list.replaceChildren();
  for (const a of res.data.actors) list.append(el("option", { value: a.canonical, label: a.forms.slice(0, 4).join(", ") }));
}

function generic(path) {
  return path.split(".").map((p) => (ID_OR_INDEX.test(p) ? "*" : p)).join(".");
}

export function isNameField(leaf) {
  return Boolean(S.nameFields && S.nameFields.has(generic(leaf.path)));
}

// The warning beside a canonical-name field holding a name the gazetteer does not know.
export function decorateName(row, leaf) {
  if (!isNameField(leaf)) return;
  const v = leafValue(leaf);
  const unknown = (Array.isArray(v) ? v : v ? [v] : []).filter((n) => !S.names.has(n));
  row.classList.toggle("unknown-name", unknown.length > 0);
  let note = row.querySelector(".name-note");
  if (!unknown.length) {
    if (note) note.remove();
    return;
  }
  if (!note) {
    note = el("span", { class: "name-note" });
    row.append(note);
  }
  note.textContent = "⚠ not in the gazetteer: " + unknown.join(", ");
}

// about_events: a check box per event of the article (and any id that names no event, to untick).
export function aboutEventsControl(leaf) {
  const box = el("div", { class: "picklist", role: "group", "aria-label": leaf.path });
  const chosen = new Set(leafValue(leaf) || []);
  const ids = S.work.events.map((e) => e.id);
  for (const id of chosen) if (!ids.includes(id)) ids.push(id);
  for (const id of ids) {
    const ev = S.work.events.find((e) => e.id === id);
    const what = ev ? [ev.sub_type, ev.location && (ev.location.place || ev.location.admin1)].filter(Boolean).map(human).join(" · ") : "no such event";
    const input = el("input", { type: "checkbox", value: id });
    input.checked = chosen.has(id);
    input.addEventListener("change", () => {
      rememberEdit(leaf.key, "edit " + leaf.path);
      const now = [...box.querySelectorAll("input:checked")].map((i) => i.value);
      leaf.obj[leaf.name] = now;
      S.decisions.set(leaf.key, "edited");
      S.dirty = true;
      refreshRow(leaf.key);
      refreshStatus();
    });
    box.append(el("label", { class: ev ? "" : "stale", title: what }, input, " " + id + (what ? " · " + what : "")));
  }
  if (!ids.length) box.append(el("span", { class: "hint", text: "no events in this article" }));
  return box;
}

// A new statement's fields taken from the selected words: text, evidence, and quote when the
// article puts the words in quotation marks, else paraphrase.
export function statementFromSelection(sel) {
  let { start, end } = sel;
  let text = sel.quote;
  const before = start > 0 ? S.text.slice(S.u16[start - 1], S.u16[start]) : "";
  const after = S.text.slice(S.u16[end], S.u16[end + 1] || S.u16[end]);
  const inner = OPENING.includes(text[0]) && CLOSING.includes(text[text.length - 1]);
  if (inner) text = text.slice(1, -1).trim();
  const quoted = inner || (OPENING.includes(before) && /^[”"»’,.]/.test(after));
  const evidence = { quote: sel.quote, start, end, alignment: null, score: null };
  return { text: text.replace(/[,.]$/, ""), evidence, text_type: quoted ? "quote" : "paraphrase" };
}
