/**
 * A bounds-checked DER reader for the X.509 certificates of ISO 15118-2 Plug & Charge (RFC 5280 §4.1,
 * ITU-T X.690 §8.1/§10 definite lengths): tbsCertificate bytes, serial, issuer and subject (DC, CN, O),
 * validity, the P-256 subject key, BasicConstraints, KeyUsage, SKI/AKI, and the ecdsa-with-SHA256 signature
 * ([V2G2-006]). Every failure is a {@link CertError} naming the field; nothing else is thrown on any input.
 * A {@link CertProfile} widens the accepted keys and signatures: {@link ISO20_CERT_PROFILE} is the ISO 15118-20
 * one (secp521r1 keys, ecdsa-with-SHA512, [V2G20-2674]). Platform-neutral.
 */
import { NacsError } from "../../errors.js";

/** `CERT_DER` malformed DER or X.509 structure; `CERT_PROFILE` well-formed but outside the ISO 15118-2 profile. */
export type CertErrorCode = "CERT_DER" | "CERT_PROFILE";

/** A certificate that cannot be read. The message names the field and the rule. */
export class CertError extends NacsError<CertErrorCode> {
  override readonly name = "CertError";
}

/** Largest certificate accepted ([V2G2-010], XSD certificateType maxLength 800), with room for foreign chains. */
export const MAX_CERT_BYTES = 4096;

/** Key curves of V2G certificates. */
export type CertCurve = "P-256" | "P-521";
/** Certificate signature algorithms of V2G certificates (RFC 5758 §3.2). */
export type CertSignatureAlgorithm = "ecdsa-with-SHA256" | "ecdsa-with-SHA512";

/** What a certificate may use: key curves and signature algorithms. */
export interface CertProfile {
  curves: readonly CertCurve[];
  signatureAlgorithms: readonly CertSignatureAlgorithm[];
  /** Requirement cited when a certificate is outside the profile. */
  rule: string;
}

/** ISO 15118-2: P-256 keys ([V2G2-007]), ecdsa-with-SHA256 ([V2G2-006]). */
export const ISO2_CERT_PROFILE: CertProfile = {
  curves: ["P-256"],
  signatureAlgorithms: ["ecdsa-with-SHA256"],
  rule: "[V2G2-006], [V2G2-007]",
};
/** ISO 15118-20: secp521r1 keys with ecdsa-with-SHA512 ([V2G20-2674]). */
export const ISO20_CERT_PROFILE: CertProfile = {
  curves: ["P-521"],
  signatureAlgorithms: ["ecdsa-with-SHA512"],
  rule: "[V2G20-2674]",
};
/** ISO 15118-20 with lab peers' P-256 / ecdsa-with-SHA256 PKIs accepted too (see xmldsig20.ts). */
export const ISO20_LAB_CERT_PROFILE: CertProfile = {
  curves: ["P-521", "P-256"],
  signatureAlgorithms: ["ecdsa-with-SHA512", "ecdsa-with-SHA256"],
  rule: "[V2G20-2674] or the lab P-256 profile",
};

/** A distinguished name: the raw DER (for comparison) and the attributes ISO 15118-2 uses. */
export interface CertName {
  der: Uint8Array;
  cn?: string;
  o?: string;
  dc?: string;
}

/** KeyUsage bits (RFC 5280 §4.2.1.3). */
export interface KeyUsage {
  critical: boolean;
  digitalSignature: boolean;
  nonRepudiation: boolean;
  keyEncipherment: boolean;
  keyAgreement: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
}

/** A parsed certificate. */
export interface Certificate {
  der: Uint8Array;
  /** The signed bytes (tbsCertificate TLV). */
  tbs: Uint8Array;
  /** Serial number, hex. */
  serial: string;
  issuer: CertName;
  subject: CertName;
  /** Validity, Unix ms. */
  notBefore: number;
  notAfter: number;
  /** SEC 1 uncompressed point (65 B for P-256, 133 B for P-521). */
  publicKey: Uint8Array;
  /** Curve of {@link publicKey}; absent means P-256 (certificates built elsewhere). */
  curve?: CertCurve;
  /** Signature algorithm; absent means ecdsa-with-SHA256. */
  signatureAlgorithm?: CertSignatureAlgorithm;
  /** BasicConstraints, when present. */
  basicConstraints?: { critical: boolean; ca: boolean; pathLen?: number };
  keyUsage?: KeyUsage;
  ski?: Uint8Array;
  aki?: Uint8Array;
  /** DER ECDSA-Sig-Value (RFC 3279 §2.2.3) over {@link tbs}. */
  signature: Uint8Array;
}

