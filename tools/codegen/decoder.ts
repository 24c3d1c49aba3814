/**
 * Emits the decoder of one complex type (`d_<Type>`). When every path through the grammar meets the fields
 * in schema order (no repeated model group, each field at one position), the decoder is straight-line code
 * in field order: the next event code is read ahead (`c`), each field tests it against the states it can be
 * taken from, and the CH bit, a fixed-width value, the EE bit and the following event code are read with
 * one `r.bits` call where possible. Other types (repeated groups, xmldsig lists) get the general state
 * machine (a loop over a `switch` on the grammar state). Either way malformed input raises ExiDecodeError
 * naming the state and the expected events.
 */
import type { Field } from "./fields.js";
import type { Prod, State, TypeGrammar } from "./grammar.js";
import type { ElementDecl } from "./xsd.js";

/** How a production's value is read. */
export type ValueRead =
  /** Fixed-width bits; `conv` turns the raw bits (a local name) into the value, `check` validates them. */
  | { k: "fixed"; w: number; check?: (x: string, at: string) => string; conv: (x: string) => string }
  /** An expression that reads from `r`; `ch`, when given, also reads the CH bit before it. */
  | { k: "read"; e: string; ch?: string };

/** What the decoder of one type needs from the set emitter. */
export interface DecoderCtx {
  /** TypeScript name of the type. */
  name: string;
  /** Schema name of the type (for error contexts). */
  codeName: string;
  g: TypeGrammar;
  fields: Field[];
  nextCode(st: State, p: Prod): string;
  prodLabel(p: Prod): string;
  prop(o: string, name: string): string;
  maxOccurs: number;
  /** AT/CH/SE production value (for SE of a simple type: the value between its CH and EE bits). */
  valueRead(p: Prod): ValueRead;
  /** General machine: the value of an SE production read whole (CH bit included), and its EE check. */
  elemExpr(d: ElementDecl): string;
  elemEnd(d: ElementDecl): string;
  /** General machine: AT and CH value expressions. */
  attrExpr(p: Prod): string;
  contentExpr(p: Prod): string;
}

/** Largest merged read (the reader's fast path handles n ≤ 25). */
const MAX_MERGED_BITS = 24;

const isFieldProd = (f: Field, p: Prod) =>
  f.kind === "attr"
    ? p.ev === "AT" && p.pos!.attr!.name.local === f.name
    : f.kind === "content"
      ? p.ev === "CH"
      : p.ev === "SE" && p.decl!.name.local === f.name;

/** Whether the straight-line field-order decoder accepts exactly the grammar's language. */
export function fieldOrdered(g: TypeGrammar, fields: Field[]): boolean {
  for (const st of g.states)
    for (const p of st.prods) {
      if (!p.pos || st.pos < 0) continue;
      if (p.pos.idx < st.pos) return false; // a repeated group: positions met out of order
      if (p.pos.idx === st.pos && p.ev !== "SE") return false;
    }
  const posOf = new Map<Field, Set<number>>();
  const fieldsAt = new Map<number, Set<Field>>();
  for (const st of g.states)
    for (const p of st.prods)
      for (const f of fields)
        if (isFieldProd(f, p)) {
          posOf.set(f, (posOf.get(f) ?? new Set()).add(p.pos!.idx));
          fieldsAt.set(p.pos!.idx, (fieldsAt.get(p.pos!.idx) ?? new Set()).add(f));
        }
  for (const s of posOf.values()) if (s.size !== 1) return false;
  for (const [idx, fs] of fieldsAt) if (g.positions[idx]!.max > 1 && fs.size > 1) return false;
  return true;
}

/** The decoder function of one complex type. */
export function emitDecoder(c: DecoderCtx): string {
  return fieldOrdered(c.g, c.fields) ? straightDecoder(c) : machineDecoder(c);
}

/** Per-type tables and the error function shared by both decoder forms. */
function errorFn(c: DecoderCtx): string {
  const { name, g } = c;
  const lines = [`function x_${name}(r: BitReader, s: number, c: number): never {`, `  switch (s) {`];
  for (const st of g.states) {
    const ctx = JSON.stringify(`${c.codeName}#${st.id}`);
    const unsupported = st.prods
      .map((p, code) => ({ p, code }))
      .filter(({ p }) => p.ev === "ANY" || p.ev === "CHU");
    const u = unsupported
      .map(
        ({ p, code }) =>
          `if (c === ${code}) r.fail("EXI_UNSUPPORTED", "${c.prodLabel(p)} content (wildcard/mixed) is not supported", ${ctx}); `,
      )
      .join("");
    lines.push(
      `    case ${st.id}: ${u}return r.badEvent(c, ${st.width}, ${ctx}, ${JSON.stringify(st.prods.map(c.prodLabel).join("|"))});`,
    );
  }
  lines.push(`  }`);
  lines.push(`  return r.fail("EXI_EVENT", "bad grammar state", ${JSON.stringify(c.codeName)});`);
  lines.push(`}`);
  return lines.join("\n");
}

