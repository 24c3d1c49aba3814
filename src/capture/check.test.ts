import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCheckReport } from "./check.js";
import { formatCheckReport } from "./check-text.js";
import type { CaptureEvent } from "./decoder.js";

const pv = (Value: number, Unit: string, Multiplier = 0) => ({ Value, Unit, Multiplier });

function v2g(
  t: number,
  from: "ev" | "evse",
  type: string,
  body: Record<string, unknown> = {},
  extra: Partial<CaptureEvent> = {},
): CaptureEvent {
  const header = { SessionID: Uint8Array.of(1, 2, 3, 4) };
  const message = type.startsWith("supportedAppProtocol") ? body : { Header: header, Body: { [type]: body } };
  return {
    t,
    frame: Math.round(t * 10),
    layer: "v2g",
    from,
    schema: type.startsWith("supportedAppProtocol") ? "apphand" : "din",
    type,
    message,
    conn: 1,
    ...extra,
  };
}

function session(): CaptureEvent[] {
  const ev: CaptureEvent[] = [{ t: 0, frame: 1, layer: "tcp", from: "ev", type: "TcpConnect", conn: 1 }];
  let t = 0.01;
  const pair = (
    name: string,
    req: Record<string, unknown> = {},
    res: Record<string, unknown> = { ResponseCode: "OK" },
    dt = 0.01,
  ) => {
    ev.push(v2g(t, "ev", `${name}Req`, req));
    ev.push(v2g(t + dt, "evse", `${name}Res`, res));
    t += 0.1;
  };
  ev.push(
    v2g(
      t,
      "ev",
      "supportedAppProtocolReq",
      {
        AppProtocol: [
          { ProtocolNamespace: "urn:din:70121:2012:MsgDef", SchemaID: 1 },
          { ProtocolNamespace: "urn:tesla:din:2018:MsgDef", SchemaID: 2 },
        ],
      },
      { warnings: ["1 zero bytes after End-Document ignored"] },
    ),
  );
  ev.push(
    v2g(t + 0.01, "evse", "supportedAppProtocolRes", {
      ResponseCode: "OK_SuccessfulNegotiation",
      SchemaID: 1,
    }),
  );
  t += 0.1;
  pair(
    "SessionSetup",
    { EVCCID: Uint8Array.of(0xaa) },
    { ResponseCode: "OK_NewSessionEstablished", EVSEID: Uint8Array.of(0) },
  );
  pair("ServiceDiscovery");
  pair("ServicePaymentSelection");
  pair("ContractAuthentication", {}, { ResponseCode: "OK", EVSEProcessing: "Finished" });
  pair("ChargeParameterDiscovery");
  pair("CableCheck", {}, { ResponseCode: "OK", EVSEProcessing: "Finished" });
  pair("PreCharge");
  pair("PowerDelivery");
  // 37 CurrentDemand pairs 1 s apart at 400 V × 250 A = 100 kW → 36 s × 100 kW = 1 kWh
  for (let i = 0; i < 37; i++) {
    const dt = i === 5 ? 0.4 : 0.03; // one response over the 250 ms timeout
    pair(
      "CurrentDemand",
      { EVTargetCurrent: pv(250, "A") },
      { ResponseCode: "OK", EVSEPresentVoltage: pv(400, "V"), EVSEPresentCurrent: pv(25, "A", 1) },
      dt,
    );
    t += 0.9;
  }
  pair("PowerDelivery");
  pair("PreCharge"); // out of order
  pair("SessionStop", { ChargingSession: "Terminate" });
  return ev;
}

test("check: order, response times, quirks and the session summary", () => {
  const r = buildCheckReport(session());
  const codes = r.findings.map((f) => f.code).sort();
  assert.deepEqual(codes, [
    "EARLY_STOP",
    "EVSEID_00",
    "ORDER",
    "RESPONSE_TIMEOUT",
    "SESSION_ID_LENGTH",
    "SLOW_RESPONSE",
    "TESLA_NAMESPACE",
    "TRAILING_BYTES",
  ]);
  const order = r.findings.find((f) => f.code === "ORDER")!;
  assert.match(order.message, /PreChargeReq after PowerDeliveryReq/);
  const slow = r.findings.find((f) => f.code === "SLOW_RESPONSE")!;
  assert.equal(
    slow.count,
    36,
    "the 36 CurrentDemandRes within 250 ms but over 25 ms are one grouped warning",
  );
  assert.equal(r.sessions.length, 1);
  const s = r.sessions[0]!;
  assert.ok(Math.abs(s.energyWh! - 1000) < 1, `energy ${s.energyWh}`);
  assert.equal(s.peakPowerW, 100000);
  assert.equal(s.peakCurrentA, 250);
  assert.equal(s.sessionId, "01020304");
  assert.equal(s.namespace, "urn:din:70121:2012:MsgDef");
  assert.match(s.stopReason, /SessionStopReq \(Terminate\)/);
  const cd = r.responseTimes.find((x) => x.message === "CurrentDemandRes")!;
  assert.equal(cd.count, 37);
  assert.equal(cd.over, 1);
  assert.equal(cd.limitS, 0.25);
  const text = formatCheckReport(r).join("\n");
  assert.match(text, /energy 1\.000 kWh, peak power 100\.0 kW/);
  assert.match(text, /OVER ×1/);
});

test("check: a missing response, a reset connection and a FAILED response code are reported", () => {
  const ev: CaptureEvent[] = [
    v2g(0, "ev", "SessionSetupReq", { EVCCID: Uint8Array.of(1) }),
    v2g(0.05, "evse", "SessionSetupRes", { ResponseCode: "FAILED" }),
    v2g(0.1, "ev", "ServiceDiscoveryReq"),
    { t: 3, frame: 99, layer: "tcp", from: "evse", type: "TcpReset", conn: 1 },
  ];
  const r = buildCheckReport(ev);
  assert.deepEqual(r.findings.map((f) => f.code).sort(), ["FAILED", "NO_RESPONSE", "SESSION_ID_LENGTH"]);
  assert.match(
    r.sessions[0]!.stopReason,
    /EVSE answered FAILED to SessionSetupReq; connection reset by the EVSE after ServiceDiscoveryReq/,
  );
});
