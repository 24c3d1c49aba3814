/**
 * ISO 15118-20 DC on the SECC machine, request by request with the EVCC's own -20 builders: the whole EIM
 * flow in both control modes, the -20 sequence rules (as libiso15118 and Josev enforce them), response codes
 * of ServiceDetail / ServiceSelection / PowerDelivery / DC_ChargeLoop / SessionStop, pause and resume with
 * the same SessionID, payload types, the 0.5 s charge-loop sequence timeout.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { appHandshake, type iso20Common } from "../../../codecs/index.js";
import { buildAppProtocolReq } from "../../handshake/select.js";
import type { Iso20ControlMode } from "../../session/iso20-session.js";
import { createSecc, stepSecc } from "../../session/secc.js";
import {
  type Driver,
  ends,
  event,
  ISO20_THROUGH_SELECTION,
  request,
  startSecc,
  startSecc20Dc,
  withProgress,
} from "../../session/testing/drive-secc.js";
import { V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS } from "../../session/timeouts.js";
import type { MsgName } from "../../session/types.js";
import { encodeIso20 } from "../envelope.js";

const TO_CPD: MsgName[] = [...ISO20_THROUGH_SELECTION, "ChargeParameterDiscovery"];

/** A -20 SECC and an EV of control mode `mode` that selects parameter set 1 (Scheduled) or 2 (Dynamic). */
function start(mode: Iso20ControlMode = "scheduled"): Driver {
  return startSecc20Dc(mode);
}

function codes(d: Driver, names: MsgName[]): string[] {
  return names.map((n) => {
    const r = request(d, n);
    return `${r?.element} ${r?.body.ResponseCode}`;
  });
}

/** Through the cable check: CP C, isolation monitor reports Valid. */
function toPreCharge(d: Driver): void {
  codes(d, [...TO_CPD, "ScheduleExchange"]);
  event(d, { kind: "cp", state: "C", tMs: d.t });
  request(d, "CableCheck");
  event(d, { kind: "port", readings: { isolation: { state: "done", level: "Valid" } }, tMs: d.t });
  const r = request(d, "CableCheck");
  assert.equal(r?.body.EVSEProcessing, "Finished");
}

for (const mode of ["scheduled", "dynamic"] as const) {
  test(`iso20 ${mode}: SessionSetup … SessionStop all OK, the charge loop in the ${mode} control mode`, () => {
    const d = start(mode);
    assert.deepEqual(codes(d, TO_CPD.slice(0, 1)), ["SessionSetupRes OK_NewSessionEstablished"]);
    const sa = codes(d, TO_CPD.slice(1));
    assert.ok(
      sa.every((c) => c.endsWith(" OK")),
      sa.join(", "),
    );
    const se = request(d, "ScheduleExchange");
    assert.equal(se?.body.EVSEProcessing, "Finished");
    assert.ok(mode === "dynamic" ? se?.body.Dynamic_SEResControlMode : se?.body.Scheduled_SEResControlMode);
    event(d, { kind: "cp", state: "C", tMs: d.t });
    request(d, "CableCheck");
    event(d, { kind: "port", readings: { isolation: { state: "done", level: "Valid" } }, tMs: d.t });
    assert.equal(request(d, "CableCheck")?.body.EVSEProcessing, "Finished");
    event(d, { kind: "port", readings: { presentVoltageV: 370 }, tMs: d.t });
    const pc = request(d, "PreCharge");
    assert.deepEqual(pc?.body.EVSEPresentVoltage, { Exponent: 0, Value: 370 });
    d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, preChargeFinished: true } };
    assert.equal(request(d, "PreCharge")?.body.ResponseCode, "OK");
    withProgress(d, "start");
    assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "OK");
    const cl = request(d, "CurrentDemand", { dtMs: 100 });
    assert.equal(cl?.element, "DC_ChargeLoopRes");
    assert.equal(cl?.body.ResponseCode, "OK");
    assert.ok(cl?.body.MeterInfo, "MeterInfo when MeterInfoRequested ([V2G20-1082])");
    assert.ok(
      mode === "dynamic" ? cl?.body.Dynamic_DC_CLResControlMode : cl?.body.Scheduled_DC_CLResControlMode,
    );
    const set = d.fx.find((f) => f.kind === "port-command" && f.command.port === "power-stage");
    assert.ok(set?.kind === "port-command" && set.command.op === "set" && set.command.currentA > 0);
    withProgress(d, "stop");
    assert.equal(request(d, "PowerDelivery", { dtMs: 100 })?.body.ResponseCode, "OK");
    assert.equal(request(d, "WeldingDetection")?.body.ResponseCode, "OK");
    const stop = request(d, "SessionStop");
    assert.equal(stop?.body.ResponseCode, "OK");
    assert.deepEqual(
      ends(d).map((e) => e.reason),
      ["terminated"],
    );
  });
}