interface Tlv {
  tag: number;
  /** Start of the TLV (its tag byte). */
  at: number;
  start: number;
  end: number;
}

const fail = (field: string, rule: string): never => {
  throw new CertError("CERT_DER", `${field}: ${rule}`);
};

function tlv(b: Uint8Array, at: number, limit: number, field: string): Tlv {
  if (at + 2 > limit) fail(field, "DER runs past the end (X.690 §8.1)");
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) fail(field, "multi-byte DER tag (not used in RFC 5280 certificates)");
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) fail(field, `DER length of ${n} bytes (X.690 §10.1 definite form)`);
    if (start + n > limit) fail(field, "DER length runs past the end");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > limit) fail(field, "DER contents run past the end");
  return { tag, at, start, end: start + len };
}

function kids(b: Uint8Array, t: Tlv, field: string): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.start; at < t.end && out.length < 64; ) {
    const c = tlv(b, at, t.end, field);
    out.push(c);
    at = c.end;
  }
  return out;
}

function expect(t: Tlv | undefined, tag: number, field: string): Tlv {
  if (!t) return fail(field, "missing (RFC 5280 §4.1)");
  if (t.tag !== tag)
    fail(field, `tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)} (RFC 5280 §4.1)`);
  return t as Tlv;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const bytes = (b: Uint8Array, t: Tlv) => b.slice(t.start, t.end);

const OID_ECDSA_SHA256 = "2a8648ce3d040302"; // 1.2.840.10045.4.3.2 (RFC 5758 §3.2)
const OID_ECDSA_SHA512 = "2a8648ce3d040304"; // 1.2.840.10045.4.3.4 (RFC 5758 §3.2)
const OID_EC_PUBLIC_KEY = "2a8648ce3d0201"; // 1.2.840.10045.2.1 (RFC 5480 §2.1.1)
const OID_P256 = "2a8648ce3d030107"; // secp256r1 (RFC 5480 §2.1.1.1)
const OID_P521 = "2b81040023"; // secp521r1 (RFC 5480 §2.1.1.1)
const SIG_OIDS: Readonly<Record<string, CertSignatureAlgorithm>> = {
  [OID_ECDSA_SHA256]: "ecdsa-with-SHA256",
  [OID_ECDSA_SHA512]: "ecdsa-with-SHA512",
};
const CURVE_OIDS: Readonly<Record<string, { curve: CertCurve; name: string; point: number }>> = {
  [OID_P256]: { curve: "P-256", name: "secp256r1", point: 65 },
  [OID_P521]: { curve: "P-521", name: "secp521r1", point: 133 },
};
const OID_CN = "550403";
const OID_O = "55040a";
const OID_DC = "0992268993f22c640119"; // 0.9.2342.19200300.100.1.25 (RFC 4519 §2.4)
const OID_BC = "551d13";
const OID_KU = "551d0f";
const OID_SKI = "551d0e";
const OID_AKI = "551d23";

function text(b: Uint8Array, t: Tlv, field: string): string {
  // UTF8String, PrintableString, IA5String, TeletexString (latin-1 read)
  if (t.tag !== 0x0c && t.tag !== 0x13 && t.tag !== 0x16 && t.tag !== 0x14)
    fail(field, `string tag 0x${t.tag.toString(16)} (RFC 5280 §4.1.2.4 DirectoryString)`);
  let s = "";
  for (let i = t.start; i < t.end; i++) s += String.fromCharCode(b[i]!);
  if (t.tag === 0x0c) {
    try {
      s = new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(t.start, t.end));
    } catch {
      fail(field, "UTF8String is not UTF-8");
    }
  }
  return s;
}

function readName(b: Uint8Array, t: Tlv, field: string): CertName {
  expect(t, 0x30, field);
  const name: CertName = { der: b.slice(t.at, t.end) };
  for (const rdn of kids(b, t, field)) {
    expect(rdn, 0x31, `${field} RDN`);
    for (const atv of kids(b, rdn, field)) {
      const [oid, val] = kids(b, expect(atv, 0x30, `${field} attribute`), field);
      const o = hex(bytes(b, expect(oid, 0x06, `${field} attribute type`)));
      if (!val) fail(`${field} attribute value`, "missing");
      if (o === OID_CN) name.cn = text(b, val!, `${field} CN`);
      else if (o === OID_O) name.o = text(b, val!, `${field} O`);
      else if (o === OID_DC) name.dc = text(b, val!, `${field} DC`);
    }
  }
  return name;
}

