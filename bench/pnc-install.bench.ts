/**
 * ISO 15118-2 CertificateInstallation with the local CPS: CertificateInstallationRes constructions per
 * second (`cps.install`: ephemeral ECDH + KDF + AES-128-CBC envelope, 4 fragment digests, SignedInfo and an
 * ECDSA P-256 signature with the CPS leaf key), the SECC's request check (`checkInstallationReq`: signature
 * with the OEM provisioning certificate, validity, DC) and the EVCC's acceptance (`acceptCertRes`: 4 digests
 * + signature with the CPS leaf, DC=CPS, ECDH + decrypt + [V2G2-823] key check; no chain validator). The PKI
 * is issued with `src/link/pki` at start. Rates are per second of process CPU time, the median of 7 samples
 * of ≥ 200 ms after a 500 ms warm-up.
 */
import type * as iso2 from "../src/codecs/iso2/index.js";
import { acceptCertRes, buildInstallationReq } from "../src/v2g/pnc/cert-evcc.js";
import { checkInstallationReq } from "../src/v2g/pnc/cert-requests.js";
import { pncFixture } from "../src/v2g/pnc/testing/fixture.js";
import { cpuRate } from "./cpu-rate.js";
import type { BenchResult } from "./types.js";

export async function run(): Promise<BenchResult[]> {
  const f = await pncFixture();
  const req = buildInstallationReq(f.oem.cert, f.oem.key, f.roots);
  const sid = new Uint8Array(8);
  const reqMsg: iso2.V2G_Message = {
    Header: { SessionID: sid, Signature: req.signature },
    Body: { CertificateInstallationReq: req.body },
  };
  const nowS = f.epochS + 60;
  const a = f.cps.install(req.body);
  const resMsg: iso2.V2G_Message = {
    Header: { SessionID: sid, Signature: a.signature },
    Body: { CertificateInstallationRes: a.body },
  };
  acceptCertRes(resMsg, f.oem.key, nowS);
  const build = cpuRate(() => {
    f.cps.install(req.body);
  });
  const check = cpuRate(() => checkInstallationReq(reqMsg, nowS));
  const accept = cpuRate(() => {
    acceptCertRes(resMsg, f.oem.key, nowS);
  });
  return [
    {
      name: "CertificateInstallationRes constructions/s (local CPS)",
      value: build.median,
      unit: "res/s",
      detail: { min: build.min, max: build.max },
    },
    {
      name: "CertificateInstallationReq checks/s (SECC)",
      value: check.median,
      unit: "req/s",
      detail: { min: check.min, max: check.max },
    },
    {
      name: "CertificateInstallationRes acceptances/s (EVCC)",
      value: accept.median,
      unit: "res/s",
      detail: { min: accept.min, max: accept.max },
    },
  ];
}
