/**
 * The EV's certificate request through the CSMS (OCPP 2.0.1 M01 / M02 Get15118EVCertificate; OCPP 1.6J the
 * same in a DataTransfer): sent ahead of the queue and schema-valid, the answer's EXI back to the EVSE, and
 * an answer for the EVSE in every failure (offline, refused, Failed, not base64, connection lost).
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { PNC16_VENDOR_ID } from "./ev-certificate.js";
import { createStation, stepStation } from "./station.js";
import { TEST_T0, testStationConfig } from "./testing/station-config.js";
import type { OcppCall, StationConfig, StationEffect, StationEvent } from "./types.js";
import { createStation16, stepStation16 } from "./v16/station.js";

const T0 = TEST_T0;
const cfg: StationConfig = testStationConfig();

type Validator = { subprotocol: string; validate(id: string, p: unknown): boolean };
const validators = createRequire(import.meta.url)("ocpp-rpc/lib/standard-validators.js") as Validator[];
const v201 = validators.find((v) => v.subprotocol === "ocpp2.0.1")!;
const v16 = validators.find((v) => v.subprotocol === "ocpp1.6")!;

const EXI = new Uint8Array(900).map((_, i) => (i * 37) & 0xff);
const ANSWER = new Uint8Array(2500).map((_, i) => (i * 11 + 3) & 0xff);
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

/** A machine of either version, booted and online; `sent` collects the CALLs, `evse` the EVSE commands. */
function station(version: "2.0.1" | "1.6") {
  let s: unknown =
    version === "1.6" ? createStation16({ ...cfg, nominalVoltageV: 500 }, T0) : createStation(cfg, T0);
  const step = (ev: StationEvent): StationEffect[] => {
    const [n, fx] =
      version === "1.6"
        ? stepStation16(s as Parameters<typeof stepStation16>[0], ev)
        : stepStation(s as Parameters<typeof stepStation>[0], ev);
    s = n;
    for (const f of fx) if (f.kind === "send") sent.push(f.call);
    evse.push(...fx.flatMap((f) => (f.kind === "evse" ? [f.command] : [])));
    return fx;
  };
  const sent: OcppCall[] = [];
  const evse: unknown[] = [];
  step({ kind: "connected", tMs: T0 });
  const boot = sent.at(-1)!;
  step({
    kind: "result",
    id: boot.id,
    payload: { status: "Accepted", interval: 300, currentTime: new Date(T0).toISOString() },
    tMs: T0,
  });
  // answer whatever followed the boot (StatusNotification)
  for (let i = 0; i < 5; i++) {
    const head = sent.at(-1)!;
    if (head.action === "BootNotification") break;
    const before = sent.length;
    step({ kind: "result", id: head.id, payload: {}, tMs: T0 });
    if (sent.length === before) break;
  }
  const request = (id = 1): OcppCall => {
    step({
      kind: "ev-certificate-request",
      id,
      action: "Install",
      schemaVersion: "urn:iso:15118:2:2013:MsgDef",
      exi: EXI,
      tMs: T0 + 1000,
    });
    return sent.at(-1)!;
  };
  return { step, sent, evse, request };
}

/** The Get15118EVCertificate payload of a call (1.6: from its DataTransfer), schema-checked. */
function certRequestOf(version: "2.0.1" | "1.6", c: OcppCall): Record<string, unknown> {
  if (version === "2.0.1") {
    assert.equal(c.action, "Get15118EVCertificate");
    v201.validate("urn:Get15118EVCertificate.req", c.payload);
    return c.payload;
  }
  assert.equal(c.action, "DataTransfer");
  v16.validate("urn:DataTransfer.req", c.payload);
  assert.equal(c.payload.vendorId, PNC16_VENDOR_ID);
  assert.equal(c.payload.messageId, "Get15118EVCertificate");
  return JSON.parse(String(c.payload.data));
}

/** The CSMS's answer `inner` (a Get15118EVCertificateResponse) as the version carries it, schema-checked. */
function resultOf(version: "2.0.1" | "1.6", inner: Record<string, unknown>): Record<string, unknown> {
  if (version === "2.0.1") {
    v201.validate("urn:Get15118EVCertificate.conf", inner);
    return inner;
  }
  const p = { status: "Accepted", data: JSON.stringify(inner) };
  v16.validate("urn:DataTransfer.conf", p);
  return p;
}

for (const version of ["2.0.1", "1.6"] as const) {
  test(`OCPP ${version}: the EV's CertificateInstallationReq goes to the CSMS (base64 EXI, schema-valid) and its exiResponse back to the EVSE`, () => {
    const st = station(version);
    const call = st.request(7);
    const p = certRequestOf(version, call);
    assert.deepEqual(p, {
      iso15118SchemaVersion: "urn:iso:15118:2:2013:MsgDef",
      action: "Install",
      exiRequest: b64(EXI),
    });
    assert.equal(st.evse.length, 0);
    st.step({
      kind: "result",
      id: call.id,
      payload: resultOf(version, { status: "Accepted", exiResponse: b64(ANSWER) }),
      tMs: T0 + 1500,
    });
    assert.deepEqual(st.evse, [{ kind: "certificate-response", id: 7, exi: ANSWER }]);
  });

  test(`OCPP ${version}: every failure still answers the EVSE (Failed, not base64, CALLERROR, connection lost, offline)`, () => {
    const detail = (st: ReturnType<typeof station>) =>
      (st.evse.at(-1) as { exi: unknown; detail: string } | undefined)?.exi === null
        ? (st.evse.at(-1) as { detail: string }).detail
        : "no failure answer";
    let st = station(version);
    let call = st.request();
    st.step({
      kind: "result",
      id: call.id,
      payload: resultOf(version, {
        status: "Failed",
        statusInfo: { reasonCode: "NoCertificate" },
        exiResponse: "",
      }),
      tMs: T0 + 1500,
    });
    assert.match(detail(st), /Failed \(NoCertificate\)/);
    st = station(version);
    call = st.request();
    st.step({
      kind: "result",
      id: call.id,
      payload: resultOf(version, { status: "Accepted", exiResponse: "not base64!" }),
      tMs: T0 + 1500,
    });
    assert.match(detail(st), /not base64/);
    st = station(version);
    call = st.request();
    st.step({ kind: "call-error", id: call.id, code: "NotSupported", message: "no PnC", tMs: T0 + 1500 });
    assert.match(detail(st), /NotSupported no PnC/);
    st = station(version);
    st.request();
    st.step({ kind: "disconnected", reason: "socket hang up", tMs: T0 + 1500 });
    assert.match(detail(st), /connection lost \(socket hang up\)/);
    // offline: answered at once, nothing sent
    const n = st.sent.length;
    st.request(9);
    assert.equal(st.sent.length, n);
    assert.deepEqual(st.evse.at(-1), {
      kind: "certificate-response",
      id: 9,
      exi: null,
      detail: "the CSMS is not reachable",
    });
  });
}

test("OCPP 1.6: a DataTransfer refused by the CSMS (UnknownVendorId) is a failure for the EVSE", () => {
  const st = station("1.6");
  const call = st.request(3);
  st.step({ kind: "result", id: call.id, payload: { status: "UnknownVendorId" }, tMs: T0 + 1500 });
  assert.deepEqual(st.evse.at(-1), {
    kind: "certificate-response",
    id: 3,
    exi: null,
    detail: "DataTransfer UnknownVendorId",
  });
});
