/**
 * Emits `src/codecs/<set>/grammar.ts`: the EXI grammar of every complex type as plain tables (see
 * `ProdMeta` in src/exi/meta.ts). Only the property tests import it (random valid instances); the codecs
 * and the package entry points do not.
 */
import type { Field } from "./fields.js";
import type { Prod, TypeGrammar } from "./grammar.js";

const isFieldProd = (f: Field, p: Prod) =>
  f.kind === "attr"
    ? p.ev === "AT" && p.pos!.attr!.name.local === f.name
    : f.kind === "content"
      ? p.ev === "CH"
      : p.ev === "SE" && p.decl!.name.local === f.name;

/** The grammar table of one type as a TypeScript expression. */
export function grammarTable(g: TypeGrammar, fields: Field[]): string {
  const states = g.states.map((st) =>
    st.prods.map((p) => {
      if (p.ev === "EE") return [-1, -1];
      const fi = fields.findIndex((f) => isFieldProd(f, p));
      const unsupported = p.ev === "ANY" || p.ev === "CHU" || fi < 0;
      if (p.next === "self") {
        const ph = g.phaseStates.get(p.pos!.idx)!;
        const max = p.pos!.max === Number.POSITIVE_INFINITY ? -1 : p.pos!.max;
        return [unsupported ? -2 : fi, [ph.lt ?? -1, ph.mid ?? -1, ph.full ?? -1, p.pos!.min, max]];
      }
      const target = g.states[p.next]!;
      const enter = target.pos >= 0 && g.positions[target.pos]!.counted && target.pos !== st.pos;
      return enter ? [unsupported ? -2 : fi, p.next, 1] : [unsupported ? -2 : fi, p.next];
    }),
  );
  return JSON.stringify(states);
}
