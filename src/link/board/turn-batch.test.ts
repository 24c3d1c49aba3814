import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createTurnBatch } from "./turn-batch.js";

/** A batch on a hand-driven event loop: `turn()` runs what was scheduled. */
function harness(urgent?: (m: number) => boolean) {
  const sent: number[][] = [];
  let pending: (() => void)[] = [];
  const batch = createTurnBatch<number>({
    send: (b) => sent.push(b),
    schedule: (f) => pending.push(f),
    ...(urgent && { urgent }),
  });
  const turn = () => {
    const run = pending;
    pending = [];
    for (const f of run) f();
  };
  return { batch, sent, turn, scheduled: () => pending.length };
}

test("turn batch: what one turn queued leaves as one batch, in order, with one scheduled flush", () => {
  const h = harness();
  for (const m of [1, 2, 3]) h.batch.push(m);
  assert.deepEqual(h.sent, []);
  assert.equal(h.scheduled(), 1);
  h.turn();
  assert.deepEqual(h.sent, [[1, 2, 3]]);
  h.turn();
  assert.deepEqual(h.sent, [[1, 2, 3]], "an empty turn sends nothing");
  h.batch.push(4);
  h.turn();
  assert.deepEqual(h.sent, [[1, 2, 3], [4]]);
});

test("turn batch: an urgent message leaves at once with what was queued before it; the rest waits for the turn", () => {
  const h = harness((m) => m < 0);
  h.batch.push(1);
  h.batch.push(-1);
  assert.deepEqual(h.sent, [[1, -1]]);
  h.batch.push(2);
  h.turn();
  assert.deepEqual(h.sent, [[1, -1], [2]]);
});

test("turn batch (property): every message is sent exactly once, in order, in non-empty batches, and an urgent one is never left queued", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constant("turn" as const)), { maxLength: 60 }),
      (steps) => {
        const h = harness((m) => m < 0);
        const pushed: number[] = [];
        for (const s of steps) {
          if (s === "turn") h.turn();
          else {
            h.batch.push(s);
            pushed.push(s);
            if (s < 0) assert.equal(h.sent.flat().length, pushed.length, "urgent: nothing left queued");
          }
        }
        h.turn();
        assert.ok(h.sent.every((b) => b.length > 0));
        assert.deepEqual(h.sent.flat(), pushed);
      },
    ),
  );
});
