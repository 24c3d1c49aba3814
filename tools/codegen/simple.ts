/**
 * Code fragments for XSD simple types in the generated codecs: TypeScript types, decoder reads (whole, or
 * fixed-width for merged reads), encoder writes (statements, or segments for merged writes), META entries,
 * and the enumeration tables (`E<n>` and their index functions `E<n>i`).
 */
import type { ValueRead } from "./decoder.js";
import type { Seg } from "./encoder.js";
import { codeWidth } from "./grammar.js";
import type { QN, SimpleType } from "./xsd.js";

/** Project defaults where the schema is unbounded (mirror src/exi/limits.ts). */
const DEFAULT_MAX_STRING = 65536;
const DEFAULT_MAX_BINARY = 65536;

/** How an integer type is coded: n-bit when the range is small (EXI §7.1.9), else (unsigned) Integer. */
export type IntK =
  | { k: "nbit"; width: number; min: number; max: number }
  | { k: "uint" | "int"; min: number; max: number }
  | { k: "uintBig" | "intBig"; min?: bigint; max?: bigint };

/**
 * The simple-type emitters of one schema set. `canonSimple` maps a type to its named declaration,
 * `tsNameOf` gives the generated name of a named type, `qid` the string-table partition of a qname.
 */
export function simpleEmitters(
  canonSimple: (t: SimpleType) => SimpleType,
  tsNameOf: (t: SimpleType) => string | undefined,
  qid: (q: QN) => number,
) {
  // ---- simple types --------------------------------------------------------------------------------------
  const enumConsts: string[] = [];
  const enumName = new Map<string, string>();
  const enumOf = (t: SimpleType): string => {
    const key = JSON.stringify(t.enumeration);
    let n = enumName.get(key);
    if (!n) {
      n = `E${enumName.size}`;
      enumName.set(key, n);
      enumConsts.push(
        // the index by a switch: comparing interned strings beats hashing them for a Map lookup
        `const ${n}: readonly string[] = ${JSON.stringify(t.enumeration)};\nfunction ${n}i(v: unknown, f: string): number { switch (v) { ${t.enumeration!.map((x, i) => `case ${JSON.stringify(x)}: return ${i};`).join(" ")} } return enumIdx(v, ${n}, ${codeWidth(t.enumeration!.length)}, f); }`,
      );
    }
    return n;
  };
  type IntK =
    | { k: "nbit"; width: number; min: number; max: number }
    | { k: "uint" | "int"; min: number; max: number }
    | { k: "uintBig" | "intBig"; min?: bigint; max?: bigint };
  const SAFE = 2n ** 53n - 1n;
  const intKind = (t: SimpleType): IntK => {
    const { min, max } = t;
    if (min !== undefined && max !== undefined && max - min + 1n <= 4096n)
      return { k: "nbit", width: codeWidth(Number(max - min + 1n)), min: Number(min), max: Number(max) };
    const safe = (x?: bigint) => x !== undefined && x >= -SAFE && x <= SAFE;
    if (safe(min) && safe(max)) return { k: min! >= 0n ? "uint" : "int", min: Number(min), max: Number(max) };
    const r: IntK = { k: min !== undefined && min >= 0n ? "uintBig" : "intBig" };
    if (min !== undefined) r.min = min;
    if (max !== undefined) r.max = max;
    return r;
  };
  const big = (x?: bigint) => (x === undefined ? "undefined" : `${x}n`);
  /** chkInt with the bounds a tolerant encode accepts: what the EXI coding carries (EXI 1.0 §7.1.5, §7.1.6, §7.1.9). */
  const chk = (k: Extract<IntK, { min: number }>, v: string, f: string): string => {
    const [hmin, hmax] =
      k.k === "nbit"
        ? [k.min, k.min + 2 ** k.width - 1]
        : k.k === "uint"
          ? [0, Number.MAX_SAFE_INTEGER]
          : [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
    return hmin === k.min && hmax === k.max
      ? `chkInt(${v}, ${k.min}, ${k.max}, ${f})`
      : `chkInt(${v}, ${k.min}, ${k.max}, ${f}, ${hmin}, ${hmax})`;
  };
  const simpleTs = (t0: SimpleType, named = true): string => {
    const t = canonSimple(t0);
    if (named && t.name && tsNameOf(t)) return tsNameOf(t)!;
    if (t.enumeration) return t.enumeration.map((v) => JSON.stringify(v)).join(" | ");
    switch (t.builtin) {
      case "boolean":
        return "boolean";
      case "hexBinary":
      case "base64Binary":
        return "Uint8Array";
      case "integer":
        return intKind(t).k.endsWith("Big") ? "bigint" : "number";
      case "string":
        return "string";
      default:
        return "never";
    }
  };
  const simpleDec = (t0: SimpleType, ctx: string, q: QN): string => {
    const t = canonSimple(t0);
    const c = JSON.stringify(ctx);
    if (t.enumeration) return `r.enumValue(${enumOf(t)}, ${codeWidth(t.enumeration.length)}, ${c})`;
    switch (t.builtin) {
      case "boolean":
        return "r.bit() === 1";
      case "hexBinary":
      case "base64Binary":
        return `r.binary(${t.maxLength ?? DEFAULT_MAX_BINARY}, ${c})`;
      case "string":
        return `r.string(${t.maxLength ?? DEFAULT_MAX_STRING}, ${qid(q)}, ${c})`;
      case "integer": {
        const k = intKind(t);
        if (k.k === "nbit") return `r.ranged(${k.width}, ${k.min}, ${k.max}, ${c})`;
        if (k.k === "uint") return `r.uintIn(${k.min}, ${k.max}, ${c})`;
        if (k.k === "int") return `r.intIn(${k.min}, ${k.max}, ${c})`;
        {
          const kb = k as { min?: bigint; max?: bigint };
          return `r.bigIn(${k.k === "intBig"}, ${big(kb.min)}, ${big(kb.max)}, ${c})`;
        }
      }
      default:
        return `r.fail("EXI_UNSUPPORTED", "datatype ${t.builtinName} is not supported", ${c})`;
    }
  };
  /** Fixed-width simple values (enumerations, booleans, n-bit integers) for merged reads, else null. */
  const simpleFixed = (t0: SimpleType, ctx: string): ValueRead | null => {
    const t = canonSimple(t0);
    const c = JSON.stringify(ctx);
    if (t.enumeration) {
      const n = t.enumeration.length;
      const w = codeWidth(n);
      const e = enumOf(t);
      return {
        k: "fixed",
        w,
        ...(n < 2 ** w
          ? { check: (x: string, at: string) => `if (${x} >= ${n}) r.enumErr(${x}, ${n}, ${c}, ${at});` }
          : {}),
        // an index past the end (tolerant decode) stays a number
        conv: (x: string) => (n < 2 ** w ? `(${x} < ${n} ? ${e}[${x}]! : ${x})` : `${e}[${x}]!`),
      };
    }
    if (t.builtin === "boolean") return { k: "fixed", w: 1, conv: (x: string) => `${x} === 1` };
    if (t.builtin === "integer") {
      const k = intKind(t);
      if (k.k !== "nbit") return null;
      const { min, max, width } = k;
      return {
        k: "fixed",
        w: width,
        ...(max - min + 1 < 2 ** width
          ? {
              check: (x: string, at: string) =>
                `if (${x} > ${max - min}) r.rangeErr(${x} + ${min}, ${max}, ${c}, ${at});`,
            }
          : {}),
        conv: (x: string) => (min === 0 ? x : min < 0 ? `${x} - ${-min}` : `${x} + ${min}`),
      };
    }
    return null;
  };
  const simpleEnc = (t0: SimpleType, v: string, f: string): string => {
    const t = canonSimple(t0);
    if (t.enumeration) {
      const e = enumOf(t);
      return `w.bits(${e}i(${v}, ${f}), ${codeWidth(t.enumeration.length)});`;
    }
    switch (t.builtin) {
      case "boolean":
        return `w.bits(chkBool(${v}, ${f}) ? 1 : 0, 1);`;
      case "hexBinary":
      case "base64Binary":
        return `w.binary(${v}, ${t.maxLength ?? DEFAULT_MAX_BINARY}, ${f});`;
      case "string":
        return `w.string(${v}, ${t.maxLength ?? DEFAULT_MAX_STRING}, ${f});`;
      case "integer": {
        const k = intKind(t);
        if (k.k === "nbit") return `w.bits(${chk(k, v, f)} - ${k.min}, ${k.width});`;
        if (k.k === "uint") return `w.uint(${chk(k, v, f)});`;
        if (k.k === "int") return `w.int(${chk(k, v, f)});`;
        {
          const kb = k as { min?: bigint; max?: bigint };
          return `w.${k.k}(chkBig(${v}, ${big(kb.min)}, ${big(kb.max)}, ${f}${k.k === "uintBig" ? ", true" : ""}));`;
        }
      }
      default:
        return `throw new ExiEncodeError("EXI_TYPE", ${f}, "datatype ${t.builtinName} is not supported");`;
    }
  };
  /** A simple value as encoder segments: fixed-width values as bits expressions, the rest as statements. */
  const simpleSegs = (t0: SimpleType, v: string, f: string): Seg[] => {
    const t = canonSimple(t0);
    if (t.enumeration) {
      const e = enumOf(t);
      return [{ k: "bits", e: `${e}i(${v}, ${f})`, w: codeWidth(t.enumeration.length) }];
    }
    if (t.builtin === "boolean") return [{ k: "bits", e: `(chkBool(${v}, ${f}) ? 1 : 0)`, w: 1 }];
    if (t.builtin === "integer") {
      const k = intKind(t);
      if (k.k === "int" && /^\w+$/.test(v)) {
        // the sign bit joins the preceding constant bits; the magnitude is an Unsigned Integer (EXI §7.1.5)
        const x = `${v}_i`;
        return [
          { k: "pure", s: `const ${x} = ${chk(k, v, f)};` },
          { k: "bits", e: `(${x} < 0 ? 1 : 0)`, w: 1 },
          { k: "stmt", s: `w.uint(${x} < 0 ? -${x} - 1 : ${x});` },
        ];
      }
      if (k.k === "nbit") {
        const c = chk(k, v, f);
        const e = k.min === 0 ? c : k.min < 0 ? `(${c} + ${-k.min})` : `(${c} - ${k.min})`;
        return [{ k: "bits", e, w: k.width }];
      }
    }
    return [{ k: "stmt", s: simpleEnc(t, v, f) }];
  };
  const simpleMeta = (t0: SimpleType): string => {
    const t = canonSimple(t0);
    if (t.enumeration) return `{ k: "enum", v: ${enumOf(t)} }`;
    switch (t.builtin) {
      case "boolean":
        return `{ k: "boolean" }`;
      case "hexBinary":
      case "base64Binary":
        return `{ k: "${t.builtin}", max: ${t.maxLength ?? DEFAULT_MAX_BINARY}${t.minLength ? `, min: ${t.minLength}` : ""} }`;
      case "string":
        return `{ k: "string", max: ${t.maxLength ?? DEFAULT_MAX_STRING}${t.minLength ? `, min: ${t.minLength}` : ""} }`;
      case "integer": {
        const k = intKind(t);
        if (k.k.endsWith("Big")) {
          const kk = k as { min?: bigint; max?: bigint };
          return `{ k: "bigint", min: ${big(kk.min)}, max: ${big(kk.max)} }`;
        }
        const kk = k as { min: number; max: number };
        return `{ k: "int", min: ${kk.min}, max: ${kk.max} }`;
      }
      default:
        return `{ k: "unsupported" }`;
    }
  };

  return { enumConsts, enumOf, intKind, simpleTs, simpleDec, simpleFixed, simpleEnc, simpleSegs, simpleMeta };
}
