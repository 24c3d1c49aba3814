/** The X.509 DER reader: random bytes and random DER-shaped input only ever give a CertError naming a field. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CertError, parseCertificate } from "./cert.js";
import { validateChain } from "./chain.js";

/** A random DER-ish tree: SEQUENCEs, SETs, context tags, OIDs, INTEGERs and strings. */
const tlvArb: fc.Memo<Uint8Array> = fc.memo((depth) => {
  const leaf = fc
    .tuple(
      fc.constantFrom(0x02, 0x03, 0x04, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x01),
      fc.uint8Array({ maxLength: 40 }),
    )
    .map(([t, v]) => Uint8Array.from([t, v.length, ...v]));
  if (depth <= 1) return leaf;
  return fc.oneof(
    leaf,
    fc
      .tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0xa3), fc.array(tlvArb(depth - 1), { maxLength: 7 }))
      .map(([t, kids]) => {
        const body = kids.flatMap((k) => [...k]);
        return body.length < 128
          ? Uint8Array.from([t, body.length, ...body])
          : Uint8Array.from([t, 0x82, body.length >> 8, body.length & 0xff, ...body]);
      }),
  );
});

const onlyCertError = (b: Uint8Array) => {
  try {
    parseCertificate(b);
  } catch (err) {
    assert.ok(err instanceof CertError, `${(err as Error).name}: ${(err as Error).message}`);
    assert.match(err.message, /^[\w. [\]-]+: /, "the message names the field");
  }
  // the validator turns every CertError into a named chain result
  const r = validateChain({ leaf: b, subCas: [b], roots: [b], nowMs: 0 });
  assert.equal(typeof r.code, "string");
};

test("random bytes: parseCertificate throws only CertError naming the field", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), onlyCertError), { numRuns: 2000 });
});

test("random DER-shaped trees: parseCertificate throws only CertError", () => {
  fc.assert(fc.property(tlvArb(5), onlyCertError), { numRuns: 2000 });
});
