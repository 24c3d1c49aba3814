/**
 * ISO 15118-20 schedule renegotiation (flow unconfirmed) on our EVCC against our SECC: a new backend schedule
 * in the Scheduled-mode charge loop, the SECC control `renegotiate` → EVSENotification ScheduleRenegotiation
 * → the EVCC reads it as ReNegotiation and runs PowerDelivery(ScheduleRenegotiation) → ScheduleExchange (the
 * new schedule) → PowerDelivery(Start) → DC_ChargeLoop, no new cable check. A SECC that answers the
 * PowerDelivery(ScheduleRenegotiation) with WARNING_ScheduleRenegotiationFailed: the EV stays in its loop.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createEvcc } from "../../session/evcc.js";
import { afterResponseIso20 } from "../../session/evcc-flow-iso20.js";
import { runPair } from "../../session/testing/pair.js";
import type { EvccEffect, SeccEvent } from "../../session/types.js";

/** The request names our EVCC sent, with consecutive repeats collapsed. */
function flow(wire: { from: string; name: string }[]): string[] {
  const out: string[] = [];
  for (const m of wire) if (m.from === "ev" && out[out.length - 1] !== m.name) out.push(m.name);
  return out;
}

/**
 * A -20 Scheduled pair; after 3 DC_ChargeLoopReq the SECC gets a new schedule and the renegotiate control;
 * after 8 the driver stops the EV.
 */
function renegotiated(iso20ScheduleRenegotiation: boolean) {
  let asked = false;
  let stopped = false;
  const schedule = { atMs: 0, periods: [{ startS: 0, limitW: 30_000 }] };
  return runPair(
    { protocols: ["iso20"], iso20ControlMode: "scheduled" },
    { iso20ScheduleRenegotiation },
    {
      onStep: (p, t) => {
        const loops = p.wire.filter((m) => m.name === "DC_ChargeLoopReq").length;
        if (!stopped && loops >= 8) {
          stopped = true;
          return [{ at: t, to: "ev", ev: { kind: "control", control: { op: "stop" }, tMs: t } }];
        }
        if (asked || loops < 3) return undefined;
        asked = true;
        const port: SeccEvent = {
          kind: "port",
          readings: { powerSchedule: { ...schedule, atMs: t } },
          tMs: t,
        };
        const ctl: SeccEvent = { kind: "control", control: { op: "renegotiate" }, tMs: t };
        return [
          { at: t, to: "evse", ev: port },
          { at: t, to: "evse", ev: ctl },
        ];
      },
    },
  );
}

test("iso20 scheduled: ScheduleRenegotiation → PowerDelivery(ScheduleRenegotiation), ScheduleExchange, PowerDelivery(Start), the loop again", () => {
  const r = renegotiated(true);
  const f = flow(r.wire);
  const i = f.lastIndexOf("ScheduleExchangeReq");
  assert.deepEqual(f.slice(i - 2, i + 3), [
    "DC_ChargeLoopReq",
    "PowerDeliveryReq",
    "ScheduleExchangeReq",
    "PowerDeliveryReq",
    "DC_ChargeLoopReq",
  ]);
  assert.equal(f.filter((n) => n === "DC_CableCheckReq").length, 1, "one cable check only");
  assert.equal(r.evEnd?.reason, "terminated", r.evEnd?.detail);
  assert.equal(r.evseEnd?.reason, "terminated", r.evseEnd?.detail);
});

test("iso20 EVCC: PowerDelivery(ScheduleRenegotiation) answered OK → ScheduleExchange; WARNING_ScheduleRenegotiationFailed → the loop goes on", () => {
  const s = {
    ...createEvcc({ iso20ControlMode: "scheduled" }),
    protocol: "iso20" as const,
    progress: "renegotiate" as const,
    iso20: {
      serviceId: 2,
      parameterSetId: 1,
      controlMode: "scheduled" as const,
      preChargeFinished: true,
      bptChannel: "Charge" as const,
      acCurrentA: 0,
    },
  };
  const fx: EvccEffect[] = [];
  const ok = afterResponseIso20(s, "PowerDelivery", { code: "OK" }, 1_000, fx);
  assert.equal(ok.next?.name, "ScheduleExchange");
  assert.equal(ok.state.renegotiating, true);
  const warned = afterResponseIso20(
    s,
    "PowerDelivery",
    { code: "WARNING_ScheduleRenegotiationFailed" },
    1_000,
    fx,
  );
  assert.equal(warned.next?.name, "CurrentDemand");
  assert.equal(warned.state.progress, "start");
});
