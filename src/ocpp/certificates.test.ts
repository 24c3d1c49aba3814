/**
 * The station machine's SECC certificate work: A02 / A03 (TriggerMessage SignV2GCertificate → make-csr →
 * SignCertificate → CertificateSigned → install-chain → the answer on the host's verdict), the automatic
 * renewal close to the leaf's end, and M06 GetCertificateStatus (at registration, before nextUpdate, after
 * a failure only after the retry delay).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CERT_STATUS_RETRY_MS, OCSP_REFRESH_BEFORE_MS } from "./certificates.js";
import { TEST_T0, testStationConfig } from "./testing/station-config.js";
import { StationHarness } from "./testing/station-harness.js";
import type { OcppCall, SeccCertificateInfo, StationConfig, StationEffect, StationEvent } from "./types.js";

const T0 = TEST_T0;
const DAY = 86_400_000;
const cfg: StationConfig = testStationConfig("CP1", { txUpdatedIntervalS: 0, heartbeatIntervalS: 100_000 });
const ocspRequestData = {
  hashAlgorithm: "SHA256" as const,
  issuerNameHash: "aa".repeat(32),
  issuerKeyHash: "bb".repeat(32),
  serialNumber: "0102",
  responderURL: "",
};
const info = (o: Partial<SeccCertificateInfo> = {}): SeccCertificateInfo => ({
  ocspRequestData,
  notAfterMs: T0 + 60 * DAY,
  ocspNextUpdateMs: null,
  ...o,
});

function answer(c: OcppCall): Record<string, unknown> | null {
  switch (c.action) {
    case "BootNotification":
      return { status: "Accepted", interval: 100_000, currentTime: new Date(T0).toISOString() };
    case "SignCertificate":
      return { status: "Accepted" };
    case "GetCertificateStatus":
      return { status: "Accepted", ocspResult: "MAo=" };
    default:
      return {};
  }
}

const request = (
  reqId: string,
  action: string,
  payload: Record<string, unknown>,
  tMs = T0,
): StationEvent => ({
  kind: "request",
  reqId,
  action,
  payload,
  tMs,
});
const replyOf = (fx: StationEffect[], reqId: string) =>
  fx.find((f) => f.kind === "reply" && f.reqId === reqId) as { payload: Record<string, unknown> } | undefined;

test("A02/A03: TriggerMessage SignV2GCertificate → make-csr → SignCertificate → CertificateSigned → install-chain → Accepted", () => {
  const h = new StationHarness(answer);
  h.step({ kind: "secc-certificate", info: info({ ocspNextUpdateMs: T0 + 7 * DAY }), tMs: T0 });
  h.boot();
  const trig = h.step(request("r1", "TriggerMessage", { requestedMessage: "SignV2GCertificate" }));
  assert.deepEqual(replyOf(trig, "r1")?.payload, { status: "Accepted" });
  assert.deepEqual(h.certCommands(), [{ kind: "make-csr", certificateType: "V2GCertificate" }]);
  assert.equal(h.sentOf("SignCertificate").length, 0, "no CSR yet: the host makes it");
  h.step({ kind: "csr", csr: "-----BEGIN CERTIFICATE REQUEST-----x", tMs: T0 });
  assert.deepEqual(h.sentOf("SignCertificate")[0]?.payload, {
    csr: "-----BEGIN CERTIFICATE REQUEST-----x",
    certificateType: "V2GCertificate",
  });
  const signed = h.step(
    request("r2", "CertificateSigned", { certificateChain: "PEM", certificateType: "V2GCertificate" }),
  );
  assert.equal(replyOf(signed, "r2"), undefined, "answered once the host verified the chain");
  assert.deepEqual(h.certCommands().at(-1), { kind: "install-chain", reqId: "r2", certificateChain: "PEM" });
  const done = h.step({ kind: "chain-checked", reqId: "r2", status: "Accepted", tMs: T0 });
  assert.deepEqual(replyOf(done, "r2")?.payload, { status: "Accepted" });
  assert.equal(h.s.certs?.csr.kind, "none");
});

test("A03: a chain the host rejects is answered Rejected with its reasonCode; the key stays pending for another chain", () => {
  const h = new StationHarness(answer);
  h.step({ kind: "secc-certificate", info: info({ ocspNextUpdateMs: T0 + 7 * DAY }), tMs: T0 });
  h.boot();
  h.step(request("r1", "TriggerMessage", { requestedMessage: "SignV2GCertificate" }));
  h.step({ kind: "csr", csr: "CSR", tMs: T0 });
  h.step(request("r2", "CertificateSigned", { certificateChain: "x", certificateType: "V2GCertificate" }));
  const fx = h.step({
    kind: "chain-checked",
    reqId: "r2",
    status: "Rejected",
    reasonCode: "WrongKey",
    additionalInfo: "the leaf's public key is not the CSR's",
    tMs: T0,
  });
  assert.deepEqual(replyOf(fx, "r2")?.payload, {
    status: "Rejected",
    statusInfo: { reasonCode: "WrongKey", additionalInfo: "the leaf's public key is not the CSR's" },
  });
  assert.equal(h.s.certs?.csr.kind, "accepted");
  // a second chain for the same CSR is checked again
  h.step(request("r3", "CertificateSigned", { certificateChain: "y", certificateType: "V2GCertificate" }));
  assert.deepEqual(h.certCommands().at(-1), { kind: "install-chain", reqId: "r3", certificateChain: "y" });
});

test("A03: CertificateSigned without a pending CSR, of another type, or to a station without SECC certificate: Rejected now", () => {
  const h = new StationHarness(answer);
  h.boot();
  const none = h.step(
    request("a", "CertificateSigned", { certificateChain: "x", certificateType: "V2GCertificate" }),
  );
  assert.equal(
    (replyOf(none, "a")?.payload.statusInfo as { reasonCode: string }).reasonCode,
    "NoV2GCertificate",
  );
  const trig = h.step(request("t", "TriggerMessage", { requestedMessage: "SignV2GCertificate" }));
  assert.equal(replyOf(trig, "t")?.payload.status, "Rejected");
  h.step({ kind: "secc-certificate", info: info({ ocspNextUpdateMs: T0 + 7 * DAY }), tMs: T0 });
  const noCsr = h.step(
    request("b", "CertificateSigned", { certificateChain: "x", certificateType: "V2GCertificate" }),
  );
  assert.equal(
    (replyOf(noCsr, "b")?.payload.statusInfo as { reasonCode: string }).reasonCode,
    "NoPendingCSR",
  );
  const cs = h.step(request("c", "CertificateSigned", { certificateChain: "x" }));
  assert.equal(
    (replyOf(cs, "c")?.payload.statusInfo as { reasonCode: string }).reasonCode,
    "UnsupportedCertType",
  );
  assert.equal(h.certCommands().length, 0, "nothing reaches the host");
});

test("A02: SignCertificate Rejected drops the CSR's key; a second trigger while one is made is Rejected", () => {
  const h = new StationHarness((c) =>
    c.action === "SignCertificate" ? { status: "Rejected", statusInfo: { reasonCode: "NoCA" } } : answer(c),
  );
  h.step({ kind: "secc-certificate", info: info({ ocspNextUpdateMs: T0 + 7 * DAY }), tMs: T0 });
  h.boot();
  h.step(request("r1", "TriggerMessage", { requestedMessage: "SignV2GCertificate" }));
  const again = h.step(request("r2", "TriggerMessage", { requestedMessage: "SignV2GCertificate" }));
  assert.equal(replyOf(again, "r2")?.payload.status, "Rejected");
  h.step({ kind: "csr", csr: "CSR", tMs: T0 });
  assert.equal(h.certCommands().at(-1) && (h.certCommands().at(-1) as { kind: string }).kind, "drop-csr");
  assert.equal(h.s.certs?.csr.kind, "none");
});

test("A02: the leaf within v2gRenewBeforeDays of its end starts a renewal on its own, once per retry period", () => {
  const h = new StationHarness(answer, { ...cfg, v2gRenewBeforeDays: 30 });
  h.step({
    kind: "secc-certificate",
    info: info({ notAfterMs: T0 + 40 * DAY, ocspNextUpdateMs: T0 + 70 * DAY }),
    tMs: T0,
  });
  h.boot();
  h.step({ kind: "tick", tMs: T0 + 1000 });
  assert.equal(h.certCommands().length, 0, "40 days left: no renewal");
  h.step({ kind: "tick", tMs: T0 + 11 * DAY });
  assert.deepEqual(h.certCommands(), [{ kind: "make-csr", certificateType: "V2GCertificate" }]);
  h.step({ kind: "csr-failed", error: "no entropy", tMs: T0 + 11 * DAY });
  h.step({ kind: "tick", tMs: T0 + 11 * DAY + 1000 });
  assert.equal(h.certCommands().length, 1, "not again within the retry period");
});

test("M06: GetCertificateStatus at registration, the response to the host, again before nextUpdate, after a failure only after the retry delay", () => {
  let fail = false;
  const h = new StationHarness((c) =>
    c.action === "GetCertificateStatus" && fail
      ? { status: "Failed", statusInfo: { reasonCode: "NoCA" } }
      : answer(c),
  );
  h.step({ kind: "secc-certificate", info: info(), tMs: T0 });
  assert.equal(h.sentOf("GetCertificateStatus").length, 0, "not before the BootNotification is accepted");
  h.boot();
  assert.deepEqual(
    h.sentOf("GetCertificateStatus").map((c) => c.payload),
    [{ ocspRequestData }],
  );
  assert.deepEqual(h.certCommands(), [{ kind: "ocsp-response", ocspResult: "MAo=" }]);
  // the host checked it: valid a week
  const next = T0 + 7 * DAY;
  h.step({ kind: "secc-certificate", info: info({ ocspNextUpdateMs: next }), tMs: T0 + 1000 });
  h.step({ kind: "tick", tMs: next - OCSP_REFRESH_BEFORE_MS - 1000 });
  assert.equal(h.sentOf("GetCertificateStatus").length, 1, "fresh: not asked again");
  fail = true;
  h.step({ kind: "tick", tMs: next - OCSP_REFRESH_BEFORE_MS });
  assert.equal(h.sentOf("GetCertificateStatus").length, 2, "a day before nextUpdate: asked again");
  h.step({ kind: "tick", tMs: next - OCSP_REFRESH_BEFORE_MS + CERT_STATUS_RETRY_MS - 1 });
  assert.equal(h.sentOf("GetCertificateStatus").length, 2, "Failed: not before the retry delay");
  fail = false;
  h.step({ kind: "tick", tMs: next - OCSP_REFRESH_BEFORE_MS + CERT_STATUS_RETRY_MS });
  assert.equal(h.sentOf("GetCertificateStatus").length, 3);
});

test("M06: a GetCertificateStatus lost with the connection is asked again after the retry delay", () => {
  const h = new StationHarness((c) => (c.action === "GetCertificateStatus" ? null : answer(c)));
  h.step({ kind: "secc-certificate", info: info(), tMs: T0 });
  h.boot();
  assert.equal(h.sentOf("GetCertificateStatus").length, 1);
  h.step({ kind: "disconnected", reason: "gone", tMs: T0 + 10 });
  assert.equal(h.s.certs?.statusCallId, null);
  h.boot(T0 + 20);
  h.step({ kind: "tick", tMs: T0 + 20 + CERT_STATUS_RETRY_MS });
  assert.equal(h.sentOf("GetCertificateStatus").length, 2);
});

test("M06: a new leaf (another CertID) is asked about at once, not after the retry delay of the old one", () => {
  const h = new StationHarness(answer);
  h.step({ kind: "secc-certificate", info: info(), tMs: T0 });
  h.boot();
  assert.equal(h.sentOf("GetCertificateStatus").length, 1);
  // the host found the response unusable: the same leaf waits for the retry delay
  h.step({ kind: "secc-certificate", info: info(), tMs: T0 + 10 });
  assert.equal(h.sentOf("GetCertificateStatus").length, 1);
  // a new leaf was installed (A03): asked now
  const d = { ...ocspRequestData, serialNumber: "0a0b" };
  h.step({ kind: "secc-certificate", info: info({ ocspRequestData: d }), tMs: T0 + 20 });
  assert.deepEqual(h.sentOf("GetCertificateStatus").at(-1)?.payload, { ocspRequestData: d });
});

test("A02: the CSMS sets ISO15118Ctrlr.V2GCertificateRenewBeforeDays (SetVariables); 0 turns the automatic renewal off", () => {
  const h = new StationHarness(answer);
  h.step({
    kind: "secc-certificate",
    info: info({ notAfterMs: T0 + 20 * DAY, ocspNextUpdateMs: T0 + 70 * DAY }),
    tMs: T0,
  });
  h.boot();
  const ref = { component: { name: "ISO15118Ctrlr" }, variable: { name: "V2GCertificateRenewBeforeDays" } };
  h.step({ kind: "tick", tMs: T0 + 1000 });
  assert.equal(h.certCommands().length, 0, "off by default");
  const bad = h.step(request("v0", "SetVariables", { setVariableData: [{ ...ref, attributeValue: "-3" }] }));
  assert.equal(
    (replyOf(bad, "v0")?.payload.setVariableResult as { attributeStatus: string }[])[0]?.attributeStatus,
    "Rejected",
  );
  const set = h.step(request("v1", "SetVariables", { setVariableData: [{ ...ref, attributeValue: "30" }] }));
  assert.equal(
    (replyOf(set, "v1")?.payload.setVariableResult as { attributeStatus: string }[])[0]?.attributeStatus,
    "Accepted",
  );
  const get = h.step(request("v2", "GetVariables", { getVariableData: [ref] }));
  assert.equal(
    (replyOf(get, "v2")?.payload.getVariableResult as { attributeValue: string }[])[0]?.attributeValue,
    "30",
  );
  h.step({ kind: "tick", tMs: T0 + 2000 });
  assert.deepEqual(h.certCommands(), [{ kind: "make-csr", certificateType: "V2GCertificate" }]);
});