function readTime(b: Uint8Array, t: Tlv | undefined, field: string): number {
  if (!t || (t.tag !== 0x17 && t.tag !== 0x18))
    return fail(field, "not UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5)");
  const s = text(b, { ...t!, tag: 0x13 }, field);
  const m =
    t!.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) return fail(field, `"${s}" is not YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1/.2)`);
  let y = Number(m[1]);
  if (t!.tag === 0x17) y += y >= 50 ? 1900 : 2000;
  const [mo, d, h, mi, se] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
    fail(field, `"${s}" is not a valid time`);
  return Date.UTC(y, mo - 1, d, h, mi, se);
}

function readSpki(b: Uint8Array, t: Tlv, profile: CertProfile): { key: Uint8Array; curve: CertCurve } {
  const f = "subjectPublicKeyInfo";
  const [alg, bits] = kids(b, expect(t, 0x30, f), f);
  const [oid, curve] = kids(b, expect(alg, 0x30, `${f}.algorithm`), f);
  if (hex(bytes(b, expect(oid, 0x06, `${f}.algorithm`))) !== OID_EC_PUBLIC_KEY)
    throw new CertError("CERT_PROFILE", `${f}.algorithm: not id-ecPublicKey (${profile.rule})`);
  const c = curve && curve.tag === 0x06 ? CURVE_OIDS[hex(bytes(b, curve))] : undefined;
  if (!c || !profile.curves.includes(c.curve)) {
    const names = profile.curves.map((x) => (x === "P-256" ? "secp256r1" : "secp521r1")).join(" or ");
    throw new CertError("CERT_PROFILE", `${f}.parameters: not namedCurve ${names} (${profile.rule})`);
  }
  const k = expect(bits, 0x03, `${f}.subjectPublicKey`);
  if (k.end - k.start !== c.point + 1 || b[k.start] !== 0 || b[k.start + 1] !== 4)
    fail(`${f}.subjectPublicKey`, `not an uncompressed ${c.curve} point of ${c.point} B (SEC 1 §2.3.3)`);
  return { key: b.slice(k.start + 1, k.end), curve: c.curve };
}

function readBool(b: Uint8Array, t: Tlv, field: string): boolean {
  if (t.end - t.start !== 1) fail(field, "BOOLEAN of other than 1 byte (X.690 §8.2)");
  return b[t.start] !== 0;
}

function readExtensions(b: Uint8Array, c: Certificate, t: Tlv): void {
  const f = "extensions";
  const seq = kids(b, t, f)[0];
  for (const ext of kids(b, expect(seq, 0x30, f), f)) {
    const parts = kids(b, expect(ext, 0x30, `${f} Extension`), f);
    const oid = hex(bytes(b, expect(parts[0], 0x06, `${f} extnID`)));
    let i = 1;
    let critical = false;
    if (parts[i]?.tag === 0x01) critical = readBool(b, parts[i++]!, `${f} critical`);
    const val = expect(parts[i], 0x04, `${f} extnValue`);
    const inner = () => tlv(b, val.start, val.end, `${f} extnValue`);
    if (oid === OID_BC) {
      const field = "BasicConstraints";
      const v = kids(b, expect(inner(), 0x30, field), field);
      let j = 0;
      const ca = v[j]?.tag === 0x01 ? readBool(b, v[j++]!, `${field}.cA`) : false;
      let pathLen: number | undefined;
      if (v[j]) {
        const n = expect(v[j], 0x02, `${field}.pathLenConstraint`);
        if (n.end - n.start < 1 || n.end - n.start > 2 || b[n.start]! & 0x80)
          fail(`${field}.pathLenConstraint`, "not a small non-negative INTEGER");
        pathLen = 0;
        for (let k = n.start; k < n.end; k++) pathLen = pathLen * 256 + b[k]!;
      }
      c.basicConstraints = { critical, ca, ...(pathLen !== undefined && { pathLen }) };
    } else if (oid === OID_KU) {
      const k = expect(inner(), 0x03, "KeyUsage");
      if (k.end - k.start < 1) fail("KeyUsage", "empty BIT STRING");
      const b0 = k.end - k.start > 1 ? b[k.start + 1]! : 0;
      c.keyUsage = {
        critical,
        digitalSignature: !!(b0 & 0x80),
        nonRepudiation: !!(b0 & 0x40),
        keyEncipherment: !!(b0 & 0x20),
        keyAgreement: !!(b0 & 0x08),
        keyCertSign: !!(b0 & 0x04),
        cRLSign: !!(b0 & 0x02),
      };
    } else if (oid === OID_SKI) {
      c.ski = bytes(b, expect(inner(), 0x04, "SubjectKeyIdentifier"));
    } else if (oid === OID_AKI) {
      const a = kids(b, expect(inner(), 0x30, "AuthorityKeyIdentifier"), "AuthorityKeyIdentifier");
      const id = a.find((x) => x.tag === 0x80);
      if (id) c.aki = bytes(b, id);
    } else if (critical) {
      throw new CertError("CERT_PROFILE", `extensions: unknown critical extension ${oid} (RFC 5280 §4.2)`);
    }
  }
}

