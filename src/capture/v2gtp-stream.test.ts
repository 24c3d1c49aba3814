import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { encodeV2gtpMessage } from "../v2g/index.js";
import { createV2gtpStream, type V2gtpPiece } from "./v2gtp-stream.js";

const msgArb = fc.record({
  type: fc.constantFrom(0x8001, 0x8002, 0x8004, 0x9000, 0xa123),
  payload: fc.uint8Array({ maxLength: 3000 }),
});

function feed(bytes: Uint8Array, sizes: number[]): V2gtpPiece[] {
  const s = createV2gtpStream();
  const out: V2gtpPiece[] = [];
  for (let o = 0, i = 0; o < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    out.push(...s.push(bytes.subarray(o, o + n)));
    o += n;
  }
  out.push(...s.flush());
  return out;
}

test("v2gtp stream: any chunking gives back every message", () => {
  fc.assert(
    fc.property(
      fc.array(msgArb, { maxLength: 12 }),
      fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 6 }),
      (msgs, sizes) => {
        const bytes = Uint8Array.from(msgs.flatMap((m) => [...encodeV2gtpMessage(m.type, m.payload)]));
        const out = feed(bytes, sizes);
        assert.deepEqual(
          out.map((p) => (p.kind === "message" ? [p.payloadType, [...p.payload]] : ["junk"])),
          msgs.map((m) => [m.type, [...m.payload]]),
        );
      },
    ),
    { numRuns: 200 },
  );
});

test("v2gtp stream: junk between messages is reported with its bytes, then framing resumes", () => {
  const a = encodeV2gtpMessage(0x8001, Uint8Array.of(0x80, 1, 2));
  const junk = Uint8Array.of(0xde, 0xad, 0x01, 0xfe, 0x77, 0x77, 0xbe, 0xef, 9);
  const b = encodeV2gtpMessage(0x8001, Uint8Array.of(0x80, 3));
  const out = feed(Uint8Array.from([...a, ...junk, ...b]), [5]);
  assert.equal(out.length, 3);
  assert.equal(out[1]?.kind, "junk");
  assert.deepEqual(out[1]?.kind === "junk" ? [...out[1].bytes] : [], [...junk]);
  assert.deepEqual(out[2]?.kind === "message" ? [...out[2].payload] : [], [0x80, 3]);
  // a gap in the middle of a message: the partial message is junk, the next whole message decodes
  const s = createV2gtpStream();
  assert.deepEqual(s.push(a.subarray(0, 9)), []);
  const g = s.gap(2);
  assert.equal(g[0]?.kind, "junk");
  assert.match(g[0]?.kind === "junk" ? g[0].reason : "", /gap of 2 bytes/);
  const next = s.push(Uint8Array.from([0x02, ...b]));
  assert.equal(next.at(-1)?.kind, "message");
});
