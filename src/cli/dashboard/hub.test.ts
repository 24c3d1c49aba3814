import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { RecordEvent } from "../../link/host/record.js";
import { createEventHub, type HubTimers } from "./hub.js";

/** Hand-driven timers: `fire()` runs what is due. */
function manualTimers(): HubTimers & { fire(): void; armed: number[] } {
  let pending: { fn: () => void; ms: number; id: number } | null = null;
  const armed: number[] = [];
  let id = 0;
  return {
    armed,
    setTimeout(fn, ms) {
      pending = { fn, ms, id: ++id };
      armed.push(ms);
      return id;
    },
    clearTimeout(h) {
      if (pending?.id === h) pending = null;
    },
    fire() {
      const p = pending;
      pending = null;
      p?.fn();
    },
  };
}

const ev = (n: number): RecordEvent => ({ t: n / 10, type: "sample", v: n, i: 0, p: 0, soc: 0 });

function collector() {
  const got: RecordEvent[][] = [];
  let ends = 0;
  return {
    got,
    get ends() {
      return ends;
    },
    flat: () => got.flat(),
    sink: { events: (b: readonly RecordEvent[]) => got.push([...b]), end: () => ends++ },
  };
}

test("hub: live events go out in one batch per timer (50 ms), in order, nothing before the timer", () => {
  const timers = manualTimers();
  const hub = createEventHub({ timers });
  const c = collector();
  hub.subscribe(c.sink);
  assert.deepEqual(c.got, [], "an empty history sends no frame");
  for (let n = 0; n < 5; n++) hub.publish(ev(n));
  assert.deepEqual(c.got, [], "batched, not sent at once");
  assert.deepEqual(timers.armed, [50]);
  timers.fire();
  assert.deepEqual(c.got, [[0, 1, 2, 3, 4].map(ev)]);
  hub.publish(ev(5));
  timers.fire();
  assert.deepEqual(c.got[1], [ev(5)]);
  assert.deepEqual(timers.armed, [50, 50]);
});

test("hub: a late subscriber gets the history (in frames) and then only newer events, each once", () => {
  const timers = manualTimers();
  const hub = createEventHub({ timers, historyFrame: 2 });
  for (let n = 0; n < 3; n++) hub.publish(ev(n));
  timers.fire();
  hub.publish(ev(3)); // pending when the second subscriber joins
  const late = collector();
  hub.subscribe(late.sink);
  assert.deepEqual(late.got, [
    [ev(0), ev(1)],
    [ev(2), ev(3)],
  ]);
  hub.publish(ev(4));
  timers.fire();
  assert.deepEqual(late.flat(), [0, 1, 2, 3, 4].map(ev));
});

test("hub: end flushes what is pending, then says end once; later subscribers get history + end", () => {
  const timers = manualTimers();
  const hub = createEventHub({ timers });
  const c = collector();
  hub.subscribe(c.sink);
  hub.publish(ev(0));
  hub.end();
  hub.end();
  assert.deepEqual(c.got, [[ev(0)]]);
  assert.equal(c.ends, 1);
  hub.publish(ev(1));
  const late = collector();
  hub.subscribe(late.sink);
  assert.deepEqual(late.got, [[ev(0)]]);
  assert.equal(late.ends, 1);
});

test("hub: over the cap the history drops its oldest events behind a marker; live subscribers lose nothing", () => {
  const timers = manualTimers();
  const hub = createEventHub({ timers, cap: 10 });
  const live = collector();
  hub.subscribe(live.sink);
  for (let n = 0; n < 25; n++) hub.publish(ev(n));
  timers.fire();
  assert.deepEqual(
    live.flat(),
    Array.from({ length: 25 }, (_, n) => ev(n)),
  );
  const h = hub.history();
  const marker = h[0]!;
  assert.equal(marker.type, "log");
  assert.match(String(marker.msg), /history truncated: the 15 earliest events/);
  assert.equal(marker.truncated, 15);
  assert.equal(hub.dropped, 15);
  assert.deepEqual(
    h.slice(1),
    Array.from({ length: 10 }, (_, n) => ev(n + 15)),
  );
  assert.equal(marker.t, h[1]!.t, "the marker keeps t non-decreasing");
});

test("hub (property): any interleaving of publishes, flushes and subscriptions — every subscriber sees its suffix of the stream in order, once", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom("publish", "flush", "subscribe"), { maxLength: 80 }),
      fc.integer({ min: 1, max: 6 }),
      (ops, frame) => {
        const timers = manualTimers();
        const hub = createEventHub({ timers, historyFrame: frame });
        const subs: ReturnType<typeof collector>[] = [];
        let n = 0;
        for (const op of ops) {
          if (op === "publish") hub.publish(ev(n++));
          else if (op === "flush") timers.fire();
          else {
            const c = collector();
            hub.subscribe(c.sink);
            subs.push(c);
          }
        }
        hub.end();
        const all = Array.from({ length: n }, (_, k) => ev(k));
        for (const s of subs) {
          assert.deepEqual(s.flat(), all);
          assert.ok(s.got.every((b) => b.length > 0 && b.length <= Math.max(frame, n)));
          assert.equal(s.ends, 1);
        }
      },
    ),
  );
});
