import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createTcpReassembler, type TcpStreamPiece } from "./tcp-reassembly.js";

function joined(pieces: TcpStreamPiece[]): number[] {
  return pieces.flatMap((p) => (p.kind === "data" ? [...p.data] : []));
}

test("tcp reassembly: out-of-order, duplicated and overlapping segments give the original stream", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 400 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 60 })), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      (stream, cuts, isn, seed) => {
        // segments covering the whole stream, plus random overlapping extras (retransmissions)
        const segs: [number, Uint8Array][] = [];
        for (let o = 0, i = 0; o < stream.length; i++) {
          const len = cuts[i % cuts.length]![1];
          segs.push([o, stream.subarray(o, o + len)]);
          o += len;
        }
        for (const [start, len] of cuts) {
          const s = start % stream.length;
          segs.push([s, stream.subarray(s, s + len)]);
        }
        // deterministic shuffle
        let x = seed;
        for (let i = segs.length - 1; i > 0; i--) {
          x = (x * 1103515245 + 12345) % 2 ** 31;
          const j = x % (i + 1);
          [segs[i], segs[j]] = [segs[j]!, segs[i]!];
        }
        const r = createTcpReassembler();
        const out: TcpStreamPiece[] = [...r.push(isn, true, new Uint8Array(0))];
        for (const [o, d] of segs) out.push(...r.push((isn + 1 + o) >>> 0, false, d));
        out.push(...r.flush());
        assert.ok(
          out.every((p) => p.kind === "data"),
          "no gaps when every byte was sent",
        );
        assert.deepEqual(joined(out), [...stream]);
      },
    ),
    { numRuns: 300 },
  );
});

test("tcp reassembly: a missing segment becomes a gap once too much waits behind it, or at flush", () => {
  const r = createTcpReassembler({ maxHeldBytes: 10 });
  assert.deepEqual(joined(r.push(100, false, Uint8Array.of(1, 2))), [1, 2]);
  assert.deepEqual(r.push(107, false, Uint8Array.of(8, 9, 10, 11, 12, 13)), []); // 102..106 missing
  const p = r.push(113, false, Uint8Array.of(14, 15, 16, 17, 18));
  assert.deepEqual(p[0], { kind: "gap", bytes: 5 });
  assert.deepEqual(joined(p), [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
  assert.equal(r.stats.gaps, 1);
  const r2 = createTcpReassembler();
  r2.push(0xfffffffe, true, new Uint8Array(0)); // SYN, ISN near wrap-around
  assert.deepEqual(r2.push(3, false, Uint8Array.of(5)), []);
  const f = r2.flush();
  assert.deepEqual(f, [
    { kind: "gap", bytes: 4 },
    { kind: "data", data: Uint8Array.of(5) },
  ]);
});

test("reassembly: data the peer acknowledged beyond a hole makes the hole a gap at once, not at the end", () => {
  const r = createTcpReassembler();
  r.push(1000, true, new Uint8Array(0));
  assert.deepEqual(r.push(1001, false, Uint8Array.of(1, 2)), [{ kind: "data", data: Uint8Array.of(1, 2) }]);
  // 1003..1005 is lost by the capture; 1006.. arrives and waits behind the hole
  assert.deepEqual(r.push(1006, false, Uint8Array.of(6, 7)), []);
  assert.deepEqual(r.acked(1003), [], "an ACK below the held data proves nothing");
  assert.deepEqual(r.acked(1008), [
    { kind: "gap", bytes: 3 },
    { kind: "data", data: Uint8Array.of(6, 7) },
  ]);
  assert.equal(r.held, 0);
  assert.deepEqual(r.push(1008, false, Uint8Array.of(8)), [{ kind: "data", data: Uint8Array.of(8) }]);
});
