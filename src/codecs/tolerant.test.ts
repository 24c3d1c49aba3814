/**
 * Property tests of the tolerant reader, for every codec family: a random valid message (the random walks of
 * tools/codegen/arbitrary.ts) gets one facet violation injected that its EXI coding can carry — an n-bit
 * integer above its maxInclusive (EXI 1.0 §7.1.9), an Integer outside its range (§7.1.5), an enumeration
 * index past the end (§7.2), a string or binary longer than its maxLength — and is encoded with
 * `tolerant: true`. Decoding it by default keeps the value and names exactly that field in `warnings`;
 * re-encoding the decoded message gives the same bytes; `strict: true` throws ExiDecodeError.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type Gen, InstanceGen, Stuck } from "../../tools/codegen/arbitrary.js";
import { warningsOf } from "../exi/decoded.js";
import { ExiDecodeError } from "../exi/errors.js";
import { DEFAULT_MAX_BINARY_LENGTH, DEFAULT_MAX_STRING_LENGTH } from "../exi/limits.js";
import type { GrammarMeta, SetMeta, SimpleMeta } from "../exi/meta.js";
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
  decodeDocument(b: Uint8Array, o?: { strict?: boolean }): Record<string, unknown>;
  encodeDocument(d: never, o?: { tolerant?: boolean }): Uint8Array;
}

interface Leaf {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  t: SimpleMeta;
  path: string;
}

const width = (n: number) => {
  let w = 0;
  while (1 << w < n) w++;
  return w;
};

/** A value breaking the facet of `t` that its EXI coding still carries, or undefined when there is none. */
function violation(g: Gen, t: SimpleMeta): unknown {
  switch (t.k) {
    case "enum": {
      const top = 2 ** width(t.v.length) - 1;
      return top >= t.v.length ? g(fc.integer, { min: t.v.length, max: top }) : undefined;
    }
    case "int": {
      const n = t.max - t.min + 1;
      if (n <= 4096) {
        const top = t.min + 2 ** width(n) - 1; // n-bit unsigned integer (EXI 1.0 §7.1.9)
        return top > t.max ? g(fc.integer, { min: t.max + 1, max: top }) : undefined;
      }
      const over = t.max + g(fc.integer, { min: 1, max: 1000 });
      if (t.min > 0) return g(fc.boolean) ? over : g(fc.integer, { min: 0, max: t.min - 1 });
      if (t.min < 0) return g(fc.boolean) ? over : t.min - g(fc.integer, { min: 1, max: 1000 });
      return over <= Number.MAX_SAFE_INTEGER ? over : undefined;
    }
    case "bigint":
      return t.max !== undefined ? t.max + BigInt(g(fc.integer, { min: 1, max: 1000 })) : undefined;
    case "string":
      return t.max < DEFAULT_MAX_STRING_LENGTH
        ? "x".repeat(t.max + g(fc.integer, { min: 1, max: 5 }))
        : undefined;
    case "hexBinary":
    case "base64Binary":
      return t.max < DEFAULT_MAX_BINARY_LENGTH
        ? new Uint8Array(t.max + g(fc.integer, { min: 1, max: 5 })).fill(0xa5)
        : undefined;
    default:
      return undefined;
  }
}

/** Every simple value of a document with its holder and field path (as the decoder names it). */
function leaves(meta: SetMeta, doc: Record<string, unknown>): Leaf[] {
  const out: Leaf[] = [];
  const visit = (t: string | SimpleMeta, holder: Leaf["holder"], key: string | number, path: string) => {
    const v = (holder as Record<string | number, unknown>)[key];
    if (v === undefined) return;
    if (typeof t !== "string") {
      out.push({ holder, key, t, path });
      return;
    }
    const tm = meta.types[t];
    if (!tm) return;
    const o = v as Record<string, unknown>;
    for (const f of tm.fields) {
      const fv = o[f.n];
      if (fv === undefined) continue;
      if (f.a) {
        const items = fv as unknown[];
        for (let i = 0; i < items.length; i++) visit(f.t, items, i, `${path}.${f.n}[${i}]`);
      } else visit(f.t, o, f.n, `${path}.${f.n}`);
    }
  };
  for (const root in doc) {
    const g = meta.globals[root] ?? meta.elements[root];
    if (g) visit(g.t, doc, root, root);
  }
  return out;
}

