/**
 * ISO 15118-20 AC and AC_BPT on the EVCC machine against our SECC, back to back in virtual time: the AC
 * request order (no CableCheck / PreCharge / WeldingDetection, as in libiso15118 and Josev), S2 closed before
 * PowerDeliveryReq(Start), the on-board charger following EVSETargetActivePower (negative = feeding back with
 * BPT_ChannelSelection Discharge), 0 A before PowerDeliveryReq(Stop), the discharge ending at the minimum
 * SOC, pause and resume at AC_ChargeParameterDiscovery.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultEvccReadings } from "../../ports/evcc-ports.js";
import { defaultSeccReadings } from "../../ports/secc-ports.js";
import { createEvcc } from "../../session/evcc.js";
import type { EvccConfig } from "../../session/evcc-state.js";
import type { Iso20ControlMode } from "../../session/iso20-session.js";
import type { SeccConfig } from "../../session/secc-state.js";
import { ISO20_AC_REQUEST_FLOW } from "../../session/testing/iso20-flows.js";
import { type PairResult, runPair, stopEvAfterLoops } from "../../session/testing/pair.js";
import { rnum } from "../envelope.js";
import { scheduleExchange } from "./schedule-exchange.js";

function flow(wire: { from: string; name: string }[]): string[] {
  const out: string[] = [];
  for (const m of wire) if (m.from === "ev" && out[out.length - 1] !== m.name) out.push(m.name);
  return out;
}

const AC_FLOW = ISO20_AC_REQUEST_FLOW;

const evse: Partial<SeccConfig> = { energyModes: ["AC_single_phase_core"], bidirectional: true };

function ev(mode: Iso20ControlMode, extra: Partial<EvccConfig> = {}): Partial<EvccConfig> {
  return { protocols: ["iso20"], mode: "AC_single_phase_core", iso20ControlMode: mode, ...extra };
}

/** Run until `loops` AC_ChargeLoopReq, then `op`. */
function run(evCfg: Partial<EvccConfig>, loops = 5, op: "stop" | "pause" = "stop"): PairResult {
  let asked = false;
  return runPair(evCfg, evse, {
    onStep: (p, t) => {
      if (asked || p.wire.filter((m) => m.name === "AC_ChargeLoopReq").length < loops) return undefined;
      asked = true;
      return [{ at: t, to: "ev", ev: { kind: "control", control: { op }, tMs: t } }];
    },
  });
}

const charger = (r: PairResult) =>
  r.evPort.flatMap((p) => (p.command.port === "charger" ? [{ tMs: p.tMs, a: p.command.currentA }] : []));

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 AC ${mode}: our EVCC runs the -20 AC flow against our SECC, S2 closed before PowerDelivery(Start)`, () => {
    const r = run(ev(mode));
    assert.equal(r.negotiated, "iso20");
    assert.deepEqual(flow(r.wire), AC_FLOW);
    assert.equal(r.evEnd?.reason, "terminated");
    assert.equal(r.evseEnd?.reason, "terminated");
    const types = new Set(r.wire.filter((m) => m.name.startsWith("AC_")).map((m) => m.payloadType));
    assert.deepEqual([...types], [0x8003]);
    const s2 = r.evPort.find((p) => p.command.port === "s2" && p.command.op === "close");
    const pd = r.wire.find((m) => m.name === "PowerDeliveryReq");
    assert.ok(s2 && pd && s2.tMs <= pd.tMs, "S2 closed (CP C) before PowerDeliveryReq(Start)");
    const amps = charger(r);
    // EV 32 A on-board charger, 240 V supply declared in ServiceDetailRes (EVSENominalVoltage)
    assert.equal(amps[0]?.a, 32, JSON.stringify(amps));
    assert.equal(amps.at(-1)?.a, 0, "the on-board charger stopped");
    const stopReq = r.wire.filter((m) => m.name === "PowerDeliveryReq")[1]!;
    const zero = amps.find((x) => x.a === 0)!;
    assert.ok(zero.tMs <= stopReq.tMs, "0 A before PowerDeliveryReq(Stop)");
  });
}

test("iso20 AC: the EVSE's smaller power → a smaller on-board charger current (16 A at 240 V)", () => {
  const r = runPair(
    ev("dynamic"),
    {
      ...evse,
      readings: {
        ...defaultSeccReadings(),
        ac: { nominalVoltageV: 240, maxCurrentA: 16, maxDischargePowerW: 0, rcdTripped: false },
      },
    },
    {
      maxSteps: 400,
    },
  );
  assert.equal(charger(r)[0]?.a, 16);
});

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 AC_BPT ${mode}: discharge → BPT_ChannelSelection Discharge, negative OBC current, stops at the minimum SOC`, () => {
    let lowered = false;
    const r = runPair(
      ev(mode, {
        bidirectional: true,
        readings: {
          ...defaultEvccReadings(),
          socPercent: 31,
          minSocPercent: 30,
          dischargeRequested: true,
          maxDischargePowerW: 4800,
        },
      }),
      evse,
      {
        onStep: (p, t) => {
          if (lowered || p.wire.filter((m) => m.name === "AC_ChargeLoopReq").length < 3) return undefined;
          lowered = true;
          return [{ at: t, to: "ev", ev: { kind: "port", readings: { socPercent: 29.9 }, tMs: t } }];
        },
      },
    );
    assert.deepEqual(flow(r.wire), AC_FLOW);
    assert.equal(r.evEnd?.reason, "terminated");
    assert.equal(r.evse.paused, null);
    const amps = charger(r);
    assert.equal(amps[0]?.a, -20, `4.8 kW / 240 V fed back: ${JSON.stringify(amps)}`);
    assert.equal(amps.at(-1)?.a, 0);
    assert.equal(r.ev.iso20?.bptChannel, "Discharge");
    assert.ok(lowered);
  });
}

