import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ETHERNET_MIN_FRAME_LENGTH, ETHERTYPE_HOMEPLUG_AV } from "./constants.js";
import { SlacError } from "./errors.js";
import { decodeSlacFrame, encodeSlacFrame, type SlacFrame } from "./frame.js";
import type { CmSlacParmReq } from "./index.js";
import { decodeMme, encodeMme, mmtypeOf } from "./mme-codec.js";
import { type FieldSpec, type KnownMmeKind, MME_SCHEMAS, type Mme } from "./mme-schema.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const kinds = Object.keys(MME_SCHEMAS) as KnownMmeKind[];
const isSlacError = (e: unknown) => e instanceof SlacError;

/** Arbitrary MME of `kind`, built from its schema (variable fields set their count field). */
function arbKnown(kind: KnownMmeKind): fc.Arbitrary<Mme> {
  const rec: Record<string, fc.Arbitrary<unknown>> = {};
  const fields = MME_SCHEMAS[kind].fields as readonly FieldSpec[];
  for (const [name, fk] of fields) {
    if (fk === "u8") rec[name] = fc.integer({ min: 0, max: 0xff });
    else if (fk === "u16le") rec[name] = fc.integer({ min: 0, max: 0xffff });
    else if (fk === "u32le") rec[name] = fc.integer({ min: 0, max: 0xffffffff });
    else if ("bytes" in fk) rec[name] = fc.uint8Array({ minLength: fk.bytes, maxLength: fk.bytes });
    else rec[name] = fc.uint8Array({ maxLength: 100 });
  }
  return fc
    .record({
      fields: fc.record(rec),
      mmv: fc.integer({ min: 0, max: 3 }),
      fmi: fc.integer({ min: 0, max: 0xff }),
      fmsn: fc.integer({ min: 0, max: 0xff }),
      odd: fc.boolean(),
    })
    .map(({ fields: f, mmv, fmi, fmsn, odd }) => {
      const o: Record<string, unknown> = { kind, mmv, ...f };
      if (mmv >= 1) Object.assign(o, { fmi, fmsn });
      for (const [name, fk] of fields) {
        if (typeof fk === "object" && "lengthFrom" in fk) {
          const len = (o[name] as Uint8Array).length;
          o[fk.lengthFrom] = fk.nibbles ? Math.max(0, len * 2 - (odd ? 1 : 0)) : len;
        }
      }
      return o as unknown as Mme;
    });
}

const arbUnknown: fc.Arbitrary<Mme> = fc
  .record({
    mmv: fc.integer({ min: 0, max: 0xff }),
    mmtype: fc
      .integer({ min: 0, max: 0xffff })
      .filter((t) => !kinds.some((k) => MME_SCHEMAS[k].mmtype === t)),
    fmi: fc.integer({ min: 0, max: 0xff }),
    fmsn: fc.integer({ min: 0, max: 0xff }),
    payload: fc.uint8Array({ maxLength: 200 }),
  })
  .map(({ mmv, mmtype, fmi, fmsn, payload }) =>
    mmv >= 1
      ? { kind: "unknown" as const, mmv, mmtype, fmi, fmsn, payload }
      : { kind: "unknown" as const, mmv, mmtype, payload },
  );

const arbMme = fc.oneof(...kinds.map(arbKnown), arbUnknown);
const arbMac = fc.uint8Array({ minLength: 6, maxLength: 6 });

test("mme: typed construction, MMTYPE little-endian, 60-byte zero padding (CM_SLAC_PARM.REQ)", () => {
  const req: CmSlacParmReq = {
    kind: "CM_SLAC_PARM.REQ",
    applicationType: 0,
    securityType: 0,
    runId: unhex("37f6d85a6ca34fcf"),
  };
  const bytes = encodeSlacFrame({ dst: unhex("ffffffffffff"), src: unhex("007dfa087c85"), mme: req });
  assert.equal(bytes.length, ETHERNET_MIN_FRAME_LENGTH);
  // Same bytes as the EV's CM_SLAC_PARM.REQ in the EVerest captures (frame 0x6064).
  assert.equal(hex(bytes), `ffffffffffff007dfa087c8588e10164600000000037f6d85a6ca34fcf${"00".repeat(31)}`);
  const back = decodeSlacFrame(bytes);
  assert.equal(back.mme.kind, "CM_SLAC_PARM.REQ");
  assert.equal(back.trailer?.length, 31);
});

test("mme: every known kind round-trips encode → decode (property)", () => {
  fc.assert(
    fc.property(arbMme, (m) => {
      const { mme, trailer } = decodeMme(encodeMme(m));
      assert.deepEqual(mme, m);
      assert.equal(trailer.length, 0);
    }),
    { numRuns: 500 },
  );
});