/** Inject one violation into `make()`'s document; check tolerant decode, byte-exact re-encode and strict. */
let checked = 0;

function injected(codec: Codec, g: Gen, make: () => Record<string, unknown>): void {
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
  const cands = leaves(codec.META, doc)
    .map((l) => ({ l, v: violation(g, l.t) }))
    .filter((x) => x.v !== undefined);
  fc.pre(cands.length > 0);
  const { l, v } = cands[g(fc.integer, { min: 0, max: cands.length - 1 })]!;
  (l.holder as Record<string | number, unknown>)[l.key] = v;
  const bytes = codec.encodeDocument(doc as never, { tolerant: true });
  const back = codec.decodeDocument(bytes);
  assert.deepEqual(
    warningsOf(back).map((w) => w.path),
    [l.path],
  );
  assert.deepStrictEqual(back, doc);
  assert.deepEqual(codec.encodeDocument(back as never), bytes);
  assert.throws(
    () => codec.decodeDocument(bytes, { strict: true }),
    (e) => e instanceof ExiDecodeError && (e.code === "EXI_VALUE" || e.code === "EXI_LIMIT"),
  );
  checked++;
}

/** Run the property and require most runs to have injected something. */
function run(t: { diagnostic(s: string): void }, set: string, p: fc.IProperty<[Gen]>, numRuns: number) {
  checked = 0;
  fc.assert(p, { numRuns });
  t.diagnostic(`${set}: ${checked} messages with an injected violation`);
  assert.ok(checked >= numRuns / 2, `${set}: only ${checked} of ${numRuns} runs injected a violation`);
}

