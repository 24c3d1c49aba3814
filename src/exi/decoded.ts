/**
 * What a decode records beside the message fields: the facet warnings of a tolerant decode and the zero
 * padding bytes after End-Document. Both are non-enumerable properties of the decoded root object
 * (`warnings`, `paddingBytes`), set only when non-empty, so they stay out of the JSON and XML forms and of
 * deep equality; {@link warningsOf} and {@link paddingOf} read them. The encoders use them to give back the
 * decoded bytes: a message with warnings encodes tolerantly, and its padding is restored. Platform-neutral.
 *
 * Representation of kept values: integers, strings and binaries as usual (outside their facet); an
 * enumeration index past the end of its enumeration (EXI 1.0 §7.2: the n-bit code can hold up to 2^n − 1) as
 * that index, a number, where the field otherwise holds one of the enumeration's strings. The generated
 * TypeScript types do not include the number: code that reads enumerations of tolerantly decoded messages
 * should check `warningsOf` (or `typeof`) first.
 */
import type { SetMeta, SimpleMeta } from "./meta.js";
import type { ExiFacetWarning } from "./options.js";

const NONE: readonly ExiFacetWarning[] = Object.freeze([]);

/** Facet warnings recorded on a decoded object (empty when none). */
export function warningsOf(decoded: unknown): readonly ExiFacetWarning[] {
  if (typeof decoded !== "object" || decoded === null) return NONE;
  const w = (decoded as { warnings?: unknown }).warnings;
  return Array.isArray(w) && !Object.prototype.propertyIsEnumerable.call(decoded, "warnings") ? w : NONE;
}

/** Zero padding bytes after End-Document recorded on a decoded object (0 when none). */
export function paddingOf(decoded: unknown): number {
  if (typeof decoded !== "object" || decoded === null) return 0;
  const p = (decoded as { paddingBytes?: unknown }).paddingBytes;
  return typeof p === "number" && !Object.prototype.propertyIsEnumerable.call(decoded, "paddingBytes")
    ? p
    : 0;
}

/** The value of a document's root element (`{ Root: value }` → value), or undefined. */
export function rootValue(doc: unknown): unknown {
  if (typeof doc !== "object" || doc === null) return undefined;
  for (const k in doc) return (doc as Record<string, unknown>)[k];
  return undefined;
}

/**
 * Whether an encode of `doc` is tolerant by default: `doc`, or (for a document `{ Root: message }`) the message
 * of its root element, carries facet warnings of a decode.
 */
export function decodedTolerant(doc: unknown): boolean {
  return warningsOf(doc).length > 0 || warningsOf(rootValue(doc)).length > 0;
}

/** The padding bytes an encode of `doc` restores by default: those recorded on `doc` or on its root's value. */
export function decodedPadding(doc: unknown): number {
  return paddingOf(doc) || paddingOf(rootValue(doc));
}

/** Record warnings and padding on a decoded object (non-enumerable; nothing when both are empty). */
export function markDecoded(
  target: object,
  warnings: readonly ExiFacetWarning[],
  paddingBytes: number,
): void {
  if (warnings.length > 0)
    Object.defineProperty(target, "warnings", { value: warnings, enumerable: false, configurable: true });
  if (paddingBytes > 0)
    Object.defineProperty(target, "paddingBytes", {
      value: paddingBytes,
      enumerable: false,
      configurable: true,
    });
}

/** Paths of warnings relative to the value under the root element (`V2G_Message.Body.X` → `Body.X`). */
export function underRoot(warnings: readonly ExiFacetWarning[], root: string): ExiFacetWarning[] {
  const pre = `${root}.`;
  return warnings.map((w) => (w.path.startsWith(pre) ? { ...w, path: w.path.slice(pre.length) } : w));
}

/** The facet a simple value breaks, or undefined (the facets a tolerant decoder lets through). */
export function brokenFacet(t: SimpleMeta, v: unknown): string | undefined {
  switch (t.k) {
    case "enum":
      return typeof v === "number" ? `enumeration (${t.v.length} values)` : undefined;
    case "int":
      if (typeof v !== "number") return undefined;
      return v > t.max ? `maxInclusive ${t.max}` : v < t.min ? `minInclusive ${t.min}` : undefined;
    case "bigint":
      if (typeof v !== "bigint") return undefined;
      if (t.max !== undefined && v > t.max) return `maxInclusive ${t.max}`;
      if (t.min !== undefined && v < t.min) return `minInclusive ${t.min}`;
      return undefined;
    case "string":
      if (typeof v !== "string" || v.length <= t.max) return undefined;
      return [...v].length > t.max ? `maxLength ${t.max}` : undefined;
    case "hexBinary":
    case "base64Binary":
      return v instanceof Uint8Array && v.length > t.max ? `maxLength ${t.max}` : undefined;
    default:
      return undefined;
  }
}

const show = (v: unknown) =>
  v instanceof Uint8Array
    ? `${v.length} bytes`
    : typeof v === "string"
      ? `${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)} (${[...v].length} characters)`
      : String(v);

/**
 * Every facet broken in a decoded document `{ Root: value }`, in document order, with its field path
 * (array items as `Name[i]`). `bitOffsets`, when it has one entry per warning, gives each its bit offset.
 */
export function facetWarnings(
  meta: SetMeta,
  doc: Record<string, unknown>,
  bitOffsets: readonly number[] = [],
): ExiFacetWarning[] {
  const out: ExiFacetWarning[] = [];
  const visit = (t: string | SimpleMeta, v: unknown, path: string, depth: number): void => {
    if (v === undefined || depth > 64) return;
    if (typeof t !== "string") {
      const rule = brokenFacet(t, v);
      if (rule)
        out.push({ code: "EXI_FACET", path, value: v, rule, message: `${path}: ${show(v)} breaks ${rule}` });
      return;
    }
    const tm = meta.types[t];
    if (!tm || typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    for (const f of tm.fields) {
      const fv = o[f.n];
      if (fv === undefined) continue;
      const p = `${path}.${f.n}`;
      if (f.a && Array.isArray(fv))
        for (let i = 0; i < fv.length; i++) visit(f.t, fv[i], `${p}[${i}]`, depth + 1);
      else visit(f.t, fv, p, depth + 1);
    }
  };
  for (const root in doc) {
    const g = meta.globals[root] ?? meta.elements[root];
    if (g) visit(g.t, doc[root], root, 0);
  }
  if (bitOffsets.length === out.length)
    for (let i = 0; i < out.length; i++) out[i]!.bitOffset = bitOffsets[i]!;
  return out;
}
