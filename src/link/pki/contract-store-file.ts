/**
 * The EV's contract store on disk (`nacs ev --contract-store FILE_OR_DIR`): the ISO 15118-2 contracts the EV
 * installed or updated (CertificateInstallation / CertificateUpdate, ISO 15118-2 §8.4.3.10/§8.4.3.11), kept
 * across runs. One JSON file (`contracts.json` when a directory is named) holding, per contract, the chain
 * as PEM (leaf, MO Sub-CA 2, MO Sub-CA 1; the root is never sent, [V2G2-871]), the private key as PKCS#8 PEM
 * (RFC 5208) and the eMAID. The file is written atomically (temporary file in the same directory, then
 * rename; POSIX rename(2)) with mode 0600: it holds secret keys. On reading, every entry is checked again
 * (chain parses, key matches the leaf): the eMAID and validity come from the leaf, not from the JSON.
 * Node-only (the core takes the contracts as bytes, src/v2g/pnc/installed-contract.ts).
 */
import { createECDH, createPrivateKey, randomBytes, X509Certificate } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { createContract } from "../../v2g/pnc/contract-store.js";
import type { InstalledContract } from "../../v2g/pnc/installed-contract.js";
import { PkiError } from "./errors.js";
import { pemCertificates, pemPrivateScalar } from "./pnc-load.js";

/** File name of the store inside a directory. */
export const CONTRACT_STORE_FILE = "contracts.json";
/** The `format` tag of the file. */
export const CONTRACT_STORE_FORMAT = "nacs-contract-store";
/** Mode of the store file: owner read/write only (it holds private keys). */
export const CONTRACT_STORE_MODE = 0o600;

/** How a stored contract came to the EV. */
export type StoredContractOrigin = "pki" | "installed" | "updated";

/** One entry of the file. */
export interface StoredContractEntry {
  /** eMAID (leaf CN without separators), for people reading the file; the leaf is authoritative. */
  emaid: string;
  /** Leaf notAfter, ISO 8601 (informative). */
  notAfter: string;
  origin: StoredContractOrigin;
  /** When this entry was written, ISO 8601. */
  savedAt: string;
  /** PEM, leaf first. */
  chainPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

/** The file. */
export interface ContractStoreFile {
  format: typeof CONTRACT_STORE_FORMAT;
  version: 1;
  contracts: StoredContractEntry[];
}

/** A contract with how it came to the EV. */
export interface StoredContract {
  contract: InstalledContract;
  origin: StoredContractOrigin;
}

/** The store file of `--contract-store P`: P/contracts.json for a directory (existing, or P ends in "/"), else P. */
export function contractStorePath(p: string): string {
  if (p.endsWith("/") || (existsSync(p) && statSync(p).isDirectory())) return join(p, CONTRACT_STORE_FILE);
  return p;
}

/** PKCS#8 PEM of a P-256 private scalar (32 B). */
export function scalarToPkcs8Pem(d: Uint8Array): string {
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey(); // 04 ‖ x ‖ y (SEC 1 §2.3.3)
  const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64url");
  const key = createPrivateKey({
    format: "jwk",
    key: { kty: "EC", crv: "P-256", d: b64(d), x: b64(pub.subarray(1, 33)), y: b64(pub.subarray(33, 65)) },
  });
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

const pemOf = (der: Uint8Array) => new X509Certificate(der).toString();

/**
 * Read the store; an absent file is an empty store. Throws PkiError (`io`, `bad-certificate`) naming the
 * file, the entry and the rule for a store that does not read.
 */
export function readContractStore(file: string): StoredContract[] {
  if (!existsSync(file)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new PkiError("io", `${file}: not a readable JSON contract store (${(err as Error).message})`, {
      cause: err,
    });
  }
  const f = parsed as Partial<ContractStoreFile> | null;
  if (!f || f.format !== CONTRACT_STORE_FORMAT || f.version !== 1 || !Array.isArray(f.contracts))
    throw new PkiError(
      "bad-certificate",
      `${file}: format must be "${CONTRACT_STORE_FORMAT}", version 1, with a contracts array`,
    );
  return f.contracts.map((e, i) => readEntry(e, `${file}: contracts[${i}]`));
}

function readEntry(e: Partial<StoredContractEntry> | null, what: string): StoredContract {
  if (!e || typeof e.chainPem !== "string" || typeof e.keyPem !== "string")
    throw new PkiError("bad-certificate", `${what}: chainPem and keyPem must be PEM strings`);
  const chain = pemCertificates(e.chainPem, `${what}.chainPem`);
  const key = pemPrivateScalar(e.keyPem, `${what}.keyPem`);
  let c: ReturnType<typeof createContract>;
  try {
    c = createContract(chain, key);
  } catch (err) {
    throw new PkiError("bad-certificate", `${what}: ${(err as Error).message}`, { cause: err });
  }
  const origin: StoredContractOrigin =
    e.origin === "installed" || e.origin === "updated" || e.origin === "pki" ? e.origin : "installed";
  const savedMs = typeof e.savedAt === "string" ? Date.parse(e.savedAt) : Number.NaN;
  return {
    contract: {
      chain: { leaf: chain[0]!, subCas: chain.slice(1) },
      privateKey: key,
      emaid: c.emaid,
      notAfterS: Math.floor(c.notAfterMs / 1000),
      ...(Number.isFinite(savedMs) && { installedAtS: Math.floor(savedMs / 1000) }),
    },
    origin,
  };
}

/**
 * Write the store atomically: a temporary file beside `file` (mode 0600, flushed), then rename over it. The
 * directory is created when missing. Throws PkiError `io` naming the file.
 */
export function writeContractStore(
  file: string,
  contracts: readonly StoredContract[],
  now = new Date(),
): void {
  const body: ContractStoreFile = {
    format: CONTRACT_STORE_FORMAT,
    version: 1,
    contracts: contracts.map(({ contract: c, origin }) => ({
      emaid: c.emaid.replaceAll("-", ""),
      notAfter: new Date(c.notAfterS * 1000).toISOString(),
      origin,
      savedAt: new Date((c.installedAtS ?? Math.floor(now.getTime() / 1000)) * 1000).toISOString(),
      chainPem: [c.chain.leaf, ...c.chain.subCas].map(pemOf).join(""),
      keyPem: scalarToPkcs8Pem(c.privateKey),
    })),
  };
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, "wx", CONTRACT_STORE_MODE);
    try {
      writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, CONTRACT_STORE_MODE); // the umask may have taken bits away, never added
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // not created
    }
    throw new PkiError("io", `${file}: cannot write the contract store (${(err as Error).message})`, {
      cause: err,
    });
  }
}
