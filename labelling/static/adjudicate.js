// sitrep adjudicate: two labellers' disagreements side by side, each with both evidence spans in
// the article; the adjudicator takes A's value, B's, an edited one, or leaves it unresolved.
import { $, REVIEWER, api, el, toast } from "./state.js";

const A = { id: null, text: "", u16: [0], units: [], decisions: new Map(), focus: 0, sha: null, labellers: {} };

function indexText(text) {
  A.text = text;
  A.u16 = [0];
  let at = 0;
  for (const ch of text) {
    at += ch.length;
    A.u16.push(at);
  }
}
const slice = (a, b) => A.text.slice(A.u16[a], A.u16[b]);
const pct = (x) => (x === null || x === undefined ? "—" : Math.round(x * 100) + "%");
const num = (x) => (x === null || x === undefined ? "—" : x.toFixed(2));

function shown(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== "object")) return v.join(", ") || "—";
  if (v && typeof v === "object" && "id" in v) return v.id + " " + (v.sub_type || v.kind || "") + (v.text ? ": “" + v.text + "”" : "");
  return JSON.stringify(v);
}

function renderAgreement(o) {
  const t = $("#agreement");
  t.replaceChildren();
  const rows = [["", "events F1", "statements F1", "kappa (mean)"]];
  const mean = (s) => {
    const ks = s ? s.fields.map((f) => f.kappa).filter((k) => k !== null) : [];
    return ks.length ? ks.reduce((x, y) => x + y, 0) / ks.length : null;
  };
  const line = (label, s) => [label, s ? pct(s.events_f1) : "—", s ? pct(s.statements_f1) : "—", num(mean(s))];
  rows.push(line("before: A – B", o.before));
  rows.push(line("after: A – gold", o.after.a));
  rows.push(line("after: B – gold", o.after.b));
  rows.forEach((r, i) => t.append(el("tr", { "data-row": String(i) }, ...r.map((c) => el(i ? "td" : "th", { text: c })))));
}

function fillList(o) {
  const sel = $("#article-select");
  const current = sel.value;
  sel.replaceChildren();
  for (const a of o.articles) sel.append(el("option", { value: a.id, text: (a.saved ? "✓ " : "  ") + a.id + " (" + a.disagreements + ")" }));
  if (current) sel.value = current;
  const done = o.articles.filter((a) => a.saved).length;
  $("#progress").textContent = done + " of " + o.articles.length + " adjudicated · A: " + o.labellers.a.join(", ") + " · B: " + o.labellers.b.join(", ");
}

function spansOf(unit) {
  const out = [];
  if (unit && unit.a_evidence && unit.a_evidence.start !== null) out.push({ who: "a", s: unit.a_evidence.start, e: unit.a_evidence.end });
  if (unit && unit.b_evidence && unit.b_evidence.start !== null) out.push({ who: "b", s: unit.b_evidence.start, e: unit.b_evidence.end });
  return out;
}

function renderArticle() {
  const box = $("#article");
  box.replaceChildren();
  const spans = spansOf(A.units[A.focus]);
  const cuts = new Set([0, A.u16.length - 1]);
  for (const s of spans) cuts.add(s.s).add(s.e);
  const bounds = [...cuts].sort((x, y) => x - y);
  let first = null;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [a, b] = [bounds[i], bounds[i + 1]];
    const seg = el("span", { class: "seg", text: slice(a, b) });
    for (const s of spans) if (s.s <= a && s.e >= b) seg.classList.add("span-" + s.who);
    if (!first && seg.classList.length > 1) first = seg;
    box.append(seg);
  }
  if (first) first.scrollIntoView({ block: "center" });
}

function decisionOf(unit) {
  return A.decisions.get(unit.id) || { pick: "unresolved" };
}

function title(unit) {
  const rec = unit.a_record && unit.b_record ? unit.a_record + " (A) = " + unit.b_record + " (B)" : (unit.a_record ? unit.a_record + " only in A" : unit.b_record + " only in B");
  return unit.kind.slice(0, -1) + " " + rec + (unit.attr ? " · " + unit.attr : "");
}

function side(unit, who) {
  const value = who === "a" ? unit.a_value : unit.b_value;
  const ev = who === "a" ? unit.a_evidence : unit.b_evidence;
  const label = (who === "a" ? "A " : "B ") + (A.labellers[who] || "");
  return el("div", { class: "side side-" + who },
    el("div", { class: "who", text: label }),
    el("div", { class: "value", text: unit.attr ? shown(value) : value ? shown(value) : "(no such record)" }),
    el("div", { class: "quote", text: ev ? "“" + ev.quote + "”" : "no evidence" }));
}