type RSeg =
  | { k: "zero"; what: "CH" | "EE"; ctx: string }
  | { k: "val"; w: number; v: Extract<ValueRead, { k: "fixed" }>; out: string }
  /** An event code: assigned to `c`, or (deferred) checked against `expect` in grammar state `state`. */
  | { k: "code"; w: number; expect?: number; state?: number }
  | { k: "read"; e: string; out: string };

/**
 * Collects reads: consecutive fixed-width parts are read with one `r.bits` and split with shifts; checks run
 * in stream order (a deferred event code that does not match rewinds to just after it and raises). Statements
 * queued with {@link ReadAsm.after} run once the values they use are extracted.
 */
class ReadAsm {
  private group: RSeg[] = [];
  private width = 0;
  private post: string[] = [];
  constructor(
    private readonly out: string[],
    private readonly indent: string,
    private readonly tmp: { n: number },
    private readonly name: string,
  ) {}
  add(s: RSeg): void {
    if (s.k === "read") {
      this.flush();
      this.out.push(`${this.indent}const ${s.out} = ${s.e};`);
      return;
    }
    const w = s.k === "zero" ? 1 : s.w;
    if (this.width + w > MAX_MERGED_BITS) this.flush();
    this.group.push(s);
    this.width += w;
  }
  after(stmt: string): void {
    if (this.group.length === 0) this.out.push(this.indent + stmt);
    else this.post.push(stmt);
  }
  flush(): void {
    const { out, indent, group, width } = this;
    if (group.length > 0) {
      const x = `x${this.tmp.n++}`;
      if (width > 0) out.push(`${indent}const ${x} = r.bits(${width});`);
      let shift = width;
      let zmask = 0;
      let zctx = "";
      const flushZeros = () => {
        if (zmask !== 0)
          out.push(
            `${indent}if ((${x} & ${zmask}) !== 0) r.badBits(${x}, ${zmask}, ${width}, ${JSON.stringify(zctx)});`,
          );
        zmask = 0;
      };
      for (const s of group) {
        if (s.k === "read") continue;
        if (s.k === "zero") {
          shift -= 1;
          if (zmask === 0) zctx = s.ctx;
          zmask += 2 ** shift;
          continue;
        }
        shift -= s.w;
        const raw =
          s.w === 0
            ? "0"
            : s.w === width
              ? x
              : shift > 0
                ? `((${x} >>> ${shift}) & ${2 ** s.w - 1})`
                : `(${x} & ${2 ** s.w - 1})`;
        if (s.k === "code") {
          if (s.expect === undefined) out.push(`${indent}c = ${raw};`);
          else {
            flushZeros();
            const y = `y${this.tmp.n++}`;
            out.push(`${indent}const ${y} = ${raw};`);
            out.push(
              `${indent}if (${y} !== ${s.expect}) {${shift > 0 ? ` r.pos -= ${shift};` : ""} x_${this.name}(r, ${s.state}, ${y}); }`,
            );
          }
          continue;
        }
        const y = `y${this.tmp.n++}`;
        out.push(`${indent}const ${y} = ${raw};`);
        if (s.v.check) {
          flushZeros();
          out.push(`${indent}${s.v.check(y, `r.pos - ${shift + s.w}`)}`);
        }
        out.push(`${indent}const ${s.out} = ${s.v.conv(y)};`);
      }
      flushZeros();
    }
    for (const p of this.post) out.push(indent + p);
    this.group = [];
    this.width = 0;
    this.post = [];
  }
}

