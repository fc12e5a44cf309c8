// sitrep review page (no framework, no build step; data goes into the page as text, never HTML;
// offsets are Unicode code points, as in Python). Page state, constants and small helpers (DOM building, messages, the JSON API, code points).

export const TOKEN = document.querySelector('meta[name="sitrep-token"]').content;
export const REVIEWER = document.querySelector('meta[name="sitrep-reviewer"]').content;
export const RECORD_KINDS = [
  { list: "events", def: "AttackEvent", label: "Events", one: "event", prefix: "E" },
  { list: "statements", def: "Statement", label: "Statements", one: "statement", prefix: "S" },
];
export const NOT_LEAVES = new Set(["id", "event_type"]);
export const LONG_TEXT = new Set(["text"]);
export const UNKNOWN_VALUES = new Set(["unknown", "unresolved"]); // a rejected field's "empty" default

export const S = {
  defs: {},
  listing: [],
  id: null,
  text: "",
  u16: [0], // code point index -> UTF-16 index
  draft: null,
  draftIndex: new Map(), // draft item path -> draft item
  work: { events: [], statements: [] },
  meta: new WeakMap(), // item -> { uid, origin }
  decisions: new Map(), // leaf key -> "accepted" | "edited" | "rejected"
  prior: new Map(), // leaf key -> source stored in the gold file
  priorByPath: {},
  leaves: new Map(), // leaf key -> leaf descriptor (rebuilt on render)
  rows: new Map(), // leaf key -> row element
  itemPath: new Map(), // item -> final path
  pathKey: new Map(), // final path -> leaf key (or item uid for items)
  focus: null,
  confirmedNames: {}, // name field path -> unknown canonical name the person chose to keep
  collapsed: new Set(), // uids of the records shown collapsed
  onlyUnreviewed: false, // the article list shows only articles without reviewed gold
  undo: [], // snapshots before each action (undo.js)
  redo: [],
  editing: null, // leaf key whose edit is under way (one undo step per field edit)
  ownSave: null, // SHA-256 of the gold file this page saved last (re-saving it needs no confirm)
  goldSha: null,
  goldInfo: null,
  draftInfo: null,
  notes: null,
  dirty: false,
  uidSeq: 0,
  errors: new Map(),
};

export const $ = (sel) => document.querySelector(sel);
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
export function toast(message, ms = 2600) {
  const t = $("#toast");
  t.textContent = message;
  t.classList.add("show");
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove("show"), ms);
}
export function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}
export function newUid() {
  S.uidSeq += 1;
  return "u" + S.uidSeq;
}
export function track(item, origin) {
  S.meta.set(item, { uid: newUid(), origin: origin });
  return item;
}
export function uid(item) {
  return S.meta.get(item).uid;
}
export const SINGULAR = { casualties: "casualty", perpetrators: "perpetrator", targets: "target", weapons: "weapon" };
export function singular(name) {
  return SINGULAR[name] || human(name);
}
export function human(name) {
  return name.replace(/_/g, " ");
}

export async function api(method, url, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.headers["X-Sitrep-Token"] = TOKEN;
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  let data = null;
  try {
    data = await res.json();
  } catch (_) {
    data = { error: res.statusText };
  }
  return { status: res.status, data };
}

export function indexText(text) {
  S.text = text;
  const u16 = [0];
  let at = 0;
  for (const ch of text) {
    at += ch.length;
    u16.push(at);
  }
  S.u16 = u16;
}
export function cpLength() {
  return S.u16.length - 1;
}
export function sliceCp(a, b) {
  return S.text.slice(S.u16[a], S.u16[b]);
}
export function cpCount(s) {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}
