/**
 * A tiny X.509 reader (RFC 5280 §4.1, DER per ITU-T X.690 §8.1/§10, definite lengths only) for what the
 * certificate services need without a full chain validator: serial number, issuer and subject names (the
 * `DC` of the role, the `CN`), validity and the P-256 public key. Full path validation is a separate seam
 * ({@link ChainValidator}). Platform-neutral.
 */
import { PncError } from "./pnc-errors.js";
import { publicKeyFromDer } from "./xmldsig-der.js";

/** One attribute of a Name, in DER order (RFC 5280 §4.1.2.4). */
export interface NameAttribute {
  /** Short name (C, O, OU, CN, DC, …) or the dotted OID when unknown. */
  type: string;
  value: string;
}

/** What {@link readCertFields} returns. */
export interface CertFields {
  serial: bigint;
  issuer: NameAttribute[];
  subject: NameAttribute[];
  /** Unix seconds. */
  notBeforeS: number;
  notAfterS: number;
  /** SEC 1 uncompressed P-256 point (65 B). */
  publicKey: Uint8Array;
}

/** A chain check the host supplies (RFC 5280 §6 path validation to a trust anchor); throws PncError CERT_CHAIN. */
export type ChainValidator = (
  chain: { leaf: Uint8Array; subCas: readonly Uint8Array[] },
  nowS: number,
) => void;

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function tlv(b: Uint8Array, at: number, limit: number, what: string): Tlv {
  const bad = (rule: string) => new PncError("CERT_FORMAT", `${what}: ${rule} (X.690 §8.1)`);
  if (at + 2 > limit) throw bad("DER runs past the end");
  const tag = b[at]!;
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw bad(`length of ${n} bytes`);
    if (start + n > limit) throw bad("length runs past the end");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > limit) throw bad("contents run past the end");
  return { tag, start, end: start + len };
}

function children(b: Uint8Array, t: Tlv, what: string): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.start; at < t.end && out.length < 64; ) {
    const c = tlv(b, at, t.end, what);
    out.push(c);
    at = c.end;
  }
  return out;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Attribute types by DER OID contents (RFC 4519; DC: RFC 4519 §2.4, 0.9.2342.19200300.100.1.25). */
const ATTR: Readonly<Record<string, string>> = {
  "550403": "CN",
  "550406": "C",
  "550407": "L",
  "550408": "ST",
  "55040a": "O",
  "55040b": "OU",
  "0992268993f22c640119": "DC",
};

function oidText(b: Uint8Array): string {
  const parts: number[] = [Math.floor(b[0]! / 40), b[0]! % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

function readName(b: Uint8Array, t: Tlv, what: string): NameAttribute[] {
  if (t.tag !== 0x30)
    throw new PncError("CERT_FORMAT", `${what}: not a SEQUENCE of RDNs (RFC 5280 §4.1.2.4)`);
  const out: NameAttribute[] = [];
  for (const rdn of children(b, t, what)) {
    for (const atv of children(b, rdn, what)) {
      const [oid, val] = children(b, atv, what);
      if (oid?.tag !== 0x06 || !val)
        throw new PncError("CERT_FORMAT", `${what}: AttributeTypeAndValue without OID and value`);
      const o = b.subarray(oid.start, oid.end);
      out.push({ type: ATTR[hex(o)] ?? oidText(o), value: utf8.decode(b.subarray(val.start, val.end)) });
    }
  }
  return out;
}

function readTime(b: Uint8Array, t: Tlv, what: string): number {
  const s = utf8.decode(b.subarray(t.start, t.end));
  // UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1), GeneralizedTime YYYYMMDDHHMMSSZ (§4.1.2.5.2)
  const m =
    t.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : t.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
        : null;
  if (!m)
    throw new PncError(
      "CERT_FORMAT",
      `${what}: "${s}" is not a UTCTime/GeneralizedTime in Z (RFC 5280 §4.1.2.5)`,
    );
  let y = Number(m[1]);
  if (t.tag === 0x17) y += y >= 50 ? 1900 : 2000;
  return Date.UTC(y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000;
}

/** Read serial, names, validity and key of a DER certificate; `what` names the field in errors. */
export function readCertFields(der: Uint8Array, what = "certificate"): CertFields {
  if (!(der instanceof Uint8Array) || der.length === 0)
    throw new PncError("CERT_FORMAT", `${what}: empty (RFC 5280 §4.1)`);
  const top = tlv(der, 0, der.length, what);
  if (top.tag !== 0x30 || top.end !== der.length)
    throw new PncError("CERT_FORMAT", `${what}: not one DER SEQUENCE (RFC 5280 §4.1)`);
  const [tbs] = children(der, top, what);
  if (tbs?.tag !== 0x30) throw new PncError("CERT_FORMAT", `${what}: no tbsCertificate (RFC 5280 §4.1.1.1)`);
  const f = children(der, tbs, `${what}.tbsCertificate`);
  const i = f[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, validity, subject] = f.slice(i);
  if (serial?.tag !== 0x02 || !issuer || validity?.tag !== 0x30 || !subject)
    throw new PncError("CERT_FORMAT", `${what}.tbsCertificate: fields missing (RFC 5280 §4.1.2)`);
  let n = 0n;
  for (let k = serial.start; k < serial.end; k++) n = (n << 8n) | BigInt(der[k]!);
  const [nb, na] = children(der, validity, `${what}.validity`);
  if (!nb || !na) throw new PncError("CERT_FORMAT", `${what}.validity: notBefore/notAfter missing`);
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyFromDer(der);
  } catch (err) {
    throw new PncError("CERT_FORMAT", `${what}.subjectPublicKeyInfo: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return {
    serial: n,
    issuer: readName(der, issuer, `${what}.issuer`),
    subject: readName(der, subject, `${what}.subject`),
    notBeforeS: readTime(der, nb, `${what}.validity.notBefore`),
    notAfterS: readTime(der, na, `${what}.validity.notAfter`),
    publicKey,
  };
}

/** The first value of attribute `type` in a name. */
export const nameValue = (name: readonly NameAttribute[], type: string): string | undefined =>
  name.find((a) => a.type === type)?.value;

/** RFC 4514 string of a name: most specific RDN first (reverse DER order), `,`-joined, specials escaped. */
export function rfc4514(name: readonly NameAttribute[]): string {
  const esc = (v: string) =>
    v
      .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
      .replace(/^[ #]/, (c) => `\\${c}`)
      .replace(/ $/, "\\ ");
  return [...name]
    .reverse()
    .map((a) => `${a.type}=${esc(a.value)}`)
    .join(",");
}

/**
 * The certificate checks of the certificate services: parse, validity at `nowS`, and the subject DC of the
 * role ([V2G2-891] for the CPS; DC=OEM for the OEM provisioning certificate).
 */
export function checkRoleCert(
  der: Uint8Array,
  role: "OEM" | "CPS" | "MO",
  nowS: number,
  what: string,
): CertFields {
  const c = readCertFields(der, what);
  if (nowS < c.notBeforeS || nowS > c.notAfterS)
    throw new PncError(
      "CERT_EXPIRED",
      `${what}: valid ${new Date(c.notBeforeS * 1000).toISOString()} to ${new Date(c.notAfterS * 1000).toISOString()}, not at ${new Date(nowS * 1000).toISOString()} (RFC 5280 §4.1.2.5)`,
    );
  const dc = nameValue(c.subject, "DC");
  if (dc !== role)
    throw new PncError("CERT_ROLE", `${what}: subject DC is ${dc ?? "absent"}, must be ${role}`);
  return c;
}
