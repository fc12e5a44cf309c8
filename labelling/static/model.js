// sitrep review page: The schema and the records being reviewed: walking them, field paths, field states.
import { NOT_LEAVES, RECORD_KINDS, S, clone, uid } from "./state.js";

export function deref(node) {
  if (node && node.$ref) return S.defs[node.$ref.split("/").pop()];
  return node;
}
export function unwrap(prop) {
  let node = prop;
  let nullable = false;
  if (prop.anyOf) {
    const alts = prop.anyOf.filter((a) => a.type !== "null");
    nullable = alts.length < prop.anyOf.length;
    node = alts[0];
  }
  return { node: deref(node), nullable };
}
export function isObject(node) {
  return Boolean(node && node.properties);
}
export function isObjectList(node) {
  return node && node.type === "array" && isObject(deref(node.items));
}
export function defaults(def) {
  const out = {};
  const required = new Set(def.required || []);
  for (const [name, prop] of Object.entries(def.properties)) {
    const { node, nullable } = unwrap(prop);
    if ("default" in prop) out[name] = clone(prop.default);
    else if (node.type === "array") out[name] = [];
    else if (isObject(node) && !nullable) out[name] = defaults(node);
    else if (required.has(name) && node.enum) out[name] = null; // a required choice: no hidden default
    else if (required.has(name) && node.type === "string") out[name] = "";
    else out[name] = null;
  }
  return out;
}

// A leaf: { key, owner, rel, obj, name, prop, node, nullable, kind, parentDef }
export function walkObject(obj, def, owner, prefix, onLeaf, onItem) {
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
export function walkAll(records, onLeaf, onItem) {
  for (const k of RECORD_KINDS) {
    for (const rec of records[k.list] || []) {
      if (onItem) onItem(rec, null, k.list, rec.id, S.defs[k.def]);
      walkObject(rec, S.defs[k.def], rec, "", onLeaf, onItem);
    }
  }
}
export function itemPaths(records, getPath, setPath) {
  walkAll(records, () => {}, (item, owner, rel, idx) => {
    const path = owner === null ? rel + "." + idx : getPath(owner) + "." + rel + "." + idx;
    setPath(item, path);
  });
}
export function indexWork() {
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
export function getRel(obj, rel) {
  let cur = obj;
  for (const part of rel.split(".")) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur = cur[part];
  }
  return cur;
}
export function leafValue(leaf) {
  return leaf.obj[leaf.name];
}
export function comparable(leaf, v) {
  if (v === undefined) return "<absent>";
  if (leaf.kind === "evidence") return JSON.stringify(v ? [v.quote, v.start, v.end] : null);
  return JSON.stringify(v === undefined ? null : v);
}
export function draftValue(leaf) {
  const origin = S.meta.get(leaf.owner).origin;
  const item = origin ? S.draftIndex.get(origin) : undefined;
  if (!item) return { has: false };
  return { has: true, value: getRel(item, leaf.rel) };
}
export function leafState(leaf) {
  const dec = S.decisions.get(leaf.key);
  const dv = draftValue(leaf);
  if (!dv.has) return dec === "rejected" ? "rejected" : "added";
  const same = comparable(leaf, leafValue(leaf)) === comparable(leaf, dv.value);
  if (!same) {
    if (dec === "rejected" || (!dec && S.prior.get(leaf.key) === "rejected")) return "rejected";
    return "edited";
  }
  if (dec) return dec === "rejected" ? "rejected" : "accepted";
  return S.prior.get(leaf.key) === "confirmed" ? "accepted" : "untouched";
}
export function evidenceLeafOf(leaf) {
  if (!leaf) return null;
  if (leaf.kind === "evidence") return leaf;
  const prefix = leaf.rel.includes(".") ? leaf.rel.slice(0, leaf.rel.lastIndexOf(".")) + "." : "";
  return S.leaves.get(uid(leaf.owner) + ":" + prefix + "evidence") || null;
}
export function recordOf(item) {
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
