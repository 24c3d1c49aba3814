import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createTurnBatch } from "./turn-batch.js";

/** A message of link `k`; urgent when `urgent`. */
interface Msg {
  k: number;
  n: number;
  urgent?: boolean;
}

/** A batch on a hand-driven event loop: `turn()` runs what was scheduled. */
function harness(keyed: boolean) {
  const sent: Msg[][] = [];
  let pending: (() => void)[] = [];
  const batch = createTurnBatch<Msg>({
    send: (b) => sent.push(b),
    schedule: (f) => pending.push(f),
    urgent: (m) => m.urgent === true,
    ...(keyed && { key: (m: Msg) => m.k }),
  });
  const turn = () => {
    const run = pending;
    pending = [];
    for (const f of run) f();
  };
  return { batch, sent, turn, scheduled: () => pending.length };
}

const m = (k: number, n: number, urgent = false): Msg => ({ k, n, ...(urgent && { urgent }) });

test("turn batch: what one turn queued leaves as one batch, in order, with one scheduled flush", () => {
  const h = harness(true);
  for (const n of [1, 2, 3]) h.batch.push(m(n % 2, n));
  assert.deepEqual(h.sent, []);
  assert.equal(h.scheduled(), 1);
  h.turn();
  assert.deepEqual(h.sent, [[m(1, 1), m(0, 2), m(1, 3)]]);
  h.turn();
  assert.equal(h.sent.length, 1, "an empty turn sends nothing");
  h.batch.push(m(0, 4));
  h.turn();
  assert.deepEqual(h.sent, [[m(1, 1), m(0, 2), m(1, 3)], [m(0, 4)]]);
});

test("turn batch: an urgent message leaves at once after its own key's queued messages; the other keys' wait for the turn", () => {
  const h = harness(true);
  h.batch.push(m(1, 1));
  h.batch.push(m(2, 2));
  h.batch.push(m(1, 3));
  h.batch.push(m(1, 4, true));
  assert.deepEqual(h.sent, [[m(1, 1), m(1, 3), m(1, 4, true)]]);
  h.turn();
  assert.deepEqual(h.sent[1], [m(2, 2)]);
});

test("turn batch without keys: an urgent message takes everything queued before it along", () => {
  const h = harness(false);
  h.batch.push(m(1, 1));
  h.batch.push(m(2, 2, true));
  assert.deepEqual(h.sent, [[m(1, 1), m(2, 2, true)]]);
  h.turn();
  assert.equal(h.sent.length, 1);
});

test("turn batch (property): every message is sent exactly once, in non-empty batches; each key's messages in their order; an urgent one leaves at once, after its key's earlier ones and with no other key's", () => {
  const step = fc.oneof(
    fc.record({ k: fc.integer({ min: 0, max: 3 }), urgent: fc.boolean() }),
    fc.constant("turn" as const),
  );
  fc.assert(
    fc.property(fc.boolean(), fc.array(step, { maxLength: 60 }), (keyed, steps) => {
      const h = harness(keyed);
      const pushed: Msg[] = [];
      for (const s of steps) {
        if (s === "turn") {
          h.turn();
          continue;
        }
        const msg = m(s.k, pushed.length, s.urgent);
        const before = h.sent.length;
        h.batch.push(msg);
        pushed.push(msg);
        if (s.urgent) {
          assert.equal(h.sent.length, before + 1, "sent at once");
          const b = h.sent.at(-1)!;
          assert.equal(b.at(-1), msg, "last in its batch");
          if (keyed)
            assert.ok(
              b.every((x) => x.k === msg.k),
              "no other key's message along",
            );
          const sentSoFar = new Set(h.sent.flat());
          assert.ok(
            pushed.filter((x) => x.k === msg.k || !keyed).every((x) => sentSoFar.has(x)),
            "its key's earlier messages sent",
          );
        }
      }
      h.turn();
      const all = h.sent.flat();
      assert.ok(h.sent.every((b) => b.length > 0));
      assert.equal(all.length, pushed.length);
      assert.equal(new Set(all).size, pushed.length);
      for (const k of [0, 1, 2, 3])
        assert.deepEqual(
          all.filter((x) => x.k === k),
          pushed.filter((x) => x.k === k),
        );
    }),
  );
});
