/**
 * A small DER reader (ITU-T X.690 §8.1, definite lengths only) that takes the P-256 (ISO 15118-2) or P-521
 * (ISO 15118-20, [V2G20-2674]) public key out of an X.509 certificate (RFC 5280 §4.1:
 * tbsCertificate.subjectPublicKeyInfo) or a bare SubjectPublicKeyInfo (RFC 5480 §2: id-ecPublicKey with the
 * namedCurve secp256r1 / secp521r1), and converts an ECDSA signature between the
 * raw r‖s of XMLDSig in ISO 15118-2 and the DER `ECDSA-Sig-Value` of RFC 3279 §2.2.3. Platform-neutral.
 */
import { XmlDsigError } from "./xmldsig-errors.js";

interface Tlv {
  tag: number;
  /** Start of the contents. */
  start: number;
  /** End of the contents (exclusive). */
  end: number;
}

/** One TLV at `at`, inside `[at, limit)`. */
function tlv(b: Uint8Array, at: number, limit: number, what: string): Tlv {
  if (at + 2 > limit) throw new XmlDsigError("SIG_KEY", `${what}: DER runs past the end (X.690 §8.1)`);
  const tag = b[at]!;
  if ((tag & 0x1f) === 0x1f) throw new XmlDsigError("SIG_KEY", `${what}: multi-byte DER tags are not used`);
  let len = b[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3)
      throw new XmlDsigError("SIG_KEY", `${what}: DER length of ${n} bytes (X.690 §10.1)`);
    if (start + n > limit) throw new XmlDsigError("SIG_KEY", `${what}: DER length runs past the end`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > limit) throw new XmlDsigError("SIG_KEY", `${what}: DER contents run past the end`);
  return { tag, start, end: start + len };
}

/** The children of a constructed TLV (bounded by its length). */
function children(b: Uint8Array, t: Tlv, what: string): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.start; at < t.end; ) {
    const c = tlv(b, at, t.end, what);
    out.push(c);
    at = c.end;
  }
  return out;
}

const OID_EC_PUBLIC_KEY = "2a8648ce3d0201"; // 1.2.840.10045.2.1 (RFC 5480 §2.1.1)
const OID_P256 = "2a8648ce3d030107"; // 1.2.840.10045.3.1.7 secp256r1 (RFC 5480 §2.1.1.1)
const OID_P521 = "2b81040023"; // 1.3.132.0.35 secp521r1 (RFC 5480 §2.1.1.1)

/** The named curves of V2G signatures: P-256 (ISO 15118-2) and P-521 (ISO 15118-20). */
export type DerCurve = "P-256" | "P-521";
const CURVE_OID: Readonly<Record<DerCurve, { oid: string; name: string; rule: string }>> = {
  "P-256": { oid: OID_P256, name: "secp256r1", rule: "ISO 15118-2 signs with P-256" },
  "P-521": { oid: OID_P521, name: "secp521r1", rule: "ISO 15118-20 signs with P-521, [V2G20-2674]" },
};

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** The EC point of a SubjectPublicKeyInfo TLV (RFC 5480 §2). */
function spkiPoint(b: Uint8Array, spki: Tlv, curveName: DerCurve): Uint8Array {
  const what = "subjectPublicKeyInfo";
  if (spki.tag !== 0x30) throw new XmlDsigError("SIG_KEY", `${what}: not a SEQUENCE`);
  const [alg, bits] = children(b, spki, what);
  if (!alg || alg.tag !== 0x30 || !bits || bits.tag !== 0x03)
    throw new XmlDsigError("SIG_KEY", `${what}: expected AlgorithmIdentifier and BIT STRING (RFC 5280 §4.1)`);
  const [oid, curve] = children(b, alg, `${what}.algorithm`);
  if (oid?.tag !== 0x06 || hex(b.subarray(oid.start, oid.end)) !== OID_EC_PUBLIC_KEY)
    throw new XmlDsigError("SIG_KEY", `${what}.algorithm: not id-ecPublicKey (RFC 5480 §2.1.1)`);
  const want = CURVE_OID[curveName];
  if (curve?.tag !== 0x06 || hex(b.subarray(curve.start, curve.end)) !== want.oid)
    throw new XmlDsigError("SIG_KEY", `${what}.parameters: not the namedCurve ${want.name} (${want.rule})`);
  if (bits.end - bits.start < 2 || b[bits.start] !== 0)
    throw new XmlDsigError("SIG_KEY", `${what}.subjectPublicKey: BIT STRING with unused bits`);
  return b.slice(bits.start + 1, bits.end);
}

/**
 * The public key (SEC 1 point) on `curve` (default P-256) of a DER certificate or SubjectPublicKeyInfo.
 * Throws {@link XmlDsigError} `SIG_KEY` naming the field when the structure or the algorithm is not that.
 */
export function publicKeyFromDer(der: Uint8Array, curve: DerCurve = "P-256"): Uint8Array {
  const top = tlv(der, 0, der.length, "certificate");
  if (top.tag !== 0x30 || top.end !== der.length)
    throw new XmlDsigError("SIG_KEY", "certificate: not one DER SEQUENCE (RFC 5280 §4.1)");
  const [first] = children(der, top, "certificate");
  if (!first || first.tag !== 0x30) throw new XmlDsigError("SIG_KEY", "certificate: expected tbsCertificate");
  const inner = children(der, first, "tbsCertificate");
  // a bare SubjectPublicKeyInfo: SEQUENCE { AlgorithmIdentifier { OID … }, BIT STRING }
  if (inner[0]?.tag === 0x06) return spkiPoint(der, top, curve);
  // tbsCertificate: [0] version?, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo
  const i = inner[0]?.tag === 0xa0 ? 1 : 0;
  const spki = inner[i + 5];
  if (!spki) throw new XmlDsigError("SIG_KEY", "tbsCertificate: no subjectPublicKeyInfo (RFC 5280 §4.1.2.7)");
  return spkiPoint(der, spki, curve);
}

/** Raw r‖s (64 B, XMLDSig in ISO 15118-2) → DER ECDSA-Sig-Value (RFC 3279 §2.2.3). */
export function rawToDerSignature(rs: Uint8Array): Uint8Array {
  if (rs.length !== 64)
    throw new XmlDsigError("SIG_VALUE", `SignatureValue: ${rs.length} B, not r‖s of 64 B`);
  const int = (x: Uint8Array) => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    const v = x.subarray(i);
    return v[0]! & 0x80 ? [0x02, v.length + 1, 0, ...v] : [0x02, v.length, ...v];
  };
  const body = [...int(rs.subarray(0, 32)), ...int(rs.subarray(32))];
  return Uint8Array.from([0x30, body.length, ...body]);
}
