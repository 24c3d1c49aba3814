/**
 * ISO 15118-20 DC_BPT on the SECC machine, request by request with the EVCC's own -20 builders: the BPT
 * services are offered only when the SECC is bidirectional, ServiceDetail carries BPTChannel/GeneratorMode,
 * the DC_ChargeParameterDiscovery variant must match the selected service (FAILED_WrongChargeParameter,
 * [V2G20-2272]), the charge loop's BPT control modes turn a discharging EV into a negative set point for the
 * power stage within the EVSE's discharge limits, and MeterInfo carries BPT_DischargedEnergyReadingWh.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { iso20Common } from "../../../codecs/index.js";
import { ISO20_SERVICE, type Iso20ControlMode } from "../../session/iso20-session.js";
import {
  type Driver,
  dc20ToPowerDelivery,
  ends,
  event,
  ISO20_THROUGH_SELECTION,
  request,
  startSecc,
} from "../../session/testing/drive-secc.js";
import type { MsgName } from "../../session/types.js";

const TO_CPD: readonly MsgName[] = ISO20_THROUGH_SELECTION;

/** A bidirectional -20 SECC and an EV that selected `serviceId` with parameter set 1 (Scheduled) or 2. */
function start(mode: Iso20ControlMode, serviceId: number = ISO20_SERVICE.DC_BPT, discharge = true): Driver {
  const d = startSecc("iso20", { bidirectional: true }, { iso20ControlMode: mode, bidirectional: true });
  d.ev = {
    ...d.ev,
    readings: { ...d.ev.readings, dischargeRequested: discharge, socPercent: 80, batteryVoltageV: 380 },
    iso20: {
      serviceId,
      parameterSetId: mode === "dynamic" ? 2 : 1,
      controlMode: mode,
      preChargeFinished: false,
      bptChannel: discharge ? "Discharge" : "Charge",
      acCurrentA: 0,
    },
  };
  return d;
}

function toLoop(d: Driver): void {
  for (const n of TO_CPD) assert.match(String(request(d, n)?.body.ResponseCode), /^OK/, n);
  assert.equal(request(d, "ChargeParameterDiscovery")?.body.ResponseCode, "OK");
  request(d, "ScheduleExchange");
  dc20ToPowerDelivery(d, 380);
}

/** The current of the last power-stage set point. */
function setPointA(d: Driver): number | undefined {
  const f = d.fx.find((x) => x.kind === "port-command" && x.command.port === "power-stage");
  return f?.kind === "port-command" && f.command.port === "power-stage" && f.command.op === "set"
    ? f.command.currentA
    : undefined;
}

test("iso20 BPT: DC_BPT (6) offered only by a bidirectional SECC; its parameter sets carry BPTChannel and GeneratorMode", () => {
  const plain = startSecc("iso20");
  for (const n of TO_CPD.slice(0, 3)) request(plain, n);
  const ids = (r: ReturnType<typeof request>) =>
    (r?.body.EnergyTransferServiceList as iso20Common.ServiceListType).Service.map((s) => s.ServiceID);
  assert.deepEqual(ids(request(plain, "ServiceDiscovery")), [ISO20_SERVICE.DC]);
  const d = start("scheduled");
  for (const n of TO_CPD.slice(0, 3)) request(d, n);
  assert.deepEqual(ids(request(d, "ServiceDiscovery")), [ISO20_SERVICE.DC, ISO20_SERVICE.DC_BPT]);
  const detail = request(d, "ServiceDetail");
  assert.equal(detail?.body.ServiceID, ISO20_SERVICE.DC_BPT);
  const sets = (detail?.body.ServiceParameterList as iso20Common.ServiceParameterListType).ParameterSet;
  for (const set of sets) {
    const names = set.Parameter.map((p) => p.Name);
    assert.ok(names.includes("BPTChannel") && names.includes("GeneratorMode"), names.join(","));
  }
});

test("iso20 BPT: the plain DC_CPD variant in a DC_BPT session → FAILED_WrongChargeParameter and the session ends", () => {
  const d = start("scheduled");
  for (const n of TO_CPD) request(d, n);
  const r = request(d, "ChargeParameterDiscovery", {
    patch: ({ BPT_DC_CPDReqEnergyTransferMode: b, ...rest }) => {
      const dc = Object.fromEntries(
        Object.entries(b as Record<string, unknown>).filter(([k]) => !k.includes("Discharge")),
      );
      return { ...rest, DC_CPDReqEnergyTransferMode: dc };
    },
  });
  assert.equal(r?.body.ResponseCode, "FAILED_WrongChargeParameter");
  assert.ok(r?.body.BPT_DC_CPDResEnergyTransferMode, "the response still has the BPT variant's shape");
  assert.match(ends(d)[0]?.detail ?? "", /BPT_DC_CPDReqEnergyTransferMode/);
});

