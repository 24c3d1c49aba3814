/**
 * ISO 15118-20 AC and AC_BPT on the SECC machine, request by request with the EVCC's own -20 builders: the AC
 * flow (no CableCheck / PreCharge / WeldingDetection, as in libiso15118 and Josev) in both control modes,
 * AC_* in payload type 0x8003, the contactor at PowerDelivery Start / Stop, AC_ChargeParameterDiscovery
 * variant checks (FAILED_WrongChargeParameter), AC_ChargeLoop control-mode checks (FAILED), a BPT loop with a
 * negative target, MeterInfo with BPT_DischargedEnergyReadingWh, negative discharge limits read as
 * magnitudes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { rnum } from "../../iso20/envelope.js";
import type { Iso20BptChannel, Iso20ControlMode } from "../../session/iso20-session.js";
import {
  type Driver,
  ends,
  event,
  request,
  startSecc,
  withProgress,
} from "../../session/testing/drive-secc.js";
import type { MsgName } from "../../session/types.js";

const TO_CPD: MsgName[] = [
  "SessionSetup",
  "AuthorizationSetup",
  "Authorization",
  "ServiceDiscovery",
  "ServiceDetail",
  "PaymentSelection",
];

/** An AC SECC (bidirectional) and an EV that selects `serviceId` with parameter set 1 (Scheduled) / 2 (Dynamic). */
function start(
  serviceId: 1 | 5,
  mode: Iso20ControlMode = "scheduled",
  channel: Iso20BptChannel = "Charge",
): Driver {
  const d = startSecc(
    "iso20",
    { energyModes: ["AC_single_phase_core"], bidirectional: true },
    {
      mode: "AC_single_phase_core",
      iso20ControlMode: mode,
      bidirectional: serviceId === 5,
    },
  );
  d.ev = {
    ...d.ev,
    iso20: {
      serviceId,
      parameterSetId: mode === "dynamic" ? 2 : 1,
      controlMode: mode,
      preChargeFinished: false,
      bptChannel: channel,
      acCurrentA: channel === "Discharge" ? -20 : 20,
    },
  };
  return d;
}

function codes(d: Driver, names: MsgName[]): string[] {
  return names.map((n) => {
    const r = request(d, n);
    return `${r?.element} ${r?.body.ResponseCode}`;
  });
}

type Schedule = { PowerSchedule: { PowerScheduleEntries: { PowerScheduleEntry: { Power: never }[] } } };
type ScheduleTuple = { ChargingSchedule: Schedule; DischargingSchedule?: Schedule };
const powerOf = (x: Schedule | undefined) =>
  rnum(x?.PowerSchedule.PowerScheduleEntries.PowerScheduleEntry[0]?.Power);

