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
