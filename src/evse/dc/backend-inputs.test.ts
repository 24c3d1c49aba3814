/** The backend's inputs to the EVSE: the EIM answer reaches the SECC's readings; a stop request names the stop. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultSeccReadings } from "../../v2g/index.js";
import { evseDcConfig, initialEvseDc, powerModuleConfig, stepEvseDc } from "./index.js";

const cfg = evseDcConfig({
  pins: "dc",
  module: powerModuleConfig("1000v", 250_000),
  slac: { mac: new Uint8Array(6), random: (n) => new Uint8Array(n) },
  secc: { readings: { ...defaultSeccReadings(), authorization: "pending" } },
});

test("authorization input: pending → accepted / rejected reaches the SECC's readings, logged", () => {
  const s0 = initialEvseDc(cfg);
  assert.equal(s0.secc.readings.authorization, "pending");
  const [s1, fx] = stepEvseDc(s0, { kind: "authorization", result: "accepted", tMs: 5 });
  assert.equal(s1.secc.readings.authorization, "accepted");
  assert.ok(fx.some((f) => f.kind === "log" && /authorization accepted/.test(f.msg)));
  const [s2] = stepEvseDc(s0, { kind: "authorization", result: "rejected", tMs: 5 });
  assert.equal(s2.secc.readings.authorization, "rejected");
  // other readings untouched
  assert.deepEqual({ ...s2.secc.readings, authorization: "pending" }, s0.secc.readings);
});

test("stop-charging with a reason: it names the session's stop, unless one was named before", () => {
  const running = { ...initialEvseDc(cfg), phase: "session" as const };
  const [s1] = stepEvseDc(running, { kind: "stop-charging", reason: "remote stop", tMs: 1 });
  assert.equal(s1.stopReason, "remote stop");
  const [s2] = stepEvseDc(
    { ...running, stopReason: "earlier" },
    { kind: "stop-charging", reason: "remote stop", tMs: 1 },
  );
  assert.equal(s2.stopReason, "earlier");
  const [s3] = stepEvseDc(running, { kind: "stop-charging", tMs: 1 });
  assert.equal(s3.stopReason, null, "without a reason: as before");
  const [s4] = stepEvseDc(initialEvseDc(cfg), { kind: "stop-charging", reason: "remote stop", tMs: 1 });
  assert.equal(s4.stopReason, null, "no session: nothing to name");
});
