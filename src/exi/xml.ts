/**
 * XML form of decoded messages: namespace-qualified as the XSD says, hexBinary as upper-case hex,
 * base64Binary as base64, for humans and for comparison with other tools. Driven by the generated field
 * tables (`META`). Platform-neutral.
 */
import { bytesToBase64, bytesToHex } from "./hex.js";
import type { FieldMeta, SetMeta, SimpleMeta } from "./meta.js";

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Lexical form of a simple value. */
export function simpleToText(t: SimpleMeta, v: unknown): string {
  if (v instanceof Uint8Array) return t.k === "base64Binary" ? bytesToBase64(v) : bytesToHex(v);
  if (typeof v === "string" && (t.k === "hexBinary" || t.k === "base64Binary")) return v.toUpperCase();
  return String(v);
}

/**
 * Render a document `{ Root: value }` of a schema set as XML. Namespaces get prefixes ns1, ns2… in order of
 * first use, all declared on the root element (as cbv2g prints them).
 */
export function toXml(meta: SetMeta, doc: Record<string, unknown>): string {
  const [root, value] = Object.entries(doc)[0] ?? [];
  if (root === undefined) throw new Error("toXml: empty document");
  const g = meta.globals[root] ?? meta.elements[root];
  if (!g) throw new Error(`toXml: ${root} is not an element of this schema set`);
  const prefixes = new Map<string, string>();
  const pfx = (ns: string) => {
    if (!ns) return "";
    let p = prefixes.get(ns);
    if (!p) {
      p = `ns${prefixes.size + 1}`;
      prefixes.set(ns, p);
    }
    return `${p}:`;
  };
  const el = (name: string, ns: string, t: string | SimpleMeta, v: unknown): string => {
    const tag = pfx(ns) + name;
    if (typeof t !== "string") return `<${tag}>${esc(simpleToText(t, v))}</${tag}>`;
    const tm = meta.types[t];
    if (!tm) return `<${tag}/>`;
    const o = v as Record<string, unknown>;
    let attrs = "";
    let body = "";
    for (const f of tm.fields) {
      const fv = o[f.n];
      if (fv === undefined) continue;
      if (f.k === "attr") attrs += ` ${pfx(f.ns)}${f.n}="${esc(simpleToText(f.t as SimpleMeta, fv))}"`;
      else if (f.k === "content") body += esc(simpleToText(f.t as SimpleMeta, fv));
      else for (const item of f.a ? (fv as unknown[]) : [fv]) body += el(f.n, f.ns, f.t, item);
    }
    return `<${tag}${attrs}>${body}</${tag}>`;
  };
  const tag = pfx(g.ns) + root;
  const inner = el(root, g.ns, g.t, value);
  const decls = [...prefixes].map(([ns, p]) => ` xmlns:${p}="${esc(ns)}"`).join("");
  return `<?xml version="1.0" encoding="UTF-8"?>${inner.replace(`<${tag}`, `<${tag}${decls}`)}`;
}

/** JSON replacer for the JSON form: Uint8Array → upper-case hex, bigint → number when safe, else string. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return bytesToHex(v);
  if (typeof v === "bigint")
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : String(v);
  return v;
}

export type { FieldMeta };
