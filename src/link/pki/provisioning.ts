/**
 * The certificate-provisioning material of ISO 15118-2 CertificateInstallation / CertificateUpdate as bytes
 * for the platform-neutral core (the simulator): the EV's OEM provisioning certificate and key ([V2G2-820]
 * the envelope's receiver key), the CPS leaf chain and key (SAProvisioningCertificateChain, the response's
 * signer, [V2G2-891]) and a renewal contract for the same eMAID (what a CPS answers a CertificateUpdateReq
 * with, [V2G2-821]). From an issued PKI or from a `nacs pki init` directory.
 */
import { webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { issueRenewalContract } from "./cps-renewal.js";
import { PkiError } from "./errors.js";
import { pncFileNames } from "./files.js";
import { issuePncCert, type PncPki } from "./issuer.js";
import { localCpsConfig, pemCertificates, pemPrivateScalar } from "./pnc-load.js";
import { type PncRole, pncProfile } from "./profiles.js";

/** Provisioning material as bytes (DER chains leaf first, P-256 scalars). */
export interface PncProvisioning {
  oemCert: Uint8Array;
  oemKey: Uint8Array;
  /** OEM Sub-CA 2, OEM Sub-CA 1 and the OEM root: what an SECC (its backend) validates the OEM certificate with. */
  oemSubCas: Uint8Array[];
  oemRoot: Uint8Array;
  /** CPS leaf, CPS Sub-CA 2, CPS Sub-CA 1. */
  cpsChain: Uint8Array[];
  cpsKey: Uint8Array;
  /** A second contract for the eMAID of the PKI's contract (leaf, MO Sub-CA 2, MO Sub-CA 1), absent without the MO Sub-CA 2 key. */
  renewal?: { chain: Uint8Array[]; key: Uint8Array };
}

const CPS_CHAIN: PncRole[] = ["cps-leaf", "cps-sub-ca-2", "cps-sub-ca-1"];
const MO_SUB_CAS: PncRole[] = ["mo-sub-ca-2", "mo-sub-ca-1"];
const OEM_SUB_CAS: PncRole[] = ["oem-sub-ca-2", "oem-sub-ca-1"];

async function scalar(key: CryptoKey, what: string): Promise<Uint8Array> {
  const d = (await webcrypto.subtle.exportKey("jwk", key)).d;
  if (!d) throw new PkiError("bad-certificate", `${what}: not an EC private key`);
  return new Uint8Array(Buffer.from(d, "base64url"));
}

/** Provisioning material of an issued PKI (tests, the simulator); the renewal contract is issued `now`. */
export async function provisioningFromPki(pki: PncPki, now = new Date()): Promise<PncProvisioning> {
  const der = (r: PncRole) => new Uint8Array(pki[r].cert.rawData);
  const cn = pki["contract-leaf"].cert.subjectName.getField("CN")[0];
  if (!cn) throw new PkiError("bad-certificate", "contract-leaf: no CN (the eMAID, [V2G2-108])");
  const renewal = await issuePncCert(pncProfile("contract-leaf"), { cn, now, issuer: pki["mo-sub-ca-2"] });
  return {
    oemCert: der("oem-prov-leaf"),
    oemKey: await scalar(pki["oem-prov-leaf"].keys.privateKey, "oem-prov-leaf key"),
    oemSubCas: OEM_SUB_CAS.map(der),
    oemRoot: der("oem-root"),
    cpsChain: CPS_CHAIN.map(der),
    cpsKey: await scalar(pki["cps-leaf"].keys.privateKey, "cps-leaf key"),
    renewal: {
      chain: [new Uint8Array(renewal.cert.rawData), ...MO_SUB_CAS.map(der)],
      key: await scalar(renewal.keys.privateKey, "renewal contract key"),
    },
  };
}

/** Provisioning material of a `nacs pki init DIR` directory (the renewal contract needs DIR's MO Sub-CA 2 key). */
export async function loadPncProvisioning(dir: string, now = new Date()): Promise<PncProvisioning> {
  const file = (r: PncRole, kind: "cert" | "key") => {
    const name = join(dir, pncFileNames(r)[kind]);
    try {
      return readFileSync(name, "utf8");
    } catch (err) {
      throw new PkiError("io", `${name}: cannot read (${(err as Error).message})`, { cause: err });
    }
  };
  const cps = localCpsConfig(dir);
  const renewal = await issueRenewalContract(dir, cps.contracts[0]!, now);
  return {
    oemCert: pemCertificates(file("oem-prov-leaf", "cert"), "oem-prov-leaf")[0]!,
    oemKey: pemPrivateScalar(file("oem-prov-leaf", "key"), "oem-prov-leaf key"),
    oemSubCas: OEM_SUB_CAS.map((r) => pemCertificates(file(r, "cert"), r)[0]!),
    oemRoot: pemCertificates(file("oem-root", "cert"), "oem-root")[0]!,
    cpsChain: [cps.chain.leaf, ...cps.chain.subCas],
    cpsKey: cps.privateKey,
    ...(renewal && {
      renewal: { chain: [renewal.chain.leaf, ...renewal.chain.subCas], key: renewal.privateKey },
    }),
  };
}
