/**
 * The EV's departure time in ISO 15118-2 ChargeParameterDiscoveryReq (DC_EVChargeParameter /
 * AC_EVChargeParameter DepartureTime, s from now): set with the EVCC control `departure`, it counts down.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEvcc, stepEvcc } from "../../session/evcc.js";
import type { EvccState } from "../../session/evcc-state.js";
import { iso2EvccModule } from "./module.js";

const ID = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

function cpdAt(s: EvccState, tMs: number): Record<string, Record<string, unknown>> {
  const m = iso2EvccModule.messages.ChargeParameterDiscovery!;
  const enc = iso2EvccModule.encode(ID, m.req, m.build({ ...s, nowMs: tMs }));
  return iso2EvccModule.decode(enc.bytes, enc.payloadType ?? 0x8001).body as Record<
    string,
    Record<string, unknown>
  >;
}

for (const mode of ["DC_extended", "AC_single_phase_core"] as const)
  test(`iso2 ${mode}: ChargeParameterDiscoveryReq DepartureTime counts down to the driver's departure`, () => {
    let s = createEvcc({ protocols: ["iso2"], mode }, 0);
    s = { ...s, protocol: "iso2", conn: "session", mode };
    [s] = stepEvcc(s, {
      kind: "control",
      control: { op: "departure", atMs: 10_000 + 5_400_000 },
      tMs: 10_000,
    });
    const el = mode === "DC_extended" ? "DC_EVChargeParameter" : "AC_EVChargeParameter";
    assert.equal(cpdAt(s, 10_000)[el]?.DepartureTime, 5400);
    assert.equal(cpdAt(s, 70_000)[el]?.DepartureTime, 5340);
  });
