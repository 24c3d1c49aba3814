/**
 * Full EVCC ↔ SECC sessions on a virtual clock: DIN DC, ISO-2 DC, ISO-2 AC, every
 * message through the EXI codecs and V2GTP framing; pause/resume with the same SessionID (ISO-2).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PRECHARGE_TOLERANCE_IEC_V } from "./dc-physics.js";
import { type LoopbackOptions, type LoopbackResult, runLoopback } from "./loopback.js";

const SMALL = { capacityWh: 2_000 };

function names(r: LoopbackResult, from: "secc" | "evcc"): string[] {
  return r.wire.filter((w) => w.from === from).map((w) => w.name);
}

/** `sub` appears in `xs` in order (not necessarily adjacent). */
function inOrder(xs: string[], sub: string[]): boolean {
  let i = 0;
  for (const x of xs) if (x === sub[i]) i++;
  return i === sub.length;
}

function run(o: LoopbackOptions): LoopbackResult {
  const r = runLoopback({ battery: SMALL, ...o });
  assert.deepEqual(
    r.seccEnds.map((e) => e.reason),
    ["terminated"],
    `SECC ends: ${JSON.stringify(r.seccEnds)} EVCC ends: ${JSON.stringify(r.evccEnds)}`,
  );
  assert.deepEqual(
    r.evccEnds.map((e) => e.reason),
    ["terminated"],
  );
  return r;
}