function renderUnits() {
  const box = $("#units");
  box.replaceChildren();
  if (!A.units.length) box.append(el("p", { text: "The two labellers agree on this article: save to take it as gold." }));
  A.units.forEach((unit, i) => {
    const d = decisionOf(unit);
    const card = el("article", { class: "record unit" + (i === A.focus ? " current" : ""), "data-unit": unit.id, "data-pick": d.pick, tabindex: "-1" });
    const choose = (pick, value) => { setDecision(i, pick, value); };
    const edit = el("input", { type: "text", class: "edit", "aria-label": "edited value", placeholder: "edited value" });
    if (d.pick === "edit") edit.value = typeof d.value === "string" ? d.value : JSON.stringify(d.value);
    edit.addEventListener("change", () => choose("edit", parseEdit(unit, edit.value)));
    card.append(
      el("header", {}, el("span", { class: "rid", text: title(unit) }), el("span", { class: "badge " + d.pick, text: d.pick === "a" ? "A's" : d.pick === "b" ? "B's" : d.pick })),
      el("div", { class: "sides" }, side(unit, "a"), side(unit, "b")),
      el("div", { class: "choices" },
        el("button", { class: "small", "data-pick": "a", onclick: () => choose("a"), text: "1 · take A's" }),
        el("button", { class: "small", "data-pick": "b", onclick: () => choose("b"), text: "2 · take B's" }),
        unit.attr ? edit : null,
        el("button", { class: "small", "data-pick": "unresolved", onclick: () => choose("unresolved"), text: "u · unresolved" })));
    card.addEventListener("click", () => focusUnit(i));
    box.append(card);
  });
}

// An edited value: a number where A's is one, a list where A's is one (comma-separated), else text.
function parseEdit(unit, raw) {
  const t = raw.trim();
  if (t === "") return null;
  if (typeof unit.a_value === "number" && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (Array.isArray(unit.a_value) && !t.startsWith("[")) return t.split(",").map((s) => s.trim()).filter(Boolean);
  if (/^[[{]/.test(t)) {
    try { return JSON.parse(t); } catch (_) { return t; }
  }
  return t;
}

function setDecision(i, pick, value) {
  A.decisions.set(A.units[i].id, { pick, value: value === undefined ? null : value });
  A.focus = i;
  renderUnits();
  renderArticle();
}

function focusUnit(i) {
  if (i < 0 || i >= A.units.length) return;
  A.focus = i;
  for (const c of document.querySelectorAll(".unit")) c.classList.toggle("current", c.dataset.unit === A.units[i].id);
  const card = document.querySelector('.unit[data-unit="' + CSS.escape(A.units[i].id) + '"]');
  if (card) card.scrollIntoView({ block: "nearest" });
  renderArticle();
}

async function loadArticle(id) {
  const res = await api("GET", "/api/adjudication/" + encodeURIComponent(id));
  if (res.status !== 200) {
    toast("Cannot open " + id + ": " + (res.data.error || res.status));
    return;
  }
  const d = res.data;
  A.id = id;
  A.units = d.units;
  A.sha = d.gold_sha256;
  A.labellers = { a: d.a, b: d.b };
  A.decisions = new Map();
  A.focus = 0;
  indexText(d.text);
  $("#article-select").value = id;
  $("#messages").replaceChildren();
  renderUnits();
  renderArticle();
  document.body.dataset.article = id;
}

async function save() {
  const decisions = {};
  for (const [k, v] of A.decisions) decisions[k] = v;
  const res = await api("POST", "/api/adjudication/" + encodeURIComponent(A.id), { decisions, base_sha256: A.sha });
  const box = $("#messages");
  box.replaceChildren();
  if (res.status !== 200) {
    box.dataset.kind = "refused";
    box.append(el("strong", { text: res.data.error || "error " + res.status }));
    const ul = el("ul", {});
    for (const e of res.data.errors || []) ul.append(el("li", {}, el("code", { text: e.path }), ": " + e.message));
    box.append(ul);
    return;
  }
  delete box.dataset.kind;
  A.sha = res.data.gold_sha256;
  renderAgreement(res.data.overview);
  fillList(res.data.overview);
  toast("Saved " + res.data.path, 4000);
  document.body.dataset.saved = res.data.gold_sha256;
}

function onKey(e) {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
    e.preventDefault();
    save();
    return;
  }
  if (e.target.tagName === "INPUT" || e.target.tagName === "SELECT" || e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = { "1": () => setDecision(A.focus, "a"), "2": () => setDecision(A.focus, "b"), u: () => setDecision(A.focus, "unresolved"),
    j: () => focusUnit(A.focus + 1), k: () => focusUnit(A.focus - 1),
    e: () => { const i = document.querySelector(".unit.current input.edit"); if (i) i.focus(); } };
  if (keys[e.key] && A.units.length) {
    e.preventDefault();
    keys[e.key]();
  }
}

async function init() {
  $("#reviewer").textContent = "adjudicating as " + REVIEWER;
  const res = await api("GET", "/api/adjudication");
  renderAgreement(res.data);
  fillList(res.data);
  document.addEventListener("keydown", onKey);
  $("#article-select").addEventListener("change", (e) => loadArticle(e.target.value));
  $("#btn-save").addEventListener("click", save);
  const first = res.data.articles.find((a) => !a.saved) || res.data.articles[0];
  if (first) await loadArticle(first.id);
  document.body.dataset.ready = "1";
}

init();
