/**
 * ISO 15118-2 SECC CertificateInstallation / CertificateUpdate with a local CPS (failure codes as the RISE-V2G
 * and EcoG-io/iso15118 SECCs answer): the ContractCertificate service is offered, an OK response verifies
 * with the CPS leaf, and the failure codes: FAILED_SignatureError (bad signature), FAILED_CertificateExpired
 * (OEM certificate), FAILED_CertChainError (DC not OEM), FAILED_NoCertificateAvailable (no contract), FAILED
 * (Contract not selected).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as iso2 from "../../../codecs/iso2/index.js";
import { buildInstallationReq, buildUpdateReq } from "../../pnc/cert-evcc.js";
import { createLocalCps } from "../../pnc/cps.js";
import { PncError } from "../../pnc/pnc-errors.js";
import { type PncFixture, pncFixture } from "../../pnc/testing/fixture.js";
import { signFragments, verifySignature } from "../../pnc/xmldsig.js";
import type { SeccConfig } from "../../session/secc-state.js";
import {
  type Driver,
  ends,
  event,
  iso2ToPaymentSelection,
  request,
  startSecc,
} from "../../session/testing/drive-secc.js";
import { iso2EvccModule as isoMod } from "../evcc/module.js";

const DAY_S = 86_400;

function start(f: PncFixture, cfg: Partial<SeccConfig> = {}, set = 1, option = "Contract"): Driver {
  const d = startSecc("iso2", {
    cps: f.cps,
    paymentOptions: ["Contract", "ExternalPayment"],
    epochS: f.epochS + 60,
    ...cfg,
  });
  iso2ToPaymentSelection(d, option, set);
  return d;
}

/** Send a signed request; the response message (with its header) decoded from the wire. */
function send(d: Driver, element: string, body: unknown, signature: iso2.SignatureType): iso2.V2G_Message {
  const enc = isoMod.encode(d.s.sessionId!, element, body, undefined, signature);
  d.t += 50;
  event(d, { kind: "message", payloadType: 0x8001, bytes: enc.bytes, tMs: d.t });
  const out = d.fx.find((x) => x.kind === "send");
  assert.ok(out && out.kind === "send");
  return iso2.decode(out.bytes);
}

const code = (m: iso2.V2G_Message) =>
  (m.Body.CertificateInstallationRes ?? m.Body.CertificateUpdateRes)!.ResponseCode;

test("ServiceDiscovery/ServiceDetail offer the ContractCertificate service (ID 2, sets 1 Installation / 2 Update) only with a CPS", async () => {
  const f = await pncFixture();
  const d = startSecc("iso2", { cps: f.cps, paymentOptions: ["Contract", "ExternalPayment"] });
  request(d, "SessionSetup");
  const sd = request(d, "ServiceDiscovery");
  assert.deepEqual(sd?.body.ServiceList, {
    Service: [{ ServiceID: 2, ServiceCategory: "ContractCertificate", FreeService: true }],
  });
  const enc = isoMod.encode(d.s.sessionId!, "ServiceDetailReq", { ServiceID: 2 });
  d.t += 50;
  event(d, { kind: "message", payloadType: 0x8001, bytes: enc.bytes, tMs: d.t });
  const det = iso2.decode(d.fx.find((x) => x.kind === "send")!.bytes as Uint8Array).Body.ServiceDetailRes!;
  assert.equal(det.ResponseCode, "OK");
  assert.deepEqual(
    det.ServiceParameterList?.ParameterSet.map((p) => [p.ParameterSetID, p.Parameter[0]?.stringValue]),
    [
      [1, "Installation"],
      [2, "Update"],
    ],
  );
  const plain = startSecc("iso2");
  request(plain, "SessionSetup");
  assert.equal(request(plain, "ServiceDiscovery")?.body.ServiceList, undefined);
});

test("CertificateInstallationReq signed with the OEM key → OK, the response verifies with the CPS leaf; PaymentDetails may follow", async () => {
  const f = await pncFixture();
  const d = start(f);
  const req = buildInstallationReq(f.oem.cert, f.oem.key, f.roots);
  const res = send(d, "CertificateInstallationReq", req.body, req.signature);
  assert.equal(code(res), "OK");
  const v = verifySignature(res, f.cpsChain.leaf);
  assert.ok(v.ok, v.ok ? "" : v.error.message);
  assert.equal(v.references.length, 4);
  assert.equal(ends(d).length, 0);
  assert.equal(d.s.last, "CertificateInstallation");
});

