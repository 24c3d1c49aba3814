/**
 * SECC negative and edge behaviour in virtual time: out-of-order requests, unknown
 * session, timeouts, malformed EXI, Plug & Charge "not supported", CableCheck Ongoing until the isolation
 * monitor reports, truthful DC_EVSEStatus, NotificationMaxDelay.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { appHandshake } from "../../codecs/index.js";
import { dinEvccModule as dinMod } from "../din/evcc/module.js";
import { iso2EvccModule as isoMod } from "../iso2/evcc/module.js";
import { createSecc, stepSecc } from "./secc.js";
import { dcToChargeLoop, ends, event, request, startSecc, through } from "./testing/drive-secc.js";
import {
  SECC_EMERGENCY_WIND_DOWN_MS,
  V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS,
  V2G_SECC_CP_STATE_DETECTION_TIMEOUT_MS,
  V2G_SECC_SEQUENCE_TIMEOUT_MS,
} from "./timeouts.js";
import type { MsgName } from "./types.js";

const TO_CPD: MsgName[] = [
  "SessionSetup",
  "ServiceDiscovery",
  "PaymentSelection",
  "Authorization",
  "ChargeParameterDiscovery",
];

for (const protocol of ["din", "iso2"] as const) {
  test(`${protocol}: out-of-order request → its response with FAILED_SequenceError, then the session ends`, () => {
    const d = startSecc(protocol);
    request(d, "SessionSetup");
    const r = request(d, "CableCheck");
    assert.equal(r?.element, "CableCheckRes");
    assert.equal(r?.body.ResponseCode, "FAILED_SequenceError");
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["sequence-error"],
    );
    assert.ok(d.fx.some((f) => f.kind === "close"));
    // after the end nothing is answered
    assert.equal(request(d, "ServiceDiscovery"), undefined);
  });

  test(`${protocol}: a request before SessionSetup is a sequence error too`, () => {
    const d = startSecc(protocol);
    const r = request(d, "ServiceDiscovery");
    assert.equal(r?.element, "ServiceDiscoveryRes");
    assert.equal(r?.body.ResponseCode, "FAILED_SequenceError");
  });

  test(`${protocol}: wrong SessionID → FAILED_UnknownSession, then the session ends`, () => {
    const d = startSecc(protocol);
    request(d, "SessionSetup");
    const r = request(d, "ServiceDiscovery", { sessionId: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) });
    assert.equal(r?.element, "ServiceDiscoveryRes");
    assert.equal(r?.body.ResponseCode, "FAILED_UnknownSession");
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["unknown-session"],
    );
  });

  test(`${protocol}: V2G_SECC_Sequence_Timeout fires exactly ${V2G_SECC_SEQUENCE_TIMEOUT_MS} ms after the last response`, (t) => {
    const d = startSecc(protocol);
    request(d, "SessionSetup");
    const sentAt = d.t;
    const timer = d.fx.find((f) => f.kind === "set-timer" && f.id === "sequence");
    assert.ok(timer && timer.kind === "set-timer");
    event(d, { kind: "timer", id: "sequence", tMs: sentAt + V2G_SECC_SEQUENCE_TIMEOUT_MS - 1 });
    assert.equal(ends(d).length, 0, "an early timer event does nothing");
    event(d, { kind: "timer", id: "sequence", tMs: timer.atMs });
    const e = ends(d);
    assert.deepEqual(
      e.map((x) => x.reason),
      ["timeout"],
    );
    t.diagnostic(
      `${protocol}: sequence timeout measured ${e[0]!.tMs - sentAt} ms (constant ${V2G_SECC_SEQUENCE_TIMEOUT_MS})`,
    );
    assert.equal(e[0]!.tMs - sentAt, V2G_SECC_SEQUENCE_TIMEOUT_MS);
  });

  test(`${protocol}: malformed EXI → no response, decode error logged with its bit offset, session closed`, () => {
    const d = startSecc(protocol);
    request(d, "SessionSetup");
    d.t += 50;
    event(d, {
      kind: "message",
      payloadType: 0x8001,
      bytes: Uint8Array.of(0x80, 0x9a, 0xff, 0xff, 0xff, 0xff),
      tMs: d.t,
    });
    assert.equal(
      d.fx.some((f) => f.kind === "send"),
      false,
    );
    const log = d.fx.find((f) => f.kind === "log" && f.level === "error");
    assert.ok(log && log.kind === "log" && typeof log.data?.bitOffset === "number", JSON.stringify(log));
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["decode-error"],
    );
    assert.ok(d.fx.some((f) => f.kind === "close"));
  });

  test(`${protocol}: Plug & Charge requests decode and get the "not supported" answer`, () => {
    const d2 = startSecc(protocol);
    through(d2, ["SessionSetup", "ServiceDiscovery", "PaymentSelection"]);
    const body =
      protocol === "din"
        ? {
            Id: "id1",
            OEMProvisioningCert: new Uint8Array(10),
            ListOfRootCertificateIDs: { RootCertificateID: ["r"] },
            DHParams: new Uint8Array(4),
          }
        : {
            Id: "id1",
            OEMProvisioningCert: new Uint8Array(10),
            ListOfRootCertificateIDs: {
              RootCertificateID: [{ X509IssuerName: "CN=x", X509SerialNumber: 1n }],
            },
          };
    const enc = (protocol === "din" ? dinMod : isoMod).encode(
      d2.s.sessionId!,
      "CertificateInstallationReq",
      body,
    ).bytes;
    d2.t += 50;
    event(d2, { kind: "message", payloadType: 0x8001, bytes: enc, tMs: d2.t });
    const res = lastRes(d2);
    assert.equal(res.element, "CertificateInstallationRes");
    assert.equal(res.body.ResponseCode, "FAILED_NoCertificateAvailable");
    assert.deepEqual(
      ends(d2).map((e) => e.reason),
      ["failed-response"],
    );
  });

  test(`${protocol}: CableCheck stays Ongoing until the isolation monitor reports; status and level are truthful`, () => {
    const d = startSecc(protocol);
    through(d, TO_CPD);
    let r = request(d, "CableCheck");
    // CP still B: Ongoing, EVSE_NotReady, no isolation test yet
    assert.equal(r?.body.EVSEProcessing, "Ongoing");
    assert.equal((r!.body.DC_EVSEStatus as { EVSEStatusCode: string }).EVSEStatusCode, "EVSE_NotReady");
    event(d, { kind: "cp", state: "C", tMs: d.t + 10 });
    r = request(d, "CableCheck");
    assert.equal(r?.body.EVSEProcessing, "Ongoing");
    const st = r!.body.DC_EVSEStatus as { EVSEStatusCode: string; EVSEIsolationStatus?: string };
    assert.equal(st.EVSEStatusCode, "EVSE_IsolationMonitoringActive");
    const cmds = d.fx.flatMap((f) => (f.kind === "port-command" ? [f.command] : []));
    const start = cmds.find((c) => c.port === "isolation");
    assert.ok(start && start.port === "isolation" && start.op === "start");
    assert.equal(
      start.voltageV,
      470,
      "cable-check voltage min(500, 420 + 50, 1000) for a 420 V EV (IEC 61851-23:2023 CC.4.1.2)",
    );
    for (let i = 0; i < 5; i++) assert.equal(request(d, "CableCheck")?.body.EVSEProcessing, "Ongoing");
    event(d, {
      kind: "port",
      readings: { isolation: { state: "done", level: "Warning", resistanceOhm: 200_000 } },
      tMs: d.t + 5,
    });
    r = request(d, "CableCheck");
    assert.equal(r?.body.EVSEProcessing, "Finished");
    assert.equal(r?.body.ResponseCode, "OK");
    assert.equal((r!.body.DC_EVSEStatus as { EVSEIsolationStatus?: string }).EVSEIsolationStatus, "Warning");
    assert.equal(request(d, "PreCharge")?.body.ResponseCode, "OK");
  });

  test(`${protocol}: isolation Fault → CableCheckRes FAILED and the session ends`, () => {
    const d = startSecc(protocol);
    through(d, TO_CPD);
    event(d, { kind: "cp", state: "C", tMs: d.t });
    request(d, "CableCheck");
    event(d, {
      kind: "port",
      readings: { isolation: { state: "done", level: "Fault", resistanceOhm: 50_000 } },
      tMs: d.t + 5,
    });
    const r = request(d, "CableCheck");
    assert.equal(r?.body.ResponseCode, "FAILED");
    assert.equal((r!.body.DC_EVSEStatus as { EVSEIsolationStatus?: string }).EVSEIsolationStatus, "Fault");
    assert.equal(ends(d)[0]?.reason, "failed-response");
  });

  test(`${protocol}: CP not in C/D during CableCheck → session ends after ${V2G_SECC_CP_STATE_DETECTION_TIMEOUT_MS} ms`, () => {
    const d = startSecc(protocol);
    through(d, TO_CPD);
    request(d, "CableCheck");
    const at = d.t;
    event(d, { kind: "timer", id: "cp-detect", tMs: at + V2G_SECC_CP_STATE_DETECTION_TIMEOUT_MS });
    assert.equal(ends(d)[0]?.reason, "cp-state");
  });

  test(`${protocol}: StopCharging notification with NotificationMaxDelay; EV ignoring it → session ends`, () => {
    const d = startSecc(protocol, {
      notificationMaxDelayS: 3,
      readings: { ...createSecc().readings, fault: null },
    });
    through(d, TO_CPD);
    dcToChargeLoop(d);
    event(d, { kind: "control", control: { op: "stop-charging" }, tMs: d.t });
    const r = request(d, "CurrentDemand");
    const st = r!.body.DC_EVSEStatus as {
      EVSENotification: string;
      NotificationMaxDelay: number;
      EVSEStatusCode: string;
    };
    assert.equal(st.EVSENotification, "StopCharging");
    assert.equal(st.NotificationMaxDelay, 3);
    assert.equal(st.EVSEStatusCode, "EVSE_Shutdown");
    const timer = d.all.find((x) => x.effect.kind === "set-timer" && x.effect.id === "notification")!;
    event(d, { kind: "timer", id: "notification", tMs: (timer.effect as { atMs: number }).atMs });
    assert.equal(ends(d)[0]?.reason, "notification-timeout");
  });

  test(`${protocol}: a hardware fault is reported as EVSE_EmergencyShutdown`, () => {
    const d = startSecc(protocol);
    through(d, ["SessionSetup", "ServiceDiscovery", "PaymentSelection", "Authorization"]);
    event(d, { kind: "port", readings: { fault: "emergency-shutdown" }, tMs: d.t });
    const r = request(d, "ChargeParameterDiscovery");
    const p = r!.body.DC_EVSEChargeParameter as { DC_EVSEStatus: { EVSEStatusCode: string } };
    assert.equal(p.DC_EVSEStatus.EVSEStatusCode, "EVSE_EmergencyShutdown");
  });

  test(`${protocol}: Authorization Ongoing while the payment port is pending`, () => {
    const d = startSecc(protocol);
    event(d, { kind: "port", readings: { authorization: "pending" }, tMs: 0 });
    through(d, ["SessionSetup", "ServiceDiscovery", "PaymentSelection"]);
    assert.equal(request(d, "Authorization")?.body.EVSEProcessing, "Ongoing");
    assert.equal(request(d, "Authorization")?.body.EVSEProcessing, "Ongoing");
    // ChargeParameterDiscovery while still Ongoing is out of sequence
    event(d, { kind: "port", readings: { authorization: "accepted" }, tMs: d.t });
    assert.equal(request(d, "Authorization")?.body.EVSEProcessing, "Finished");
    assert.equal(request(d, "ChargeParameterDiscovery")?.body.ResponseCode, "OK");
  });
}

function lastRes(d: ReturnType<typeof startSecc>) {
  const send = d.fx.find((f) => f.kind === "send");
  assert.ok(send && send.kind === "send");
  const dec = (d.protocol === "din" ? dinMod : isoMod).decode(send.bytes);
  return { element: dec.element, body: dec.body as Record<string, unknown> };
}

test("V2G_SECC_CommunicationSetup: no SessionSetupReq within 18 s of the connection → session ends", () => {
  let s = createSecc();
  let fx = stepSecc(s, { kind: "connected", tMs: 1_000 })[1];
  s = stepSecc(s, { kind: "connected", tMs: 1_000 })[0];
  const timer = fx.find((f) => f.kind === "set-timer");
  assert.ok(timer && timer.kind === "set-timer");
  assert.equal(timer.atMs - 1_000, V2G_SECC_COMMUNICATION_SETUP_TIMEOUT_MS);
  [s, fx] = stepSecc(s, { kind: "timer", id: "communication-setup", tMs: timer.atMs });
  assert.ok(fx.some((f) => f.kind === "session-end" && f.stopReason === "timeout"));
});

test("SAP: malformed supportedAppProtocolReq → no response, decode-error; no common protocol → Failed_NoNegotiation", () => {
  let s = createSecc();
  s = stepSecc(s, { kind: "connected", tMs: 0 })[0];
  const [, fx] = stepSecc(s, {
    kind: "message",
    payloadType: 0x8001,
    bytes: Uint8Array.of(0x80, 0x00, 0xff),
    tMs: 5,
  });
  assert.equal(
    fx.some((f) => f.kind === "send"),
    false,
  );
  assert.ok(fx.some((f) => f.kind === "session-end" && f.stopReason === "decode-error"));
  const req = appHandshake.encodeDocument({
    supportedAppProtocolReq: {
      AppProtocol: [
        {
          ProtocolNamespace: "urn:iso:std:iso:15118:-20:AC",
          VersionNumberMajor: 1,
          VersionNumberMinor: 0,
          SchemaID: 1,
          Priority: 1,
        },
      ],
    },
  });
  const [, fx2] = stepSecc(s, { kind: "message", payloadType: 0x8001, bytes: req, tMs: 5 });
  const send = fx2.find((f) => f.kind === "send");
  assert.ok(send && send.kind === "send");
  const res = appHandshake.decodeDocument(send.bytes);
  assert.deepEqual(res, { supportedAppProtocolRes: { ResponseCode: "Failed_NoNegotiation" } });
  assert.ok(fx2.some((f) => f.kind === "session-end" && f.stopReason === "no-negotiation"));
});

test("ISO-2: PaymentDetailsReq → FAILED_PaymentSelectionInvalid (Contract payment not offered)", () => {
  const d = startSecc("iso2");
  through(d, ["SessionSetup", "ServiceDiscovery", "PaymentSelection"]);
  const bytes = isoMod.encode(d.s.sessionId!, "PaymentDetailsReq", {
    eMAID: "DE1234567890123",
    ContractSignatureCertChain: { Certificate: new Uint8Array(5) },
  }).bytes;
  event(d, { kind: "message", payloadType: 0x8001, bytes, tMs: d.t + 50 });
  const r = lastRes(d);
  assert.equal(r.element, "PaymentDetailsRes");
  assert.equal(r.body.ResponseCode, "FAILED_PaymentSelectionInvalid");
});

test("ISO-2: Contract payment selected → FAILED_PaymentSelectionInvalid; DIN AC requests are out of sequence", () => {
  const d = startSecc("iso2");
  through(d, ["SessionSetup", "ServiceDiscovery"]);
  const r = request(d, "PaymentSelection", { patch: (b) => ({ ...b, SelectedPaymentOption: "Contract" }) });
  assert.equal(r?.body.ResponseCode, "FAILED_PaymentSelectionInvalid");
  const d2 = startSecc("din");
  through(d2, TO_CPD);
  const bytes = dinMod.encode(d2.s.sessionId!, "ChargingStatusReq", {}).bytes;
  event(d2, { kind: "message", payloadType: 0x8001, bytes, tMs: d2.t + 50 });
  assert.equal(lastRes(d2).body.ResponseCode, "FAILED_SequenceError");
});

test("a ServiceID never offered beside the charge service → FAILED_ServiceSelectionInvalid (ISO-2 and DIN)", () => {
  const d = startSecc("iso2");
  through(d, ["SessionSetup", "ServiceDiscovery"]);
  const r = request(d, "PaymentSelection", {
    patch: (b) => ({
      ...b,
      SelectedServiceList: { SelectedService: [{ ServiceID: 1 }, { ServiceID: 9999 }] },
    }),
  });
  assert.equal(r?.body.ResponseCode, "FAILED_ServiceSelectionInvalid");
  const d2 = startSecc("din");
  through(d2, ["SessionSetup", "ServiceDiscovery"]);
  const r2 = request(d2, "PaymentSelection", {
    patch: (b) => ({
      ...b,
      SelectedServiceList: { SelectedService: [{ ServiceID: 1 }, { ServiceID: 9999 }] },
    }),
  });
  assert.equal(r2?.body.ResponseCode, "FAILED_ServiceSelectionInvalid");
  const ok = startSecc("iso2");
  through(ok, ["SessionSetup", "ServiceDiscovery"]);
  assert.equal(request(ok, "PaymentSelection")?.body.ResponseCode, "OK", "the charge service alone is fine");
});

test("emergency stop: output off at once, EVSE_EmergencyShutdown in the next response; closed if the EV does not end the session in time", () => {
  const d = startSecc("iso2");
  through(d, TO_CPD);
  const fx = event(d, { kind: "control", control: { op: "emergency-stop" }, tMs: d.t });
  const cmds = fx.flatMap((f) => (f.kind === "port-command" ? [f.command] : []));
  assert.deepEqual(cmds, [
    { port: "power-stage", op: "off" },
    { port: "contactors", op: "open" },
  ]);
  assert.ok(!fx.some((f) => f.kind === "close"), "the session stays for the EV to hear it");
  assert.equal(d.s.conn, "session");
  event(d, { kind: "cp", state: "F", tMs: d.t + 10 });
  assert.equal(d.s.conn, "session", "the EVSE's own F on the pilot does not cut the wind-down short");
  const r = request(d, "CableCheck");
  assert.equal(
    (r!.body.DC_EVSEStatus as { EVSEStatusCode: string }).EVSEStatusCode,
    "EVSE_EmergencyShutdown",
  );
  const armed = d.all.find((x) => x.effect.kind === "set-timer" && x.effect.id === "emergency");
  assert.ok(armed, "wind-down timer armed");
  const at = armed.tMs + SECC_EMERGENCY_WIND_DOWN_MS;
  assert.equal(d.s.timers.emergency, at);
  const early = event(d, { kind: "timer", id: "emergency", tMs: at - 1 });
  assert.ok(!early.some((f) => f.kind === "close"), "not before its time");
  const late = event(d, { kind: "timer", id: "emergency", tMs: at });
  assert.ok(late.some((f) => f.kind === "session-end" && f.stopReason === "emergency"));
  assert.ok(late.some((f) => f.kind === "close"));
});