const contactor = (d: Driver) =>
  d.fx.flatMap((f) => (f.kind === "port-command" && f.command.port === "contactors" ? [f.command.op] : []));

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 AC ${mode}: SessionSetup … SessionStop all OK, AC_* in 0x8003, contactor closed at Start, opened at Stop`, () => {
    const d = start(1, mode);
    const c = codes(d, TO_CPD);
    assert.ok(
      c.every((x) => / OK/.test(x)),
      c.join(", "),
    );
    const cpd = request(d, "ChargeParameterDiscovery");
    assert.equal(cpd?.element, "AC_ChargeParameterDiscoveryRes");
    assert.equal(cpd?.body.ResponseCode, "OK");
    const m = cpd?.body.AC_CPDResEnergyTransferMode as Record<string, never>;
    assert.equal(rnum(m.EVSEMaximumChargePower), 240 * 48);
    assert.equal(rnum(m.EVSENominalFrequency), 60);
    const se = request(d, "ScheduleExchange");
    assert.equal(se?.body.EVSEProcessing, "Finished");
    if (mode === "scheduled") {
      const tuple = (se?.body.Scheduled_SEResControlMode as { ScheduleTuple: ScheduleTuple[] })
        .ScheduleTuple[0]!;
      assert.equal(powerOf(tuple.ChargingSchedule), 240 * 48, "the AC supply's power, not the DC stage's");
      assert.equal(tuple.DischargingSchedule, undefined);
    }
    event(d, { kind: "cp", state: "C", tMs: d.t });
    withProgress(d, "start");
    assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "OK");
    assert.deepEqual(contactor(d), ["close"], "AC Start closes the contactor (CP already C)");
    event(d, {
      kind: "port",
      readings: { presentVoltageV: 240, presentCurrentA: 20, energyWh: 12 },
      tMs: d.t,
    });
    const cl = request(d, "ChargingStatus", { dtMs: 100 });
    assert.equal(cl?.element, "AC_ChargeLoopRes");
    assert.equal(cl?.body.ResponseCode, "OK");
    const send = d.fx.find((f) => f.kind === "send");
    assert.equal(send?.kind === "send" && send.payloadType, 0x8003);
    const key = mode === "dynamic" ? "Dynamic_AC_CLResControlMode" : "Scheduled_AC_CLResControlMode";
    const res = cl?.body[key] as Record<string, never>;
    assert.ok(res, `${key} in ${JSON.stringify(Object.keys(cl?.body ?? {}))}`);
    assert.equal(
      rnum(res.EVSETargetActivePower),
      240 * 32,
      "charging: min(supply 240 V × 48 A, EV 32 A × 240 V), positive",
    );
    assert.equal(rnum(res.EVSEPresentActivePower), 240 * 20);
    const meter = cl?.body.MeterInfo as {
      ChargedEnergyReadingWh: bigint;
      BPT_DischargedEnergyReadingWh?: bigint;
    };
    assert.equal(meter.ChargedEnergyReadingWh, 12n);
    assert.equal(meter.BPT_DischargedEnergyReadingWh, undefined, "no BPT reading for the AC service");
    withProgress(d, "stop");
    assert.equal(request(d, "PowerDelivery", { dtMs: 100 })?.body.ResponseCode, "OK");
    assert.deepEqual(contactor(d), ["open"]);
    assert.equal(request(d, "SessionStop")?.body.ResponseCode, "OK");
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["terminated"],
    );
  });
}

test("iso20 AC: CP still B at PowerDelivery Start → the contactor closes when the EV switches to C ([V2G20-847])", () => {
  const d = start(1);
  codes(d, [...TO_CPD, "ChargeParameterDiscovery", "ScheduleExchange"]);
  event(d, { kind: "cp", state: "B", tMs: d.t });
  withProgress(d, "start");
  assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "OK");
  assert.deepEqual(contactor(d), []);
  event(d, { kind: "cp", state: "C", tMs: d.t + 100 });
  assert.deepEqual(contactor(d), ["close"]);
});

test("iso20 AC: no CableCheck after ScheduleExchange of an AC service (FAILED_SequenceError)", () => {
  const d = start(1);
  codes(d, [...TO_CPD, "ChargeParameterDiscovery", "ScheduleExchange"]);
  const r = request(d, "CableCheck");
  assert.equal(r?.body.ResponseCode, "FAILED_SequenceError");
});

for (const [serviceId, label, patch] of [
  [
    1,
    "AC service, BPT variant",
    (b: Record<string, unknown>) => ({
      BPT_AC_CPDReqEnergyTransferMode: {
        ...(b.AC_CPDReqEnergyTransferMode as object),
        EVMaximumDischargePower: { Exponent: 0, Value: 5000 },
        EVMinimumDischargePower: { Exponent: 0, Value: 0 },
      },
    }),
  ],
  [
    5,
    "AC_BPT service, AC variant",
    (b: Record<string, unknown>) => {
      const {
        EVMaximumDischargePower: _a,
        EVMinimumDischargePower: _b,
        ...rest
      } = b.BPT_AC_CPDReqEnergyTransferMode as Record<string, unknown>;
      return { AC_CPDReqEnergyTransferMode: rest };
    },
  ],
] as const) {
  test(`iso20 AC_ChargeParameterDiscovery: ${label} → FAILED_WrongChargeParameter, session ends`, () => {
    const d = start(serviceId);
    codes(d, TO_CPD);
    const r = request(d, "ChargeParameterDiscovery", { patch });
    assert.equal(r?.element, "AC_ChargeParameterDiscoveryRes");
    assert.equal(r?.body.ResponseCode, "FAILED_WrongChargeParameter");
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["failed-response"],
    );
  });
}

test("iso20 AC_ChargeParameterDiscovery in a DC session → FAILED_WrongChargeParameter", () => {
  const d = startSecc("iso20", { energyModes: ["DC_extended", "AC_single_phase_core"] });
  d.ev = {
    ...d.ev,
    iso20: {
      serviceId: 1,
      parameterSetId: 1,
      controlMode: "scheduled",
      preChargeFinished: false,
      bptChannel: "Charge",
      acCurrentA: 0,
    },
  };
  codes(d, TO_CPD.slice(0, 5));
  // the EV selects DC (2), then sends the AC message
  d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, serviceId: 2 } };
  assert.equal(request(d, "PaymentSelection")?.body.ResponseCode, "OK");
  d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, serviceId: 1 } };
  const r = request(d, "ChargeParameterDiscovery");
  assert.equal(r?.element, "AC_ChargeParameterDiscoveryRes");
  assert.equal(r?.body.ResponseCode, "FAILED_WrongChargeParameter");
});

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 AC_ChargeLoop ${mode}: the other control mode's element → FAILED, session ends`, () => {
    const d = start(1, mode);
    codes(d, [...TO_CPD, "ChargeParameterDiscovery", "ScheduleExchange"]);
    event(d, { kind: "cp", state: "C", tMs: d.t });
    withProgress(d, "start");
    request(d, "PowerDelivery");
    d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, controlMode: mode === "dynamic" ? "scheduled" : "dynamic" } };
    const r = request(d, "ChargingStatus");
    assert.equal(r?.element, "AC_ChargeLoopRes");
    assert.equal(r?.body.ResponseCode, "FAILED");
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["failed-response"],
    );
  });
}

