import assert from "node:assert/strict";
import { test } from "node:test";
import { dcPhaseAfter } from "./phases.js";

test("DC phases follow the message sequence, forward only", () => {
  const seq = [
    "SessionSetupReq",
    "PowerDeliveryReq",
    "CableCheckReq",
    "CableCheckRes",
    "PreChargeRes",
    "CurrentDemandReq",
    "PreChargeReq",
    "PowerDeliveryRes",
    "WeldingDetectionReq",
    "CableCheckReq",
  ];
  const seen: string[] = [];
  let p = "connecting" as Parameters<typeof dcPhaseAfter>[0];
  for (const n of seq) {
    const q = dcPhaseAfter(p, n);
    if (q !== p) seen.push(q);
    p = q;
  }
  assert.deepEqual(seen, ["cable-check", "pre-charge", "charging", "stopping", "cable-check"]);
});

test("ISO 15118-20 DC messages name the same phases (DC_CableCheck, DC_PreCharge, DC_ChargeLoop)", () => {
  const seq = [
    "ScheduleExchangeRes",
    "DC_CableCheckReq",
    "DC_PreChargeRes",
    "PowerDeliveryRes",
    "DC_ChargeLoopReq",
    "PowerDeliveryReq",
    "DC_WeldingDetectionRes",
  ];
  const seen: string[] = [];
  let p = "connecting" as Parameters<typeof dcPhaseAfter>[0];
  for (const n of seq) {
    const q = dcPhaseAfter(p, n);
    if (q !== p) seen.push(q);
    p = q;
  }
  assert.deepEqual(seen, ["cable-check", "pre-charge", "charging", "stopping"]);
});

test("ISO 15118-20 AC: AC_ChargeLoop is the AC loop (connecting → charging → stopping, no cable check)", () => {
  const seq = ["AC_ChargeParameterDiscoveryRes", "PowerDeliveryReq", "AC_ChargeLoopReq", "PowerDeliveryReq"];
  const seen: string[] = [];
  let p = "connecting" as Parameters<typeof dcPhaseAfter>[0];
  for (const n of seq) {
    const q = dcPhaseAfter(p, n);
    if (q !== p) seen.push(q);
    p = q;
  }
  assert.deepEqual(seen, ["charging", "stopping"]);
});
