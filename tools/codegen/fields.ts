/**
 * Fields of a complex type as the generated TypeScript sees them (one property per attribute, simple content
 * and element name), derived from the type's EXI grammar: optional when End-Element is reachable without
 * the field, an array when it can occur twice.
 */
import type { Prod, State, TypeGrammar } from "./grammar.js";
import { type ElementDecl, type QN, qkey, type SimpleType, type TypeDef } from "./xsd.js";

/** One property of a generated interface. */
export interface Field {
  name: string;
  kind: "attr" | "elem" | "content";
  decl?: ElementDecl;
  qn?: QN;
  type: TypeDef;
  array: boolean;
  optional: boolean;
  maxItems: number;
  firstPos: number;
}

/** Two simple types are the same (by name, or structurally when anonymous). */
export function sameSimple(a: SimpleType, b: SimpleType): boolean {
  if (a.name && b.name) return qkey(a.name) === qkey(b.name);
  return (
    JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? String(v) : v))
  );
}

/** Fields of a complex type: attributes, simple content, then one property per element name. */
export function computeFields(g: TypeGrammar): Field[] {
  const byName = new Map<string, Field>();
  const order: Field[] = [];
  for (const st of g.states) {
    for (const p of st.prods) {
      let name: string;
      let f: Field | undefined;
      if (p.ev === "AT") {
        name = p.pos!.attr!.name.local;
        f = byName.get(`a:${name}`);
        if (!f) {
          f = {
            name,
            kind: "attr",
            qn: p.pos!.attr!.name,
            type: p.pos!.attr!.type,
            array: false,
            optional: true,
            maxItems: 1,
            firstPos: p.pos!.idx,
          };
          byName.set(`a:${name}`, f);
          order.push(f);
        }
      } else if (p.ev === "CH") {
        f = byName.get("CONTENT");
        if (!f) {
          f = {
            name: "CONTENT",
            kind: "content",
            type: p.pos!.chType!,
            array: false,
            optional: true,
            maxItems: 1,
            firstPos: p.pos!.idx,
          };
          byName.set("CONTENT", f);
          order.push(f);
        }
      } else if (p.ev === "SE") {
        name = p.decl!.name.local;
        f = byName.get(`e:${name}`);
        if (!f) {
          f = {
            name,
            kind: "elem",
            decl: p.decl!,
            qn: p.decl!.name,
            type: p.decl!.type,
            array: false,
            optional: true,
            maxItems: 1,
            firstPos: p.pos!.idx,
          };
          byName.set(`e:${name}`, f);
          order.push(f);
        } else if (qkey(f.decl!.name) !== qkey(p.decl!.name) || f.decl!.type !== p.decl!.type) {
          if (
            !(
              f.decl!.type.kind === "simple" &&
              p.decl!.type.kind === "simple" &&
              sameSimple(f.decl!.type, p.decl!.type)
            )
          )
            throw new Error(`${g.type.codeName}: two different elements named ${name}`);
        }
        f.firstPos = Math.min(f.firstPos, p.pos!.idx);
      }
    }
  }
  const isField = (f: Field, p: Prod) =>
    f.kind === "attr"
      ? p.ev === "AT" && p.pos!.attr!.name.local === f.name
      : f.kind === "content"
        ? p.ev === "CH"
        : p.ev === "SE" && p.decl!.name.local === f.name;
  const nextOf = (_st: State, p: Prod): number[] => {
    if (p.next === -1) return [];
    if (p.next === "self") return Object.values(g.phaseStates.get(p.pos!.idx)!) as number[];
    return [p.next];
  };
  for (const f of order) {
    // optional: can EE be reached from the start without using f?
    const seen = new Set<number>([0]);
    const stack = [0];
    let endOk = false;
    while (stack.length > 0) {
      const st = g.states[stack.pop()!]!;
      for (const p of st.prods) {
        if (isField(f, p)) continue;
        if (p.ev === "EE") endOk = true;
        for (const n of nextOf(st, p))
          if (!seen.has(n)) {
            seen.add(n);
            stack.push(n);
          }
      }
    }
    f.optional = endOk;
    // array: can f occur twice? (reach an f-production from a state after an f-production)
    const after: number[] = [];
    for (const st of g.states) for (const p of st.prods) if (isField(f, p)) after.push(...nextOf(st, p));
    const seen2 = new Set<number>(after);
    const st2 = [...after];
    let twice = false;
    while (st2.length > 0 && !twice) {
      const st = g.states[st2.pop()!]!;
      for (const p of st.prods) {
        if (isField(f, p)) {
          twice = true;
          break;
        }
        for (const n of nextOf(st, p))
          if (!seen2.has(n)) {
            seen2.add(n);
            st2.push(n);
          }
      }
    }
    f.array = twice;
    if (twice) {
      const poss = g.positions.filter((p) =>
        g.states.some((st) => st.prods.some((q) => q.pos === p && isField(f, q))),
      );
      f.maxItems = poss.reduce(
        (s, p) => s + (p.max === Number.POSITIVE_INFINITY || !p.counted ? Number.POSITIVE_INFINITY : p.max),
        0,
      );
    }
  }
  return order.sort((a, b) =>
    a.kind === b.kind || (a.kind !== "attr" && b.kind !== "attr")
      ? a.firstPos - b.firstPos
      : a.kind === "attr"
        ? -1
        : 1,
  );
}
