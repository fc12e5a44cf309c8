// sitrep review page: article with evidence highlighted, beside a form generated from the schema.
// No framework and no build step. Data is only ever put into the page with textContent and
// DOM construction, never innerHTML. Offsets are Unicode code points, as in Python.
"use strict";

(() => {
  const TOKEN = document.querySelector('meta[name="sitrep-token"]').content;
  const REVIEWER = document.querySelector('meta[name="sitrep-reviewer"]').content;
  const RECORD_KINDS = [
    { list: "events", def: "AttackEvent", label: "Events", one: "event", prefix: "E" },
    { list: "statements", def: "Statement", label: "Statements", one: "statement", prefix: "S" },
  ];
  const NOT_LEAVES = new Set(["id", "event_type"]);
  const LONG_TEXT = new Set(["text"]);

  const S = {
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
    selection: null,
    goldSha: null,
    goldInfo: null,
    draftInfo: null,
    notes: null,
    dirty: false,
    uidSeq: 0,
    errors: new Map(),
  };

  // ---------------------------------------------------------------- small helpers
  const $ = (sel) => document.querySelector(sel);
  function el(tag, attrs, ...children) {
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
  function toast(message, ms = 2600) {
    const t = $("#toast");
    t.textContent = message;
    t.classList.add("show");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => t.classList.remove("show"), ms);
  }
  function clone(v) {
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  }
  function newUid() {
    S.uidSeq += 1;
    return "u" + S.uidSeq;
  }
  function track(item, origin) {
    S.meta.set(item, { uid: newUid(), origin: origin });
    return item;
  }
  function uid(item) {
    return S.meta.get(item).uid;
  }
  const SINGULAR = { casualties: "casualty", perpetrators: "perpetrator", targets: "target", weapons: "weapon" };
  function singular(name) {
    return SINGULAR[name] || human(name);
  }
  function human(name) {
    return name.replace(/_/g, " ");
  }

  async function api(method, url, body) {
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

  // ---------------------------------------------------------------- code points
  function indexText(text) {
    S.text = text;
    const u16 = [0];
    let at = 0;
    for (const ch of text) {
      at += ch.length;
      u16.push(at);
    }
    S.u16 = u16;
  }
  function cpLength() {
    return S.u16.length - 1;
  }
  function sliceCp(a, b) {
    return S.text.slice(S.u16[a], S.u16[b]);
  }
  function cpCount(s) {
    let n = 0;
    for (const _ of s) n += 1;
    return n;
  }

  // ---------------------------------------------------------------- schema
  function deref(node) {
    if (node && node.$ref) return S.defs[node.$ref.split("/").pop()];
    return node;
  }
  function unwrap(prop) {
    let node = prop;
    let nullable = false;
    if (prop.anyOf) {
      const alts = prop.anyOf.filter((a) => a.type !== "null");
      nullable = alts.length < prop.anyOf.length;
      node = alts[0];
    }
    return { node: deref(node), nullable };
  }
  function isObject(node) {
    return Boolean(node && node.properties);
  }
  function isObjectList(node) {
    return node && node.type === "array" && isObject(deref(node.items));
  }
  function defaults(def) {
    const out = {};
    const required = new Set(def.required || []);
    for (const [name, prop] of Object.entries(def.properties)) {
      const { node, nullable } = unwrap(prop);
      if ("default" in prop) out[name] = clone(prop.default);
      else if (node.type === "array") out[name] = [];
      else if (isObject(node) && !nullable) out[name] = defaults(node);
      else if (required.has(name) && node.enum) out[name] = node.enum[0];
      else if (required.has(name) && node.type === "string") out[name] = "";
      else out[name] = null;
    }
    return out;
  }

  // ---------------------------------------------------------------- walking records
  // A leaf: { key, owner, rel, obj, name, prop, node, nullable, kind, parentDef }
  function walkObject(obj, def, owner, prefix, onLeaf, onItem) {
    for (const [name, prop] of Object.entries(def.properties)) {
      if (NOT_LEAVES.has(name)) continue;
      const rel = prefix ? prefix + "." + name : name;
      const { node, nullable } = unwrap(prop);
      const value = obj[name];
      const leaf = { owner, rel, obj, name, prop, node, nullable, parentDef: def };
      if (name === "evidence") {
        onLeaf(Object.assign(leaf, { kind: "evidence" }));
      } else if (isObject(node)) {
        if (value === null || value === undefined) onLeaf(Object.assign(leaf, { kind: "object-null" }));
        else walkObject(value, node, owner, rel, onLeaf, onItem);
      } else if (isObjectList(node)) {
        const itemDef = deref(node.items);
        (value || []).forEach((item, i) => {
          if (onItem) onItem(item, owner, rel, i, itemDef);
          walkObject(item, itemDef, item, "", onLeaf, onItem);
        });
      } else {
        onLeaf(Object.assign(leaf, { kind: node.enum ? "enum" : node.type === "array" ? "strings" : node.format === "date" ? "date" : node.type }));
      }
    }
  }
  function walkAll(records, onLeaf, onItem) {
    for (const k of RECORD_KINDS) {
      for (const rec of records[k.list] || []) {
        if (onItem) onItem(rec, null, k.list, rec.id, S.defs[k.def]);
        walkObject(rec, S.defs[k.def], rec, "", onLeaf, onItem);
      }
    }
  }
  function itemPaths(records, getPath, setPath) {
    walkAll(records, () => {}, (item, owner, rel, idx) => {
      const path = owner === null ? rel + "." + idx : getPath(owner) + "." + rel + "." + idx;
      setPath(item, path);
    });
  }
  function indexWork() {
    S.itemPath = new Map();
    S.itemDef = new Map();
    walkAll(S.work, () => {}, (item, owner, rel, idx, def) => {
      const path = owner === null ? rel + "." + idx : S.itemPath.get(owner) + "." + rel + "." + idx;
      S.itemPath.set(item, path);
      S.itemDef.set(item, def);
    });
    S.leaves = new Map();
    S.pathKey = new Map();
    for (const [item, path] of S.itemPath) S.pathKey.set(path, "item:" + uid(item));
    walkAll(S.work, (leaf) => {
      leaf.key = uid(leaf.owner) + ":" + leaf.rel;
      leaf.path = S.itemPath.get(leaf.owner) + "." + leaf.rel;
      S.leaves.set(leaf.key, leaf);
      S.pathKey.set(leaf.path, leaf.key);
    });
  }
  function getRel(obj, rel) {
    let cur = obj;
    for (const part of rel.split(".")) {
      if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
      cur = cur[part];
    }
    return cur;
  }
  function leafValue(leaf) {
    return leaf.obj[leaf.name];
  }
  function comparable(leaf, v) {
    if (v === undefined) return "<absent>";
    if (leaf.kind === "evidence") return JSON.stringify(v ? [v.quote, v.start, v.end] : null);
    return JSON.stringify(v === undefined ? null : v);
  }
  function draftValue(leaf) {
    const origin = S.meta.get(leaf.owner).origin;
    const item = origin ? S.draftIndex.get(origin) : undefined;
    if (!item) return { has: false };
    return { has: true, value: getRel(item, leaf.rel) };
  }
  function leafState(leaf) {
    const dec = S.decisions.get(leaf.key);
    const dv = draftValue(leaf);
    if (!dv.has) return dec === "rejected" ? "rejected" : "added";
    const same = comparable(leaf, leafValue(leaf)) === comparable(leaf, dv.value);
    if (!same) return dec === "rejected" ? "rejected" : "edited";
    if (dec) return dec === "rejected" ? "rejected" : "accepted";
    return S.prior.get(leaf.key) === "confirmed" ? "accepted" : "untouched";
  }
  function evidenceLeafOf(leaf) {
    if (!leaf) return null;
    if (leaf.kind === "evidence") return leaf;
    const prefix = leaf.rel.includes(".") ? leaf.rel.slice(0, leaf.rel.lastIndexOf(".")) + "." : "";
    return S.leaves.get(uid(leaf.owner) + ":" + prefix + "evidence") || null;
  }
  function recordOf(item) {
    let cur = item;
    for (;;) {
      const path = S.itemPath.get(cur);
      if (!path) return null;
      const parts = path.split(".");
      if (parts.length === 2) return cur;
      const parentPath = parts.slice(0, 2).join(".");
      for (const [it, p] of S.itemPath) if (p === parentPath) return it;
      return null;
    }
  }

  // ---------------------------------------------------------------- loading
  async function loadListing() {
    const res = await api("GET", "/api/articles");
    S.listing = res.data.articles || [];
    const sel = $("#article-select");
    sel.replaceChildren();
    for (const a of S.listing) {
      const mark = a.gold ? "✓ " : a.draft ? "· " : "  ";
      sel.append(el("option", { value: a.id, text: mark + a.id }));
    }
  }

  function buildWork(records, origins) {
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

  async function loadArticle(id, force) {
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
    S.errors = new Map();
    S.focus = null;
    S.selection = null;
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

  function renderMeta(d) {
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
    if (d.notes) bits.push("notes: " + d.notes);
    box.append(el("span", { text: bits.join(" · ") }));
  }

  // ---------------------------------------------------------------- rendering: article
  function evidenceSpans() {
    const spans = [];
    for (const leaf of S.leaves.values()) {
      if (leaf.kind !== "evidence") continue;
      const ev = leafValue(leaf);
      if (!ev || ev.start === null || ev.end === null || ev.end <= ev.start) continue;
      const rec = recordOf(leaf.owner);
      const kind = rec && S.work.statements.includes(rec) ? "statement" : "event";
      spans.push({ key: leaf.key, start: ev.start, end: Math.min(ev.end, cpLength()), kind });
    }
    return spans;
  }

  function renderArticle() {
    const box = $("#article");
    box.replaceChildren();
    const spans = evidenceSpans();
    const cuts = new Set([0, cpLength()]);
    for (const s of spans) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
    const bounds = [...cuts].filter((c) => c >= 0 && c <= cpLength()).sort((a, b) => a - b);
    S.segments = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const a = bounds[i];
      const b = bounds[i + 1];
      const covering = spans.filter((s) => s.start <= a && s.end >= b).sort((x, y) => x.end - x.start - (y.end - y.start));
      const seg = el("span", { class: "seg", "data-s": a, "data-e": b });
      seg.textContent = sliceCp(a, b);
      if (covering.length) {
        seg.classList.add("ev", covering[0].kind);
        if (covering.length > 1) seg.classList.add("deep");
      }
      S.segments.push({ el: seg, start: a, end: b, keys: covering.map((c) => c.key) });
      box.append(seg);
    }
    markFocusedSpan(false);
  }

  function markFocusedSpan(scroll) {
    const ev = evidenceLeafOf(S.leaves.get(S.focus));
    const value = ev ? leafValue(ev) : null;
    let first = null;
    for (const seg of S.segments || []) {
      const on = Boolean(value && value.start !== null && seg.start >= value.start && seg.end <= value.end);
      seg.el.classList.toggle("focus", on);
      seg.el.classList.remove("flash");
      if (on && !first) first = seg.el;
    }
    if (scroll && first) {
      const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      first.scrollIntoView({ block: "center", behavior: calm ? "auto" : "smooth" });
      for (const seg of S.segments) {
        if (seg.el.classList.contains("focus")) {
          void seg.el.offsetWidth; // restart the animation
          seg.el.classList.add("flash");
        }
      }
    }
    return Boolean(first);
  }

  function pointToCp(node, offset) {
    const box = $("#article");
    if (node === box) {
      const child = box.childNodes[offset];
      return child ? Number(child.dataset.s) : cpLength();
    }
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement;
      if (!seg || !seg.classList.contains("seg")) return null;
      return Number(seg.dataset.s) + cpCount(node.data.slice(0, offset));
    }
    if (node.classList && node.classList.contains("seg")) {
      return offset === 0 ? Number(node.dataset.s) : Number(node.dataset.e);
    }
    return null;
  }

  function readSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const box = $("#article");
    if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return null;
    let start = pointToCp(range.startContainer, range.startOffset);
    let end = pointToCp(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    if (start > end) [start, end] = [end, start];
    while (start < end && /\s/.test(sliceCp(start, start + 1))) start += 1;
    while (end > start && /\s/.test(sliceCp(end - 1, end))) end -= 1;
    if (end <= start) return null;
    return { start, end, quote: sliceCp(start, end) };
  }

  // ---------------------------------------------------------------- rendering: form
  function render() {
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

  function recordSummary(k, rec) {
    if (k.list === "events") {
      const where = rec.location ? rec.location.place || rec.location.admin1 || rec.location.country : null;
      return [rec.sub_type, rec.standing, where].filter(Boolean).map(human).join(" · ");
    }
    return [rec.kind, rec.speaker || rec.organisation].filter(Boolean).map(human).join(" · ");
  }

  function renderRecord(k, rec, i) {
    const card = el("article", { class: "record " + k.one, "data-uid": uid(rec), "data-path": k.list + "." + rec.id });
    const summary = el("span", { class: "summary", text: recordSummary(k, rec) });
    const head = el("header", {},
      el("span", { class: "rid", text: rec.id }),
      summary,
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

  function renderFields(container, obj, def, owner, prefix) {
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
        if (nullable) legend.append(el("button", { class: "small bad", title: "Remove " + human(name), onclick: () => { obj[name] = null; structural(key); }, text: "✗" }));
        const fs = el("fieldset", {}, legend);
        renderFields(fs, value, node, owner, rel);
        container.append(fs);
      } else if (isObject(node)) {
        const leaf = S.leaves.get(key);
        const row = fieldRow(leaf, el("button", { class: "small", onclick: () => { obj[name] = defaults(node); structural(key); }, text: "+ add " + human(name) }));
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

  function fieldRow(leaf, ctl) {
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

  function control(leaf) {
    const v = leafValue(leaf);
    let ctl;
    if (leaf.kind === "enum") {
      ctl = el("select", {});
      if (leaf.nullable) ctl.append(el("option", { value: "", text: "—" }));
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
    ctl.setAttribute("aria-label", leaf.path);
    const onChange = () => {
      leaf.obj[leaf.name] = parseControl(leaf, ctl.value);
      S.dirty = true;
      S.errors.delete(leaf.key);
      refreshRow(leaf.key);
      refreshStatus();
    };
    ctl.addEventListener("input", onChange);
    ctl.addEventListener("change", onChange);
    return ctl;
  }

  function parseControl(leaf, raw) {
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

  function renderEvidenceRow(leaf) {
    const ev = leafValue(leaf);
    const box = el("div", { class: "evidence" + (ev ? "" : " none") });
    if (!ev) box.textContent = "no evidence";
    else {
      box.append(el("span", { class: "quote", text: "“" + ev.quote + "”" }));
      if (ev.start === null || ev.start === undefined) box.append(el("span", { class: "lost", text: "not found in the article: select the right words and press s" }));
      else box.append(el("span", { class: "where", text: "[" + ev.start + "–" + ev.end + "]" }));
    }
    const row = fieldRow(leaf, box);
    const actions = row.querySelector(".actions");
    actions.prepend(
      el("button", { class: "small", title: "Show in the article (g)", onclick: (e) => { e.stopPropagation(); setFocus(leaf.key, { show: true }); }, text: "show" }),
      el("button", { class: "small", title: "Use the selected article text (s)", onclick: (e) => { e.stopPropagation(); setFocus(leaf.key); setEvidenceFromSelection(); }, text: "⇤ selection" }),
    );
    return row;
  }

  function refreshRow(key) {
    const leaf = S.leaves.get(key);
    const row = S.rows.get(key);
    if (!leaf || !row) return;
    const state = leafState(leaf);
    const badge = row.querySelector(".badge");
    badge.className = "badge " + state;
    badge.textContent = state;
    row.dataset.state = state;
    const msg = S.errors.get(key);
    row.classList.toggle("invalid", Boolean(msg));
    row.title = msg || "";
  }

  function refreshStates() {
    for (const key of S.rows.keys()) refreshRow(key);
    refreshStatus();
  }

  function counts() {
    const out = { untouched: 0, accepted: 0, edited: 0, rejected: 0, added: 0 };
    for (const leaf of S.leaves.values()) out[leafState(leaf)] += 1;
    return out;
  }

  function refreshStatus() {
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
    const c = counts();
    $("#counts").textContent = Object.entries(c).filter(([, n]) => n).map(([k, n]) => n + " " + k).join(" · ");
  }

  // ---------------------------------------------------------------- focus
  function setFocus(key, opts) {
    const o = Object.assign({ show: false, scrollForm: false }, opts || {});
    if (S.focus && S.rows.has(S.focus)) S.rows.get(S.focus).classList.remove("focused");
    for (const card of document.querySelectorAll(".record.current")) card.classList.remove("current");
    S.focus = key;
    const row = S.rows.get(key);
    if (row) {
      row.classList.add("focused");
      const card = row.closest(".record");
      if (card) card.classList.add("current");
      if (o.scrollForm) row.scrollIntoView({ block: "nearest" });
    }
    const shown = markFocusedSpan(o.show);
    if (o.show && !shown) {
      const ev = evidenceLeafOf(S.leaves.get(key));
      toast(ev && leafValue(ev) ? "This evidence is not located in the article" : "This field has no evidence yet: select words and press s");
    }
  }

  function orderedKeys() {
    return [...document.querySelectorAll("#form .field")].map((r) => r.dataset.key);
  }

  function moveFocus(delta) {
    const keys = orderedKeys();
    if (!keys.length) return;
    let i = keys.indexOf(S.focus);
    i = i < 0 ? 0 : Math.max(0, Math.min(keys.length - 1, i + delta));
    setFocus(keys[i], { show: true, scrollForm: true });
    S.rows.get(keys[i]).focus({ preventScroll: true });
  }

  function moveRecordFocus(delta) {
    const cards = [...document.querySelectorAll("#form .record")];
    if (!cards.length) return;
    const current = S.focus && S.rows.get(S.focus) ? S.rows.get(S.focus).closest(".record") : null;
    let i = cards.indexOf(current);
    i = i < 0 ? 0 : Math.max(0, Math.min(cards.length - 1, i + delta));
    const row = cards[i].querySelector(".field");
    if (row) {
      setFocus(row.dataset.key, { show: true, scrollForm: true });
      row.focus({ preventScroll: true });
    }
  }

  // ---------------------------------------------------------------- actions
  function focusedLeaf() {
    return S.focus ? S.leaves.get(S.focus) : null;
  }

  function accept(key) {
    const leaf = S.leaves.get(key);
    if (!leaf) return;
    const state = leafState(leaf);
    S.decisions.set(key, state === "edited" || state === "added" ? "edited" : "accepted");
    S.dirty = true;
    refreshRow(key);
    refreshStatus();
  }

  function reject(key) {
    const leaf = S.leaves.get(key);
    if (!leaf) return;
    let empty;
    if (leaf.kind === "strings") empty = [];
    else if (leaf.nullable) empty = null;
    else if ("default" in leaf.prop) empty = clone(leaf.prop.default);
    else {
      const rec = recordOf(leaf.owner);
      toast(human(leaf.name) + " is required: edit it, or reject the whole " + (rec === leaf.owner ? "record (X)" : "item (Delete)"));
      return;
    }
    leaf.obj[leaf.name] = empty;
    S.decisions.set(key, "rejected");
    structural(key);
  }

  function acceptAllUntouched(within) {
    let n = 0;
    for (const leaf of S.leaves.values()) {
      if (within && recordOf(leaf.owner) !== within) continue;
      if (leafState(leaf) === "untouched") {
        S.decisions.set(leaf.key, "accepted");
        n += 1;
      }
    }
    if (n) S.dirty = true;
    refreshStates();
    toast("Accepted " + n + " untouched field" + (n === 1 ? "" : "s"));
  }

  function acceptRecord(rec) {
    acceptAllUntouched(rec);
  }

  function structural(focusKey) {
    S.dirty = true;
    render();
    if (focusKey && S.rows.has(focusKey)) setFocus(focusKey);
  }

  function nextId(k) {
    let max = 0;
    for (const r of S.work[k.list]) {
      const m = /^[ES](\d+)$/.exec(r.id);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return k.prefix + (max + 1);
  }

  function addRecord(k) {
    const rec = defaults(S.defs[k.def]);
    rec.id = nextId(k);
    if (k.list === "events") rec.event_type = null;
    track(rec, null);
    S.work[k.list].push(rec);
    structural(null);
    const row = [...document.querySelectorAll('.record[data-uid="' + uid(rec) + '"] .field')][0];
    if (row) {
      setFocus(row.dataset.key, { scrollForm: true });
      row.focus({ preventScroll: true });
    }
    toast("Added " + rec.id);
  }

  function removeRecord(rec) {
    const k = RECORD_KINDS.find((kk) => S.work[kk.list].includes(rec));
    if (!k || !confirm("Reject " + rec.id + ": remove the whole record?")) return;
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
    toast("Removed " + rec.id + (unlinked ? "; unlinked it from " + unlinked + " statement(s)" : ""));
  }

  function move(list, i, delta) {
    const j = i + delta;
    if (j < 0 || j >= list.length) return;
    [list[i], list[j]] = [list[j], list[i]];
    structural(S.focus);
  }

  function addItem(list, itemDef) {
    const item = track(defaults(itemDef), null);
    list.push(item);
    structural(null);
    const row = document.querySelector('.item[data-uid="' + uid(item) + '"] .field');
    if (row) {
      setFocus(row.dataset.key, { scrollForm: true });
      row.focus({ preventScroll: true });
    }
  }

  function removeItem(list, i) {
    list.splice(i, 1);
    structural(null);
  }

  // The list (and index) holding the focused field's item, for i / Delete / [ / ].
  function focusedList() {
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

  function setEvidenceFromSelection() {
    const leaf = focusedLeaf();
    const target = evidenceLeafOf(leaf);
    if (!target) {
      toast("Focus a field first (click it, or j / k)");
      return;
    }
    const sel = readSelection() || S.selection;
    if (!sel) {
      toast("Select the supporting words in the article first");
      return;
    }
    target.obj[target.name] = { quote: sel.quote, start: sel.start, end: sel.end, alignment: null, score: null };
    S.errors.delete(target.key);
    window.getSelection().removeAllRanges();
    S.selection = null;
    structural(S.focus);
    markFocusedSpan(true);
    toast("Evidence set: “" + (sel.quote.length > 60 ? sel.quote.slice(0, 57) + "…" : sel.quote) + "”");
  }

  // ---------------------------------------------------------------- save, check, diff
  function payload(overwrite) {
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
    return { records, origins, decisions, notes: S.notes, base_sha256: S.goldSha, overwrite: Boolean(overwrite) };
  }

  function clearMessages() {
    const box = $("#messages");
    box.replaceChildren();
    box.className = "";
  }

  function showMessages(title, errors, info) {
    const box = $("#messages");
    box.replaceChildren();
    box.className = info ? "info" : "";
    box.append(el("strong", { text: title }));
    if (errors.length) {
      const ul = el("ul", {});
      for (const e of errors) {
        const li = el("li", {}, e.path ? el("code", { text: e.path }) : null, e.path ? ": " : "", e.message);
        li.addEventListener("click", () => focusPath(e.path));
        ul.append(li);
      }
      box.append(ul);
    }
  }

  function focusPath(path) {
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

  function markErrors(errors) {
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

  async function save(overwrite) {
    const body = payload(overwrite);
    const res = await api("POST", "/api/articles/" + encodeURIComponent(S.id) + "/gold", body);
    if (res.status === 200) {
      S.goldSha = res.data.gold_sha256;
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
      const listed = S.listing.find((a) => a.id === S.id);
      if (listed && !listed.gold) {
        listed.gold = true;
        const opt = [...$("#article-select").options].find((o) => o.value === S.id);
        if (opt) opt.textContent = "✓ " + S.id;
      }
      const s = res.data.summary || {};
      toast("Saved " + res.data.path + " (" + Object.entries(s).map(([k, n]) => n + " " + k).join(", ") + ")", 4000);
      document.body.dataset.saved = res.data.gold_sha256;
      return;
    }
    if (res.status === 422) {
      showMessages(res.data.error || "Not saved: invalid fields", res.data.errors || []);
      markErrors(res.data.errors || []);
      toast("Not saved: fix the fields listed above");
      return;
    }
    if (res.status === 409 && !overwrite && S.goldSha && res.data.current_sha256 === S.goldSha) {
      if (confirm(res.data.error + "\n\nReplace the reviewed gold file?")) await save(true);
      return;
    }
    showMessages("Not saved: " + (res.data.error || "error " + res.status), []);
  }

  function shown(v) {
    if (v === null || v === undefined) return "—";
    if (typeof v === "object" && "quote" in v) return "“" + v.quote + "” [" + v.start + "–" + v.end + "]";
    return typeof v === "string" ? v : JSON.stringify(v);
  }

  async function diff() {
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

  // ---------------------------------------------------------------- keyboard
  function typing(target) {
    return target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
  }

  function onKey(e) {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
      e.preventDefault();
      save(false);
      return;
    }
    if (document.querySelector("dialog[open]")) return; // dialogs handle Esc themselves
    if (typing(e.target)) {
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

  function stepArticle(delta) {
    const ids = S.listing.map((a) => a.id);
    const i = ids.indexOf(S.id);
    const j = i + delta;
    if (j >= 0 && j < ids.length) loadArticle(ids[j]);
  }

  // ---------------------------------------------------------------- wiring
  function onArticleClick(e) {
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

  async function init() {
    $("#reviewer").textContent = "reviewing as " + REVIEWER;
    const schema = await api("GET", "/api/schema");
    S.defs = schema.data.$defs;
    await loadListing();
    document.addEventListener("keydown", onKey);
    document.addEventListener("selectionchange", () => {
      const sel = readSelection();
      if (sel) S.selection = sel;
    });
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
})();
