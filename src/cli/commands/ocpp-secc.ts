/**
 * `nacs evse --ocpp URL --tls --ocpp-v2g-pki DIR`: the SECC certificate of DIR (a `nacs pki init`
 * directory) is the default TLS 1.2 chain of the SECC and is managed by the OCPP 2.0.1 station — renewed
 * by the CSMS (A02 / A03: TriggerMessage SignV2GCertificate, SignCertificate, CertificateSigned; the next
 * handshake presents the new leaf, DIR's files replaced with *.old kept) and its OCSP status fetched from
 * the CSMS (M06 GetCertificateStatus) and stapled (RFC 6066 §8). See link/ocpp/secc-certs.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openSeccCertStore, SECC_CERT_FILES, type SeccCertStore } from "../../link/ocpp/secc-certs.js";
import type { TlsServerConfig } from "../../link/tls-config.js";
import { UsageError } from "../errors.js";

/** Open the store of `--ocpp-v2g-pki DIR`; UsageError naming the flag and the file. */
export function openOcppSeccStore(
  dir: string,
  ocppUrl: string,
  log: (level: "info" | "warn" | "error", msg: string) => void,
): SeccCertStore {
  try {
    return openSeccCertStore(dir, { responderUrl: ocppUrl, log });
  } catch (e) {
    throw new UsageError(`option --ocpp-v2g-pki ${dir}: ${(e as Error).message}`, "--ocpp-v2g-pki", {
      cause: e,
    });
  }
}

/**
 * Serve the store's chain as the default TLS 1.2 chain: its key and chain, its staple, its hot swap. A
 * `--secc-chain` chain that was the default stays one of the chains the EV's trusted_ca_keys picks from.
 */
export function serveSeccStore(tls: TlsServerConfig, store: SeccCertStore): TlsServerConfig {
  const { key, cert } = store.credentials();
  const previous =
    tls.key && tls.root !== undefined
      ? [{ key: tls.key, cert: tls.cert, root: tls.root, ...(tls.ocsp && { ocsp: tls.ocsp }) }]
      : [];
  return {
    ...tls,
    chains: [...previous, ...(tls.chains ?? [])],
    key,
    cert,
    root: readFileSync(join(store.dir, SECC_CERT_FILES.root), "utf8"),
    ocsp: () => store.staple(),
    swap: (replace) => store.onInstall(replace),
  };
}