test("mme: frames round-trip, ≥ 60 bytes, trailer kept byte-for-byte (property)", () => {
  const arbFrame = fc.record({
    dst: arbMac,
    src: arbMac,
    mme: arbMme,
    trailer: fc.uint8Array({ maxLength: 40 }),
    vlan: fc.option(
      fc.record({ tpid: fc.constantFrom(0x8100, 0x88a8), tci: fc.integer({ min: 0, max: 0xffff }) }),
      {
        nil: undefined,
      },
    ),
  });
  fc.assert(
    fc.property(arbFrame, (f) => {
      const frame: SlacFrame = { dst: f.dst, src: f.src, mme: f.mme, trailer: f.trailer };
      if (f.vlan) frame.vlan = { ...f.vlan };
      const bytes = encodeSlacFrame(frame);
      assert.ok(bytes.length >= ETHERNET_MIN_FRAME_LENGTH);
      const back = decodeSlacFrame(bytes);
      assert.deepEqual(back.vlan, f.vlan ? { ...f.vlan } : undefined);
      // Unknown MMEs keep everything after the header (trailer and padding too) in `payload`.
      let tail = back.trailer!;
      let kept = f.trailer;
      if (f.mme.kind === "unknown" && back.mme.kind === "unknown") {
        assert.equal(back.trailer!.length, 0);
        tail = back.mme.payload;
        kept = Uint8Array.from([...f.mme.payload, ...f.trailer]);
        assert.deepEqual({ ...back.mme, payload: null }, { ...f.mme, payload: null });
      } else {
        assert.deepEqual(back.mme, f.mme);
      }
      assert.equal(hex(tail.subarray(0, kept.length)), hex(kept));
      assert.ok(
        tail.subarray(kept.length).every((b) => b === 0),
        "padding is zeros",
      );
      assert.equal(hex(encodeSlacFrame(back)), hex(bytes));
    }),
    { numRuns: 400 },
  );
});

test("mme: random bytes decode or throw SlacError; whatever decodes re-encodes identically (property)", () => {
  const knownHead = fc
    .record({
      mmv: fc.integer({ min: 0, max: 2 }),
      kind: fc.constantFrom(...kinds),
      tail: fc.uint8Array({ maxLength: 120 }),
    })
    .map(({ mmv, kind, tail }) => {
      const t = MME_SCHEMAS[kind].mmtype;
      return Uint8Array.from([mmv, t & 0xff, t >> 8, ...tail]);
    });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 130 }), knownHead), (body) => {
      try {
        const { mme, trailer } = decodeMme(body);
        assert.equal(hex(encodeMme(mme, trailer)), hex(body));
      } catch (e) {
        assert.ok(isSlacError(e), `unexpected ${String(e)}`);
      }
      const frame = Uint8Array.from([...new Uint8Array(12).fill(0xab), 0x88, 0xe1, ...body]);
      for (const bytes of [frame, body]) {
        try {
          const f = decodeSlacFrame(bytes);
          const padded = new Uint8Array(Math.max(bytes.length, ETHERNET_MIN_FRAME_LENGTH));
          padded.set(bytes);
          assert.equal(hex(encodeSlacFrame(f)), hex(padded));
        } catch (e) {
          assert.ok(isSlacError(e), `unexpected ${String(e)}`);
        }
      }
    }),
    { numRuns: 500 },
  );
});

test("mme: errors are named — truncated, not-homeplug, bad-field", () => {
  const code = (c: string) => (e: unknown) => isSlacError(e) && (e as SlacError).code === c;
  assert.throws(() => decodeSlacFrame(new Uint8Array(10)), code("truncated"));
  assert.throws(
    () => decodeSlacFrame(unhex(`${"00".repeat(12)}0800${"00".repeat(46)}`)),
    code("not-homeplug"),
  );
  // CM_SLAC_MATCH.CNF cut short.
  assert.throws(() => decodeMme(unhex("017d60000000005600")), code("truncated"));
  const good: CmSlacParmReq = {
    kind: "CM_SLAC_PARM.REQ",
    applicationType: 0,
    securityType: 0,
    runId: new Uint8Array(8),
  };
  assert.throws(() => encodeMme({ ...good, runId: new Uint8Array(7) }), /runId: 7 bytes, must be 8 bytes/);
  assert.throws(() => encodeMme({ ...good, applicationType: 256 }), code("bad-field"));
  assert.throws(() => encodeMme({ ...good, mmv: -1 }), code("bad-field"));
  assert.throws(
    () =>
      encodeMme({
        kind: "CM_ATTEN_PROFILE.IND",
        pevMac: new Uint8Array(6),
        numGroups: 58,
        reserved: 0,
        aag: new Uint8Array(3),
      }),
    /aag: 3 bytes, must be 58 bytes \(from numGroups\)/,
  );
  assert.throws(
    () => encodeSlacFrame({ dst: new Uint8Array(5), src: new Uint8Array(6), mme: good }),
    code("bad-field"),
  );
});

test("mme: unknown/vendor MMEs (QCA 0xA14E, MMV 0) stay raw and keep their MMTYPE", () => {
  const body = unhex("004ea100000000e04c68001d3a00100000");
  const { mme } = decodeMme(body);
  assert.equal(mme.kind, "unknown");
  assert.equal(mmtypeOf(mme), 0xa14e);
  assert.equal(mme.mmv, 0);
  assert.equal(hex(encodeMme(mme)), hex(body));
  assert.equal(ETHERTYPE_HOMEPLUG_AV, 0x88e1);
});