function straightDecoder(c: DecoderCtx): string {
  const { name, g, fields } = c;
  const counted = g.positions.some((p) => p.counted);
  const out: string[] = [];
  const tmp = { n: 0 };
  const st0 = g.states[0]!;
  const dynWidth = g.states.some((st) => st.prods.some((p) => p.next === "self"));
  const casesIn = (S: Set<number>, pred: (p: Prod) => boolean) =>
    g.states
      .filter((st) => S.has(st.id))
      .flatMap((st) => st.prods.map((p, code) => ({ st, p, code })).filter((x) => pred(x.p)));
  type Case = { st: State; p: Prod; code: number };
  const cond = (S: Set<number>, cases: Case[]) =>
    S.size === 1 && cases.length === 1
      ? `c === ${cases[0]!.code}`
      : cases.map((x) => `(s === ${x.st.id} && c === ${x.code})`).join(" || ");
  const nexts = (p: Prod): number[] =>
    p.next === "self"
      ? (Object.values(g.phaseStates.get(p.pos!.idx)!) as number[])
      : p.next === -1
        ? []
        : [p.next];

  // pre-pass: the state sets, and which blocks check their own event code (read with the previous value)
  interface Block {
    f: Field | null; // null: End-Element
    S: Set<number>;
    cases: Case[];
    deferred: boolean;
  }
  const blocks: Block[] = [];
  {
    let S = new Set<number>([0]);
    let prevStraight = true; // the previous block is a required non-array field with one body (or none)
    for (const f of [...fields, null]) {
      const pred = f ? (p: Prod) => isFieldProd(f, p) : (p: Prod) => p.ev === "EE";
      if (f?.array) {
        const loop = new Set(S);
        for (let grew = true; grew; ) {
          grew = false;
          for (const x of casesIn(loop, pred))
            for (const n of nexts(x.p))
              if (!loop.has(n)) {
                loop.add(n);
                grew = true;
              }
        }
        const cases = casesIn(loop, pred);
        if (cases.length === 0) continue;
        blocks.push({ f, S: loop, cases, deferred: false });
        S = f.optional ? loop : new Set(cases.flatMap((x) => nexts(x.p)));
        prevStraight = false;
        continue;
      }
      const cases = casesIn(S, pred);
      if (f && cases.length === 0) continue;
      const required = !f || !f.optional;
      const single = S.size === 1 && cases.length === 1;
      blocks.push({ f, S, cases, deferred: required && single && prevStraight });
      if (!f) break;
      const targets = new Set(cases.flatMap((x) => nexts(x.p)));
      S = f.optional ? new Set([...S, ...targets]) : targets;
      prevStraight =
        required && cases.every((x) => x.p.next === cases[0]!.p.next && x.p.decl === cases[0]!.p.decl);
    }
  }

  out.push(`function d_${name}(r: BitReader): T.${name} {`);
  out.push(`  const o: any = {};`);
  out.push(`  let s = 0;${counted ? " let n = 0;" : ""}`);
  out.push(blocks[0]?.deferred ? `  let c = 0;` : `  let c = r.bits(${st0.width});`);
  const top = new ReadAsm(out, "  ", tmp, name);

  /** Reads and stores of production p (state st) of field f; `deferNext`: the next block checks its own code. */
  const body = (asm: ReadAsm, f: Field, st: State, p: Prod, deferNext: boolean, own?: number): void => {
    const ctx = `${c.codeName}/${f.name}`;
    if (own !== undefined) asm.add({ k: "code", w: st.width, expect: own, state: st.id });
    const simpleElem = p.ev === "SE" && p.decl!.type.kind === "simple";
    const v = `v${tmp.n++}`;
    if (p.ev === "SE" && p.decl!.type.kind === "complex")
      asm.add({ k: "read", e: c.elemExpr(p.decl!), out: v });
    else {
      const vr = c.valueRead(p);
      if (simpleElem && vr.k === "read" && vr.ch) asm.add({ k: "read", e: vr.ch, out: v });
      else {
        if (simpleElem) asm.add({ k: "zero", what: "CH", ctx });
        if (vr.k === "fixed") asm.add({ k: "val", w: vr.w, v: vr, out: v });
        else asm.add({ k: "read", e: vr.e, out: v });
      }
      if (simpleElem) asm.add({ k: "zero", what: "EE", ctx });
    }
    const next = p.next;
    if (typeof next === "number" && next >= 0 && !deferNext) asm.add({ k: "code", w: g.states[next]!.width });
    const acc = c.prop("o", f.kind === "content" ? "CONTENT" : f.name);
    if (f.array) {
      asm.after(`const a${v} = ${acc};`);
      asm.after(`if (a${v} === undefined) ${acc} = [${v}];`);
      asm.after(
        `else { a${v}.push(${v});${f.maxItems >= c.maxOccurs ? ` if (a${v}.length > ${c.maxOccurs}) r.fail("EXI_LIMIT", "more than ${c.maxOccurs} ${f.name} items", ${JSON.stringify(ctx)});` : ""} }`,
      );
    } else asm.after(`${acc} = ${v};`);
    asm.after(c.nextCode(st, p));
    if (next === "self") {
      asm.flush();
      asm.after(`c = r.bits(WD_${name}[s]!);`);
    }
  };

  blocks.forEach((b, bi) => {
    const deferNext = blocks[bi + 1]?.deferred === true;
    const { f, S, cases } = b;
    if (!f) {
      // End-Element
      if (b.deferred) {
        top.add({ k: "code", w: cases[0]!.st.width, expect: cases[0]!.code, state: cases[0]!.st.id });
        top.flush();
        out.push(`  return o;`);
      } else {
        top.flush();
        out.push(`  if (${cond(S, cases)}) return o;`);
        out.push(`  return x_${name}(r, s, c);`);
      }
      return;
    }
    if (b.deferred) {
      body(top, f, cases[0]!.st, cases[0]!.p, deferNext, cases[0]!.code);
      return;
    }
    top.flush();
    if (f.array) {
      out.push(`  for (;;) {`);
      for (const x of cases) {
        out.push(`    if (s === ${x.st.id} && c === ${x.code}) {`);
        const a = new ReadAsm(out, "      ", tmp, name);
        body(a, f, x.st, x.p, false);
        a.flush();
        out.push(`      continue;`);
        out.push(`    }`);
      }
      out.push(`    break;`);
      out.push(`  }`);
      if (!f.optional) out.push(`  if (${c.prop("o", f.name)} === undefined) x_${name}(r, s, c);`);
      return;
    }
    const same = cases.every((x) => x.p.next === cases[0]!.p.next && x.p.decl === cases[0]!.p.decl);
    if (!f.optional) {
      out.push(`  if (!(${cond(S, cases)})) x_${name}(r, s, c);`);
      if (same) {
        body(top, f, cases[0]!.st, cases[0]!.p, deferNext);
        return;
      }
    } else out.push(`  if (${cond(S, cases)}) {`);
    const ind = f.optional ? "    " : "  ";
    if (same) {
      const a = new ReadAsm(out, ind, tmp, name);
      body(a, f, cases[0]!.st, cases[0]!.p, false);
      a.flush();
    } else {
      out.push(`${ind}switch (s) {`);
      for (const x of cases) {
        out.push(`${ind}  case ${x.st.id}: {`);
        const a = new ReadAsm(out, `${ind}    `, tmp, name);
        body(a, f, x.st, x.p, false);
        a.flush();
        out.push(`${ind}    break;`);
        out.push(`${ind}  }`);
      }
      out.push(`${ind}}`);
    }
    if (f.optional) out.push(`  }`);
  });
  if (blocks.length === 0 || blocks[blocks.length - 1]!.f !== null) {
    top.flush();
    out.push(`  return x_${name}(r, s, c);`);
  }
  out.push(`}`);
  out.push(errorFn(c));
  if (dynWidth)
    out.push(`const WD_${name}: readonly number[] = ${JSON.stringify(g.states.map((st) => st.width))};`);
  return out.join("\n");
}

