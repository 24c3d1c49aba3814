/**
 * `nacs pki init DIR [--emaid E] [--pcid P] [--secc-id S] [--iso20] [--force] [--json]`: issue the ISO 15118-2
 * Plug & Charge test PKI (V2G root with CPO and CPS branches, MO and OEM trees) into DIR, with
 * `manifest.json` and the SECC leaf's OCSP response `secc-leaf.ocsp.der` (RFC 6960, one week); with `--iso20`
 * also the ISO 15118-20 set (the same trees with P-521 keys and ecdsa-with-SHA512, [V2G20-2674]) into
 * DIR/iso20 under the same names. `nacs pki ocsp DIR [--status good|revoked|unknown] [--days N] [--out FILE]`:
 * issue a fresh OCSP response ([V2G2-876]: refreshed at least weekly), signed by DIR's CPO Sub-CA 2.
 * `nacs pki show FILE [--json]`: print a certificate or a chain (PEM or DER) readably.
 * Existing files are kept unless `--force` (exit 2 naming the flag); bad identifiers exit 2 naming the
 * option; an unreadable certificate file is one line naming the file and the problem (exit 1).
 */
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import type { CertificateInfo, ChainLink, PncManifest } from "../../link/pki/index.js";
import { parseOptions, UsageError } from "../errors.js";

/** Options of `nacs pki init`. */
export const pkiInitOptionsSchema = z.object({
  emaid: z.string().optional(),
  pcid: z.string().optional(),
  seccId: z.string().optional(),
  iso20: z.boolean().optional(),
  force: z.boolean().optional(),
  json: z.boolean().optional(),
});
/** Options of `nacs pki ocsp`. */
export const pkiOcspOptionsSchema = z.object({
  status: z.enum(["good", "revoked", "unknown"], { error: "must be good, revoked or unknown" }).optional(),
  days: z.coerce.number().int().min(1, { error: "must be an integer ≥ 1" }).max(366).optional(),
  out: z.string().optional(),
});
/** Options of `nacs pki show`. */
export const pkiShowOptionsSchema = z.object({ json: z.boolean().optional() });

const FLAG_OF: Record<string, string> = {
  "--emaid": "--emaid",
  "--pcid": "--pcid",
  "--secc-id": "--secc-id",
};

/**
 * The PKI module, loaded on first use: @peculiar/x509 and reflect-metadata cost about 0.2 s to load,
 * which every other `nacs` command would otherwise pay.
 */
const loadPki = () => import("../../link/pki/index.js");

/** Run `nacs pki init`; returns the text to print. */
export async function runPkiInit(dir: string, opts: z.infer<typeof pkiInitOptionsSchema>): Promise<string> {
  const { issuePncPki, issuePnc20Pki, PkiError, pnc20Dir, writePncPki, writePnc20Pki } = await loadPki();
  let manifest: PncManifest;
  let manifest20: PncManifest | undefined;
  try {
    const ids = {
      ...(opts.emaid !== undefined && { emaid: opts.emaid }),
      ...(opts.pcid !== undefined && { pcid: opts.pcid }),
      ...(opts.seccId !== undefined && { seccId: opts.seccId }),
    };
    const pki = await issuePncPki(ids);
    // both sets are issued before anything is written: a refused -20 set leaves DIR as it was
    const pki20 = opts.iso20 ? await issuePnc20Pki(ids) : undefined;
    if (pki20) {
      const { existsSync } = await import("node:fs");
      const { join } = await import("node:path");
      const { pncFileList } = await loadPki();
      const taken = pncFileList().find((f) => existsSync(join(pnc20Dir(dir), f)));
      if (taken && opts.force !== true)
        throw new PkiError("exists", `${pnc20Dir(dir)}: already holds ${taken}`);
    }
    manifest = await writePncPki(dir, pki, { force: opts.force === true });
    if (pki20) manifest20 = await writePnc20Pki(dir, pki20, { force: opts.force === true });
  } catch (err) {
    if (err instanceof PkiError && err.code === "exists")
      throw new UsageError(`${err.message}; pass --force to overwrite`, "--force", { cause: err });
    if (err instanceof PkiError && err.code === "bad-identifier") {
      const flag = Object.keys(FLAG_OF).find((f) => err.message.startsWith(`${f} `)) ?? "options";
      throw new UsageError(`option ${err.message}`, flag, { cause: err });
    }
    throw err;
  }
  if (opts.json)
    return `${JSON.stringify({ dir, ...manifest, ...(manifest20 && { iso20: { dir: pnc20Dir(dir), ...manifest20 } }) }, null, 2)}\n`;
  const rows = Object.entries(manifest.files).map(([file, e]) => {
    if (e.kind === "certificate") return `  ${file.padEnd(26)} ${e.role.padEnd(14)} ${e.subject}`;
    if (e.kind === "chain")
      return `  ${file.padEnd(26)} ${e.role.padEnd(14)} chain ${e.certificates.join(" → ")} (anchor ${e.trustAnchor})`;
    if (e.kind === "ocsp-response")
      return `  ${file.padEnd(26)} ${e.role.padEnd(14)} OCSP response ${e.status}, signed by ${e.signer}, until ${e.nextUpdate}`;
    return `  ${file.padEnd(26)} ${e.role.padEnd(14)} private key (${e.format})`;
  });
  const id = manifest.identifiers;
  const iso20 = manifest20
    ? `ISO 15118-20 set (P-521, ecdsa-with-SHA512) written to ${pnc20Dir(dir)}: the same ${Object.keys(manifest20.files).length} files\n`
    : "";
  return `PnC test PKI written to ${dir}\n  eMAID ${id.emaid}  PCID ${id.pcid}  SECC ID ${id.seccId}\n${rows.join("\n")}\n  manifest.json\n${iso20}check a leaf: openssl verify -CAfile ${dir}/v2g-root.pem -untrusted ${dir}/secc-leaf.chain.pem ${dir}/secc-leaf.pem\n`;
}

