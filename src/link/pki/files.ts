/**
 * Write an issued PnC PKI into a directory: `<role>.pem` and `<role>.key.pem` (PKCS#8) for every
 * certificate, `<leaf>.chain.pem` for each leaf (leaf, Sub-CA 2, Sub-CA 1: the order and content of the
 * wire chains, root never sent, [V2G2-871]), `secc-leaf.ocsp.der` (the SECC leaf's OCSP response, signed by
 * CPO Sub-CA 2, valid {@link PNC_OCSP_VALIDITY_DAYS} days, [V2G2-876]) and `manifest.json` describing every
 * file.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PkiError } from "./errors.js";
import { describeCertificate } from "./inspect.js";
import type { PncPki } from "./issuer.js";
import { issueOcspResponse } from "./ocsp.js";
import { chainRoles, PNC_PROFILES, type PncRole } from "./profiles.js";

/** Name of the manifest file. */
export const PNC_MANIFEST_FILE = "manifest.json";

/** One file of the manifest. */
export type ManifestEntry =
  | {
      kind: "certificate";
      role: PncRole;
      subject: string;
      issuer: string;
      serial: string;
      notBefore: string;
      notAfter: string;
      sha256: string;
    }
  | { kind: "private-key"; role: PncRole; format: "PKCS#8 PEM"; algorithm: "EC P-256" | "EC P-521" }
  | { kind: "chain"; role: PncRole; certificates: PncRole[]; trustAnchor: PncRole }
  | {
      kind: "ocsp-response";
      role: PncRole;
      signer: PncRole;
      status: "good" | "revoked" | "unknown";
      thisUpdate: string;
      nextUpdate: string;
    };

/** `manifest.json`. */
export interface PncManifest {
  generator: "nacs pki init";
  createdAt: string;
  identifiers: { emaid: string; pcid: string; seccId: string };
  files: Record<string, ManifestEntry>;
}

/** File names for a role. */
export const pncFileNames = (role: PncRole) => ({
  cert: `${role}.pem`,
  key: `${role}.key.pem`,
  chain: `${role}.chain.pem`,
  ocsp: `${role}.ocsp.der`,
});

/**
 * Validity of the SECC leaf's OCSP response (nextUpdate − thisUpdate): a week, the refresh interval of
 * [V2G2-876]; `nacs pki ocsp DIR` issues a fresh one.
 */
export const PNC_OCSP_VALIDITY_DAYS = 7;

/** What {@link pncOcspResponse} states. */
export interface PncOcspOptions {
  status?: "good" | "revoked" | "unknown";
  now?: Date;
  days?: number;
}

/** The SECC leaf's OCSP response signed by its issuer CPO Sub-CA 2, and its manifest entry. */
export function pncOcspResponse(
  leaf: { certDer: Uint8Array },
  issuer: { certDer: Uint8Array; keyPem: string },
  o: PncOcspOptions = {},
): { der: Uint8Array; entry: ManifestEntry } {
  const now = o.now ?? new Date();
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const nextUpdate = new Date(thisUpdate.getTime() + (o.days ?? PNC_OCSP_VALIDITY_DAYS) * 86_400_000);
  const status = o.status ?? "good";
  const der = issueOcspResponse({
    cert: leaf.certDer,
    issuer: issuer.certDer,
    signerKey: issuer.keyPem,
    status,
    thisUpdate,
    nextUpdate,
  });
  const entry: ManifestEntry = {
    kind: "ocsp-response",
    role: "secc-leaf",
    signer: "cpo-sub-ca-2",
    status,
    thisUpdate: thisUpdate.toISOString(),
    nextUpdate: nextUpdate.toISOString(),
  };
  return { der, entry };
}

/** Every file {@link writePncPki} writes (the manifest last). */
export function pncFileList(): string[] {
  const out: string[] = [];
  for (const p of PNC_PROFILES) {
    const f = pncFileNames(p.role);
    out.push(f.cert, f.key);
    if (!p.ca) out.push(f.chain);
  }
  out.push(pncFileNames("secc-leaf").ocsp, PNC_MANIFEST_FILE);
  return out;
}

/**
 * Write `pki` into `dir` (created if missing). Without `force`, refuses when any of the files exists
 * (PkiError "exists"). Returns the manifest.
 */
export async function writePncPki(dir: string, pki: PncPki, opts: { force?: boolean; now?: Date } = {}) {
  const existing = pncFileList().filter((f) => existsSync(join(dir, f)));
  if (existing.length > 0 && !opts.force)
    throw new PkiError(
      "exists",
      `${dir}: already holds ${existing.slice(0, 3).join(", ")}${existing.length > 3 ? ` and ${existing.length - 3} more` : ""}`,
    );
  const files: Record<string, ManifestEntry> = {};
  const writes: [string, string | Uint8Array, number][] = [];
  for (const p of PNC_PROFILES) {
    const issued = pki[p.role];
    const f = pncFileNames(p.role);
    const info = await describeCertificate(issued.cert);
    files[f.cert] = {
      kind: "certificate",
      role: p.role,
      subject: info.subject,
      issuer: info.issuer,
      serial: info.serial,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      sha256: info.sha256,
    };
    const curve = (issued.keys.privateKey.algorithm as EcKeyAlgorithm).namedCurve;
    files[f.key] = {
      kind: "private-key",
      role: p.role,
      format: "PKCS#8 PEM",
      algorithm: curve === "P-521" ? "EC P-521" : "EC P-256",
    };
    writes.push([f.cert, issued.certPem, 0o644], [f.key, issued.keyPem, 0o600]);
    if (!p.ca) {
      const roles = chainRoles(p.role);
      const sent = roles.slice(0, -1);
      files[f.chain] = { kind: "chain", role: p.role, certificates: sent, trustAnchor: roles.at(-1)! };
      writes.push([f.chain, sent.map((r) => pki[r].certPem).join(""), 0o644]);
    }
  }
  const ocsp = pncOcspResponse(
    { certDer: new Uint8Array(pki["secc-leaf"].cert.rawData) },
    { certDer: new Uint8Array(pki["cpo-sub-ca-2"].cert.rawData), keyPem: pki["cpo-sub-ca-2"].keyPem },
    opts.now ? { now: opts.now } : {},
  );
  files[pncFileNames("secc-leaf").ocsp] = ocsp.entry;
  writes.push([pncFileNames("secc-leaf").ocsp, ocsp.der, 0o644]);
  const manifest: PncManifest = {
    generator: "nacs pki init",
    createdAt: (opts.now ?? new Date()).toISOString(),
    identifiers: {
      emaid: pki["contract-leaf"].cert.subjectName.getField("CN")[0] ?? "",
      pcid: pki["oem-prov-leaf"].cert.subjectName.getField("CN")[0] ?? "",
      seccId: pki["secc-leaf"].cert.subjectName.getField("CN")[0] ?? "",
    },
    files,
  };
  writes.push([PNC_MANIFEST_FILE, `${JSON.stringify(manifest, null, 2)}\n`, 0o644]);
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text, mode] of writes) writeFileSync(join(dir, name), text, { mode });
  } catch (err) {
    throw new PkiError("io", `${dir}: cannot write the PKI (${(err as Error).message})`, { cause: err });
  }
  return manifest;
}
