/**
 * The EV's departure time in ISO 15118-20 requests (ScheduleExchangeReq, Dynamic_DC_CLReqControlMode): set with
 * the EVCC control `departure`, DepartureTime (s from now) counts down to it in ScheduleExchangeReq of both
 * control modes and in Dynamic_DC_CLReqControlMode; the requests encode and decode with it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEvcc, stepEvcc } from "../../session/evcc.js";
import type { EvccState } from "../../session/evcc-state.js";
import type { Iso20ControlMode } from "../../session/iso20-session.js";
import { decodeIso20, encodeIso20 } from "../envelope.js";
import { dcChargeLoop } from "./dc-charge-loop.js";
import { scheduleExchange } from "./schedule-exchange.js";

const ID = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

/** A -20 EVCC in control mode `mode` whose driver leaves `inS` seconds after t = 1000 ms. */
function evcc(mode: Iso20ControlMode, inS: number | null): EvccState {
  let s = createEvcc({ protocols: ["iso20"], iso20ControlMode: mode }, 0);
  s = {
    ...s,
    protocol: "iso20",
    conn: "session",
    iso20: {
      serviceId: 2,
      parameterSetId: 1,
      controlMode: mode,
      preChargeFinished: false,
      bptChannel: "Charge",
      acCurrentA: 0,
    },
  };
  [s] = stepEvcc(s, {
    kind: "control",
    control: { op: "departure", atMs: inS === null ? null : 1000 + inS * 1000 },
    tMs: 1000,
  });
  return s;
}

/** Build, encode and decode request `m` at time `tMs`: the decoded body. */
function sent(
  m: typeof scheduleExchange,
  s: EvccState,
  tMs: number,
): Record<string, Record<string, unknown>> {
  const enc = encodeIso20(ID, m.req, m.build({ ...s, nowMs: tMs }));
  return decodeIso20(enc.bytes, enc.payloadType!, "request").body as Record<string, Record<string, unknown>>;
}

for (const mode of ["scheduled", "dynamic"] as const)
  test(`iso20 ${mode}: ScheduleExchangeReq DepartureTime is the seconds left to the driver's departure`, () => {
    const s = evcc(mode, 3600);
    assert.equal(s.conn, "session", "the control stops nothing");
    assert.equal(s.stopRequested, null);
    const el = mode === "dynamic" ? "Dynamic_SEReqControlMode" : "Scheduled_SEReqControlMode";
    assert.equal(sent(scheduleExchange, s, 1000)[el]?.DepartureTime, 3600);
    assert.equal(sent(scheduleExchange, s, 61_000)[el]?.DepartureTime, 3540, "counts down");
    assert.equal(sent(scheduleExchange, s, 9_000_000)[el]?.DepartureTime, 0, "never below 0");
  });

test("iso20 Dynamic: Dynamic_DC_CLReqControlMode carries DepartureTime; Scheduled loop requests have none", () => {
  const d = sent(dcChargeLoop, evcc("dynamic", 7200), 11_000);
  assert.equal(d.Dynamic_DC_CLReqControlMode?.DepartureTime, 7190);
  const sch = sent(dcChargeLoop, evcc("scheduled", 7200), 11_000);
  assert.equal(sch.Scheduled_DC_CLReqControlMode?.DepartureTime, undefined);
});

test("iso20: without a departure time (or after it is cleared) Scheduled leaves DepartureTime out, the Dynamic loop too", () => {
  for (const s of [evcc("scheduled", null), evcc("dynamic", null)]) {
    const se = sent(scheduleExchange, s, 5000);
    assert.equal(se.Scheduled_SEReqControlMode?.DepartureTime, undefined);
    assert.equal(sent(dcChargeLoop, s, 5000).Dynamic_DC_CLReqControlMode?.DepartureTime, undefined);
  }
  let s = evcc("scheduled", 100);
  assert.equal(sent(scheduleExchange, s, 2000).Scheduled_SEReqControlMode?.DepartureTime, 99);
  [s] = stepEvcc(s, { kind: "control", control: { op: "departure", atMs: null }, tMs: 2000 });
  assert.equal(sent(scheduleExchange, s, 3000).Scheduled_SEReqControlMode?.DepartureTime, undefined);
});