/** Parse one DER certificate of the ISO 15118-2 profile. Throws {@link CertError} naming the field. */
export function parseCertificate(der: Uint8Array): Certificate {
  return parseCertificateWith(der, ISO2_CERT_PROFILE);
}

/** Parse one DER certificate of `profile` (e.g. {@link ISO20_CERT_PROFILE}). Throws {@link CertError}. */
export function parseCertificateWith(der: Uint8Array, profile: CertProfile): Certificate {
  if (!(der instanceof Uint8Array) || der.length === 0) fail("certificate", "empty");
  if (der.length > MAX_CERT_BYTES) fail("certificate", `${der.length} B, more than ${MAX_CERT_BYTES} B`);
  const top = expect(tlv(der, 0, der.length, "certificate"), 0x30, "certificate");
  if (top.end !== der.length) fail("certificate", "trailing bytes after the SEQUENCE");
  const [tbsT, algT, sigT] = kids(der, top, "certificate");
  const tbsSeq = expect(tbsT, 0x30, "tbsCertificate");
  const algSeq = expect(algT, 0x30, "signatureAlgorithm");
  const sigBits = expect(sigT, 0x03, "signatureValue");
  const algOid = hex(
    bytes(der, expect(kids(der, algSeq, "signatureAlgorithm")[0], 0x06, "signatureAlgorithm")),
  );
  const sigAlg = SIG_OIDS[algOid];
  if (!sigAlg || !profile.signatureAlgorithms.includes(sigAlg))
    throw new CertError(
      "CERT_PROFILE",
      `signatureAlgorithm: not ${profile.signatureAlgorithms.join(" or ")} (${profile.rule})`,
    );
  if (sigBits.end - sigBits.start < 2 || der[sigBits.start] !== 0)
    fail("signatureValue", "BIT STRING with unused bits");
  const t = kids(der, tbsSeq, "tbsCertificate");
  let i = 0;
  if (t[0]?.tag === 0xa0) i = 1;
  const serial = hex(bytes(der, expect(t[i], 0x02, "serialNumber")));
  const inner = hex(
    bytes(der, expect(kids(der, expect(t[i + 1], 0x30, "signature"), "signature")[0], 0x06, "signature")),
  );
  if (inner !== algOid)
    fail("tbsCertificate.signature", "differs from signatureAlgorithm (RFC 5280 §4.1.2.3)");
  const issuer = readName(der, expect(t[i + 2], 0x30, "issuer"), "issuer");
  const validity = kids(der, expect(t[i + 3], 0x30, "validity"), "validity");
  const notBefore = readTime(der, validity[0], "validity.notBefore");
  const notAfter = readTime(der, validity[1], "validity.notAfter");
  const subject = readName(der, expect(t[i + 4], 0x30, "subject"), "subject");
  const spki = readSpki(der, expect(t[i + 5], 0x30, "subjectPublicKeyInfo"), profile);
  const c: Certificate = {
    der,
    tbs: der.slice(tbsSeq.at, tbsSeq.end),
    serial,
    issuer,
    subject,
    notBefore,
    notAfter,
    publicKey: spki.key,
    curve: spki.curve,
    signatureAlgorithm: sigAlg,
    signature: der.slice(sigBits.start + 1, sigBits.end),
  };
  const ext = t.slice(i + 6).find((x) => x.tag === 0xa3);
  if (ext) readExtensions(der, c, ext);
  return c;
}

/** Same DER name (RFC 5280 §7.1: byte comparison of the encoded names, as our issuers copy them). */
export function sameName(a: CertName, b: CertName): boolean {
  if (a.der.length !== b.der.length) return false;
  for (let i = 0; i < a.der.length; i++) if (a.der[i] !== b.der[i]) return false;
  return true;
}
