/**
 * The live control channel's ISO 15118-20 words: `evse_pause` on `nacs evse` (EVSENotification Pause),
 * `iso_start_bpt_discharge` / `iso_stop_bpt_discharge` on `nacs ev` (the EV's dischargeRequested), each
 * refused with the reason on the other role.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type OperatorTarget, runOperatorLine } from "./operator.js";

function target(role: "evse" | "ev"): OperatorTarget & { pushed: unknown[] } {
  const pushed: unknown[] = [];
  return { role, world: null, pushed, push: (ev) => pushed.push(ev) };
}

test("operator: evse_pause on the EVSE → pause-charging; on the EV → refused, naming the EV's own pause", () => {
  const evse = target("evse");
  const r = runOperatorLine("evse_pause", evse);
  assert.equal(r.ok, true);
  assert.deepEqual(evse.pushed, [{ kind: "pause-charging" }]);
  const ev = target("ev");
  const no = runOperatorLine("evse_pause", ev);
  assert.ok(!no.ok && /iso_pause_charging/.test(no.error), JSON.stringify(no));
  assert.deepEqual(ev.pushed, []);
  assert.match(String((runOperatorLine("help", evse) as { did: string }).did), /evse_pause/);
});

test("operator: iso_start_bpt_discharge / iso_stop_bpt_discharge on the EV → discharge on / off; the EVSE refuses", () => {
  const ev = target("ev");
  assert.equal(runOperatorLine("iso_start_bpt_discharge", ev).ok, true);
  assert.equal(runOperatorLine("iso_stop_bpt_discharge", ev).ok, true);
  assert.deepEqual(ev.pushed, [
    { kind: "discharge", requested: true },
    { kind: "discharge", requested: false },
  ]);
  const evse = target("evse");
  assert.equal(runOperatorLine("iso_start_bpt_discharge", evse).ok, false);
  assert.deepEqual(evse.pushed, []);
});

test("operator: set_charger_kw N on the EVSE → set-power-limit (0 clears); the EV and a bad N are refused", () => {
  const evse = target("evse");
  assert.deepEqual(runOperatorLine("set_charger_kw 50", evse), {
    ok: true,
    did: "charger power limited to 50 kW",
  });
  assert.deepEqual(runOperatorLine("set_charger_kw 0", evse), {
    ok: true,
    did: "charger power limit cleared",
  });
  assert.deepEqual(evse.pushed, [
    { kind: "set-power-limit", maxPowerW: 50_000 },
    { kind: "set-power-limit", maxPowerW: null },
  ]);
  const bad = runOperatorLine("set_charger_kw -5", evse);
  assert.ok(!bad.ok && /set_charger_kw -5.*must be a number ≥ 0/.test(bad.error), JSON.stringify(bad));
  const ev = target("ev");
  const no = runOperatorLine("set_charger_kw 50", ev);
  assert.ok(!no.ok && /the charger's power limit is the EVSE's/.test(no.error), JSON.stringify(no));
  assert.deepEqual(ev.pushed, []);
  assert.match(String((runOperatorLine("help", evse) as { did: string }).did), /set_charger_kw N/);
});