/** The general state machine (repeated groups): a loop over a switch on the grammar state. */
function machineDecoder(c: DecoderCtx): string {
  const { name, g, fields } = c;
  const counted = g.positions.some((p) => p.counted);
  const fieldByDecl = (d: ElementDecl) => fields.find((f) => f.kind === "elem" && f.name === d.name.local)!;
  const d: string[] = [];
  d.push(`function d_${name}(r: BitReader): T.${name} {`);
  d.push(`  const o: any = {};`);
  d.push(`  let s = 0;${counted ? " let n = 0;" : ""}`);
  d.push(`  for (;;) {`);
  d.push(`    switch (s) {`);
  for (const st of g.states) {
    const ctx = `${c.codeName}#${st.id}`;
    d.push(`      case ${st.id}: {`);
    d.push(`        const c = r.bits(${st.width});`);
    st.prods.forEach((p, code) => {
      let body: string;
      switch (p.ev) {
        case "EE":
          body = "return o;";
          break;
        case "AT":
          body = `${c.prop("o", p.pos!.attr!.name.local)} = ${c.attrExpr(p)}; ${c.nextCode(st, p)}`;
          break;
        case "CH":
          body = `o.CONTENT = ${c.contentExpr(p)}; ${c.nextCode(st, p)}`;
          break;
        case "SE": {
          const f = fieldByDecl(p.decl!);
          const v = c.elemExpr(p.decl!);
          const acc = c.prop("o", f.name);
          const store = f.array
            ? `{ const v = ${v}; const a = ${acc}; if (a === undefined) ${acc} = [v]; else { a.push(v); ${f.maxItems >= c.maxOccurs ? `if (a.length > ${c.maxOccurs}) r.fail("EXI_LIMIT", "more than ${c.maxOccurs} ${f.name} items", ${JSON.stringify(ctx)});` : ""} } }`
            : `${acc} = ${v};`;
          body = `${store}${c.elemEnd(p.decl!)} ${c.nextCode(st, p)}`;
          break;
        }
        default:
          body = `x_${name}(r, s, c);`;
      }
      d.push(`        ${code === 0 ? "if" : "else if"} (c === ${code}) { ${body} }`);
    });
    d.push(`        else x_${name}(r, s, c);`);
    d.push(`        break;`);
    d.push(`      }`);
  }
  d.push(`      default: return r.fail("EXI_EVENT", "bad grammar state", ${JSON.stringify(c.codeName)});`);
  d.push(`    }`);
  d.push(`  }`);
  d.push(`}`);
  d.push(errorFn(c));
  return d.join("\n");
}
