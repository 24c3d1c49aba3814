/**
 * The station's store of the SECC's V2G certificate (the ISO 15118-2 TLS server certificate, chain V2G root
 * → CPO Sub-CA 1 → CPO Sub-CA 2 → SECC leaf) in a `nacs pki init` directory, doing the crypto and file work
 * of the station machine's `certificate` effects (src/ocpp/certificates.ts):
 * - A02 `make-csr`: a new EC P-256 key pair ([V2G2-006]) and a PKCS#10 CSR (RFC 2986) with the subject the
 *   SECC leaf needs — CN the SECC ID as the current leaf has it, O, C, DC=CPO ([V2G2-925]); the private key
 *   stays here, in memory, until a chain for it is installed.
 * - A03 `install-chain`: the CertificateSigned chain (PEM, leaf first) is checked — PEM of X.509
 *   certificates; the leaf's public key is the CSR's; each certificate issued and signed by the next, the
 *   last by a V2G root this station trusts (DIR/v2g-root.pem); all within their validity; the leaf no CA,
 *   its CN the SECC ID — and installed: the files written atomically (write, fsync, rename; the replaced
 *   ones kept as *.old, the old leaf's OCSP response too), the TLS server's context replaced for the next
 *   handshakes. Rejected with a reasonCode naming the rule; the old certificate then stays in use.
 * - M06 `ocsp-response`: the CSMS's OCSP response is checked against the current leaf (RFC 6960 §3.2,
 *   link/pki/ocsp.ts), kept and written as DIR/secc-leaf.ocsp.der, and stapled (RFC 6066 §8).
 */
import "reflect-metadata";
import { webcrypto, X509Certificate } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import type { CertificateCommand, SeccCertificateInfo, StationEvent } from "../../ocpp/index.js";
import { PkiError } from "../pki/errors.js";
import { checkOcspResponse, OCSP_MAX_AGE_MS, OcspError } from "../pki/ocsp.js";
import { contractHashData } from "./contract-hash.js";

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** The files of a `nacs pki init` directory this store reads and replaces. */
export const SECC_CERT_FILES = {
  chain: "secc-leaf.chain.pem",
  leaf: "secc-leaf.pem",
  key: "secc-leaf.key.pem",
  ocsp: "secc-leaf.ocsp.der",
  root: "v2g-root.pem",
} as const;

/** The SECC's TLS credentials: the leaf's private key and the chain it sends (leaf first, root omitted). */
export interface SeccCredentials {
  key: string;
  cert: string;
}

/** The answer to a CertificateSigned chain (A03). */
export interface InstallVerdict {
  status: "Accepted" | "Rejected";
  reasonCode?: string;
  additionalInfo?: string;
}

/** The store. */
export interface SeccCertStore {
  readonly dir: string;
  credentials(): SeccCredentials;
  /** The OCSP response to staple (DER), when the store holds one valid now for the current leaf. */
  staple(): Uint8Array | undefined;
  /** What the station machine knows of the certificate. */
  info(): SeccCertificateInfo;
  /** The current leaf's serial number (hex, as node:crypto writes it). */
  leafSerial(): string;
  /** Called with the new credentials after each install (the TLS server's hot swap). */
  onInstall(f: (c: SeccCredentials) => void): void;
  makeCsr(): Promise<string>;
  install(chainPem: string): Promise<InstallVerdict>;
  /** Check and keep the CSMS's OCSP response (base64 DER); the error names the rule it breaks. */
  acceptOcsp(base64: string): { ok: true; nextUpdateMs: number } | { ok: false; error: string };
  /** Do what a station effect asks; the events go back to the station. */
  handle(cmd: CertificateCommand): Promise<StationEvent[]>;
}

/** Options of {@link openSeccCertStore}. */
export interface SeccCertStoreOptions {
  /** Clock (ms since the epoch; default Date.now). */
  now?: () => number;
  /** responderURL of the OCSP request data when the leaf has no AIA OCSP URL (e.g. the CSMS's). */
  responderUrl?: string;
  log?: (level: "info" | "warn" | "error", msg: string) => void;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** The certificates of a PEM text (leaf first); throws with the reason. */
function pemCertificates(text: string, what: string): X509Certificate[] {
  const blocks = [...text.matchAll(PEM_CERT)];
  if (blocks.length === 0) throw new Error(`${what}: no "-----BEGIN CERTIFICATE-----" block`);
  return blocks.map((m, i) => {
    const body = (m[1] ?? "").replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error(`${what}: certificate ${i + 1}: not base64`);
    try {
      return new X509Certificate(Buffer.from(body, "base64"));
    } catch (e) {
      throw new Error(`${what}: certificate ${i + 1}: not a DER X.509 certificate (${(e as Error).message})`);
    }
  });
}

const spki = (c: X509Certificate) => c.publicKey.export({ type: "spki", format: "der" });
const cnOf = (c: X509Certificate) => /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1] ?? "";
const fieldOf = (c: X509Certificate, f: string) => new RegExp(`(?:^|\\n)${f}=([^\\n]*)`).exec(c.subject)?.[1];
const pemOf = (c: X509Certificate) => c.toString();

