/**
 * A renewal contract for the local CPS of a `nacs pki init` directory: what a real CPS returns for
 * CertificateUpdateReq — the same eMAID, a new contract leaf with a new key pair (ISO 15118-2 §8.4.3.11,
 * [V2G2-821]: the new key travels encrypted for the old contract key) — issued here at start-up with the MO
 * Sub-CA 2 key of the directory (the pure, synchronous CPS cannot issue certificates itself). Without that key
 * there is no renewal contract and an update of the directory's own contract is answered
 * FAILED_NoCertificateAvailable.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { readCertFields } from "../../v2g/pnc/cert-fields.js";
import { type CpsContract, createLocalCps, type LocalCps } from "../../v2g/pnc/cps.js";
import { PkiError } from "./errors.js";
import { pncFileNames } from "./files.js";
import { type IssuedPncCert, issuePncCert } from "./issuer.js";
import { localCpsConfig } from "./pnc-load.js";
import { pncProfile } from "./profiles.js";

const crypto = webcrypto as unknown as Crypto;
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;

/**
 * A fresh contract for the eMAID of `pool` (its leaf CN), signed by DIR's MO Sub-CA 2, with the chain
 * `pool` was sent with (Sub-CA 2, Sub-CA 1); undefined when DIR holds no MO Sub-CA 2 key.
 */
export async function issueRenewalContract(
  dir: string,
  pool: CpsContract,
  now = new Date(),
): Promise<CpsContract | undefined> {
  const f = pncFileNames("mo-sub-ca-2");
  const keyFile = join(dir, f.key);
  if (!existsSync(keyFile)) return undefined;
  let issuer: IssuedPncCert;
  try {
    const certPem = readFileSync(join(dir, f.cert), "utf8");
    const keyPem = readFileSync(keyFile, "utf8");
    const cert = new x509.X509Certificate(certPem);
    const der = x509.PemConverter.decode(keyPem)[0];
    if (!der) throw new Error("no PEM block");
    const privateKey = await crypto.subtle.importKey("pkcs8", der, EC, true, ["sign"]);
    const publicKey = await cert.publicKey.export(EC, ["verify"], crypto);
    issuer = {
      role: "mo-sub-ca-2",
      profile: pncProfile("mo-sub-ca-2"),
      cert,
      certPem,
      keyPem,
      keys: { privateKey, publicKey },
    };
  } catch (err) {
    throw new PkiError(
      "bad-certificate",
      `${keyFile}: MO Sub-CA 2 does not load (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  const cn = readCertFields(pool.chain.leaf, "contract-leaf").subject.find((a) => a.type === "CN")?.value;
  if (!cn) throw new PkiError("bad-certificate", `${dir}: contract-leaf has no CN (the eMAID, [V2G2-108])`);
  const leaf = await issuePncCert(pncProfile("contract-leaf"), { cn, now, issuer });
  const jwk = await crypto.subtle.exportKey("jwk", leaf.keys.privateKey);
  return {
    chain: { leaf: new Uint8Array(leaf.cert.rawData), subCas: [...pool.chain.subCas] },
    privateKey: new Uint8Array(Buffer.from(jwk.d ?? "", "base64url")),
    emaid: pool.emaid,
    ...(pool.pcid !== undefined && { pcid: pool.pcid }),
  };
}

/**
 * The local CPS of DIR with a renewal contract beside the directory's own (when DIR has the MO Sub-CA 2
 * key): CertificateInstallation hands out the directory's contract, CertificateUpdate of it the renewal one
 * (and of the renewal one the directory's: a different leaf for the same eMAID either way).
 */
export async function loadLocalCpsWithRenewal(dir: string, now = new Date()): Promise<LocalCps> {
  const cfg = localCpsConfig(dir);
  const renewal = await issueRenewalContract(dir, cfg.contracts[0]!, now);
  return createLocalCps({ ...cfg, contracts: renewal ? [...cfg.contracts, renewal] : cfg.contracts });
}
