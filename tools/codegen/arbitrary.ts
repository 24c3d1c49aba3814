/**
 * Random valid instances of a schema type for property tests (issue 3: "for generated valid messages,
 * decode(encode(m)) deep-equals m"). A random walk over the type's EXI grammar (`src/codecs/<set>/grammar.ts`)
 * picks the fields, so choices, sequences, minOccurs/maxOccurs and counted repetitions hold by
 * construction; values come from the field tables (`META`) and respect their facets (enumerations, integer
 * ranges, string/binary maxLength and minLength). Fields are taken in schema order, the order the object
 * model keeps. Test-only: imports fast-check, never imported by src/.
 */
import type fc from "fast-check";
import type { GrammarMeta, ProdMeta, SetMeta, SimpleMeta } from "../../src/exi/meta.js";

/** fast-check's `fc.gen()` value. */
export type Gen = fc.GeneratorValue;

/** The walk found no allowed production (an unsupported or unsatisfiable branch); retry with other choices. */
export class Stuck extends Error {
  override name = "Stuck";
}

/** Limits that keep instances small. */
export interface InstanceLimits {
  /** Repetitions of an unbounded (or large) array beyond which the walk stops repeating when it may. */
  maxRepeat: number;
  /** Nesting depth beyond which optional complex fields are left out. */
  maxDepth: number;
  /** Longest generated string / binary. */
  maxString: number;
  maxBinary: number;
}

const DEFAULTS: InstanceLimits = { maxRepeat: 3, maxDepth: 8, maxString: 24, maxBinary: 40 };

/** Random instances of the complex types of one schema set. */
export class InstanceGen {
  private readonly lim: InstanceLimits;
  constructor(
    private readonly fcx: typeof fc,
    private readonly meta: SetMeta,
    private readonly grammar: GrammarMeta,
    limits: Partial<InstanceLimits> = {},
  ) {
    this.lim = { ...DEFAULTS, ...limits };
  }

  private gen: Set<string> | null = null;

  /**
   * Whether values of type `t` (a complex type name or a simple type) can be generated: for a complex type,
   * End-Element is reachable through supported productions whose field types can be generated (fixpoint).
   */
  supported(t: string | SimpleMeta): boolean {
    if (typeof t !== "string") return t.k !== "unsupported";
    if (this.gen === null) {
      const gen = new Set<string>();
      this.gen = gen;
      const ok = (x: string | SimpleMeta) => (typeof x === "string" ? gen.has(x) : x.k !== "unsupported");
      for (let grew = true; grew; ) {
        grew = false;
        for (const [name, states] of Object.entries(this.grammar)) {
          const tm = this.meta.types[name];
          if (gen.has(name) || !tm) continue;
          const seen = new Set([0]);
          const stack = [0];
          let end = false;
          while (stack.length > 0 && !end)
            for (const [fi, next] of states[stack.pop()!] ?? []) {
              if (fi === -1) end = true;
              if (fi < 0 || !ok(tm.fields[fi]!.t)) continue;
              for (const n of typeof next === "number" ? [next] : next.slice(0, 3))
                if (n >= 0 && !seen.has(n)) {
                  seen.add(n);
                  stack.push(n);
                }
            }
          if (end) {
            gen.add(name);
            grew = true;
          }
        }
      }
    }
    return this.gen.has(t);
  }

  /** A random valid value of type `t`. */
  value(g: Gen, t: string | SimpleMeta, depth = 0): unknown {
    if (typeof t === "string") return this.instance(g, t, depth);
    const f = this.fcx;
    switch (t.k) {
      case "enum":
        return g(f.constantFrom, ...t.v);
      case "boolean":
        return g(f.boolean);
      case "int":
        return g(f.integer, { min: t.min, max: t.max });
      case "bigint":
        return g(f.bigInt, { min: t.min ?? -(2n ** 70n), max: t.max ?? 2n ** 70n });
      case "string": {
        const unit = g(f.constantFrom, "grapheme-ascii", "binary") as "grapheme-ascii" | "binary";
        const minLength = t.min ?? 0;
        return g(f.string, {
          unit,
          minLength,
          maxLength: Math.max(minLength, Math.min(t.max, this.lim.maxString)),
        });
      }
      case "hexBinary":
      case "base64Binary": {
        const minLength = t.min ?? 0;
        return g(f.uint8Array, {
          minLength,
          maxLength: Math.max(minLength, Math.min(t.max, this.lim.maxBinary)),
        });
      }
      default:
        throw new Stuck(`unsupported simple type ${t.k}`);
    }
  }

  /** A random valid instance of complex type `type`: a walk from the start state to End-Element. */
  instance(g: Gen, type: string, depth = 0): Record<string, unknown> {
    const tm = this.meta.types[type];
    const states = this.grammar[type];
    if (!tm || !states) throw new Stuck(`no tables for ${type}`);
    const o: Record<string, unknown> = {};
    let s = 0;
    let n = 0;
    let last = -1;
    let reps = 0;
    for (let step = 0; step < 10_000; step++) {
      const prods = states[s] ?? [];
      const allowed = (p: ProdMeta, capped: boolean) => {
        const fi = p[0];
        if (fi === -1) return true;
        if (fi === -2 || fi < last) return false;
        const f = tm.fields[fi]!;
        if (!this.supported(f.t)) return false;
        if (fi === last) return f.a && (!capped || reps < this.lim.maxRepeat);
        return !(capped && depth >= this.lim.maxDepth && typeof f.t === "string");
      };
      let opts = prods.filter((p) => allowed(p, true));
      if (opts.length === 0) opts = prods.filter((p) => allowed(p, false));
      if (opts.length === 0) throw new Stuck(`${type}: no production allowed in state ${s}`);
      const p =
        opts[opts.length === 1 ? 0 : (g(this.fcx.integer, { min: 0, max: opts.length - 1 }) as number)]!;
      const fi = p[0];
      if (fi === -1) return o;
      const f = tm.fields[fi]!;
      const v = this.value(g, f.t, depth + 1);
      if (f.a) {
        const a = o[f.n] as unknown[] | undefined;
        if (a) a.push(v);
        else o[f.n] = [v];
      } else o[f.n] = v;
      reps = fi === last ? reps + 1 : 1;
      last = fi;
      const next = p[1];
      if (typeof next === "number") {
        s = next;
        if (p[2] === 1) n = 1;
      } else {
        const [lt, mid, full, min, max] = next;
        n++;
        let t = full >= 0 ? full : mid;
        if (mid >= 0 && full >= 0) t = n < max ? mid : full;
        if (lt >= 0) t = n < min ? lt : t;
        s = t;
      }
    }
    throw new Stuck(`${type}: walk too long`);
  }
}