/**
 * Run `nacs pki ocsp`: the SECC leaf's OCSP response from DIR's `secc-leaf.pem`, signed with
 * `cpo-sub-ca-2.key.pem`, into `--out` (default DIR/secc-leaf.ocsp.der, and its manifest entry).
 */
export async function runPkiOcsp(dir: string, opts: z.infer<typeof pkiOcspOptionsSchema>): Promise<string> {
  const { PNC_MANIFEST_FILE, pncFileNames, pncOcspResponse, PkiError } = await loadPki();
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), "utf8");
    } catch (err) {
      throw new PkiError(
        "io",
        `${join(dir, f)}: cannot read (${(err as NodeJS.ErrnoException).code}); run nacs pki init ${dir} first`,
        {
          cause: err,
        },
      );
    }
  };
  const der = (pem: string) => new Uint8Array(new X509Certificate(pem).raw);
  const leaf = { certDer: der(read(pncFileNames("secc-leaf").cert)) };
  const sub2 = pncFileNames("cpo-sub-ca-2");
  const issuer = { certDer: der(read(sub2.cert)), keyPem: read(sub2.key) };
  const r = pncOcspResponse(leaf, issuer, {
    ...(opts.status ? { status: opts.status } : {}),
    ...(opts.days ? { days: opts.days } : {}),
  });
  const file = opts.out ?? join(dir, pncFileNames("secc-leaf").ocsp);
  try {
    writeFileSync(file, r.der);
    if (opts.out === undefined && existsSync(join(dir, PNC_MANIFEST_FILE))) {
      const m = JSON.parse(read(PNC_MANIFEST_FILE)) as PncManifest;
      m.files[pncFileNames("secc-leaf").ocsp] = r.entry;
      writeFileSync(join(dir, PNC_MANIFEST_FILE), `${JSON.stringify(m, null, 2)}\n`);
    }
  } catch (err) {
    throw new PkiError("io", `${file}: cannot write (${(err as Error).message})`, { cause: err });
  }
  const e = r.entry as Extract<PncManifest["files"][string], { kind: "ocsp-response" }>;
  return `OCSP response for the SECC leaf written to ${file}: ${e.status}, signed by CPO Sub-CA 2, ${e.thisUpdate} → ${e.nextUpdate}\ncheck it: openssl ocsp -respin ${file} -issuer ${join(dir, sub2.cert)} -cert ${join(dir, "secc-leaf.pem")} -CAfile ${join(dir, "v2g-root.pem")} -verify_other ${join(dir, "secc-leaf.chain.pem")}\n`;
}

