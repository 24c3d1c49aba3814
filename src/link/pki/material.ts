/**
 * The Plug & Charge material the protocol core needs, as bytes (the core below `src/link` takes no files and
 * no Node key objects): trusted MO and V2G roots (DER), the contract chain (DER, leaf first) and the
 * contract private key (P-256 scalar). From an issued PKI or from a `nacs pki init` directory.
 */
import { createPrivateKey, webcrypto } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PkiError } from "./errors.js";
import { pncFileNames } from "./files.js";
import { readCertificates } from "./inspect.js";
import type { PncPki } from "./issuer.js";
import type { PncRole } from "./profiles.js";

/** Roots, contract chain and key as bytes. */
export interface PncMaterial {
  moRoots: Uint8Array[];
  v2gRoots: Uint8Array[];
  /** leaf, MO Sub-CA 2, MO Sub-CA 1 */
  contractChain: Uint8Array[];
  /** 32-byte P-256 scalar */
  contractKey: Uint8Array;
}

const CONTRACT_CHAIN: PncRole[] = ["contract-leaf", "mo-sub-ca-2", "mo-sub-ca-1"];

const scalarOfJwk = (d: string | undefined, what: string): Uint8Array => {
  if (!d) throw new PkiError("bad-certificate", `${what}: not an EC private key`);
  return new Uint8Array(Buffer.from(d, "base64url"));
};

/** Material of an issued PKI (tests, the simulator). */
export async function materialFromPki(pki: PncPki): Promise<PncMaterial> {
  const der = (r: PncRole) => new Uint8Array(pki[r].cert.rawData);
  const jwk = await webcrypto.subtle.exportKey("jwk", pki["contract-leaf"].keys.privateKey);
  return {
    moRoots: [der("mo-root")],
    v2gRoots: [der("v2g-root")],
    contractChain: CONTRACT_CHAIN.map(der),
    contractKey: scalarOfJwk(jwk.d, "contract-leaf key"),
  };
}

/** Material of a `nacs pki init DIR` directory (PEM files named by {@link pncFileNames}). */
export async function loadPncMaterial(dir: string): Promise<PncMaterial> {
  const cert = async (r: PncRole) => {
    const file = join(dir, pncFileNames(r).cert);
    const certs = readCertificates(await readPem(file), file);
    return new Uint8Array(certs[0]!.rawData);
  };
  const keyFile = join(dir, pncFileNames("contract-leaf").key);
  let d: string | undefined;
  try {
    d = createPrivateKey(await readPem(keyFile)).export({ format: "jwk" }).d;
  } catch (err) {
    throw new PkiError(
      "bad-certificate",
      `${keyFile}: not a PKCS#8 EC private key: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return {
    moRoots: [await cert("mo-root")],
    v2gRoots: [await cert("v2g-root")],
    contractChain: await Promise.all(CONTRACT_CHAIN.map(cert)),
    contractKey: scalarOfJwk(d, keyFile),
  };
}

async function readPem(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new PkiError("io", `${file}: ${(err as Error).message}`, { cause: err });
  }
}
