/**
 * The relaxed element-fragment grammar (EXI 1.0 §8.5.3) used inside a fragment (§8.5.2) for an element
 * whose qname has several declarations with different types or nillability — in ISO 15118-2 `eMAID`, a
 * string in PaymentDetailsReq and an `EMAIDType` (string content + `Id`) in CertificateInstallationRes.
 *
 *   ElementFragment0: AT(A0…An-1) [schema-typed] ElementFragment0 | AT(*) | SE(F0…Fm-1) ElementFragment1
 *                     | SE(*) | EE | CH [untyped] ElementFragment1        codes 0…n+m+3
 *   ElementFragment1: SE(F0…Fm-1) ElementFragment1 | SE(*) | EE | CH [untyped] ElementFragment1   codes 0…m+2
 *
 * A = every attribute qname of the schema set (global and local, unique, sorted by local name then URI),
 * F = the fragment's element list. V2G attributes are all string-valued (xs:ID, xs:anyURI, xs:string), so
 * AT values and CH are EXI strings (§7.1.10). A child SE(Fj) continues with Fj's own grammar (the
 * generated codec supplies it) or, when Fj is itself ambiguous, with this one. Platform-neutral.
 *
 * JSON form: a plain string when the element had only character content, otherwise an object with the
 * attributes by local name, `CONTENT` for the character content, and child elements by local name (an
 * array when repeated). Encoding accepts the same forms, so the value of any of the declarations (a string
 * or `{ Id, CONTENT }`) encodes.
 */
import { ExiEncodeError } from "./errors.js";
import { DEFAULT_MAX_STRING_LENGTH } from "./limits.js";
import type { BitReader } from "./reader.js";
import type { BitWriter } from "./writer.js";

/** Bits of an n-valued event code part (EXI §6.2). */
const width = (n: number): number => (n <= 1 ? 0 : 32 - Math.clz32(n - 1));

/** The fragment-wide part of the relaxed grammar, one per fragment grammar. */
export interface RelaxedFragment {
  /** Local name of each attribute Ai (sorted as in the grammar), for decoding. */
  readonly attrNames: readonly string[];
  /** String-table partition of each Ai. */
  readonly attrQids: readonly number[];
  /** Local name of each fragment element Fj. */
  readonly elemNames: readonly string[];
  /** Content of Fj after its SE (its own grammar up to and including its EE). */
  readonly decChild: (r: BitReader, j: number) => unknown;
  /** Encode the content of Fj after its SE. */
  readonly encChild: (w: BitWriter, j: number, v: unknown) => void;
}

/** One ambiguous element: which attribute and child indexes its fields map to. */
export interface RelaxedElement {
  readonly name: string;
  /** String-table partition of the element (for CH). */
  readonly qid: number;
  /** Field name → index into {@link RelaxedFragment.attrNames} (from the declarations' attribute uses). */
  readonly attrs: Readonly<Record<string, number>>;
  /** [field name, index into the fragment elements], in the declarations' particle order. */
  readonly children: readonly (readonly [string, number])[];
}

/** Decode an element's content with the relaxed grammar (after its SE, up to and including its EE). */
export function decodeRelaxed(r: BitReader, f: RelaxedFragment, e: RelaxedElement): unknown {
  const n = f.attrNames.length;
  const m = f.elemNames.length;
  const w0 = width(n + m + 4);
  const w1 = width(m + 3);
  const out: Record<string, unknown> = {};
  let hasOther = false;
  let content: string | undefined;
  let phase0 = true;
  const state = `ElementFragment(${e.name})`;
  for (let guard = 0; guard < 1 << 20; guard++) {
    let c = r.bits(phase0 ? w0 : w1);
    if (phase0) {
      if (c < n) {
        const k = f.attrNames[c]!;
        out[k] = r.string(DEFAULT_MAX_STRING_LENGTH, f.attrQids[c]!, `${state}@${k}`);
        hasOther = true;
        continue;
      }
      if (c === n) r.fail("EXI_UNSUPPORTED", "AT(*) in a relaxed element fragment", state);
      c -= n + 1;
    }
    if (c < m) {
      const k = f.elemNames[c]!;
      const v = f.decChild(r, c);
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      hasOther = true;
      phase0 = false;
      continue;
    }
    if (c === m) r.fail("EXI_UNSUPPORTED", "SE(*) in a relaxed element fragment", state);
    if (c === m + 1) break; // EE
    if (c === m + 2) {
      const s = r.string(DEFAULT_MAX_STRING_LENGTH, e.qid, state);
      content = content === undefined ? s : content + s;
      phase0 = false;
      continue;
    }
    r.badEvent(c + (phase0 ? n + 1 : 0), phase0 ? w0 : w1, state, "AT, SE, EE or CH");
  }
  if (!hasOther && content !== undefined) return content;
  if (content !== undefined) out.CONTENT = content;
  return out;
}

/** Encode an element's content with the relaxed grammar (attributes, character content, children, EE). */
export function encodeRelaxed(w: BitWriter, f: RelaxedFragment, e: RelaxedElement, v: unknown): void {
  const n = f.attrNames.length;
  const m = f.elemNames.length;
  const w0 = width(n + m + 4);
  const w1 = width(m + 3);
  let phase0 = true;
  const se = (j: number) => w.bits(phase0 ? n + 1 + j : j, phase0 ? w0 : w1);
  const ch = (s: string) => {
    w.bits(phase0 ? n + m + 3 : m + 2, phase0 ? w0 : w1);
    w.string(s, DEFAULT_MAX_STRING_LENGTH, `${e.name}.CONTENT`);
    phase0 = false;
  };
  if (typeof v === "string") ch(v);
  else if (typeof v === "object" && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (k !== "CONTENT" && e.attrs[k] === undefined && !e.children.some(([c]) => c === k))
        throw new ExiEncodeError(
          "EXI_STRUCTURE",
          `${e.name}.${k}`,
          "not an attribute or child of any declaration",
        );
    const attrs = Object.keys(e.attrs)
      .filter((k) => o[k] !== undefined)
      .sort((a, b) => e.attrs[a]! - e.attrs[b]!);
    for (const k of attrs) {
      w.bits(e.attrs[k]!, w0);
      w.string(o[k], DEFAULT_MAX_STRING_LENGTH, `${e.name}.${k}`);
    }
    const c = o.CONTENT;
    if (c !== undefined) {
      if (typeof c === "string") ch(c);
      else if (typeof c === "number" || typeof c === "bigint" || typeof c === "boolean") ch(String(c));
      else
        throw new ExiEncodeError(
          "EXI_TYPE",
          `${e.name}.CONTENT`,
          "relaxed element fragment (EXI §8.5.3): character content must be a string",
        );
    }
    for (const [k, j] of e.children) {
      const x = o[k];
      if (x === undefined) continue;
      for (const item of Array.isArray(x) ? x : [x]) {
        se(j);
        f.encChild(w, j, item);
        phase0 = false;
      }
    }
  } else
    throw new ExiEncodeError(
      "EXI_TYPE",
      e.name,
      "relaxed element fragment (EXI §8.5.3): expected a string or an object",
    );
  w.bits(phase0 ? n + m + 2 : m + 1, phase0 ? w0 : w1); // EE
}