test("iso20: responses travel in CommonMessages (0x8002) or DC (0x8004) by element", () => {
  const d = start();
  request(d, "SessionSetup");
  const first = d.fx.find((f) => f.kind === "send");
  assert.equal(first?.kind === "send" && first.payloadType, 0x8002);
  codes(d, TO_CPD.slice(1));
  const sent = d.all
    .filter((x) => x.effect.kind === "send")
    .map((x) => x.effect as { name: string; payloadType: number });
  const cpd = sent.find((x) => x.name === "DC_ChargeParameterDiscoveryRes");
  assert.equal(cpd?.payloadType, 0x8004);
});

test("iso20: out-of-order (ServiceSelection before any ServiceDetail) → FAILED_SequenceError, session ends", () => {
  const d = start();
  codes(d, ["SessionSetup", "AuthorizationSetup", "Authorization", "ServiceDiscovery"]);
  const r = request(d, "PaymentSelection");
  assert.equal(r?.element, "ServiceSelectionRes");
  assert.equal(r?.body.ResponseCode, "FAILED_SequenceError");
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["sequence-error"],
  );
});

test("iso20: DC_PreChargeReq with EVProcessing Ongoing → PowerDeliveryReq next is a sequence error ([V2G20-2005])", () => {
  const d = start();
  toPreCharge(d);
  request(d, "PreCharge");
  withProgress(d, "start");
  assert.equal(request(d, "PowerDelivery")?.body.ResponseCode, "FAILED_SequenceError");
});

test("iso20: wrong SessionID → FAILED_UnknownSession", () => {
  const d = start();
  request(d, "SessionSetup");
  const r = request(d, "AuthorizationSetup", { sessionId: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9) });
  assert.equal(r?.element, "AuthorizationSetupRes");
  assert.equal(r?.body.ResponseCode, "FAILED_UnknownSession");
});

test("iso20: ServiceDetail of a service not offered → FAILED_ServiceIDInvalid; unknown parameter set → FAILED_ServiceSelectionInvalid", () => {
  const d = start();
  codes(d, ["SessionSetup", "AuthorizationSetup", "Authorization", "ServiceDiscovery"]);
  const r = request(d, "ServiceDetail", { patch: (b) => ({ ...b, ServiceID: 6 }) });
  assert.equal(r?.body.ResponseCode, "FAILED_ServiceIDInvalid");
  const e = start();
  codes(e, ["SessionSetup", "AuthorizationSetup", "Authorization", "ServiceDiscovery", "ServiceDetail"]);
  const sel = request(e, "PaymentSelection", {
    patch: () => ({ SelectedEnergyTransferService: { ServiceID: 2, ParameterSetID: 7 } }),
  });
  assert.equal(sel?.body.ResponseCode, "FAILED_ServiceSelectionInvalid");
});

test("iso20: ServiceDetail offers one DC parameter set per control mode, decoded by name", () => {
  const d = start();
  codes(d, ["SessionSetup", "AuthorizationSetup", "Authorization", "ServiceDiscovery"]);
  const r = request(d, "ServiceDetail");
  const sets = (r?.body.ServiceParameterList as iso20Common.ServiceParameterListType).ParameterSet;
  assert.deepEqual(
    sets.map((p) => [p.ParameterSetID, p.Parameter.find((x) => x.Name === "ControlMode")?.intValue]),
    [
      [1, 1],
      [2, 2],
    ],
  );
});

test("iso20: EIM pending → Ongoing; rejected → Finished + WARNING_EIMAuthorizationFailure, ServiceDiscovery then FAILED", () => {
  const d = startSecc("iso20", { readings: { ...createSecc().readings, authorization: "pending" } });
  codes(d, ["SessionSetup", "AuthorizationSetup"]);
  const a = request(d, "Authorization");
  assert.deepEqual([a?.body.ResponseCode, a?.body.EVSEProcessing], ["OK", "Ongoing"]);
  event(d, { kind: "port", readings: { authorization: "rejected" }, tMs: d.t });
  const b = request(d, "Authorization");
  assert.deepEqual(
    [b?.body.ResponseCode, b?.body.EVSEProcessing],
    ["WARNING_EIMAuthorizationFailure", "Finished"],
  );
  assert.equal(ends(d).length, 0, "a WARNING is not fatal");
  assert.equal(request(d, "ServiceDiscovery")?.body.ResponseCode, "FAILED");
});

test("iso20: DC_ChargeLoopReq in the other control mode than the selected set → FAILED, session ends", () => {
  const d = start("scheduled");
  toPreCharge(d);
  d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, preChargeFinished: true } };
  request(d, "PreCharge");
  withProgress(d, "start");
  request(d, "PowerDelivery");
  d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, controlMode: "dynamic" } };
  const r = request(d, "CurrentDemand");
  assert.equal(r?.body.ResponseCode, "FAILED");
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["failed-response"],
  );
});

