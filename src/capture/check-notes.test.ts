/**
 * `--check` severities: an error must be the session's fault. What the capture cannot show (a response
 * after its end, the request of a response at its start, messages lost in a gap or damage) is a note;
 * a present current or voltage above the EVSE's advertised maximum is an error.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCheckReport } from "./check.js";
import type { CaptureEvent } from "./decoder.js";

const pv = (Value: number, Unit: string, Multiplier = 0) => ({ Value, Unit, Multiplier });

function v2g(t: number, from: "ev" | "evse", type: string, body: Record<string, unknown> = {}): CaptureEvent {
  return {
    t,
    frame: Math.round(t * 100),
    layer: "v2g",
    from,
    schema: "din",
    type,
    message: { Header: { SessionID: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }, Body: { [type]: body } },
    conn: 1,
  };
}

const severities = (ev: CaptureEvent[]) =>
  buildCheckReport(ev).findings.map((f) => `${f.severity} ${f.code}`);

test("check: a request whose response would fall after the end of the capture is a note", () => {
  const ev = [
    v2g(0, "ev", "SessionSetupReq", { EVCCID: Uint8Array.of(1) }),
    v2g(0.05, "evse", "SessionSetupRes", { ResponseCode: "OK" }),
    v2g(0.1, "ev", "ServiceDiscoveryReq"),
  ];
  const r = buildCheckReport(ev);
  assert.deepEqual(severities(ev), ["info NO_RESPONSE"]);
  assert.match(
    r.findings[0]!.message,
    /no response in the capture, which ends 0\.000 s later \(within its 2 s timeout\)/,
  );
  assert.equal(r.counts.errors, 0);
  // …but a request left unanswered while the capture goes on past its timeout is the session's fault
  const late = [
    ...ev,
    { t: 5, frame: 500, layer: "tcp", from: "evse", type: "TcpReset", conn: 1 } as CaptureEvent,
  ];
  assert.deepEqual(severities(late), ["error NO_RESPONSE"]);
});

test("check: a response at the start of a capture that began mid-session is a note, its FAILED code too", () => {
  const ev: CaptureEvent[] = [
    { t: 0, frame: 1, layer: "tcp", from: "unknown", type: "TcpConnection", conn: 1 },
    v2g(0.01, "evse", "SessionStopRes", { ResponseCode: "FAILED_SequenceError" }),
  ];
  assert.deepEqual(severities(ev), ["info UNEXPECTED_RESPONSE", "info FAILED"]);
  const mid: CaptureEvent[] = [
    { t: 0, frame: 1, layer: "tcp", from: "unknown", type: "TcpConnection", conn: 1 },
    v2g(0.01, "ev", "CurrentDemandReq"),
    v2g(0.02, "evse", "CurrentDemandRes", { ResponseCode: "OK" }),
  ];
  assert.deepEqual(severities(mid), ["info ORDER"]);
});

test("check: messages lost in a capture gap make the order and pairing findings notes", () => {
  const ev: CaptureEvent[] = [
    v2g(0, "ev", "SessionSetupReq", { EVCCID: Uint8Array.of(1) }),
    v2g(0.05, "evse", "SessionSetupRes", { ResponseCode: "OK" }),
    v2g(0.1, "ev", "ServiceDiscoveryReq"),
    {
      t: 0.2,
      frame: 20,
      layer: "capture",
      from: "unknown",
      type: "CaptureDamage",
      error: { message: "bytes 100–199 (100 bytes) skipped: …", code: "CAPTURE_DAMAGED" },
    },
    v2g(0.3, "ev", "ContractAuthenticationReq"),
    v2g(0.35, "evse", "ContractAuthenticationRes", { ResponseCode: "OK" }),
  ];
  assert.deepEqual(severities(ev), ["warning CAPTURE_DAMAGED", "info NO_RESPONSE", "info ORDER"]);
});

test("check: EVSEPresentCurrent / EVSEPresentVoltage above the ChargeParameterDiscoveryRes maximum is an error", () => {
  const ev = [
    v2g(0, "ev", "ChargeParameterDiscoveryReq"),
    v2g(0.05, "evse", "ChargeParameterDiscoveryRes", {
      ResponseCode: "OK",
      DC_EVSEChargeParameter: {
        EVSEMaximumCurrentLimit: pv(3000, "A", -2),
        EVSEMaximumVoltageLimit: pv(500, "V"),
      },
    }),
    v2g(0.1, "ev", "PreChargeReq"),
    v2g(0.12, "evse", "PreChargeRes", { ResponseCode: "OK", EVSEPresentVoltage: pv(5012, "V", -1) }),
    v2g(0.2, "ev", "CurrentDemandReq"),
    v2g(0.22, "evse", "CurrentDemandRes", {
      ResponseCode: "OK",
      EVSEPresentVoltage: pv(400, "V"),
      EVSEPresentCurrent: pv(300, "A", -1),
    }),
    v2g(0.3, "ev", "CurrentDemandReq"),
    v2g(0.32, "evse", "CurrentDemandRes", {
      ResponseCode: "OK",
      EVSEPresentVoltage: pv(400, "V"),
      EVSEPresentCurrent: pv(301, "A", -1),
    }),
  ];
  const r = buildCheckReport(ev);
  const over = r.findings.filter((f) => f.code === "OVER_LIMIT");
  assert.deepEqual(
    over.map((f) => [f.severity, f.frame, f.message, f.count ?? 1]),
    [
      [
        "error",
        12,
        "PreChargeRes #12: EVSEPresentVoltage 501.2 V is above the EVSE's EVSEMaximumVoltageLimit 500 V (ChargeParameterDiscoveryRes)",
        1,
      ],
      [
        "error",
        32,
        "CurrentDemandRes #32: EVSEPresentCurrent 30.1 A is above the EVSE's EVSEMaximumCurrentLimit 30 A (ChargeParameterDiscoveryRes)",
        1,
      ],
    ],
    "30.0 A is at the limit, 30.1 A above it",
  );
});

test("check: within the EVSE's advertised EVSECurrentRegulationTolerance the present current is no error", () => {
  const ev = [
    v2g(0, "ev", "ChargeParameterDiscoveryReq"),
    v2g(0.05, "evse", "ChargeParameterDiscoveryRes", {
      ResponseCode: "OK",
      DC_EVSEChargeParameter: {
        EVSEMaximumCurrentLimit: pv(30, "A"),
        EVSEMaximumVoltageLimit: pv(500, "V"),
        EVSECurrentRegulationTolerance: pv(5, "A"),
      },
    }),
    v2g(0.2, "ev", "CurrentDemandReq"),
    v2g(0.22, "evse", "CurrentDemandRes", { ResponseCode: "OK", EVSEPresentCurrent: pv(34, "A") }),
    v2g(0.3, "ev", "CurrentDemandReq"),
    v2g(0.32, "evse", "CurrentDemandRes", { ResponseCode: "OK", EVSEPresentCurrent: pv(36, "A") }),
  ];
  const over = buildCheckReport(ev).findings.filter((f) => f.code === "OVER_LIMIT");
  assert.deepEqual(
    over.map((f) => [f.frame, f.message]),
    [
      [
        32,
        "CurrentDemandRes #32: EVSEPresentCurrent 36 A is above the EVSE's EVSEMaximumCurrentLimit + EVSECurrentRegulationTolerance (30 + 5) 35 A (ChargeParameterDiscoveryRes)",
      ],
    ],
  );
});

test("check: an ISO 15118-20 BPT discharge current beyond the EVSE's EVSEMaximumDischargeCurrent is OVER_LIMIT (either sign of the limit)", () => {
  const rn = (Value: number, Exponent = 0) => ({ Value, Exponent });
  for (const limit of [100, -100]) {
    const ev = [
      v2g(0, "ev", "DC_ChargeParameterDiscoveryReq"),
      v2g(0.05, "evse", "DC_ChargeParameterDiscoveryRes", {
        ResponseCode: "OK",
        BPT_DC_CPDResEnergyTransferMode: {
          EVSEMaximumChargeCurrent: rn(200),
          EVSEMaximumVoltage: rn(500),
          EVSEMaximumDischargeCurrent: rn(limit),
        },
      }),
      v2g(0.2, "ev", "DC_ChargeLoopReq"),
      v2g(0.22, "evse", "DC_ChargeLoopRes", { ResponseCode: "OK", EVSEPresentCurrent: rn(-1000, -1) }),
      v2g(0.3, "ev", "DC_ChargeLoopReq"),
      v2g(0.32, "evse", "DC_ChargeLoopRes", { ResponseCode: "OK", EVSEPresentCurrent: rn(-1012, -1) }),
    ];
    const over = buildCheckReport(ev).findings.filter((f) => f.code === "OVER_LIMIT");
    assert.deepEqual(
      over.map((f) => [f.frame, f.message]),
      [
        [
          32,
          "DC_ChargeLoopRes #32: EVSEPresentCurrent (discharge) 101.2 A is above the EVSE's EVSEMaximumDischargeCurrent 100 A (ChargeParameterDiscoveryRes)",
        ],
      ],
      `limit sent as ${limit}`,
    );
  }
});
