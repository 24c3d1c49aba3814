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
  | { k: "zero"; what: "CH" | "EE" }
  | { k: "val"; w: number; v: Extract<ValueRead, { k: "fixed" }>; out: string }
  | { k: "code"; w: number }
  | { k: "read"; e: string; out: string };

/**
 * Emit reads for `segs`: consecutive fixed-width parts are read with one `r.bits` and split with shifts.
 * `ctx` names the place for errors. Values go to the locals named by their `out`.
 */
function emitReads(segs: RSeg[], ctx: string, indent: string, out: string[], tmp: { n: number }): void {
  let group: RSeg[] = [];
  let width = 0;
  const C = JSON.stringify(ctx);
  const flush = () => {
    if (group.length === 0) return;
    if (width === 0) {
      for (const s of group) if (s.k === "val") out.push(`${indent}const ${s.out} = ${s.v.conv("0")};`);
      group = [];
      return;
    }
    const x = `x${tmp.n++}`;
    out.push(`${indent}const ${x} = r.bits(${width});`);
    let shift = width;
    let zmask = 0;
    const zeros: string[] = [];
    for (const s of group) {
      const w = s.k === "zero" ? 1 : s.k === "read" ? 0 : s.w;
      shift -= w;
      if (s.k === "zero") {
        zmask += 2 ** shift;
        zeros.push(`${s.what}@${shift}`);
      }
    }
    if (zmask !== 0)
      out.push(`${indent}if ((${x} & ${zmask}) !== 0) r.badBits(${x}, ${zmask}, ${width}, ${C});`);
    shift = width;
    for (const s of group) {
      if (s.k === "zero") {
        shift -= 1;
        continue;
      }
      if (s.k === "read") continue;
      shift -= s.w;
      const raw = shift > 0 ? `((${x} >>> ${shift}) & ${2 ** s.w - 1})` : `(${x} & ${2 ** s.w - 1})`;
      if (s.k === "code") out.push(`${indent}c = ${s.w === width ? x : raw};`);
      else {
        const y = `y${tmp.n++}`;
        out.push(`${indent}const ${y} = ${s.w === width ? x : raw};`);
        if (s.v.check) out.push(`${indent}${s.v.check(y, `r.pos - ${shift + s.w}`)}`);
        out.push(`${indent}const ${s.out} = ${s.v.conv(y)};`);
      }
    }
    group = [];
    width = 0;
  };
  for (const s of segs) {
    if (s.k === "read") {
      flush();
      out.push(`${indent}const ${s.out} = ${s.e};`);
      continue;
    }
    const w = s.k === "zero" ? 1 : s.w;
    if (width + w > MAX_MERGED_BITS) flush();
    group.push(s);
    width += w;
  }
  flush();
}

