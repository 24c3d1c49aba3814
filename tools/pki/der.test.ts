import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { namedBits, oid, time, tlv, uint } from "./der.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("der: known encodings (X.690 examples, RFC 5280 OIDs)", () => {
  assert.equal(hex(oid("1.2.840.10045.4.3.2")), "06082a8648ce3d040302");
  assert.equal(hex(oid("2.5.4.3")), "0603550403");
  assert.equal(hex(uint(0)), "020100");
  assert.equal(hex(uint(127)), "02017f");
  assert.equal(hex(uint(128)), "02020080");
  assert.equal(hex(uint(Uint8Array.of(0, 0, 5))), "020105");
  // KeyUsage keyCertSign|cRLSign = 0x06 with 1 unused bit; digitalSignature|keyAgreement = 0x88, 3 unused.
  assert.equal(hex(namedBits([5, 6])), "03020106");
  assert.equal(hex(namedBits([0, 4])), "03020388");
  assert.equal(
    new TextDecoder().decode(time(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))).subarray(2)),
    "260102030405Z",
  );
  assert.equal(time(new Date(Date.UTC(2050, 0, 1)))[0], 0x18);
});

test("der: tlv length field round-trips for any content length (property)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 70_000 }), (n) => {
      const t = tlv(0x04, new Uint8Array(n));
      const first = t[1]!;
      const len =
        first < 0x80 ? first : [...t.subarray(2, 2 + (first & 0x7f))].reduce((a, b) => a * 256 + b, 0);
      const head = first < 0x80 ? 2 : 2 + (first & 0x7f);
      assert.equal(len, n);
      assert.equal(t.length, head + n);
      if (n >= 0x80) assert.notEqual(t[2], 0, "minimal length encoding");
    }),
    { numRuns: 200 },
  );
});