const DC_SEQUENCE = [
  "supportedAppProtocolReq",
  "SessionSetupReq",
  "ServiceDiscoveryReq",
  "*PaymentSelection",
  "*Auth",
  "ChargeParameterDiscoveryReq",
  "CableCheckReq",
  "PreChargeReq",
  "PowerDeliveryReq",
  "CurrentDemandReq",
  "PowerDeliveryReq",
  "WeldingDetectionReq",
  "SessionStopReq",
];

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol} DC: full session EVCC ↔ SECC through EXI + V2GTP`, () => {
    const isolationMs = 1_500;
    const r = run({
      secc: { protocols: [protocol] },
      evcc: { protocols: [protocol] },
      initialSocPercent: 79,
      isolation: { testDurationMs: isolationMs },
    });
    const sent = names(r, "evcc");
    const seq = DC_SEQUENCE.map((n) =>
      n === "*PaymentSelection"
        ? protocol === "din"
          ? "ServicePaymentSelectionReq"
          : "PaymentServiceSelectionReq"
        : n === "*Auth"
          ? protocol === "din"
            ? "ContractAuthenticationReq"
            : "AuthorizationReq"
          : n,
    );
    assert.ok(inOrder(sent, seq), sent.slice(0, 20).join(","));
    // CableCheck stayed Ongoing while the isolation monitor ran: at least isolationMs / pacing requests
    const cc = sent.filter((n) => n === "CableCheckReq").length;
    assert.ok(cc >= Math.floor(isolationMs / 200), `CableCheckReq count ${cc}`);
    assert.ok(r.plant.energyWh > 0, "energy flowed");
    assert.ok(r.plant.battery.socPercent > 79);
    assert.ok(Math.abs(r.secc.readings.presentVoltageV) < 60 || r.secc.conn === "ended");
    assert.equal(r.evcc.contactors, "open");
    assert.equal(r.evcc.s2, "open");
  });
}

test("PreCharge: the EV closes its contactors only once EVSEPresentVoltage is within tolerance of the battery", () => {
  const r = run({
    secc: { protocols: ["iso2"], trace: true },
    evcc: { protocols: ["iso2"] },
    initialSocPercent: 79,
    isolation: { testDurationMs: 200 },
  });
  const closeAt = r.evccEffects.find(
    (e) => e.effect.kind === "port-command" && e.effect.command.port === "contactors",
  )!.tMs;
  const traces = r.seccEffects.flatMap((e) => (e.effect.kind === "trace" ? [{ t: e.tMs, ...e.effect }] : []));
  const preRes = traces.filter((x) => x.name === "PreChargeRes");
  const preReq = traces.filter((x) => x.name === "PreChargeReq");
  assert.ok(preRes.length >= 2, "several PreCharge rounds while the stage ramps");
  assert.ok(closeAt >= preRes.at(-1)!.t);
  const v = (m: unknown, k: string) => {
    const x = (m as { Body: Record<string, Record<string, { Value: number; Multiplier: number }>> }).Body;
    const pvv = Object.values(x)[0]![k]!;
    return pvv.Value * 10 ** pvv.Multiplier;
  };
  const target = v(preReq.at(-1)!.message, "EVTargetVoltage");
  const first = v(preRes[0]!.message, "EVSEPresentVoltage");
  const last = v(preRes.at(-1)!.message, "EVSEPresentVoltage");
  assert.ok(
    Math.abs(first - target) >= PRECHARGE_TOLERANCE_IEC_V,
    `first PreChargeRes ${first} V vs target ${target} V`,
  );
  assert.ok(
    Math.abs(last - target) < PRECHARGE_TOLERANCE_IEC_V,
    `last PreChargeRes ${last} V vs target ${target} V`,
  );
});

test("ISO-2 AC: ChargeParameterDiscovery (AC), PowerDelivery, ChargingStatus + MeteringReceipt loop, stop", () => {
  const r = run({
    secc: {
      protocols: ["iso2"],
      energyModes: ["AC_single_phase_core", "AC_three_phase_core"],
      receiptRequired: true,
    },
    evcc: { protocols: ["iso2"], mode: "AC_three_phase_core" },
    initialSocPercent: 99.8,
  });
  const sent = names(r, "evcc");
  assert.ok(
    inOrder(sent, [
      "ChargeParameterDiscoveryReq",
      "PowerDeliveryReq",
      "ChargingStatusReq",
      "MeteringReceiptReq",
      "ChargingStatusReq",
      "PowerDeliveryReq",
      "SessionStopReq",
    ]),
    sent.join(","),
  );
  assert.ok(!sent.includes("CableCheckReq"));
  assert.equal(r.plant.battery.socPercent, 100);
  // the SECC closed its contactors only after the EV closed S2 (CP C), and opened them on PowerDelivery(Stop)
  const s2Close = r.evccEffects.find(
    (e) => e.effect.kind === "port-command" && e.effect.command.port === "s2",
  )!.tMs;
  const contactors = r.seccEffects.filter(
    (e) => e.effect.kind === "port-command" && e.effect.command.port === "contactors",
  );
  assert.ok(contactors.length >= 2);
  assert.ok(contactors[0]!.tMs > s2Close, `close at ${contactors[0]!.tMs}, S2 at ${s2Close}`);
});

test("ISO-2 pause and resume: SessionStop(Pause), reconnect, OK_OldSessionJoined with the same SessionID", () => {
  const r = runLoopback({
    battery: SMALL,
    secc: { protocols: ["iso2"], trace: true },
    evcc: { protocols: ["iso2"], trace: true },
    initialSocPercent: 70,
    isolation: { testDurationMs: 200 },
    script: [{ atMs: 6_000, evcc: { kind: "control", control: { op: "pause" }, tMs: 6_000 } }],
    resumeAfterMs: 3_000,
  });
  assert.equal(r.seccEnds[0]?.reason, "paused");
  assert.equal(r.evccEnds[0]?.reason, "paused");
  const setups = r.seccEffects.filter(
    (e) => e.effect.kind === "trace" && e.effect.name === "SessionSetupRes",
  );
  assert.equal(setups.length, 2);
  const [first, second] = setups.map(
    (e) =>
      (
        e.effect as {
          message: { Header: { SessionID: Uint8Array }; Body: { SessionSetupRes: { ResponseCode: string } } };
        }
      ).message,
  );
  assert.equal(first!.Body.SessionSetupRes.ResponseCode, "OK_NewSessionEstablished");
  assert.equal(second!.Body.SessionSetupRes.ResponseCode, "OK_OldSessionJoined");
  assert.deepEqual(second!.Header.SessionID, first!.Header.SessionID);
  assert.equal(r.seccEnds.at(-1)?.reason, "terminated");
  assert.equal(r.evccEnds.at(-1)?.reason, "terminated");
});

test("EVSENotification StopCharging: the EV stops within NotificationMaxDelay", () => {
  const r = runLoopback({
    battery: { capacityWh: 50_000 },
    secc: { protocols: ["din"], notificationMaxDelayS: 2 },
    evcc: { protocols: ["din"] },
    initialSocPercent: 50,
    isolation: { testDurationMs: 200 },
    script: [{ atMs: 8_000, secc: { kind: "control", control: { op: "stop-charging" }, tMs: 8_000 } }],
  });
  assert.equal(r.seccEnds[0]?.reason, "terminated");
  const stopPd = r.wire.filter((w) => w.from === "evcc" && w.name === "PowerDeliveryReq").at(-1)!;
  assert.ok(stopPd.tMs >= 8_000 && stopPd.tMs <= 8_000 + 2_000, `PowerDelivery(stop) at ${stopPd.tMs}`);
});
