/**
 * Emits the encoder of one complex type (`e_<Type>`). The fields are written in schema order; the grammar
 * state is tracked statically where it is known (no optional field before it could have changed it), so
 * most event codes are constants. Constant bits (event codes, the CH and EE bits around simple values) and
 * fixed-width values (booleans, enumerations, n-bit integers) are merged into as few `w.bits` calls as
 * possible (at most 24 bits each). A required field that is missing raises at once.
 */
import type { Field } from "./fields.js";
import type { Prod, State, TypeGrammar } from "./grammar.js";

/** Part of a value's encoding: fixed-width bits (a constant or an expression), or a statement. */
export type Seg =
  | { k: "bits"; e: string | number; w: number }
  /** A statement that writes. */
  | { k: "stmt"; s: string }
  /** A statement that does not write (may run before pending bits are flushed). */
  | { k: "pure"; s: string };

/** What the encoder of one type needs from the set emitter. */
export interface EncoderCtx {
  /** TypeScript name of the type. */
  name: string;
  g: TypeGrammar;
  fields: Field[];
  /** Statements that move `s` (and the counter `n`) along production `p` taken in state `st`. */
  nextCode(st: State, p: Prod): string;
  prodLabel(p: Prod): string;
  /** The value of field `f` held in `v` (for a simple element: CH bit, value, EE bit; no event code). */
  valueSegs(f: Field, v: string, fname: string): Seg[];
  /** Property access `o.<name>`. */
  prop(o: string, name: string): string;
  /** Largest item count accepted for unbounded arrays. */
  maxOccurs: number;
}

/** Largest n of one merged `w.bits(v, n)` (the writer's fast path handles n ≤ 24). */
const MAX_MERGED_BITS = 24;

/** Collects fixed-width writes and emits them as merged `w.bits` calls. */
class BitAsm {
  private parts: { e: string | number; w: number }[] = [];
  private width = 0;
  constructor(
    private readonly out: string[],
    private readonly indent: string,
  ) {}
  bits(e: string | number, w: number): void {
    if (this.width + w > MAX_MERGED_BITS) this.flush();
    this.parts.push({ e, w });
    this.width += w;
  }
  /** A statement that writes (flushes first). */
  stmt(s: string): void {
    this.flush();
    this.out.push(this.indent + s);
  }
  /** A statement that does not write (no flush needed). */
  pure(s: string): void {
    this.out.push(this.indent + s);
  }
  segs(list: Seg[]): void {
    for (const x of list)
      if (x.k === "bits") this.bits(x.e, x.w);
      else if (x.k === "pure") this.pure(x.s);
      else this.stmt(x.s);
  }
  flush(): void {
    if (this.parts.length === 0) return;
    let shift = this.width;
    let c = 0;
    const terms: string[] = [];
    for (const p of this.parts) {
      shift -= p.w;
      if (typeof p.e === "number") c += p.e * 2 ** shift;
      else terms.push(shift > 0 ? `(${p.e} << ${shift})` : `${p.e}`);
    }
    if (c !== 0 || terms.length === 0) terms.push(String(c));
    this.out.push(`${this.indent}w.bits(${terms.join(" | ")}, ${this.width});`);
    this.parts = [];
    this.width = 0;
  }
}

