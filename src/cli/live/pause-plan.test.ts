/** `nacs ev --pause-after / --resume-after`: when the pause and the resume are handed to the EV. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createPausePlan, type PauseTimers } from "./pause-plan.js";

/** Fake timers: `run()` fires every pending one, in order, recording its delay. */
function fakeTimers() {
  const pending = new Map<number, { f: () => void; ms: number }>();
  let next = 1;
  const t: PauseTimers & { run(): number[]; pending: typeof pending } = {
    pending,
    setTimeout(f, ms) {
      pending.set(next, { f, ms });
      return next++;
    },
    clearTimeout(h) {
      pending.delete(h as number);
    },
    run() {
      const fired = [...pending.values()];
      pending.clear();
      for (const x of fired) x.f();
      return fired.map((x) => x.ms);
    },
  };
  return t;
}

test("pause S s after the charge loop first starts, resume R s after the EV is paused; each once", () => {
  const timers = fakeTimers();
  const did: string[] = [];
  const plan = createPausePlan({ pauseAfterS: 0.3, resumeAfterS: 0.5 }, (x) => did.push(x), timers);
  plan.onSessionPhase("cable-check");
  plan.onSessionPhase("pre-charge");
  assert.equal(timers.pending.size, 0, "nothing before the charge loop");
  plan.onSessionPhase("charging");
  assert.deepEqual(timers.run(), [300]);
  assert.deepEqual(did, ["pause"]);
  plan.onEvPhase("session");
  plan.onEvPhase("paused");
  assert.deepEqual(timers.run(), [500]);
  assert.deepEqual(did, ["pause", "resume"]);
  // the resumed session charges again and the EV may pause again by other means: no second pause/resume
  plan.onSessionPhase("charging");
  plan.onEvPhase("paused");
  assert.equal(timers.pending.size, 0);
});

test("without --resume-after the EV stays paused; without --pause-after nothing happens; cancel drops a pending pause", () => {
  const timers = fakeTimers();
  const did: string[] = [];
  const pauseOnly = createPausePlan({ pauseAfterS: 1 }, (x) => did.push(x), timers);
  pauseOnly.onSessionPhase("charging");
  timers.run();
  pauseOnly.onEvPhase("paused");
  assert.deepEqual(timers.run(), []);
  assert.deepEqual(did, ["pause"]);
  const none = createPausePlan({}, (x) => did.push(x), timers);
  none.onSessionPhase("charging");
  none.onEvPhase("paused");
  assert.equal(timers.pending.size, 0);
  const cancelled = createPausePlan({ pauseAfterS: 2 }, (x) => did.push(x), timers);
  cancelled.onSessionPhase("charging");
  cancelled.cancel();
  assert.deepEqual(timers.run(), []);
  assert.deepEqual(did, ["pause"]);
});