function straightDecoder(c: DecoderCtx): string {
  const { name, g, fields } = c;
  const counted = g.positions.some((p) => p.counted);
  const out: string[] = [];
  const tmp = { n: 0 };
  const st0 = g.states[0]!;
  const dynWidth = g.states.some((st) => st.prods.some((p) => p.next === "self"));
  out.push(`function d_${name}(r: BitReader): T.${name} {`);
  out.push(`  const o: any = {};`);
  out.push(`  let s = 0;${counted ? " let n = 0;" : ""}`);
  out.push(`  let c = r.bits(${st0.width});`);
  const casesIn = (S: Set<number>, pred: (p: Prod) => boolean) =>
    g.states
      .filter((st) => S.has(st.id))
      .flatMap((st) => st.prods.map((p, code) => ({ st, p, code })).filter((x) => pred(x.p)));
  const cond = (S: Set<number>, cases: { st: State; code: number }[]) =>
    S.size === 1 && cases.length === 1
      ? `c === ${cases[0]!.code}`
      : cases.map((x) => `(s === ${x.st.id} && c === ${x.code})`).join(" || ");
  /** Body of production p taken in state st: read the value, store it, move on, read the next code. */
  const body = (f: Field, st: State, p: Prod, indent: string): string[] => {
    const lines: string[] = [];
    const ctx = `${c.codeName}/${f.name}`;
    const segs: RSeg[] = [];
    const simpleElem = p.ev === "SE" && p.decl!.type.kind === "simple";
    const v = `v${tmp.n++}`;
    if (p.ev === "SE" && p.decl!.type.kind === "complex")
      segs.push({ k: "read", e: c.elemExpr(p.decl!), out: v });
    else {
      const vr = c.valueRead(p);
      if (simpleElem && vr.k === "read" && vr.ch) segs.push({ k: "read", e: vr.ch, out: v });
      else {
        if (simpleElem) segs.push({ k: "zero", what: "CH" });
        if (vr.k === "fixed") segs.push({ k: "val", w: vr.w, v: vr, out: v });
        else segs.push({ k: "read", e: vr.e, out: v });
      }
      if (simpleElem) segs.push({ k: "zero", what: "EE" });
    }
    const next = p.next;
    if (typeof next === "number" && next >= 0) segs.push({ k: "code", w: g.states[next]!.width });
    emitReads(segs, ctx, indent, lines, tmp);
    const acc = c.prop("o", f.kind === "content" ? "CONTENT" : f.name);
    if (f.array) {
      lines.push(`${indent}const a${v} = ${acc};`);
      lines.push(`${indent}if (a${v} === undefined) ${acc} = [${v}];`);
      lines.push(`${indent}else {`);
      lines.push(`${indent}  a${v}.push(${v});`);
      if (f.maxItems >= c.maxOccurs)
        lines.push(
          `${indent}  if (a${v}.length > ${c.maxOccurs}) r.fail("EXI_LIMIT", "more than ${c.maxOccurs} ${f.name} items", ${JSON.stringify(ctx)});`,
        );
      lines.push(`${indent}}`);
    } else lines.push(`${indent}${acc} = ${v};`);
    lines.push(`${indent}${c.nextCode(st, p)}`);
    if (next === "self") lines.push(`${indent}c = r.bits(WD_${name}[s]!);`);
    return lines;
  };
  const nexts = (p: Prod): number[] =>
    p.next === "self"
      ? (Object.values(g.phaseStates.get(p.pos!.idx)!) as number[])
      : p.next === -1
        ? []
        : [p.next];

  let S = new Set<number>([0]);
  for (const f of fields) {
    const pred = (p: Prod) => isFieldProd(f, p);
    if (!f.array) {
      const cases = casesIn(S, pred);
      if (cases.length === 0) continue;
      const targets = new Set(cases.flatMap((x) => nexts(x.p)));
      const same = cases.every((x) => x.p.next === cases[0]!.p.next && x.p.decl === cases[0]!.p.decl);
      if (!f.optional) out.push(`  if (!(${cond(S, cases)})) x_${name}(r, s, c);`);
      else out.push(`  if (${cond(S, cases)}) {`);
      const ind = f.optional ? "    " : "  ";
      if (same) out.push(...body(f, cases[0]!.st, cases[0]!.p, ind));
      else {
        out.push(`${ind}switch (s) {`);
        for (const x of cases) {
          out.push(`${ind}  case ${x.st.id}: {`);
          out.push(...body(f, x.st, x.p, `${ind}    `));
          out.push(`${ind}    break;`);
          out.push(`${ind}  }`);
        }
        out.push(`${ind}}`);
      }
      if (f.optional) out.push(`  }`);
      S = f.optional ? new Set([...S, ...targets]) : targets;
      continue;
    }
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
    const after = new Set(cases.flatMap((x) => nexts(x.p)));
    out.push(`  for (;;) {`);
    for (const x of cases) {
      out.push(`    if (s === ${x.st.id} && c === ${x.code}) {`);
      out.push(...body(f, x.st, x.p, "      "));
      out.push(`      continue;`);
      out.push(`    }`);
    }
    out.push(`    break;`);
    out.push(`  }`);
    if (!f.optional) out.push(`  if (${c.prop("o", f.name)} === undefined) x_${name}(r, s, c);`);
    S = f.optional ? loop : after;
  }
  const ee = casesIn(S, (p) => p.ev === "EE");
  out.push(ee.length > 0 ? `  if (${cond(S, ee)}) return o;` : "");
  out.push(`  return x_${name}(r, s, c);`);
  out.push(`}`);
  out.push(errorFn(c));
  if (dynWidth)
    out.push(`const WD_${name}: readonly number[] = ${JSON.stringify(g.states.map((st) => st.width))};`);
  return out.filter((l) => l !== "").join("\n");
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
