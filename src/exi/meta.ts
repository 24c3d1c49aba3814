/**
 * Field tables emitted by the code generator (`src/codecs/<set>/meta.ts`), used by the XML form and the
 * property tests. Platform-neutral.
 */

/** Simple-type descriptor. */
export type SimpleMeta =
  | { k: "enum"; v: readonly string[] }
  | { k: "boolean" }
  | { k: "hexBinary" | "base64Binary"; max: number; min?: number }
  | { k: "string"; max: number; min?: number }
  | { k: "int"; min: number; max: number }
  | { k: "bigint"; min: bigint | undefined; max: bigint | undefined }
  | { k: "unsupported" };

/** One field of a complex type: `n` name, `k` kind, `ns` namespace, `t` type (complex type name or simple), `a` array, `o` optional, `m` max items. */
export interface FieldMeta {
  n: string;
  k: "attr" | "elem" | "content";
  ns: string;
  t: string | SimpleMeta;
  a: boolean;
  o: boolean;
  m: number;
}

/** A complex type's fields in schema order. */
export interface TypeMeta {
  mixed: boolean;
  fields: FieldMeta[];
}

/** Tables of one schema set. */
export interface SetMeta {
  types: Record<string, TypeMeta>;
  globals: Record<string, { ns: string; t: string | SimpleMeta }>;
  /** Every element declaration by name (fragment grammar elements; several declarations of one name are left out). */
  elements: Record<string, { ns: string; t: string | SimpleMeta }>;
}

/**
 * One production of a type's EXI grammar (test support: random valid instances): the field index (into
 * {@link TypeMeta.fields}; -1 End-Element, -2 a production the codecs do not support), the next state (or,
 * for a counted repetition, `[lt, mid, full, min, max]`: the phase states, -1 where absent, and the
 * occurrence bounds), and 1 when the production enters a counted repetition (its counter starts at 1).
 */
export type ProdMeta = [number, number | [number, number, number, number, number], number?];

/** Grammar states of each complex type, by type name; each state lists its productions in event-code order. */
export type GrammarMeta = Record<string, ProdMeta[][]>;