test("iso20 BPT: a BPT variant in a plain DC session → FAILED_WrongChargeParameter", () => {
  const d = start("scheduled", ISO20_SERVICE.DC);
  for (const n of TO_CPD) request(d, n);
  const r = request(d, "ChargeParameterDiscovery", {
    patch: ({ DC_CPDReqEnergyTransferMode: dc, ...rest }) => ({
      ...rest,
      BPT_DC_CPDReqEnergyTransferMode: {
        ...(dc as object),
        EVMaximumDischargePower: { Exponent: 3, Value: 50 },
        EVMinimumDischargePower: { Exponent: 0, Value: 0 },
        EVMaximumDischargeCurrent: { Exponent: 0, Value: 100 },
        EVMinimumDischargeCurrent: { Exponent: 0, Value: 0 },
      },
    }),
  });
  assert.equal(r?.body.ResponseCode, "FAILED_WrongChargeParameter");
});

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 BPT ${mode}: a discharging EV gets a negative set point within the EVSE's discharge limits; MeterInfo counts both ways`, () => {
    const d = start(mode);
    event(d, {
      kind: "port",
      readings: {
        dc: { ...d.s.readings.dc, maxDischargeCurrentA: 120, maxDischargePowerW: 40_000 },
        energyWh: 1500,
        dischargedWh: 700,
      },
      tMs: d.t,
    });
    toLoop(d);
    const cl = request(d, "CurrentDemand", { dtMs: 100 });
    assert.equal(cl?.body.ResponseCode, "OK");
    const el = mode === "dynamic" ? "BPT_Dynamic_DC_CLResControlMode" : "BPT_Scheduled_DC_CLResControlMode";
    assert.ok(cl?.body[el], `${el} in ${Object.keys(cl?.body ?? {})}`);
    const i = setPointA(d);
    // the EV asks for its pack's 200 A; the EVSE's 40 kW at the 420 V voltage target caps it at 95.2 A
    assert.ok(i !== undefined, "a power-stage set point");
    assert.ok(Math.abs(i - -40_000 / 420) < 0.5, `set point ${i} A`);
    const meter = cl?.body.MeterInfo as iso20Common.MeterInfoType;
    assert.equal(meter.ChargedEnergyReadingWh, 1500n);
    assert.equal(meter.BPT_DischargedEnergyReadingWh, 700n);
  });

  test(`iso20 BPT ${mode}: the same EV charging (no discharge requested) gets a positive set point`, () => {
    const d = start(mode, ISO20_SERVICE.DC_BPT, false);
    toLoop(d);
    request(d, "CurrentDemand", { dtMs: 100 });
    assert.ok((setPointA(d) ?? 0) > 0, `set point ${setPointA(d)}`);
  });

  test(`iso20 BPT ${mode}: the plain control mode in a DC_BPT session → FAILED`, () => {
    const d = start(mode);
    toLoop(d);
    const plain = mode === "dynamic" ? "Dynamic_DC_CLReqControlMode" : "Scheduled_DC_CLReqControlMode";
    const r = request(d, "CurrentDemand", {
      dtMs: 100,
      patch: (b) => {
        const key = Object.keys(b).find((k) => k.startsWith("BPT_"))!;
        const { [key]: m, ...rest } = b;
        return { ...rest, [plain]: m };
      },
    });
    assert.equal(r?.body.ResponseCode, "FAILED");
    assert.match(ends(d)[0]?.detail ?? "", /BPT_/);
  });
}

test("iso20: in a plain DC session a negative EVTargetCurrent never discharges (set point 0 A)", () => {
  const d = start("scheduled", ISO20_SERVICE.DC, false);
  toLoop(d);
  request(d, "CurrentDemand", {
    dtMs: 100,
    patch: (b) => {
      const m = b.Scheduled_DC_CLReqControlMode as Record<string, unknown>;
      return { ...b, Scheduled_DC_CLReqControlMode: { ...m, EVTargetCurrent: { Exponent: 0, Value: -150 } } };
    },
  });
  assert.equal(setPointA(d), 0);
});

test("iso20 BPT: PowerDelivery(Start) records the channel the EV selected", () => {
  const d = start("scheduled");
  toLoop(d);
  assert.equal(d.s.iso20?.bptChannel, "Discharge");
  const c = start("scheduled", ISO20_SERVICE.DC_BPT, false);
  toLoop(c);
  assert.equal(c.s.iso20?.bptChannel, "Charge");
});
