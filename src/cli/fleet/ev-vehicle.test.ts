/** A fleet vehicle's result: from its session report and the charge-loop round trips it kept itself. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { LiveSession } from "../../link/host/live-session.js";
import { FLEET_RTT_WARMUP, vehicleResult } from "./ev-vehicle.js";

/** The report of an ISO 15118-2 session that reached the charge loop at 4 s and stopped normally. */
function report() {
  let now = 0;
  const s = new LiveSession(
    "evcc",
    () => now,
    () => {},
    "dc",
    false,
    false,
  );
  s.protocol = "iso2";
  for (const m of ["SessionSetup", "CableCheck", "PreCharge", "PowerDelivery"]) {
    s.message(`${m}Req`, "tx");
    s.message(`${m}Res`, "rx");
  }
  now = 4_000;
  s.message("CurrentDemandReq", "tx");
  s.message("CurrentDemandRes", "rx");
  s.stopReason = "stopped by the driver";
  return s.summary("sim", "tcp");
}

test("vehicle result: the round trips the vehicle kept make its charge loop, set-up time and samples (past the warm-up)", () => {
  const s = report();
  const loop = Array.from({ length: 12 }, (_, k) => 1 + k);
  const r = vehicleResult(7, s, loop, true, null);
  assert.equal(r.reachedLoop, true);
  assert.deepEqual(r.rtt, loop.slice(FLEET_RTT_WARMUP));
  const charging = s.phases.find((p) => p.phase === "charging");
  assert.ok(charging, JSON.stringify(s.phases));
  assert.equal(r.setupMs, charging.atMs + 1);
  // the session itself kept no response times: the vehicle's own are what counts
  assert.equal(s.responseTimesMs.count, 0);
  // none kept: it never reached the loop, and a session that ends without is a failure
  const none = vehicleResult(7, s, [], true, null);
  assert.equal(none.reachedLoop, false);
  assert.equal(none.setupMs, null);
  assert.equal(none.ok, false);
});
