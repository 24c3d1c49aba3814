/**
 * Schema-informed EXI element grammars (W3C EXI 1.0 §8.5.4), built as a Glushkov automaton over
 * the particle tree: with the Unique Particle Attribution constraint every state is "after position p", which
 * is exactly the normalised (ε-free, deterministic, duplicate-merged) EXI grammar. Bounded repetitions of an
 * element particle (maxOccurs n > 1, minOccurs > 1) use a counter with up to three phases instead of n
 * copies; the productions (and so the event codes) of each phase equal those of the expanded copies.
 * Non-strict: every state has a second level, so the first-level width is ceil(log2(declared + 1)).
 */
import {
  type AttrUse,
  type ComplexType,
  type ElementDecl,
  type Particle,
  qcompare,
  type SchemaSet,
  type SimpleType,
} from "./xsd.js";

/** A position (symbol occurrence) of the content model. */
export interface Pos {
  idx: number;
  kind: "AT" | "SE" | "ANY" | "CH";
  attr?: AttrUse;
  /** SE: the element declarations this position accepts (substitution-group expansion, sorted by qname). */
  elems?: ElementDecl[];
  any?: string;
  chType?: SimpleType;
  min: number;
  max: number;
  /** Needs a counter (bounded maxOccurs > 1 or minOccurs > 1). */
  counted: boolean;
}

export type Phase = "one" | "lt" | "mid" | "full";

/** A production of a state, in event-code order. */
export interface Prod {
  ev: "AT" | "SE" | "ANY" | "EE" | "CH" | "CHU";
  pos?: Pos;
  decl?: ElementDecl;
  /** Next state, or "self" for a counted self-loop (phase computed from the counter), -1 for EE. */
  next: number | "self";
}

export interface State {
  id: number;
  /** Position just matched (-1 = start). */
  pos: number;
  phase: Phase;
  prods: Prod[];
  /** First-level event-code width in bits (non-strict: declared + 1 codes). */
  width: number;
}

export interface TypeGrammar {
  type: ComplexType;
  positions: Pos[];
  states: State[];
  /** For counted positions: state ids of each phase. */
  phaseStates: Map<number, Partial<Record<Phase, number>>>;
}

/** ceil(log2(n)) for n ≥ 1 (0 when n = 1). */
export function codeWidth(n: number): number {
  let w = 0;
  while (1 << w < n) w++;
  return w;
}

interface Info {
  first: Set<Pos>;
  last: Set<Pos>;
  nullable: boolean;
}

