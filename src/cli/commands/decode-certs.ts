/**
 * `nacs decode FILE --check --certs PATH`: read the certificates given for the Plug & Charge signature check —
 * PEM (every `CERTIFICATE` block; RFC 7468 §5) or DER files (`.pem .crt .cer .der`), or a directory of them
 * such as one written by `nacs pki init` (of such a directory, only the files its `manifest.json` lists as
 * certificates or chains: its keys, OCSP responses and manifest are skipped). Every certificate must
 * parse as an ISO 15118-2 certificate (ecdsa-with-SHA256, P-256; [V2G2-006], [V2G2-007]); a file that does
 * not is a usage error naming the file and the field.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CertError, parseCertificate } from "../../v2g/pnc/cert.js";
import { UsageError } from "../errors.js";

/** File name endings read from a `--certs` directory. */
export const CERT_FILE_PATTERN = /\.(pem|crt|cer|der)$/i;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/g;

/** The DER certificates of one file's bytes (PEM blocks, or the file itself as DER). */
export function certificatesOfFile(bytes: Uint8Array, what: string): Uint8Array[] {
  const text = Buffer.from(bytes).toString("latin1");
  const ders = text.includes("-----BEGIN ")
    ? [...text.matchAll(PEM_BLOCK)].map(
        (m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64")),
      )
    : bytes[0] === 0x30
      ? [bytes]
      : [];
  ders.forEach((der, i) => {
    try {
      parseCertificate(der);
    } catch (err) {
      if (!(err instanceof CertError)) throw err;
      throw new UsageError(
        `option --certs: ${what}${ders.length > 1 ? ` certificate ${i + 1}` : ""}: ${err.message}`,
        "--certs",
        { cause: err },
      );
    }
  });
  return ders;
}

/** The certificate files of a directory: those a `nacs pki init` manifest lists as such, else by name. */
function certificateFilesOf(dir: string): string[] {
  const listed = manifestCertificates(dir);
  return (listed ?? readdirSync(dir).filter((f) => CERT_FILE_PATTERN.test(f)))
    .sort()
    .map((f) => join(dir, f));
}

/** The certificate and chain files of DIR/manifest.json, or undefined when there is none (or it does not parse). */
function manifestCertificates(dir: string): string[] | undefined {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, "utf8")) as { files?: Record<string, { kind?: string }> };
    if (!m.files || typeof m.files !== "object") return undefined;
    return Object.entries(m.files)
      .filter(([f, e]) => (e?.kind === "certificate" || e?.kind === "chain") && CERT_FILE_PATTERN.test(f))
      .map(([f]) => f);
  } catch {
    return undefined;
  }
}

/** Every certificate of the `--certs` paths (files or directories), in the order given. */
export function readCertPaths(paths: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(
        `option --certs: value "${p}" is not allowed: no such file or directory`,
        "--certs",
      );
    }
    const files = isDir ? certificateFilesOf(p) : [p];
    let n = 0;
    for (const f of files) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(f));
      } catch (err) {
        throw new UsageError(`option --certs: ${f}: cannot read (${(err as Error).message})`, "--certs", {
          cause: err,
        });
      }
      const certs = certificatesOfFile(bytes, f);
      if (certs.length === 0 && !isDir)
        throw new UsageError(`option --certs: ${f}: no PEM or DER certificate in it`, "--certs");
      out.push(...certs);
      n += certs.length;
    }
    if (n === 0)
      throw new UsageError(`option --certs: value "${p}" is not allowed: no certificate in it`, "--certs");
  }
  return out;
}