/** Run `nacs pki show`; returns the text to print. */
export async function runPkiShow(
  file: string,
  opts: z.infer<typeof pkiShowOptionsSchema>,
  now = new Date(),
): Promise<string> {
  const { checkChain, describeCertificate, PkiError, readCertificates } = await loadPki();
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new PkiError(
      "io",
      `${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  const certs = readCertificates(bytes, file);
  const infos = await Promise.all(
    certs.map((c, i) =>
      describeCertificate(c, now, certs.length > 1 ? `${file}: certificate ${i + 1}` : file),
    ),
  );
  const chain = certs.length > 1 ? await checkChain(certs) : null;
  if (opts.json) return `${JSON.stringify({ file, certificates: infos, chain }, null, 2)}\n`;
  const parts = infos.map((info, i) => formatCertificate(info, i, infos.length));
  if (chain) parts.push(formatChain(chain, infos));
  return `${parts.join("\n")}`;
}

/** One certificate as aligned text. */
export function formatCertificate(c: CertificateInfo, index: number, count: number): string {
  const bc = c.basicConstraints
    ? `${c.basicConstraints.critical ? "critical" : "NOT critical"}, ${
        c.basicConstraints.ca
          ? `CA, ${c.basicConstraints.pathLen === null ? "no pathLen" : `pathLen ${c.basicConstraints.pathLen}`}`
          : "not a CA"
      }`
    : "absent";
  const ku = c.keyUsage
    ? `${c.keyUsage.critical ? "critical" : "NOT critical"}: ${c.keyUsage.usages.join(", ") || "(none)"}`
    : "absent";
  const state = c.validity === "valid" ? "valid" : c.validity.toUpperCase();
  const rows: [string, string][] = [
    ["subject", c.subject],
    ["issuer", c.issuer],
    ["serial", c.serial],
    ["validity", `${c.notBefore} → ${c.notAfter} (${state})`],
    ["public key", c.publicKey],
    ["signature", c.signatureAlgorithm],
    ["basic constraints", bc],
    ["key usage", ku],
    ["ext. key usage", c.extendedKeyUsage ? c.extendedKeyUsage.join(", ") : "absent"],
    ["subject key id", c.subjectKeyId ?? "absent"],
    ["authority key id", c.authorityKeyId ?? "absent"],
    ["subject alt names", c.subjectAltNames ? c.subjectAltNames.join(", ") : "absent"],
    ["self-signed", c.selfSigned ? "yes" : "no"],
    ["SHA-256", c.sha256],
    ["DER size", `${c.derLength} bytes`],
  ];
  const head = count > 1 ? `certificate ${index + 1} of ${count}` : "certificate";
  return `${head}\n${rows.map(([k, v]) => `  ${k.padEnd(18)} ${v}`).join("\n")}\n`;
}

/** The chain links as text. */
export function formatChain(links: readonly ChainLink[], infos: readonly CertificateInfo[]): string {
  const lines = links.map((l) => {
    const ok = l.signedByNext && l.issuerMatches;
    const why = !l.issuerMatches
      ? "issuer name differs from the next subject"
      : !l.signedByNext
        ? "signature does not verify with the next key"
        : "signed by the next";
    return `  ${l.index + 1} → ${l.index + 2}: ${ok ? "ok" : "BROKEN"}, ${why}`;
  });
  const last = infos.at(-1);
  const end = last?.selfSigned
    ? "  last certificate is self-signed (a root)"
    : "  last certificate is not self-signed: the root is not in the file";
  return `chain\n${lines.join("\n")}\n${end}\n`;
}

/** Register `nacs pki` (init, ocsp, show). */
export function registerPkiCommand(program: Command): void {
  const pki = program
    .command("pki")
    .description(
      "ISO 15118-2 Plug & Charge test PKI: issue one (init), a fresh SECC OCSP response (ocsp), or read certificates (show)",
    );
  pki
    .command("init")
    .description(
      "issue the V2G root (CPO and CPS branches), MO and OEM trees into DIR: certificates, PKCS#8 keys, chains, manifest.json",
    )
    .argument("<dir>", "output directory (created if missing)")
    .option("--emaid <id>", "eMAID, the contract leaf CN (14–15 characters without '-')")
    .option("--pcid <id>", "PCID, the OEM provisioning leaf CN (17–18 alphanumerics)")
    .option("--secc-id <id>", "SECC ID, the SECC leaf CN")
    .option(
      "--iso20",
      "also issue the ISO 15118-20 set (P-521 keys, ecdsa-with-SHA512) into DIR/iso20, same file names",
    )
    .option("--force", "overwrite existing files")
    .option("--json", "print the manifest as JSON")
    .action(async (dir: string, raw: Record<string, unknown>) => {
      const opts = parseOptions(pkiInitOptionsSchema, raw);
      process.stdout.write(await runPkiInit(dir, opts));
    });
  pki
    .command("ocsp")
    .description(
      "issue the SECC leaf's OCSP response (RFC 6960, signed by CPO Sub-CA 2) from a pki init DIR; the SECC staples it",
    )
    .argument("<dir>", "a nacs pki init directory")
    .option("--status <s>", "certificate status: good (default), revoked or unknown")
    .option("--days <n>", "validity in days, thisUpdate → nextUpdate (default 7, [V2G2-876])")
    .option("--out <file>", "write here instead of DIR/secc-leaf.ocsp.der (the manifest is then left alone)")
    .action(async (dir: string, raw: Record<string, unknown>) => {
      const opts = parseOptions(pkiOcspOptionsSchema, raw);
      process.stdout.write(await runPkiOcsp(dir, opts));
    });
  pki
    .command("show")
    .description("print a certificate or a chain (PEM, several PEM certificates, or DER) and check the chain")
    .argument("<file>", "certificate file")
    .option("--json", "print JSON")
    .action(async (file: string, raw: Record<string, unknown>) => {
      const opts = parseOptions(pkiShowOptionsSchema, raw);
      process.stdout.write(await runPkiShow(file, opts));
    });
}