/** Write `data` to `file` atomically: a temporary file, fsync, the old one copied to *.old, rename. */
export function writeAtomic(file: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // copyFileSync keeps the file's mode (libuv copyfile): an old private key stays 0600
  if (existsSync(file)) copyFileSync(file, `${file}.old`);
  renameSync(tmp, file);
}

/** Open the SECC certificate of `dir` (a `nacs pki init` directory). Throws PkiError naming the file. */
export function openSeccCertStore(dir: string, o: SeccCertStoreOptions = {}): SeccCertStore {
  const now = o.now ?? Date.now;
  const log = o.log ?? (() => {});
  const file = (f: string) => join(dir, f);
  const read = (f: string) => {
    try {
      return readFileSync(file(f), "utf8");
    } catch (e) {
      throw new PkiError("io", `${file(f)}: ${(e as Error).message}`, { cause: e });
    }
  };
  const parse = (f: string) => {
    try {
      return pemCertificates(read(f), file(f));
    } catch (e) {
      if (e instanceof PkiError) throw e;
      throw new PkiError("bad-certificate", (e as Error).message, { cause: e });
    }
  };
  let chain = parse(SECC_CERT_FILES.chain);
  if (chain.length < 2)
    throw new PkiError("bad-certificate", `${file(SECC_CERT_FILES.chain)}: needs the leaf and its issuer`);
  let key = read(SECC_CERT_FILES.key);
  const roots = parse(SECC_CERT_FILES.root);
  let ocsp: { der: Uint8Array; nextUpdateMs: number } | null = null;
  const listeners: ((c: SeccCredentials) => void)[] = [];
  let pending: { keyPem: string; spki: Buffer } | null = null;

  const checkOcsp = (der: Uint8Array) => {
    const good = checkOcspResponse(der, {
      leaf: new Uint8Array(chain[0]!.raw),
      issuer: new Uint8Array(chain[1]!.raw),
      now: now(),
    });
    return good.nextUpdate?.getTime() ?? good.thisUpdate.getTime() + OCSP_MAX_AGE_MS;
  };
  if (existsSync(file(SECC_CERT_FILES.ocsp))) {
    const der = new Uint8Array(readFileSync(file(SECC_CERT_FILES.ocsp)));
    try {
      ocsp = { der, nextUpdateMs: checkOcsp(der) };
    } catch (e) {
      log("warn", `${file(SECC_CERT_FILES.ocsp)}: not stapled: ${(e as Error).message}`);
    }
  }

  const info = (): SeccCertificateInfo => {
    const [data] = contractHashData(new Uint8Array(chain[0]!.raw), [new Uint8Array(chain[1]!.raw)]);
    return {
      ocspRequestData: { ...data!, responderURL: data!.responderURL || (o.responderUrl ?? "").slice(0, 512) },
      notAfterMs: Date.parse(chain[0]!.validTo),
      ocspNextUpdateMs: ocsp?.nextUpdateMs ?? null,
    };
  };

  const makeCsr = async (): Promise<string> => {
    const leaf = chain[0]!;
    const cn = cnOf(leaf);
    const country = fieldOf(leaf, "C") ?? /^([A-Z]{2})-/.exec(cn)?.[1];
    const org = fieldOf(leaf, "O");
    const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
    const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
    const name: x509.JsonName = [
      ...(country ? [{ C: [country] }] : []),
      ...(org ? [{ O: [org] }] : []),
      { CN: [cn] },
      { DC: ["CPO"] },
    ];
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: alg });
    const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
    pending = {
      keyPem: `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`,
      spki: Buffer.from(await crypto.subtle.exportKey("spki", keys.publicKey)),
    };
    return csr.toString("pem");
  };

  const reject = (reasonCode: string, additionalInfo: string): InstallVerdict => ({
    status: "Rejected",
    reasonCode,
    additionalInfo: additionalInfo.slice(0, 512),
  });

  const install = async (chainPem: string): Promise<InstallVerdict> => {
    if (!pending) return reject("NoPendingCSR", "no key pair of a CSR is waiting for its certificate");
    let certs: X509Certificate[];
    try {
      certs = pemCertificates(chainPem, "certificateChain");
    } catch (e) {
      return reject("InvalidFormat", (e as Error).message);
    }
    const leaf = certs[0]!;
    if (!spki(leaf).equals(pending.spki))
      return reject("WrongKey", "certificateChain: the leaf's public key is not the one of the CSR (A03)");
    // the root may come last; it is trusted only as one of ours
    const root = roots.find((r) => certs.at(-1)!.fingerprint256 === r.fingerprint256);
    const sent = root ? certs.slice(0, -1) : certs;
    if (sent.length === 0) return reject("InvalidChain", "certificateChain: holds only a root");
    for (let i = 0; i + 1 < sent.length; i++)
      if (!sent[i]!.checkIssued(sent[i + 1]!) || !sent[i]!.verify(sent[i + 1]!.publicKey))
        return reject(
          "InvalidChain",
          `certificateChain: certificate ${i + 1} (${cnOf(sent[i]!)}) is not issued and signed by certificate ${i + 2} (${cnOf(sent[i + 1]!)})`,
        );
    const top = sent.at(-1)!;
    if (!roots.some((r) => top.checkIssued(r) && top.verify(r.publicKey)))
      return reject(
        "InvalidChain",
        `certificateChain: ${cnOf(top)} (issuer ${top.issuer.replace(/\n/g, ", ")}) does not chain to a V2G root this station trusts (${file(SECC_CERT_FILES.root)})`,
      );
    const t = now();
    for (const [i, c] of sent.entries())
      if (Date.parse(c.validFrom) > t || Date.parse(c.validTo) < t)
        return reject(
          "InvalidValidity",
          `certificateChain: certificate ${i + 1} (${cnOf(c)}) is valid ${c.validFrom} – ${c.validTo}, not now`,
        );
    if (leaf.ca) return reject("InvalidCertificate", "certificateChain: the leaf is a CA certificate");
    if (cnOf(leaf) !== cnOf(chain[0]!))
      return reject(
        "WrongSubject",
        `certificateChain: leaf CN ${cnOf(leaf)} is not the SECC ID ${cnOf(chain[0]!)} of the CSR`,
      );
    const chainText = sent.map(pemOf).join("");
    try {
      writeAtomic(file(SECC_CERT_FILES.key), pending.keyPem, 0o600);
      writeAtomic(file(SECC_CERT_FILES.chain), chainText);
      writeAtomic(file(SECC_CERT_FILES.leaf), pemOf(leaf));
      // the response is about the old leaf: kept aside, not stapled for the new one
      if (existsSync(file(SECC_CERT_FILES.ocsp)))
        renameSync(file(SECC_CERT_FILES.ocsp), file(`${SECC_CERT_FILES.ocsp}.old`));
    } catch (e) {
      return reject("StorageError", `${dir}: cannot write the new certificate: ${(e as Error).message}`);
    }
    chain = sent;
    key = pending.keyPem;
    pending = null;
    ocsp = null;
    log("info", `SECC certificate installed: serial ${leaf.serialNumber}, valid until ${leaf.validTo}`);
    for (const f of listeners) f({ key, cert: chainText });
    return { status: "Accepted" };
  };

  const acceptOcsp = (b64: string): { ok: true; nextUpdateMs: number } | { ok: false; error: string } => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { ok: false, error: "ocspResult: not base64" };
    const der = new Uint8Array(Buffer.from(b64, "base64"));
    try {
      const nextUpdateMs = checkOcsp(der);
      writeAtomic(file(SECC_CERT_FILES.ocsp), der);
      ocsp = { der, nextUpdateMs };
      return { ok: true, nextUpdateMs };
    } catch (e) {
      if (e instanceof OcspError) return { ok: false, error: `ocspResult: ${e.message}` };
      return { ok: false, error: `ocspResult: ${(e as Error).message}` };
    }
  };

  const store: SeccCertStore = {
    dir,
    credentials: () => ({ key, cert: chain.map(pemOf).join("") }),
    staple: () => (ocsp && ocsp.nextUpdateMs >= now() ? ocsp.der : undefined),
    info,
    leafSerial: () => chain[0]!.serialNumber,
    onInstall: (f) => {
      listeners.push(f);
    },
    makeCsr,
    install,
    acceptOcsp,
    async handle(cmd) {
      const tMs = now();
      switch (cmd.kind) {
        case "make-csr":
          try {
            return [{ kind: "csr", csr: await makeCsr(), tMs }];
          } catch (e) {
            return [{ kind: "csr-failed", error: (e as Error).message, tMs }];
          }
        case "drop-csr":
          pending = null;
          return [];
        case "install-chain": {
          const v = await install(cmd.certificateChain).catch(
            (e: unknown): InstallVerdict => reject("InternalError", (e as Error).message),
          );
          const checked: StationEvent = { kind: "chain-checked", reqId: cmd.reqId, ...v, tMs };
          return v.status === "Accepted"
            ? [checked, { kind: "secc-certificate", info: info(), tMs }]
            : [checked];
        }
        case "ocsp-response": {
          const r = acceptOcsp(cmd.ocspResult);
          if (r.ok)
            log(
              "info",
              `SECC OCSP response from the CSMS: good until ${new Date(r.nextUpdateMs).toISOString()}`,
            );
          else log("warn", `SECC OCSP response from the CSMS refused: ${r.error}`);
          return [{ kind: "secc-certificate", info: info(), tMs }];
        }
      }
    },
  };
  return store;
}
