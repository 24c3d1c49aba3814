/**
 * EVCC timeouts in virtual time: every per-message timeout fires exactly at its digest
 * §5.4 constant (the SECC falls silent just before the request), and the phase timeouts (Ongoing,
 * CableCheck, PreCharge, DIN edition variants) fire when their phase overruns.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultSeccReadings } from "../ports/secc-ports.js";
import { createEvcc, stepEvcc } from "./evcc.js";
import { evccMsgTimeoutMs } from "./evcc-timeouts.js";
import { type LoopbackOptions, runLoopback } from "./loopback.js";
import {
  V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2024_MS,
  V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS,
  V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS,
  V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS,
  V2G_EVCC_ONGOING_TIMEOUT_MS,
  V2G_EVCC_PRE_CHARGE_TIMEOUT_MS,
} from "./timeouts.js";
import type { MsgName } from "./types.js";

const SMALL = { capacityWh: 2_000 };

const SCENARIOS: { label: string; o: LoopbackOptions }[] = [
  { label: "din DC", o: { secc: { protocols: ["din"] }, evcc: { protocols: ["din"] } } },
  { label: "iso2 DC", o: { secc: { protocols: ["iso2"] }, evcc: { protocols: ["iso2"] } } },
  {
    label: "iso2 AC",
    o: {
      secc: { protocols: ["iso2"], energyModes: ["AC_single_phase_core"], receiptRequired: true },
      evcc: { protocols: ["iso2"], mode: "AC_single_phase_core" },
      initialSocPercent: 99.9,
    },
  },
  {
    label: "din DC (2024 edition)",
    o: { secc: { protocols: ["din"] }, evcc: { protocols: ["din"], dinEdition: "2024" } },
  },
];

for (const { label, o } of SCENARIOS) {
  test(`${label}: each per-message EVCC timeout fires exactly at its constant`, (t) => {
    const base: LoopbackOptions = {
      battery: SMALL,
      initialSocPercent: 79.5,
      isolation: { testDurationMs: 400 },
      ...o,
    };
    const ref = runLoopback(base);
    assert.equal(ref.evccEnds[0]?.reason, "terminated");
    const firstSent = new Map<string, number>();
    for (const w of ref.wire) if (w.from === "evcc" && !firstSent.has(w.name)) firstSent.set(w.name, w.tMs);
    const protocol = ref.evcc.protocol!;
    const rows: string[] = [];
    for (const [req, at] of firstSent) {
      const name = (req === "supportedAppProtocolReq" ? "SAP" : canonical(req)) as MsgName | "SAP";
      const expected = evccMsgTimeoutMs(name === "SAP" ? null : protocol, name, ref.evcc.cfg.dinEdition);
      const r = runLoopback({ ...base, muteFromMs: { side: "secc", atMs: at } });
      const end = r.evccEnds[0];
      assert.equal(end?.reason, "timeout", `${req}: ${JSON.stringify(r.evccEnds)}`);
      assert.match(end.detail, /V2G_EVCC_Msg_Timeout/);
      // the request is re-sent at the same time in the muted run (identical up to `at`)
      const sentAt = r.wire.filter((w) => w.from === "evcc" && w.name === req).at(-1)!.tMs;
      assert.equal(
        end.tMs - sentAt,
        expected,
        `${req}: measured ${end.tMs - sentAt} ms, constant ${expected} ms`,
      );
      rows.push(`${req.replace(/Req$/, "")} ${end.tMs - sentAt}`);
    }
    t.diagnostic(`${label} measured EVCC message timeouts (ms): ${rows.join(", ")}`);
  });
}

function canonical(req: string): string {
  const n = req.replace(/Req$/, "");
  if (n === "ServicePaymentSelection" || n === "PaymentServiceSelection") return "PaymentSelection";
  if (n === "ContractAuthentication") return "Authorization";
  return n;
}

test("DIN 2024 edition: the CurrentDemand timeout is the edition's 0.5 s", () => {
  assert.equal(
    evccMsgTimeoutMs("din", "CurrentDemand", "2024"),
    V2G_EVCC_MSG_TIMEOUT_CURRENT_DEMAND_DIN_2024_MS,
  );
  assert.equal(evccMsgTimeoutMs("din", "CurrentDemand", "2014"), 250);
  assert.equal(evccMsgTimeoutMs("iso2", "PowerDelivery", "2014"), 5_000);
  assert.equal(evccMsgTimeoutMs("din", "PowerDelivery", "2014"), 2_000);
});

function phaseEnd(o: LoopbackOptions, after: string) {
  const r = runLoopback({ battery: SMALL, initialSocPercent: 79, maxMs: 200_000, ...o });
  const end = r.evccEnds[0]!;
  const ref = r.wire.filter((w) => w.from === "secc" && w.name === after).at(0)!;
  return { end, measured: end.tMs - (ref.tMs + 2) /* one-way latency */ };
}

