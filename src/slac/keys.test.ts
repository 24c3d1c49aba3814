import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import fc from "fast-check";
import { SlacError } from "./errors.js";
import { generateNmk, NID_LENGTH, NMK_LENGTH, nidFromNmk, nmkFromPassword } from "./keys.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

test("keys: NMK from password 'HomePlugAV0123' and its NID (HomePlug AV vector)", () => {
  const nmk = nmkFromPassword("HomePlugAV0123");
  assert.equal(hex(nmk), "b59319d7e8157ba001b018669ccee30d");
  assert.equal(hex(nidFromNmk(nmk)), "026bcba5354e08");
});

test("keys: NID from the EVerest capture NMK 4b31…5a (SET_KEY.REQ of Audi Q4 session)", () => {
  // NMK and NID as sent together in CM_SET_KEY.REQ by the EVerest EVSE (captures/EVerest-logfiles).
  assert.equal(hex(nidFromNmk(unhex("4b31413238454641594751394644485a"))), "7e7298c7272d00");
});

test("keys: NID security level goes to bits 4-5 of byte 6; bad inputs are SlacError bad-key", () => {
  const nmk = nmkFromPassword("HomePlugAV0123");
  assert.equal(nidFromNmk(nmk, 2)[6], 0x08 | (2 << 4));
  assert.throws(
    () => nidFromNmk(nmk, 4),
    (e: unknown) => e instanceof SlacError && e.code === "bad-key",
  );
  assert.throws(
    () => nidFromNmk(new Uint8Array(15)),
    (e: unknown) => e instanceof SlacError && e.code === "bad-key",
  );
});

test("keys: nidFromNmk equals an independent node:crypto PBKDF1 (property)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: NMK_LENGTH, maxLength: NMK_LENGTH }), (nmk) => {
      let d = createHash("sha256").update(nmk).digest();
      for (let i = 0; i < 4; i++) d = createHash("sha256").update(d).digest();
      const want = Uint8Array.from(d.subarray(0, NID_LENGTH));
      want[6] = want[6]! >> 4;
      const nid = nidFromNmk(nmk);
      assert.equal(hex(nid), hex(want));
      assert.equal(nid[6]! & 0xf0, 0, "simple-connect NID keeps only 4 hash bits in byte 6");
    }),
    { numRuns: 100 },
  );
});

test("keys: generateNmk takes 16 bytes from the injected random source", () => {
  let asked = 0;
  const nmk = generateNmk((n) => {
    asked = n;
    return new Uint8Array(n).map((_, i) => i + 1);
  });
  assert.equal(asked, NMK_LENGTH);
  assert.equal(hex(nmk), "0102030405060708090a0b0c0d0e0f10");
  assert.throws(
    () => generateNmk(() => new Uint8Array(3)),
    (e: unknown) => e instanceof SlacError,
  );
});
