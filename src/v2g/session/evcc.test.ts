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