test("CableCheck phase: V2G_EVCC_CableCheck_Timeout (ISO-2 40 s, DIN 2024 38 s) after ChargeParameterDiscovery", (t) => {
  const slowImd = { testDurationMs: 120_000 };
  const iso = phaseEnd(
    { secc: { protocols: ["iso2"] }, evcc: { protocols: ["iso2"] }, isolation: slowImd },
    "ChargeParameterDiscoveryRes",
  );
  assert.equal(iso.end.reason, "timeout");
  assert.match(iso.end.detail, /CableCheck/);
  assert.equal(iso.measured, V2G_EVCC_CABLE_CHECK_TIMEOUT_ISO2_MS);
  const din = phaseEnd(
    { secc: { protocols: ["din"] }, evcc: { protocols: ["din"], dinEdition: "2024" }, isolation: slowImd },
    "ChargeParameterDiscoveryRes",
  );
  assert.equal(din.measured, V2G_EVCC_CABLE_CHECK_TIMEOUT_DIN_2024_MS);
  t.diagnostic(`CableCheck timeout measured: ISO-2 ${iso.measured} ms, DIN-2024 ${din.measured} ms`);
});

test("PreCharge phase: V2G_EVCC_PreCharge_Timeout 7 s when the EVSE cannot reach the battery voltage", (t) => {
  const readings = defaultSeccReadings();
  const capped = { ...readings, dc: { ...readings.dc, maxVoltageV: 300 } };
  const r = phaseEnd(
    {
      secc: { protocols: ["iso2"], readings: capped },
      evcc: { protocols: ["iso2"] },
      isolation: { testDurationMs: 200 },
    },
    "CableCheckRes",
  );
  assert.equal(r.end.reason, "timeout");
  assert.match(r.end.detail, /PreCharge/);
  // the PreCharge timer starts with the CableCheckRes that said Finished (the last one)
  const rr = runLoopback({
    battery: SMALL,
    initialSocPercent: 79,
    secc: { protocols: ["iso2"], readings: capped },
    evcc: { protocols: ["iso2"] },
    isolation: { testDurationMs: 200 },
  });
  const lastCc = rr.wire.filter((w) => w.from === "secc" && w.name === "CableCheckRes").at(-1)!;
  assert.equal(rr.evccEnds[0]!.tMs - (lastCc.tMs + 2), V2G_EVCC_PRE_CHARGE_TIMEOUT_MS);
  t.diagnostic(`PreCharge timeout measured ${rr.evccEnds[0]!.tMs - (lastCc.tMs + 2)} ms`);
});

test("Ongoing: Authorization pending for longer than V2G_EVCC_Ongoing_Timeout (60 s) ends the session", (t) => {
  const readings = { ...defaultSeccReadings(), authorization: "pending" as const };
  const r = runLoopback({
    battery: SMALL,
    secc: { protocols: ["iso2"], readings },
    evcc: { protocols: ["iso2"] },
    maxMs: 100_000,
  });
  const end = r.evccEnds[0]!;
  assert.equal(end.reason, "timeout");
  assert.match(end.detail, /Ongoing/);
  const ps = r.wire.find((w) => w.from === "secc" && w.name === "PaymentServiceSelectionRes")!;
  assert.equal(end.tMs - (ps.tMs + 2), V2G_EVCC_ONGOING_TIMEOUT_MS);
  t.diagnostic(`Ongoing timeout measured ${end.tMs - (ps.tMs + 2)} ms`);
});

test("CommunicationSetup: armed for 20 s at connection", () => {
  const [, fx] = stepEvcc(createEvcc(), { kind: "connected", tMs: 500 });
  const timer = fx.find((f) => f.kind === "set-timer" && f.id === "communication-setup");
  assert.ok(timer && timer.kind === "set-timer");
  assert.equal(timer.atMs - 500, V2G_EVCC_COMMUNICATION_SETUP_TIMEOUT_MS);
});

test("EVCC: a FAILED response or a response of the wrong type ends the session", () => {
  const r = runLoopback({
    battery: SMALL,
    secc: { protocols: ["din"], energyModes: ["DC_core"] },
    evcc: { protocols: ["din"], mode: "DC_extended" },
  });
  // DIN: the SECC offers DC_core; our EV asks DC_extended → FAILED_WrongEnergyTransferType
  assert.equal(r.seccEnds[0]?.reason, "failed-response", JSON.stringify(r.seccEnds));
  assert.equal(r.evccEnds[0]?.reason, "failed-response");
  assert.match(r.evccEnds[0]!.detail, /FAILED_WrongEnergyTransferType/);
});