test(`iso20: V2G_SECC_Sequence_Timeout after a DC_ChargeLoopRes is ${V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS} ms`, () => {
  const d = start();
  toPreCharge(d);
  d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, preChargeFinished: true } };
  request(d, "PreCharge");
  withProgress(d, "start");
  request(d, "PowerDelivery");
  request(d, "CurrentDemand");
  const timer = d.fx.find((f) => f.kind === "set-timer" && f.id === "sequence");
  assert.ok(timer?.kind === "set-timer");
  assert.equal(timer.atMs - d.t, V2G_SECC_SEQUENCE_TIMEOUT_CHARGE_LOOP_ISO20_MS);
  event(d, { kind: "timer", id: "sequence", tMs: timer.atMs });
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["timeout"],
  );
});

test("iso20: SessionStop(ServiceRenegotiation) → FAILED_NoServiceRenegotiationSupported", () => {
  const d = start();
  request(d, "SessionSetup");
  const r = request(d, "SessionStop", { patch: () => ({ ChargingSession: "ServiceRenegotiation" }) });
  assert.equal(r?.body.ResponseCode, "FAILED_NoServiceRenegotiationSupported");
});

test("iso20: pause, then a new connection with the same SessionID → OK_OldSessionJoined, next is DC_ChargeParameterDiscovery", () => {
  const d = start();
  codes(d, TO_CPD);
  const id = d.s.sessionId!;
  d.ev = { ...d.ev, stopRequested: "pause" };
  assert.equal(request(d, "SessionStop")?.body.ResponseCode, "OK");
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["paused"],
  );
  // new TCP connection, SAP again
  d.t += 1000;
  event(d, { kind: "connected", tMs: d.t, tls: "1.3" });
  const sap = appHandshake.encodeDocument({ supportedAppProtocolReq: buildAppProtocolReq(["iso20"]) });
  event(d, { kind: "message", payloadType: 0x8001, bytes: sap, tMs: d.t });
  const r = request(d, "SessionSetup", { sessionId: id });
  assert.equal(r?.body.ResponseCode, "OK_OldSessionJoined");
  assert.deepEqual(r?.sessionId, id);
  assert.equal(request(d, "ChargeParameterDiscovery")?.body.ResponseCode, "OK");
});

test("iso20: a DC message sent in the CommonMessages payload type does not decode → no response, decode-error", () => {
  const d = start();
  codes(d, TO_CPD.slice(0, 6));
  const dc = encodeIso20(d.s.sessionId!, "DC_ChargeParameterDiscoveryReq", {
    DC_CPDReqEnergyTransferMode: {
      EVMaximumChargePower: { Exponent: 3, Value: 150 },
      EVMinimumChargePower: { Exponent: 0, Value: 0 },
      EVMaximumChargeCurrent: { Exponent: 0, Value: 200 },
      EVMinimumChargeCurrent: { Exponent: 0, Value: 0 },
      EVMaximumVoltage: { Exponent: 0, Value: 420 },
      EVMinimumVoltage: { Exponent: 0, Value: 0 },
    },
  });
  const [s, fx] = stepSecc(d.s, { kind: "message", payloadType: 0x8002, bytes: dc.bytes, tMs: d.t + 50 });
  assert.equal(s.conn, "ended");
  assert.equal(
    fx.some((f) => f.kind === "send"),
    false,
  );
  const e = fx.find((f) => f.kind === "session-end");
  assert.ok(
    e?.kind === "session-end" && (e.stopReason === "decode-error" || e.stopReason === "unexpected-message"),
  );
});

test("iso20: an AC-only SECC chooses -20 for an EV offering -20:AC, not -20:DC ([V2G20-169]: filter by the station's hardware) → ISO-2", () => {
  for (const [family, modes, want] of [
    ["AC", ["AC_three_phase_core"], "iso20"],
    ["DC", ["AC_three_phase_core"], "iso2"],
    ["AC", ["DC_extended"], "iso2"],
    ["AC", [], "iso2"],
  ] as const) {
    const sap = appHandshake.encodeDocument({
      supportedAppProtocolReq: buildAppProtocolReq(["iso20", "iso2"], family),
    });
    const s0 = createSecc({ energyModes: [...modes] });
    const [s1] = stepSecc(s0, { kind: "connected", tMs: 0, tls: "1.3" });
    const [s2, fx] = stepSecc(s1, { kind: "message", payloadType: 0x8001, bytes: sap, tMs: 5 });
    assert.equal(s2.protocol, want, `-20:${family} at ${modes.join("/") || "no modes"}`);
    assert.ok(fx.some((f) => f.kind === "negotiated" && f.protocol === want));
  }
});