for (const [set, grammar] of [
  ["din", dinGrammar],
  ["iso2", iso2Grammar],
] as const) {
  test(`${set}: an injected facet violation decodes with one warning naming it, re-encodes byte-exact, strict throws`, (t) => {
    const codec = CODECS[set] as unknown as Codec;
    const gen = new InstanceGen(fc, codec.META, grammar);
    const root = codec.META.globals.V2G_Message!.t as string;
    const fields = codec.META.types[root]!.fields;
    const headerType = fields.find((f) => f.n === "Header")!.t as string;
    const bodyType = fields.find((f) => f.n === "Body")!.t as string;
    const messages = codec.META.types[bodyType]!.fields.filter((m) => gen.supported(m.t));
    run(
      t,
      set,
      fc.property(fc.gen(), (g) => {
        const m = messages[g(fc.integer, { min: 0, max: messages.length - 1 })]!;
        injected(codec, g, () => ({
          V2G_Message: { Header: gen.instance(g, headerType), Body: { [m.n]: gen.value(g, m.t) } },
        }));
      }),
      300,
    );
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
  test(`${set}: an injected facet violation decodes with one warning naming it, re-encodes byte-exact, strict throws`, (t) => {
    const codec = CODECS[set] as unknown as Codec;
    const gen = new InstanceGen(fc, codec.META, grammar);
    const roots = Object.entries(codec.META.globals).filter(([, d]) => gen.supported(d.t));
    run(
      t,
      set,
      fc.property(fc.gen(), (g) => {
        const [name, d] = roots[g(fc.integer, { min: 0, max: roots.length - 1 })]!;
        injected(codec, g, () => ({ [name]: gen.value(g, d.t) }));
      }),
      150,
    );
  });
}

test("decode(): warnings and padding on the message (paths inside V2G_Message); encode and encodeDocument give the bytes back", async () => {
  const { din } = await import("./index.js");
  const message = {
    Header: { SessionID: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
    Body: {
      CurrentDemandReq: {
        DC_EVStatus: { EVReady: true, EVErrorCode: 14 as never, EVRESSSOC: 101 },
        EVTargetCurrent: { Multiplier: 0, Unit: "A" as const, Value: 40000 },
        ChargingComplete: false,
        EVTargetVoltage: { Multiplier: 0, Unit: "V" as const, Value: 400 },
      },
    },
  };
  assert.throws(() => din.encode(message), /EVErrorCode/);
  const bytes = din.encode(message, { tolerant: true, paddingBytes: 1 });
  assert.equal(bytes[bytes.length - 1], 0);
  const seen: string[] = [];
  const m = din.decode(bytes, { onWarning: (w) => seen.push(w.code === "EXI_FACET" ? w.path : w.code) });
  const paths = [
    "Body.CurrentDemandReq.DC_EVStatus.EVErrorCode",
    "Body.CurrentDemandReq.DC_EVStatus.EVRESSSOC",
    "Body.CurrentDemandReq.EVTargetCurrent.Value",
  ];
  assert.deepEqual(seen, ["EXI_TRAILING_ZERO_BYTES", ...paths]);
  assert.deepEqual(
    warningsOf(m).map((w) => [w.path, w.rule]),
    [
      [paths[0], "enumeration (12 values)"],
      [paths[1], "maxInclusive 100"],
      [paths[2], "maxInclusive 32767"],
    ],
  );
  assert.equal(
    m.Body.CurrentDemandReq!.DC_EVStatus.EVErrorCode,
    14 as never,
    "an unknown index stays a number",
  );
  assert.equal(Object.keys(m).includes("warnings"), false);
  assert.deepEqual(din.encode(m), bytes);
  assert.deepEqual(din.encodeDocument({ V2G_Message: m }), bytes);
  assert.throws(
    () => din.decode(bytes, { strict: true }),
    (e) => e instanceof ExiDecodeError && e.code === "EXI_VALUE",
  );
});

test("a tolerant encode still refuses what the EXI coding cannot carry", async () => {
  const { din } = await import("./index.js");
  const { ExiEncodeError } = await import("../exi/errors.js");
  const msg = (status: Record<string, unknown>, multiplier = 0) => ({
    Header: { SessionID: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) },
    Body: {
      CurrentDemandReq: {
        DC_EVStatus: { EVReady: true, EVErrorCode: "NO_ERROR", EVRESSSOC: 50, ...status },
        EVTargetCurrent: { Multiplier: multiplier, Unit: "A", Value: 1 },
        ChargingComplete: false,
        EVTargetVoltage: { Multiplier: 0, Unit: "V", Value: 400 },
      },
    },
  });
  const refused = (m: unknown, code: string, field: RegExp) =>
    assert.throws(
      () => din.encode(m as never, { tolerant: true }),
      (e) => e instanceof ExiEncodeError && e.code === code && field.test(e.path.join(".")),
    );
  // percentValueType [0, 100] is a 7-bit field: 127 fits, 128 does not (EXI 1.0 §7.1.9)
  din.encode(msg({ EVRESSSOC: 127 }) as never, { tolerant: true });
  refused(msg({ EVRESSSOC: 128 }), "EXI_RANGE", /EVRESSSOC$/);
  // Multiplier [-3, 3] is a 3-bit field: 4 fits, -4 does not
  din.encode(msg({}, 4) as never, { tolerant: true });
  refused(msg({}, -4), "EXI_RANGE", /Multiplier$/);
  // DC_EVErrorCodeType: 12 values in a 4-bit code, so 15 fits and 16 does not (EXI 1.0 §7.2)
  din.encode(msg({ EVErrorCode: 15 }) as never, { tolerant: true });
  refused(msg({ EVErrorCode: 16 }), "EXI_ENUM", /EVErrorCode$/);
  refused(msg({ EVErrorCode: "NOT_A_CODE" }), "EXI_ENUM", /EVErrorCode$/);
  // a binary over the hard limit (limits.ts)
  const big = { ...msg({}), Header: { SessionID: new Uint8Array(70000) } };
  refused(big, "EXI_LENGTH", /SessionID$/);
});
