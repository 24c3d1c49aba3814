/**
 * Host side of the certificate services: read a PKI directory written by `nacs pki init` (files.ts) into
 * what the platform-neutral core takes — the local CPS of the SECC (CPS leaf chain + key, the contract
 * ready to hand out) and the EV's provisioning material (OEM provisioning certificate + key, V2G root) —
 * as DER chains and raw P-256 scalars.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CpsContract,
  createLocalCps,
  type DerChain,
  type LocalCps,
  type LocalCpsConfig,
} from "../../v2g/pnc/cps.js";
import type { EvccPncConfig } from "../../v2g/session/evcc-state.js";
import { PkiError } from "./errors.js";
import { PNC_MANIFEST_FILE, type PncManifest, pncFileNames } from "./files.js";
import type { PncRole } from "./profiles.js";

function read(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), "utf8");
  } catch (err) {
    throw new PkiError("io", `${join(dir, name)}: cannot read (${(err as Error).message})`, { cause: err });
  }
}

/** Every PEM CERTIFICATE block of a file, as DER. */
export function pemCertificates(text: string, what: string): Uint8Array[] {
  const out = [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map(
    (m, i) => {
      try {
        return new Uint8Array(new X509Certificate(m[0]).raw);
      } catch (err) {
        throw new PkiError("bad-certificate", `${what}: certificate ${i} does not parse`, { cause: err });
      }
    },
  );
  if (out.length === 0) throw new PkiError("bad-certificate", `${what}: no PEM certificate`);
  return out;
}

/** The raw P-256 private scalar (32 B) of a PKCS#8 PEM key. */
export function pemPrivateScalar(pem: string, what: string): Uint8Array {
  let d: string | undefined;
  try {
    d = createPrivateKey(pem).export({ format: "jwk" }).d;
  } catch (err) {
    throw new PkiError("bad-certificate", `${what}: not a PKCS#8 EC key (${(err as Error).message})`, {
      cause: err,
    });
  }
  if (!d) throw new PkiError("bad-certificate", `${what}: no private scalar`);
  return new Uint8Array(Buffer.from(d, "base64url"));
}

function chainOf(dir: string, role: PncRole): DerChain {
  const f = pncFileNames(role);
  const [leaf, ...subCas] = pemCertificates(read(dir, f.chain), f.chain);
  return { leaf: leaf!, subCas };
}

/** The local CPS configuration of a `nacs pki init` directory: CPS leaf chain + key, its contract leaf as the pool. */
export function localCpsConfig(dir: string): LocalCpsConfig {
  const manifest = JSON.parse(read(dir, PNC_MANIFEST_FILE)) as PncManifest;
  const contract: CpsContract = {
    chain: chainOf(dir, "contract-leaf"),
    privateKey: pemPrivateScalar(read(dir, pncFileNames("contract-leaf").key), "contract-leaf key"),
    emaid: manifest.identifiers.emaid,
  };
  return {
    chain: chainOf(dir, "cps-leaf"),
    privateKey: pemPrivateScalar(read(dir, pncFileNames("cps-leaf").key), "cps-leaf key"),
    contracts: [contract],
  };
}

/** The local CPS of a `nacs pki init` directory: CPS leaf chain + key, and its contract leaf as the pool. */
export function loadLocalCps(dir: string): LocalCps {
  return createLocalCps(localCpsConfig(dir));
}

/** The EV's provisioning material of a `nacs pki init` directory: OEM provisioning certificate + key, V2G root. */
export function loadEvccPnc(dir: string): EvccPncConfig {
  const oem = pncFileNames("oem-prov-leaf");
  return {
    oemCert: pemCertificates(read(dir, oem.cert), oem.cert)[0]!,
    oemPrivateKey: pemPrivateScalar(read(dir, oem.key), "oem-prov-leaf key"),
    roots: pemCertificates(read(dir, pncFileNames("v2g-root").cert), "v2g-root"),
  };
}