test("CertificateInstallationReq failure codes: SignatureError, CertificateExpired, CertChainError (DC), NoCertificateAvailable, FAILED without Contract", async () => {
  const f = await pncFixture();
  const req = buildInstallationReq(f.oem.cert, f.oem.key, f.roots);
  // signed by another key than the OEM provisioning certificate's
  let d = start(f);
  let res = send(
    d,
    "CertificateInstallationReq",
    req.body,
    signFragments([{ CertificateInstallationReq: req.body }], f.contracts[0].privateKey),
  );
  assert.equal(code(res), "FAILED_SignatureError");
  assert.deepEqual(
    ends(d).map((e) => e.reason),
    ["certificate-installation-refused"],
  );
  // a body changed after signing
  d = start(f);
  res = send(
    d,
    "CertificateInstallationReq",
    {
      ...req.body,
      ListOfRootCertificateIDs: { RootCertificateID: [{ X509IssuerName: "CN=x", X509SerialNumber: 1n }] },
    },
    req.signature,
  );
  assert.equal(code(res), "FAILED_SignatureError");
  // no signature at all
  d = start(f);
  const enc = isoMod.encode(d.s.sessionId!, "CertificateInstallationReq", req.body);
  d.t += 50;
  event(d, { kind: "message", payloadType: 0x8001, bytes: enc.bytes, tMs: d.t });
  assert.equal(
    code(iso2.decode(d.fx.find((x) => x.kind === "send")!.bytes as Uint8Array)),
    "FAILED_SignatureError",
  );
  // OEM provisioning certificate expired (1460 days)
  d = start(f, { epochS: f.epochS + 1500 * DAY_S });
  res = send(d, "CertificateInstallationReq", req.body, req.signature);
  assert.equal(code(res), "FAILED_CertificateExpired");
  // a correctly signed request whose "OEM" certificate is the contract leaf (DC=MO)
  const wrong = buildInstallationReq(f.contracts[0].chain.leaf, f.contracts[0].privateKey, f.roots);
  d = start(f);
  res = send(d, "CertificateInstallationReq", wrong.body, wrong.signature);
  assert.equal(code(res), "FAILED_CertChainError");
  // the CPS has no contract
  d = start(f, { cps: createLocalCps({ chain: f.cpsChain, privateKey: f.cpsKey, contracts: [] }) });
  res = send(d, "CertificateInstallationReq", req.body, req.signature);
  assert.equal(code(res), "FAILED_NoCertificateAvailable");
  // ExternalPayment selected: the certificate services are not for this session
  d = start(f, {}, 1, "ExternalPayment");
  res = send(d, "CertificateInstallationReq", req.body, req.signature);
  assert.equal(code(res), "FAILED");
  // the chain-validator seam refuses: FAILED_CertChainError
  d = start(f, {
    validateOemChain: () => {
      throw new PncError("CERT_CHAIN", "OEM chain: no OEM root");
    },
  });
  res = send(d, "CertificateInstallationReq", req.body, req.signature);
  assert.equal(code(res), "FAILED_CertChainError");
});

test("CertificateUpdateReq: signed by the old contract key → OK with a new contract; bad signature, expired contract, eMAID mismatch refused", async () => {
  const f = await pncFixture();
  const old = { ...f.contracts[0], notAfterS: 0 };
  const req = buildUpdateReq(old, f.roots);
  let d = start(f, {}, 2);
  let res = send(d, "CertificateUpdateReq", req.body, req.signature);
  assert.equal(code(res), "OK");
  assert.ok(verifySignature(res, f.cpsChain.leaf).ok);
  assert.equal(res.Body.CertificateUpdateRes!.RetryCounter, 0);
  d = start(f, {}, 2);
  res = send(
    d,
    "CertificateUpdateReq",
    req.body,
    signFragments([{ CertificateUpdateReq: req.body }], f.oem.key),
  );
  assert.equal(code(res), "FAILED_SignatureError");
  d = start(f, { epochS: f.epochS + 800 * DAY_S }, 2); // contract leaf: 730 days
  res = send(d, "CertificateUpdateReq", req.body, req.signature);
  assert.equal(code(res), "FAILED_CertificateExpired");
  const other = { ...req.body, eMAID: "DEXXX000000001" };
  d = start(f, {}, 2);
  res = send(
    d,
    "CertificateUpdateReq",
    other,
    signFragments([{ CertificateUpdateReq: other }], old.privateKey),
  );
  assert.equal(code(res), "FAILED_CertChainError");
});