/** Build the grammar of a complex type within a schema set. */
export function buildTypeGrammar(set: SchemaSet, type: ComplexType): TypeGrammar {
  const positions: Pos[] = [];
  const follow = new Map<Pos, Set<Pos>>();
  const newPos = (p: Omit<Pos, "idx">): Pos => {
    const q = { ...p, idx: positions.length } as Pos;
    positions.push(q);
    follow.set(q, new Set());
    return q;
  };
  const leaf = (p: Pos): Info => {
    if (p.max > 1) follow.get(p)!.add(p);
    return { first: new Set([p]), last: new Set([p]), nullable: p.min === 0 };
  };
  const seq = (items: Info[]): Info => {
    const first = new Set<Pos>();
    for (const it of items) {
      for (const p of it.first) first.add(p);
      if (!it.nullable) break;
    }
    const last = new Set<Pos>();
    for (let i = items.length - 1; i >= 0; i--) {
      for (const p of items[i]!.last) last.add(p);
      if (!items[i]!.nullable) break;
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        for (const l of items[i]!.last) for (const f of items[j]!.first) follow.get(l)!.add(f);
        if (!items[j]!.nullable) break;
      }
    }
    return { first, last, nullable: items.every((x) => x.nullable) };
  };
  const walk = (pt: Particle): Info => {
    if (pt.kind === "element") {
      const elems = pt.decl.global ? set.substitutes(pt.decl) : [pt.decl];
      return leaf(
        newPos({ kind: "SE", elems, min: pt.min, max: pt.max, counted: isCounted(pt.min, pt.max) }),
      );
    }
    if (pt.kind === "any")
      return leaf(
        newPos({
          kind: "ANY",
          any: pt.namespace,
          min: pt.min,
          max: pt.max,
          counted: isCounted(pt.min, pt.max),
        }),
      );
    const parts = pt.items.map(walk);
    let info: Info;
    if (pt.kind === "sequence") info = seq(parts);
    else {
      info = {
        first: new Set(),
        last: new Set(),
        nullable: parts.length === 0 || parts.some((x) => x.nullable),
      };
      for (const p of parts) {
        for (const x of p.first) info.first.add(x);
        for (const x of p.last) info.last.add(x);
      }
    }
    if (pt.min > 1 || (pt.max > 1 && pt.max !== Number.POSITIVE_INFINITY))
      throw new Error(`${type.codeName}: bounded repetition of a model group is not supported`);
    if (pt.max > 1) for (const l of info.last) for (const f of info.first) follow.get(l)!.add(f);
    if (pt.min === 0) info.nullable = true;
    return info;
  };
  const parts: Info[] = type.attributes.map((a) =>
    leaf(newPos({ kind: "AT", attr: a, min: a.required ? 1 : 0, max: 1, counted: false })),
  );
  const c = type.content;
  if (c.kind === "simple")
    parts.push(leaf(newPos({ kind: "CH", chType: c.type, min: 1, max: 1, counted: false })));
  else if (c.kind === "particle") parts.push(walk(c.particle));
  const root = seq(parts);
  const nAttr = type.attributes.length;

  for (const p of positions)
    if (p.counted && [...follow.get(p)!].some((q) => q === p) && isInLoopOtherThanSelf(p, follow))
      throw new Error(`${type.codeName}: counted particle inside a repeated group is not supported`);

  // states
  const states: State[] = [];
  const phaseStates = new Map<number, Partial<Record<Phase, number>>>();
  const stateOf = new Map<string, number>();
  const key = (pos: number, phase: Phase) => `${pos}:${phase}`;
  const alloc = (pos: number, phase: Phase): number => {
    const k = key(pos, phase);
    let id = stateOf.get(k);
    if (id === undefined) {
      id = states.length;
      stateOf.set(k, id);
      states.push({ id, pos, phase, prods: [], width: 0 });
      if (pos >= 0 && positions[pos]!.counted) {
        const m = phaseStates.get(pos) ?? {};
        m[phase] = id;
        phaseStates.set(pos, m);
      }
      work.push(id);
    }
    return id;
  };
  const entryPhase = (p: Pos): Phase => (!p.counted ? "one" : 1 < p.min ? "lt" : 1 < p.max ? "mid" : "full");
  const work: number[] = [];
  alloc(-1, "one");
  while (work.length > 0) {
    const id = work.shift()!;
    const st = states[id]!;
    const p = st.pos >= 0 ? positions[st.pos]! : undefined;
    let targets: Pos[];
    let ee: boolean;
    if (!p) {
      targets = [...root.first];
      ee = root.nullable;
    } else {
      const fol = [...follow.get(p)!];
      const isLast = root.last.has(p);
      if (!p.counted) {
        targets = fol;
        ee = isLast;
      } else if (st.phase === "lt") {
        targets = [p];
        ee = false;
      } else if (st.phase === "mid") {
        targets = fol;
        ee = isLast;
      } else {
        targets = fol.filter((q) => q !== p);
        ee = isLast;
      }
    }
    targets.sort((a, b) => a.idx - b.idx);
    const prods: Prod[] = [];
    for (const t of targets) {
      const next: number | "self" = p && t === p && t.counted ? "self" : -2;
      const resolveNext = () => (next === "self" ? "self" : alloc(t.idx, entryPhase(t)));
      if (t.kind === "AT") prods.push({ ev: "AT", pos: t, next: resolveNext() });
      else if (t.kind === "CH") prods.push({ ev: "CH", pos: t, next: resolveNext() });
      else if (t.kind === "ANY") prods.push({ ev: "ANY", pos: t, next: resolveNext() });
      else {
        const n = resolveNext();
        for (const d of t.elems!) prods.push({ ev: "SE", pos: t, decl: d, next: n });
      }
    }
    if (p?.counted && st.phase !== "full") {
      // a counted position in phase lt/mid may go to the other phases through "self"; make sure they exist
      if (p.max !== Number.POSITIVE_INFINITY) alloc(p.idx, "full");
      if (p.max > p.min + 1 || p.max === Number.POSITIVE_INFINITY) alloc(p.idx, "mid");
    }
    if (ee) prods.push({ ev: "EE", next: -1 });
    // mixed content: CH [untyped] in every state where content may occur (all required attributes seen)
    if (
      type.mixed &&
      prods.some((x) => x.ev !== "AT" || false) &&
      (st.pos >= nAttr || prods.some((x) => x.ev !== "AT"))
    )
      prods.push({ ev: "CHU", next: id });
    const cat = (x: Prod) =>
      x.ev === "AT"
        ? 0
        : x.ev === "SE"
          ? 2
          : x.ev === "ANY"
            ? x.pos!.any === "##any" || x.pos!.any === "##other"
              ? 4
              : 3
            : x.ev === "EE"
              ? 5
              : 6;
    prods.sort((a, b) => {
      const d = cat(a) - cat(b);
      if (d !== 0) return d;
      if (a.ev === "AT") return qcompare(a.pos!.attr!.name, b.pos!.attr!.name);
      if (a.ev === "SE") return a.pos!.idx - b.pos!.idx || qcompare(a.decl!.name, b.decl!.name);
      return a.pos && b.pos ? a.pos.idx - b.pos.idx : 0;
    });
    // determinism (UPA) check
    const seen = new Set<string>();
    for (const x of prods) {
      const k =
        x.ev === "SE"
          ? `SE{${x.decl!.name.ns}}${x.decl!.name.local}`
          : x.ev === "AT"
            ? `AT${x.pos!.attr!.name.local}`
            : x.ev;
      if (seen.has(k))
        throw new Error(`${type.codeName}: non-deterministic content model (${k} twice in one state)`);
      seen.add(k);
    }
    st.prods = prods;
    st.width = codeWidth(prods.length + 1);
  }
  return { type, positions, states, phaseStates };
}

function isCounted(min: number, max: number): boolean {
  return min > 1 || (max > 1 && max !== Number.POSITIVE_INFINITY);
}

function isInLoopOtherThanSelf(p: Pos, follow: Map<Pos, Set<Pos>>): boolean {
  // is p reachable from a successor other than itself?
  const seen = new Set<Pos>();
  const stack = [...follow.get(p)!].filter((q) => q !== p);
  while (stack.length > 0) {
    const q = stack.pop()!;
    if (q === p) return true;
    if (seen.has(q)) continue;
    seen.add(q);
    for (const r of follow.get(q)!) stack.push(r);
  }
  return false;
}
