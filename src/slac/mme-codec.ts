/**
 * Encode/decode HomePlug AV MMEs (the bytes after the EtherType): MMV, little-endian MMTYPE, FMI/FMSN for
 * MMV ≥ 1, then the fields of {@link MME_SCHEMAS} (EVerest libslac, pyslac). Unknown MMTYPEs stay raw and
 * round-trip.
 */
import { HOMEPLUG_MMV_AV_1_1 } from "./constants.js";
import { SlacError } from "./errors.js";
import {
  type FieldKind,
  type FieldSpec,
  type KnownMmeKind,
  MME_KIND_BY_MMTYPE,
  MME_SCHEMAS,
  type Mme,
} from "./mme-schema.js";

/** Result of {@link decodeMme}: the MME and every byte after its fields (padding; empty for unknown MMEs). */
export interface DecodedMme {
  mme: Mme;
  trailer: Uint8Array;
}

function headerLength(mmv: number): number {
  return mmv >= 1 ? 5 : 3;
}

function varLength(kind: { lengthFrom: string; nibbles?: boolean }, value: number): number {
  return kind.nibbles ? Math.ceil(value / 2) : value;
}

function fieldWidth(kind: FieldKind, obj: Record<string, unknown>): number {
  if (kind === "u8") return 1;
  if (kind === "u16le") return 2;
  if (kind === "u32le") return 4;
  if ("bytes" in kind) return kind.bytes;
  const n = obj[kind.lengthFrom];
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new SlacError("bad-field", `${String(obj.kind)}.${kind.lengthFrom}: ${String(n)}, must be a count`);
  }
  return varLength(kind, n);
}

/** The MMTYPE an MME is sent with. */
export function mmtypeOf(mme: Mme): number {
  return mme.kind === "unknown" ? mme.mmtype : MME_SCHEMAS[mme.kind].mmtype;
}

/**
 * Decode an MME starting at the MMV byte. Throws {@link SlacError} "truncated" when the bytes end before
 * the header or a known MME's fields; never throws anything else. Byte fields are copies.
 */
export function decodeMme(bytes: Uint8Array): DecodedMme {
  if (bytes.length < 3) throw new SlacError("truncated", `mme: ${bytes.length} bytes, header needs 3`);
  const mmv = bytes[0]!;
  const mmtype = bytes[1]! | (bytes[2]! << 8);
  const hl = headerLength(mmv);
  if (bytes.length < hl) {
    throw new SlacError("truncated", `mme: ${bytes.length} bytes, MMV ${mmv} header needs ${hl}`);
  }
  const head: { mmv: number; fmi?: number; fmsn?: number } = { mmv };
  if (mmv >= 1) {
    head.fmi = bytes[3]!;
    head.fmsn = bytes[4]!;
  }
  const kind = MME_KIND_BY_MMTYPE.get(mmtype);
  if (kind === undefined) {
    return {
      mme: { kind: "unknown", ...head, mmtype, payload: bytes.slice(hl) },
      trailer: new Uint8Array(0),
    };
  }
  const obj: Record<string, unknown> = { kind, ...head };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = hl;
  for (const [name, fk] of MME_SCHEMAS[kind].fields as readonly FieldSpec[]) {
    const w = fieldWidth(fk, obj);
    if (off + w > bytes.length) {
      throw new SlacError(
        "truncated",
        `${kind}: field ${name} needs bytes ${off}..${off + w - 1}, MME has ${bytes.length}`,
      );
    }
    if (fk === "u8") obj[name] = bytes[off]!;
    else if (fk === "u16le") obj[name] = dv.getUint16(off, true);
    else if (fk === "u32le") obj[name] = dv.getUint32(off, true);
    else obj[name] = bytes.slice(off, off + w);
    off += w;
  }
  return { mme: obj as unknown as Mme, trailer: bytes.slice(off) };
}

function checkUint(where: string, v: unknown, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
    throw new SlacError("bad-field", `${where}: ${String(v)}, must be an integer 0..${max}`);
  }
  return v;
}

/** Byte length of an MME (header + fields or raw payload), without trailer. Validates like encode. */
export function mmeLength(mme: Mme): number {
  const mmv = checkUint(`${mme.kind}.mmv`, mme.mmv ?? HOMEPLUG_MMV_AV_1_1, 0xff);
  if (mme.kind === "unknown") return headerLength(mmv) + mme.payload.length;
  const obj = mme as unknown as Record<string, unknown>;
  let len = headerLength(mmv);
  for (const [, fk] of MME_SCHEMAS[mme.kind as KnownMmeKind].fields as readonly FieldSpec[]) {
    len += fieldWidth(fk, obj);
  }
  return len;
}

/**
 * Write an MME into `out` at `offset` (which must have room for {@link mmeLength}); returns the end offset.
 * Throws {@link SlacError} "bad-field" naming the field when a value has the wrong type, range or length.
 */
export function writeMme(mme: Mme, out: Uint8Array, offset: number): number {
  const mmv = checkUint(`${mme.kind}.mmv`, mme.mmv ?? HOMEPLUG_MMV_AV_1_1, 0xff);
  const mmtype = checkUint(`${mme.kind}.mmtype`, mmtypeOf(mme), 0xffff);
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[offset] = mmv;
  dv.setUint16(offset + 1, mmtype, true);
  let off = offset + 3;
  if (mmv >= 1) {
    out[off++] = checkUint(`${mme.kind}.fmi`, mme.fmi ?? 0, 0xff);
    out[off++] = checkUint(`${mme.kind}.fmsn`, mme.fmsn ?? 0, 0xff);
  }
  if (mme.kind === "unknown") {
    if (!(mme.payload instanceof Uint8Array)) throw new SlacError("bad-field", "unknown.payload: not bytes");
    out.set(mme.payload, off);
    return off + mme.payload.length;
  }
  const obj = mme as unknown as Record<string, unknown>;
  for (const [name, fk] of MME_SCHEMAS[mme.kind as KnownMmeKind].fields as readonly FieldSpec[]) {
    const where = `${mme.kind}.${name}`;
    const v = obj[name];
    if (fk === "u8") out[off++] = checkUint(where, v, 0xff);
    else if (fk === "u16le") {
      dv.setUint16(off, checkUint(where, v, 0xffff), true);
      off += 2;
    } else if (fk === "u32le") {
      dv.setUint32(off, checkUint(where, v, 0xffffffff), true);
      off += 4;
    } else {
      const w = fieldWidth(fk, obj);
      if (!(v instanceof Uint8Array) || v.length !== w) {
        const got = v instanceof Uint8Array ? `${v.length} bytes` : typeof v;
        const rule = "bytes" in fk ? `${w} bytes` : `${w} bytes (from ${fk.lengthFrom})`;
        throw new SlacError("bad-field", `${where}: ${got}, must be ${rule}`);
      }
      out.set(v, off);
      off += w;
    }
  }
  return off;
}

/** Encode an MME (from the MMV byte on), followed by `trailer` (default none; no padding at this layer). */
export function encodeMme(mme: Mme, trailer: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(mmeLength(mme) + trailer.length);
  const end = writeMme(mme, out, 0);
  out.set(trailer, end);
  return out;
}