test("iso20 AC_BPT: a non-BPT loop element in a BPT session → FAILED", () => {
  const d = start(5);
  codes(d, [...TO_CPD, "ChargeParameterDiscovery", "ScheduleExchange"]);
  event(d, { kind: "cp", state: "C", tMs: d.t });
  withProgress(d, "start");
  request(d, "PowerDelivery");
  const r = request(d, "ChargingStatus", {
    patch: (b) => {
      const { BPT_Scheduled_AC_CLReqControlMode: m, ...rest } = b as Record<string, Record<string, unknown>>;
      const { EVMaximumDischargePower: _a, EVMinimumDischargePower: _b, ...plain } = m!;
      return { ...rest, Scheduled_AC_CLReqControlMode: plain };
    },
  });
  assert.equal(r?.body.ResponseCode, "FAILED");
});

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 AC_BPT ${mode}: Discharge channel → negative EVSETargetActivePower, BPT discharge powers, BPT_DischargedEnergyReadingWh`, () => {
    const d = start(5, mode, "Discharge");
    d.ev = {
      ...d.ev,
      readings: {
        ...d.ev.readings,
        socPercent: 80,
        minSocPercent: 30,
        dischargeRequested: true,
        maxDischargePowerW: 7000,
      },
    };
    codes(d, TO_CPD);
    // dSPACE sends discharge limits negative (dsV2Gshark AC_BPT capture): read as magnitudes
    const cpd = request(d, "ChargeParameterDiscovery", {
      patch: (b) => {
        const m = b.BPT_AC_CPDReqEnergyTransferMode as Record<string, unknown>;
        return {
          BPT_AC_CPDReqEnergyTransferMode: { ...m, EVMaximumDischargePower: { Exponent: 0, Value: -7000 } },
        };
      },
    });
    assert.equal(cpd?.body.ResponseCode, "OK");
    const bm = cpd?.body.BPT_AC_CPDResEnergyTransferMode as Record<string, never>;
    assert.equal(rnum(bm.EVSEMaximumDischargePower), 11_000, "the supply's discharge limit, positive");
    const se = request(d, "ScheduleExchange");
    if (mode === "scheduled") {
      const tuple = (se?.body.Scheduled_SEResControlMode as { ScheduleTuple: ScheduleTuple[] })
        .ScheduleTuple[0]!;
      assert.equal(
        powerOf(tuple.DischargingSchedule),
        -11_000,
        "DischargingSchedule, negative (negative power = discharge)",
      );
    }
    event(d, { kind: "cp", state: "C", tMs: d.t });
    withProgress(d, "start");
    assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "OK");
    assert.equal(d.s.iso20?.bptChannel, "Discharge");
    event(d, {
      kind: "port",
      readings: { presentVoltageV: 240, presentCurrentA: -29, energyWh: 5, dischargedWh: 321 },
      tMs: d.t,
    });
    const cl = request(d, "ChargingStatus", { dtMs: 100 });
    assert.equal(cl?.body.ResponseCode, "OK");
    const key = mode === "dynamic" ? "BPT_Dynamic_AC_CLResControlMode" : "BPT_Scheduled_AC_CLResControlMode";
    const res = cl?.body[key] as Record<string, never>;
    assert.ok(res, key);
    assert.equal(rnum(res.EVSETargetActivePower), -7000, "min(EV 7 kW, supply 11 kW), negative = discharge");
    assert.ok(rnum(res.EVSEPresentActivePower) < 0);
    const meter = cl?.body.MeterInfo as { BPT_DischargedEnergyReadingWh?: bigint };
    assert.equal(meter.BPT_DischargedEnergyReadingWh, 321n);
  });
}

test("iso20 AC_BPT dynamic: the EV at its minimum SOC (EVMinimumEnergyRequest ≥ 0) → target 0", () => {
  const d = start(5, "dynamic", "Discharge");
  d.ev = {
    ...d.ev,
    readings: { ...d.ev.readings, socPercent: 30, minSocPercent: 30, dischargeRequested: true },
  };
  codes(d, [...TO_CPD, "ChargeParameterDiscovery", "ScheduleExchange"]);
  event(d, { kind: "cp", state: "C", tMs: d.t });
  withProgress(d, "start");
  request(d, "PowerDelivery");
  const cl = request(d, "ChargingStatus");
  const res = cl?.body.BPT_Dynamic_AC_CLResControlMode as Record<string, never>;
  assert.equal(rnum(res.EVSETargetActivePower), 0);
});

test("iso20 DC_ChargeParameterDiscovery after the AC service was selected → FAILED_WrongChargeParameter", () => {
  const d = start(1);
  codes(d, TO_CPD);
  // the EV sends the DC message although it selected AC (1)
  d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, serviceId: 2 } };
  const r = request(d, "ChargeParameterDiscovery");
  assert.equal(r?.element, "DC_ChargeParameterDiscoveryRes");
  assert.equal(r?.body.ResponseCode, "FAILED_WrongChargeParameter");
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["failed-response"],
  );
});