/** The encoder function of one complex type, plus its tables. */
export function emitEncoder(c: EncoderCtx): string {
  const { name, g, fields } = c;
  const N = JSON.stringify(name);
  const counted = g.positions.some((p) => p.counted);
  const out: string[] = [];
  out.push(`function e_${name}(w: BitWriter, o: T.${name}): void {`);
  out.push(
    `  if (typeof o !== "object" || o === null) throw new ExiEncodeError("EXI_TYPE", "", "expected an object for ${name}");`,
  );
  out.push(`  let s = 0;${counted ? " let n = 0;" : ""}`);
  // Types whose fields are all optional (choices such as BodyType) scan the object's keys once instead of
  // probing every field: on objects of many shapes each probe is a megamorphic property load.
  const scan = fields.length >= 8 && fields.every((f) => f.optional);
  if (scan) {
    const words = Math.ceil(fields.length / 32);
    out.push(`  ${Array.from({ length: words }, (_, k) => `let m${k} = 0;`).join(" ")}`);
    out.push(`  for (const k in o) {`);
    out.push(`    const i = F_${name}.get(k);`);
    out.push(`    if (i === undefined) continue;`);
    out.push(
      words === 1
        ? `    m0 |= 1 << i;`
        : `    ${Array.from({ length: words }, (_, k) => `${k > 0 ? "else " : ""}if (i < ${(k + 1) * 32}) m${k} |= 1 << (i - ${k * 32});`).join(" ")}`,
    );
    out.push(`  }`);
  }
  const isField = (f: Field, p: Prod) =>
    f.kind === "attr"
      ? p.ev === "AT" && p.pos!.attr!.name.local === f.name
      : f.kind === "content"
        ? p.ev === "CH"
        : p.ev === "SE" && p.decl!.name.local === f.name;
  const casesIn = (S: Set<number>, pred: (p: Prod) => boolean) =>
    g.states
      .filter((st) => S.has(st.id))
      .flatMap((st) => st.prods.map((p, code) => ({ st, p, code })).filter((x) => pred(x.p)));
  const nextStates = (p: Prod): number[] =>
    p.next === "self"
      ? (Object.values(g.phaseStates.get(p.pos!.idx)!) as number[])
      : p.next === -1
        ? []
        : [p.next];
  const structErr = (field: string) => `throw structErr(${N}, ${JSON.stringify(field)}, EXP_${name}[s]!);`;

  /** Event code for field `f` from the states in S: a constant when S has one state, else a switch. */
  const eventCode = (
    asm: BitAsm,
    S: Set<number>,
    cases: { st: State; p: Prod; code: number }[],
    field: string,
    chBit: boolean,
    indent: string,
  ) => {
    const extra = chBit ? 1 : 0;
    const only = cases[0];
    if (S.size === 1 && cases.length === 1 && only) {
      asm.bits(only.code, only.st.width);
      if (chBit) asm.bits(0, 1);
      asm.pure(c.nextCode(only.st, only.p));
      return;
    }
    asm.flush();
    out.push(`${indent}switch (s) {`);
    for (const { st, p, code } of cases)
      out.push(
        `${indent}  case ${st.id}: w.bits(${code * 2 ** extra}, ${st.width + extra}); ${c.nextCode(st, p)} break;`,
      );
    out.push(`${indent}  default: ${structErr(field)}`);
    out.push(`${indent}}`);
  };

  let S = new Set<number>([0]);
  const top = new BitAsm(out, "  ");
  fields.forEach((f, fi) => {
    const v = `v${fi}`;
    const acc = f.kind === "content" ? "o.CONTENT" : c.prop("o", f.name);
    top.pure(`const ${v}: any = ${scan ? `m${fi >> 5} & ${1 << (fi & 31)} ? ${acc} : undefined` : acc};`);
    const fname = JSON.stringify(f.name);
    const simpleElem = f.kind === "elem" && f.decl!.type.kind === "simple";
    // a simple element's value segments start with its CH bit, which the event-code writer merges
    const segs = c.valueSegs(f, f.array ? "x" : v, fname);
    const valueSegs = simpleElem ? segs.slice(1) : segs;
    const pred = (p: Prod) => isField(f, p);
    if (!f.array) {
      const cases = casesIn(S, pred);
      const targets = new Set(cases.flatMap((x) => nextStates(x.p)));
      if (cases.length === 0) {
        top.pure(`if (${v} !== undefined) ${structErr(f.name)}`);
        return;
      }
      if (!f.optional) {
        top.pure(`if (${v} === undefined) throw missErr(${N}, ${fname});`);
        eventCode(top, S, cases, f.name, simpleElem, "  ");
        top.segs(valueSegs);
        S = targets;
      } else {
        top.flush();
        out.push(`  if (${v} !== undefined) {`);
        const inner = new BitAsm(out, "    ");
        eventCode(inner, S, cases, f.name, simpleElem, "    ");
        inner.segs(valueSegs);
        inner.flush();
        out.push(`  }`);
        S = new Set([...S, ...targets]);
      }
      return;
    }
    // arrays: states reachable by repeating the field from S
    const loop = new Set(S);
    for (let grew = true; grew; ) {
      grew = false;
      for (const x of casesIn(loop, pred))
        for (const n of nextStates(x.p))
          if (!loop.has(n)) {
            loop.add(n);
            grew = true;
          }
    }
    const cases = casesIn(loop, pred);
    const after = new Set(cases.flatMap((x) => nextStates(x.p)));
    const max = Math.min(f.maxItems, c.maxOccurs);
    top.flush();
    if (!f.optional)
      out.push(
        `  if (${v} === undefined || (Array.isArray(${v}) && ${v}.length === 0)) throw missErr(${N}, ${fname});`,
      );
    out.push(`  if (${v} !== undefined) {`);
    out.push(`    if (!Array.isArray(${v}) || ${v}.length > ${max}) throw arrErr(${fname}, ${v}, ${max});`);
    out.push(`    for (let k = 0; k < ${v}.length; k++) {`);
    out.push(`      const x = ${v}[k];`);
    const inner = new BitAsm(out, "      ");
    eventCode(inner, loop, cases, f.name, simpleElem, "      ");
    inner.segs(valueSegs);
    inner.flush();
    out.push(`    }`);
    out.push(`  }`);
    S = f.optional ? loop : after;
  });
  const ee = casesIn(S, (p) => p.ev === "EE");
  const only = ee[0];
  if (S.size === 1 && ee.length === 1 && only) {
    top.bits(only.code, only.st.width);
    top.flush();
  } else {
    top.flush();
    out.push(`  switch (s) {`);
    for (const { st, code } of ee) out.push(`    case ${st.id}: w.bits(${code}, ${st.width}); return;`);
    out.push(`    default: ${structErr("(end)")}`);
    out.push(`  }`);
  }
  out.push(`}`);
  out.push(
    `const EXP_${name}: readonly string[] = ${JSON.stringify(g.states.map((st) => st.prods.map(c.prodLabel).join("|")))};`,
  );
  if (scan)
    out.push(
      `const F_${name} = new Map<string, number>(${JSON.stringify(fields.map((f, i) => [f.kind === "content" ? "CONTENT" : f.name, i]))});`,
    );
  return out.join("\n");
}