test("iso20: EIM still pending after the 180 s budget → AuthorizationRes FAILED, session ends", () => {
  const d = startSecc("iso20", { readings: { ...createSecc().readings, authorization: "pending" } });
  codes(d, ["SessionSetup", "AuthorizationSetup"]);
  assert.equal(request(d, "Authorization")?.body.EVSEProcessing, "Ongoing");
  assert.equal(request(d, "Authorization", { dtMs: 100_000 })?.body.EVSEProcessing, "Ongoing");
  const r = request(d, "Authorization", { dtMs: 81_000 });
  assert.deepEqual([r?.body.ResponseCode, r?.body.EVSEProcessing], ["FAILED", "Finished"]);
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["failed-response"],
  );
});

for (const [tls, allowed, expect] of [
  [undefined, false, "iso2"],
  ["1.2", false, "iso2"],
  ["1.3", false, "iso20"],
  [undefined, true, "iso20"],
] as const) {
  test(`iso20 only on TLS 1.3 ([V2G20-2356]): connection ${tls ?? "plain TCP"}, lab switch ${allowed ? "on" : "off"} → ${expect}`, () => {
    const s0 = createSecc({ iso20WithoutTls: allowed });
    const [s1] = stepSecc(s0, { kind: "connected", tMs: 0, ...(tls && { tls }) });
    const sap = appHandshake.encodeDocument({
      supportedAppProtocolReq: buildAppProtocolReq(["iso20", "iso2"]),
    });
    const [s2, fx] = stepSecc(s1, { kind: "message", payloadType: 0x8001, bytes: sap, tMs: 10 });
    assert.equal(s2.protocol, expect);
    assert.ok(fx.some((f) => f.kind === "send"));
  });
}

test("iso20: another EVCC presenting the paused SessionID gets a new session, not the paused one ([V2G20-2545])", () => {
  const d = start();
  codes(d, TO_CPD);
  const id = d.s.sessionId!;
  d.ev = { ...d.ev, stopRequested: "pause" };
  assert.equal(request(d, "SessionStop")?.body.ResponseCode, "OK");
  d.t += 1000;
  event(d, { kind: "connected", tMs: d.t, tls: "1.3" });
  const sap = appHandshake.encodeDocument({ supportedAppProtocolReq: buildAppProtocolReq(["iso20"]) });
  event(d, { kind: "message", payloadType: 0x8001, bytes: sap, tMs: d.t });
  d.ev = { ...d.ev, cfg: { ...d.ev.cfg, evccId: Uint8Array.of(0x0a, 0xbb, 0xcc, 0xdd, 0xee, 0xff) } };
  const r = request(d, "SessionSetup", { sessionId: id });
  assert.equal(r?.body.ResponseCode, "OK_NewSessionEstablished");
  assert.notDeepEqual(r?.sessionId, id);
  assert.ok(d.fx.some((f) => f.kind === "log" && /paused SessionID, but it comes from EVCCID/.test(f.msg)));
});

/** A -20 session set up over a connection with vehicle certificate `cert`, paused; then a new connection. */
function pausedWithCert(cert: string, resumeCert: string | undefined) {
  const d = start();
  const sap = appHandshake.encodeDocument({ supportedAppProtocolReq: buildAppProtocolReq(["iso20"]) });
  event(d, { kind: "connected", tMs: d.t, tls: "1.3", peerCertSha512: cert });
  event(d, { kind: "message", payloadType: 0x8001, bytes: sap, tMs: d.t });
  codes(d, TO_CPD);
  const id = d.s.sessionId!;
  d.ev = { ...d.ev, stopRequested: "pause" };
  assert.equal(request(d, "SessionStop")?.body.ResponseCode, "OK");
  d.t += 1000;
  event(d, { kind: "connected", tMs: d.t, tls: "1.3", ...(resumeCert && { peerCertSha512: resumeCert }) });
  event(d, { kind: "message", payloadType: 0x8001, bytes: sap, tMs: d.t });
  return { d, r: request(d, "SessionSetup", { sessionId: id }) };
}

test("iso20: a session set up over mutual TLS resumes only with the same vehicle certificate ([V2G20-2545])", () => {
  assert.equal(pausedWithCert("aa11", "aa11").r?.body.ResponseCode, "OK_OldSessionJoined");
  const other = pausedWithCert("aa11", "bb22");
  assert.equal(other.r?.body.ResponseCode, "OK_NewSessionEstablished");
  assert.ok(other.d.fx.some((f) => f.kind === "log" && /vehicle certificate is not the one/.test(f.msg)));
  const none = pausedWithCert("aa11", undefined);
  assert.equal(none.r?.body.ResponseCode, "OK_NewSessionEstablished");
  assert.ok(none.d.fx.some((f) => f.kind === "log" && /this connection has none/.test(f.msg)));
});
