/** OCPP 2.0.1 C15: a token presented while the CSMS is unreachable (no local list nor cache). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createStation, stepStation } from "./station.js";
import { TEST_T0, testStationConfig } from "./testing/station-config.js";
import type { StationConfig, StationEffect } from "./types.js";

const T0 = TEST_T0;
const cfg: StationConfig = testStationConfig();
const idToken = { idToken: "CARD-1", type: "ISO14443" as const };

function plugAndPresent(c: StationConfig) {
  const [s1] = stepStation(createStation(c, T0), { kind: "plugged", tMs: T0 });
  const [s2, fx] = stepStation(s1, { kind: "id-token", idToken, tMs: T0 + 1000 });
  const evse = fx.filter((f): f is Extract<StationEffect, { kind: "evse" }> => f.kind === "evse");
  return { s: s2, evse: evse.map((f) => f.command) };
}

test("offline, OfflineTxForUnknownIdEnabled unset: the token is rejected, no Authorize waits", () => {
  const { s, evse } = plugAndPresent(cfg);
  assert.deepEqual(evse, [{ kind: "authorization", result: "rejected" }]);
  assert.ok(!s.outbox.some((c) => c.action === "Authorize"));
  assert.equal(s.tx?.authorized, false);
});

test("offline, OfflineTxForUnknownIdEnabled: accepted locally; the Authorized event is queued, marked offline", () => {
  const { s, evse } = plugAndPresent({ ...cfg, offlineTxForUnknownIdEnabled: true });
  assert.deepEqual(evse, [{ kind: "authorization", result: "accepted" }]);
  assert.equal(s.tx?.authorized, true);
  const authorized = s.outbox.find(
    (c) => c.action === "TransactionEvent" && c.payload.triggerReason === "Authorized",
  );
  assert.ok(authorized?.txRelated);
  assert.equal(authorized.payload.offline, true);
  assert.deepEqual(authorized.payload.idToken, idToken);
});
