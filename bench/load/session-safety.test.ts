import assert from "node:assert/strict";
import { test } from "node:test";
import type { SeccSession } from "../../src/link/host/secc-session.js";
import type { SeccControl, SeccState } from "../../src/v2g/index.js";
import { SessionSafety } from "./session-safety.js";

/** A session stand-in: only the state fields the supervisor reads, and the controls it receives. */
function fakeSession(currentA: number): { session: SeccSession; controls: SeccControl[] } {
  const controls: SeccControl[] = [];
  const state = {
    contactors: "closed",
    readings: { presentVoltageV: 400, presentCurrentA: currentA },
  } as unknown as SeccState;
  const session = {
    state: () => state,
    control: (c: SeccControl) => controls.push(c),
  } as unknown as SeccSession;
  return { session, controls };
}

test("emergency stop: off command in the same call, session ended with emergency-stop, first press wins", () => {
  const { session, controls } = fakeSession(200);
  const s = new SessionSafety(session);
  s.observe();
  assert.equal(s.stage.contactorsClosed, true);
  const t = s.emergencyStop();
  assert.ok(t);
  assert.ok(t.offMs >= t.detectedMs);
  assert.equal(s.stage.offCommandAtMs, t.offMs);
  assert.deepEqual(controls, [{ op: "emergency-stop" }]);
  // 200 A flowing: the supervisor keeps the contactors closed until the current falls below 5 A
  assert.equal(s.stage.contactorsClosed, true);
  assert.equal(s.tripped, true);
  assert.equal(s.emergencyStop(), null);
  assert.equal(controls.length, 1);
});

test("emergency stop with no current: contactors opened by the same trip", () => {
  const { session } = fakeSession(0);
  const s = new SessionSafety(session);
  s.observe();
  assert.ok(s.emergencyStop());
  assert.equal(s.stage.contactorsClosed, false);
});
