/**
 * Property tests of the EXI codecs: for generated valid messages, decode(encode(m)) deep-equals m. The
 * messages are random walks over each type's EXI grammar with facet-respecting values
 * (tools/codegen/arbitrary.ts): DIN and ISO-2 V2G_Message per Body element (200 runs each), and every
 * global element of the SAP and ISO 15118-20 sets (fewer runs).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { InstanceGen, Stuck } from "../../tools/codegen/arbitrary.js";
import type { GrammarMeta, SetMeta } from "../exi/meta.js";
import { GRAMMAR as appGrammar } from "./apphand/grammar.js";
import { GRAMMAR as dinGrammar } from "./din/grammar.js";
import { GRAMMAR as iso2Grammar } from "./iso2/grammar.js";
import { GRAMMAR as acGrammar } from "./iso20_ac/grammar.js";
import { GRAMMAR as acdpGrammar } from "./iso20_acdp/grammar.js";
import { GRAMMAR as commonGrammar } from "./iso20_common/grammar.js";
import { GRAMMAR as dcGrammar } from "./iso20_dc/grammar.js";
import { GRAMMAR as wptGrammar } from "./iso20_wpt/grammar.js";
import { CODECS } from "./testing.js";

interface Codec {
  META: SetMeta;
  decodeDocument(b: Uint8Array): Record<string, unknown>;
  encodeDocument(d: never): Uint8Array;
}

/** Encode, decode, compare; a walk that got stuck is discarded. */
function roundTrip(codec: Codec, make: () => Record<string, unknown>): void {
  let doc: Record<string, unknown>;
  try {
    doc = make();
  } catch (e) {
    if (e instanceof Stuck) {
      fc.pre(false);
      return;
    }
    throw e;
  }
  const bytes = codec.encodeDocument(doc as never);
  assert.deepStrictEqual(codec.decodeDocument(bytes), doc);
}

for (const [set, grammar] of [
  ["din", dinGrammar],
  ["iso2", iso2Grammar],
] as const) {
  test(`${set}: decode(encode(m)) deep-equals m for random valid V2G_Messages, 200 per Body element`, (t) => {
    const codec = CODECS[set] as unknown as Codec;
    const gen = new InstanceGen(fc, codec.META, grammar);
    const root = codec.META.globals.V2G_Message!.t as string;
    const fields = codec.META.types[root]!.fields;
    const headerType = fields.find((f) => f.n === "Header")!.t as string;
    const bodyType = fields.find((f) => f.n === "Body")!.t as string;
    const messages = codec.META.types[bodyType]!.fields;
    assert.ok(messages.length >= 30, `${set}: expected the Body elements, got ${messages.length}`);
    for (const m of messages) {
      fc.assert(
        fc.property(fc.gen(), (g) =>
          roundTrip(codec, () => ({
            V2G_Message: {
              Header: gen.instance(g, headerType),
              Body: { [m.n]: gen.value(g, m.t) },
            },
          })),
        ),
        { numRuns: 200 },
      );
    }
    t.diagnostic(`${set}: ${messages.length} Body elements × 200 random messages round-trip`);
  });
}

const OTHER: [string, GrammarMeta][] = [
  ["apphand", appGrammar],
  ["CommonMessages", commonGrammar],
  ["DC", dcGrammar],
  ["AC", acGrammar],
  ["ACDP", acdpGrammar],
  ["WPT", wptGrammar],
];

for (const [set, grammar] of OTHER) {
  test(`${set}: decode(encode(m)) deep-equals m for random valid documents of every global element`, (t) => {
    const codec = CODECS[set] as unknown as Codec;
    const gen = new InstanceGen(fc, codec.META, grammar);
    const roots = Object.entries(codec.META.globals).filter(([, d]) => gen.supported(d.t));
    assert.ok(roots.length > 0);
    for (const [name, d] of roots)
      fc.assert(
        fc.property(fc.gen(), (g) => roundTrip(codec, () => ({ [name]: gen.value(g, d.t) }))),
        { numRuns: 20 },
      );
    t.diagnostic(`${set}: ${roots.length} global elements × 20 random documents round-trip`);
  });
}