test("iso20 AC_BPT: a bidirectional EV that does not ask to discharge charges (Charge channel, positive current)", () => {
  const r = run(ev("scheduled", { bidirectional: true }));
  assert.equal(r.ev.iso20?.serviceId, 5);
  assert.equal(r.ev.iso20?.bptChannel, "Charge");
  assert.equal(charger(r)[0]?.a, 32);
});

test("iso20 AC: pause, then resume with the same SessionID → OK_OldSessionJoined → AC_ChargeParameterDiscovery", () => {
  const first = run(ev("scheduled"), 2, "pause");
  assert.equal(first.evEnd?.reason, "paused");
  assert.equal(first.evseEnd?.reason, "paused");
  assert.ok(first.ev.paused && first.evse.paused);
  const id = first.evse.paused.sessionId;
  const again = runPair(
    {},
    {},
    { from: { ev: first.ev, evse: first.evse }, ...stopEvAfterLoops(1, "AC_ChargeLoopReq") },
  );
  assert.deepEqual(again.evse.sessionId, id, "the same SessionID");
  assert.ok(again.ev.resumed);
  assert.deepEqual(flow(again.wire), [
    "supportedAppProtocolReq",
    "SessionSetupReq",
    "AC_ChargeParameterDiscoveryReq",
    "ScheduleExchangeReq",
    "PowerDeliveryReq",
    "AC_ChargeLoopReq",
    "PowerDeliveryReq",
    "SessionStopReq",
  ]);
  assert.equal(again.evEnd?.reason, "terminated");
  assert.ok(
    charger(again).some((x) => x.a > 0),
    "charging again after the resume",
  );
});

test("iso20 AC_BPT ScheduleExchangeReq: a discharging EV's EVMinimumEnergyRequest is negative (the energy above its minimum SOC)", () => {
  const e = createEvcc({
    ...ev("scheduled", { bidirectional: true }),
    readings: {
      ...defaultEvccReadings(),
      socPercent: 80,
      minSocPercent: 30,
      capacityWh: 60_000,
      dischargeRequested: true,
    },
  });
  const s = {
    ...e,
    iso20: {
      serviceId: 5,
      parameterSetId: 1,
      controlMode: "scheduled" as const,
      preChargeFinished: false,
      bptChannel: "Charge" as const,
      acCurrentA: 0,
    },
  };
  const body = scheduleExchange.build(s) as { Scheduled_SEReqControlMode: { EVMinimumEnergyRequest: never } };
  assert.equal(rnum(body.Scheduled_SEReqControlMode.EVMinimumEnergyRequest), -30_000);
  const charging = { ...s, readings: { ...s.readings, dischargeRequested: false } };
  const b2 = scheduleExchange.build(charging) as {
    Scheduled_SEReqControlMode: { EVMinimumEnergyRequest: never };
  };
  assert.equal(rnum(b2.Scheduled_SEReqControlMode.EVMinimumEnergyRequest), 0);
});

test("iso20 AC: the EVSE asks to stop (EVSEStatus Terminate in AC_ChargeLoopRes) → the EV stops: 0 A, PowerDelivery(Stop), SessionStop", () => {
  let asked = false;
  const r = runPair(ev("dynamic"), evse, {
    onStep: (p, t) => {
      if (asked || p.wire.filter((m) => m.name === "AC_ChargeLoopReq").length < 3) return undefined;
      asked = true;
      return [{ at: t, to: "evse", ev: { kind: "control", control: { op: "stop-charging" }, tMs: t } }];
    },
  });
  assert.ok(asked);
  assert.deepEqual(flow(r.wire), AC_FLOW);
  assert.equal(r.evEnd?.reason, "terminated");
  assert.equal(charger(r).at(-1)?.a, 0);
  const loops = r.wire.filter((m) => m.name === "AC_ChargeLoopReq").length;
  assert.ok(loops <= 5, `the EV stopped within a loop or two (${loops} AC_ChargeLoopReq)`);
});
