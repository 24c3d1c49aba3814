/**
 * EVCC timeout constants and timers (DIN 70121 §9.6, ISO 15118-2 §8.8.2). That each one fires exactly at
 * its constant in a whole session is checked on the simulator (src/sim/dc/evcc-timeouts.test.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEvcc, stepEvcc } from "./evcc.js";
import { evccMsgTimeoutMs } from "./evcc-timeouts.js";
import {
  V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS,
  V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS,
} from "./timeouts.js";

test("DIN 2024 edition: the CurrentDemand timeout is the edition's 0.5 s", () => {
  assert.equal(
    evccMsgTimeoutMs("din", "CurrentDemand", "2024"),
    V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS,
  );
  assert.equal(evccMsgTimeoutMs("din", "CurrentDemand", "2014"), 250);
  assert.equal(evccMsgTimeoutMs("iso2", "PowerDelivery", "2014"), 5_000);
  assert.equal(evccMsgTimeoutMs("din", "PowerDelivery", "2014"), 2_000);
});

test("CommunicationSetup: armed for 20 s at connection", () => {
  const [, fx] = stepEvcc(createEvcc(), { kind: "connected", tMs: 500 });
  const timer = fx.find((f) => f.kind === "set-timer" && f.id === "communication-setup");
  assert.ok(timer && timer.kind === "set-timer");
  assert.equal(timer.atMs - 500, V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS);
});

test("a conformance tester's responseTimeoutMs replaces V2G_EVCC_Msg_Timeout for its requests", () => {
  const responseAt = (s: ReturnType<typeof createEvcc>) => {
    const [, fx] = stepEvcc(s, { kind: "connected", tMs: 500 });
    const t = fx.find((f) => f.kind === "set-timer" && f.id === "response");
    assert.ok(t && t.kind === "set-timer", "supportedAppProtocolReq arms the response timer");
    return t.atMs - 500;
  };
  assert.equal(responseAt(createEvcc()), evccMsgTimeoutMs(null, "SAP", "2014"));
  assert.equal(responseAt(createEvcc({ responseTimeoutMs: 70_000 })), 70_000);
  // the default timeout has passed: a tester that waits longer is still in its session
  const [s1] = stepEvcc(createEvcc({ responseTimeoutMs: 70_000 }), { kind: "connected", tMs: 0 });
  const [s2, fx2] = stepEvcc(s1, { kind: "timer", id: "response", tMs: 2_000 });
  assert.equal(
    fx2.some((f) => f.kind === "session-end"),
    false,
  );
  assert.equal(s2.conn, s1.conn);
});
