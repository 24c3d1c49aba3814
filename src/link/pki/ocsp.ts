/**
 * OCSP responses (RFC 6960) for the SECC chain: issue one (the test PKI's responder: the leaf's issuing CA
 * signs, or a delegated responder it certified) and check a stapled one on the EVCC (ISO 15118-2
 * [V2G2-871..876]: the SECC staples OCSP, an EVCC that asked and holds a V2G-root chain closes the connection
 * without it, [V2G2-873]).
 *
 * Built and read with @peculiar/asn1-ocsp / asn1-x509 (DER encoding by the library), signed and verified
 * with node:crypto. The check follows RFC 6960 §3.2: responseStatus successful, a basic response, a
 * SingleResponse whose CertID names the leaf (SHA-1 or SHA-2 CertID hashes), a signature by the issuing CA
 * or by a responder certificate it issued carrying id-kp-OCSPSigning (§4.2.2.2), thisUpdate ≤ now ≤
 * nextUpdate (clock skew allowed), status good.
 */
import { createHash, createPrivateKey, type KeyObject, sign, verify, X509Certificate } from "node:crypto";
import {
  BasicOCSPResponse,
  CertID,
  CertStatus,
  id_pkix_ocsp_basic,
  OCSPResponse,
  OCSPResponseStatus,
  ResponderID,
  ResponseBytes,
  ResponseData,
  RevokedInfo,
  SingleResponse,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  Certificate,
  ExtendedKeyUsage,
  id_ce_extKeyUsage,
  id_kp_OCSPSigning,
} from "@peculiar/asn1-x509";
import { NacsError } from "../../errors.js";

/** Why a stapled OCSP response was refused; each names the RFC 6960 / ISO 15118-2 rule broken. */
export type OcspErrorCode =
  | "OCSP_MALFORMED"
  | "OCSP_RESPONSE_STATUS"
  | "OCSP_CERT_ID"
  | "OCSP_SIGNER"
  | "OCSP_SIGNATURE"
  | "OCSP_NOT_YET_VALID"
  | "OCSP_EXPIRED"
  | "OCSP_REVOKED"
  | "OCSP_UNKNOWN"
  | "OCSP_MISSING";

/** An OCSP response is unusable; `message` names the field and the rule. */
export class OcspError extends NacsError<OcspErrorCode> {
  override readonly name = "OcspError";
}

/** Clock skew allowed around thisUpdate / nextUpdate (ms). */
export const OCSP_CLOCK_SKEW_MS = 5 * 60_000;
/**
 * Age after which a response without nextUpdate is stale: a week, the refresh interval ISO 15118-2 sets
 * for the SECC's OCSP responses ([V2G2-876]).
 */
export const OCSP_MAX_AGE_MS = 7 * 86_400_000;

const OID_SHA1 = "1.3.14.3.2.26";
const HASH_OF_OID: Record<string, string> = {
  [OID_SHA1]: "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};
/** Signature algorithms → digest (RFC 5758 §3.2 ECDSA, RFC 4055 §5 RSA PKCS#1 v1.5). */
const SIG_HASH: Record<string, string> = {
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
};
const OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2";

type Der = Uint8Array;
const buf = (b: ArrayBuffer | Uint8Array) => (b instanceof Uint8Array ? b : new Uint8Array(b));
const digest = (alg: string, b: ArrayBuffer | Uint8Array) =>
  new Uint8Array(createHash(alg).update(buf(b)).digest());
const same = (a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array) => Buffer.from(buf(a)).equals(buf(b));

/** The CertID of `leaf` under `issuer` (RFC 6960 §4.1.1), SHA-1 hashes as OpenSSL and most responders use. */
export function ocspCertId(leaf: Der, issuer: Der, hash: "sha1" | "sha256" = "sha1"): CertID {
  const l = AsnConvert.parse(leaf, Certificate).tbsCertificate;
  const i = AsnConvert.parse(issuer, Certificate).tbsCertificate;
  const oid = Object.keys(HASH_OF_OID).find((k) => HASH_OF_OID[k] === hash)!;
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: oid, parameters: null }),
    issuerNameHash: new OctetString(digest(hash, AsnConvert.serialize(i.subject))),
    issuerKeyHash: new OctetString(digest(hash, i.subjectPublicKeyInfo.subjectPublicKey)),
    serialNumber: l.serialNumber,
  });
}

/** What {@link issueOcspResponse} states and who signs it. */
export interface OcspIssue {
  /** the certificate the response is about (DER); or only its serial number, `serialNumber` */
  cert?: Der;
  /** the serial number's INTEGER content octets, when `cert` is not at hand (an OCSP request's CertID) */
  serialNumber?: Der;
  /** its issuer (DER) */
  issuer: Der;
  /** signing key (PEM or KeyObject): the issuer's, or the delegated responder's */
  signerKey: string | KeyObject;
  /** the delegated responder certificate (DER; issued by `issuer` with id-kp-OCSPSigning), included in the response */
  responderCert?: Der;
  status?: "good" | "revoked" | "unknown";
  revokedAt?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  producedAt?: Date;
}

/** Whole seconds: GeneralizedTime without fractions (RFC 5280 §4.1.2.5.2, as OCSP responders write it). */
const seconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

/** The CertID of the certificate an {@link OcspIssue} is about: from the certificate, or its serial. */
function certIdOf(o: OcspIssue): CertID {
  if (o.cert) return ocspCertId(o.cert, o.issuer);
  if (!o.serialNumber) throw new Error("issueOcspResponse: needs cert or serialNumber");
  const i = AsnConvert.parse(o.issuer, Certificate).tbsCertificate;
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: OID_SHA1, parameters: null }),
    issuerNameHash: new OctetString(digest("sha1", AsnConvert.serialize(i.subject))),
    issuerKeyHash: new OctetString(digest("sha1", i.subjectPublicKeyInfo.subjectPublicKey)),
    serialNumber: Uint8Array.from(o.serialNumber).buffer,
  });
}

/** A DER OCSPResponse (successful, basic) for `o.cert`, signed ecdsa-with-SHA256 (RFC 6960 §4.2.1). */
export function issueOcspResponse(o: OcspIssue): Der {
  const signerCert = o.responderCert ?? o.issuer;
  const spki = AsnConvert.parse(signerCert, Certificate).tbsCertificate.subjectPublicKeyInfo;
  const status = o.status ?? "good";
  const certStatus =
    status === "good"
      ? new CertStatus({ good: null })
      : status === "revoked"
        ? new CertStatus({
            revoked: new RevokedInfo({ revocationTime: seconds(o.revokedAt ?? o.thisUpdate) }),
          })
        : new CertStatus({ unknown: null });
  const data = new ResponseData({
    responderID: new ResponderID({ byKey: new OctetString(digest("sha1", spki.subjectPublicKey)) }),
    producedAt: seconds(o.producedAt ?? o.thisUpdate),
    responses: [
      new SingleResponse({
        certID: certIdOf(o),
        certStatus,
        thisUpdate: seconds(o.thisUpdate),
        ...(o.nextUpdate ? { nextUpdate: seconds(o.nextUpdate) } : {}),
      }),
    ],
  });
  const tbs = buf(AsnConvert.serialize(data));
  const key = typeof o.signerKey === "string" ? createPrivateKey(o.signerKey) : o.signerKey;
  const signature = sign("sha256", tbs, { key, dsaEncoding: "der" });
  const basic = new BasicOCSPResponse({
    tbsResponseData: data,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: OID_ECDSA_SHA256 }),
    signature: new Uint8Array(signature).buffer,
    ...(o.responderCert ? { certs: [AsnConvert.parse(o.responderCert, Certificate)] } : {}),
  });
  return buf(
    AsnConvert.serialize(
      new OCSPResponse({
        responseStatus: OCSPResponseStatus.successful,
        responseBytes: new ResponseBytes({
          responseType: id_pkix_ocsp_basic,
          response: new OctetString(AsnConvert.serialize(basic)),
        }),
      }),
    ),
  );
}

/** A response that passed {@link checkOcspResponse}. */
export interface OcspGood {
  status: "good";
  thisUpdate: Date;
  nextUpdate?: Date;
  /** the issuing CA signed it, or a delegated responder (its subject) */
  signer: "issuer" | string;
}

/** The certificate and clock {@link checkOcspResponse} checks against. */
export interface OcspCheck {
  /** the SECC leaf (DER) */
  leaf: Der;
  /** its issuer, from the validated chain (DER) */
  issuer: Der;
  /** now, ms since the epoch */
  now: number;
  skewMs?: number;
  maxAgeMs?: number;
}

function fail(code: OcspErrorCode, msg: string, cause?: unknown): never {
  throw new OcspError(code, `OCSP response: ${msg}`, cause === undefined ? undefined : { cause });
}

function parse<T>(der: ArrayBuffer | Uint8Array, type: new () => T, field: string): T {
  try {
    return AsnConvert.parse(der, type);
  } catch (e) {
    return fail("OCSP_MALFORMED", `${field}: not DER of its RFC 6960 type (${(e as Error).message})`, e);
  }
}

/** Check a stapled OCSP response about `c.leaf` (see the module comment); throws {@link OcspError}. */
export function checkOcspResponse(response: Der, c: OcspCheck): OcspGood {
  const skew = c.skewMs ?? OCSP_CLOCK_SKEW_MS;
  const res = parse(response, OCSPResponse, "OCSPResponse");
  if (res.responseStatus !== OCSPResponseStatus.successful)
    fail(
      "OCSP_RESPONSE_STATUS",
      `responseStatus ${OCSPResponseStatus[res.responseStatus] ?? res.responseStatus}, must be successful (RFC 6960 §4.2.1)`,
    );
  if (res.responseBytes?.responseType !== id_pkix_ocsp_basic)
    fail(
      "OCSP_MALFORMED",
      `responseBytes.responseType ${res.responseBytes?.responseType}, must be id-pkix-ocsp-basic`,
    );
  const basic = parse(res.responseBytes.response.buffer, BasicOCSPResponse, "BasicOCSPResponse");
  const data = basic.tbsResponseData;
  const leafTbs = certFacts(c.leaf, "leaf certificate");
  const issuerTbs = certFacts(c.issuer, "issuer certificate");
  // RFC 6960 §4.1.1 CertID: issuer name and key hashes with the response's own hash algorithm, serial.
  const single = data.responses.find((r) => {
    const h = HASH_OF_OID[r.certID.hashAlgorithm.algorithm];
    return (
      h !== undefined &&
      same(r.certID.serialNumber, leafTbs.serial) &&
      same(r.certID.issuerNameHash.buffer, digest(h, issuerTbs.subject)) &&
      same(r.certID.issuerKeyHash.buffer, digest(h, issuerTbs.keyBits))
    );
  });
  if (!single)
    fail(
      "OCSP_CERT_ID",
      `none of ${data.responses.length} responses has the CertID of the SECC leaf (RFC 6960 §4.1.1)`,
    );
  const signer = responderKey(basic, c, issuerTbs);
  const hash = SIG_HASH[basic.signatureAlgorithm.algorithm];
  if (!hash)
    fail("OCSP_SIGNATURE", `signatureAlgorithm ${basic.signatureAlgorithm.algorithm} is not supported`);
  const tbs = basic.tbsResponseDataRaw ? buf(basic.tbsResponseDataRaw) : buf(AsnConvert.serialize(data));
  let ok = false;
  try {
    ok = verify(hash, tbs, { key: signer.key, dsaEncoding: "der" }, buf(basic.signature));
  } catch (e) {
    fail("OCSP_SIGNATURE", `signature: cannot be verified (${(e as Error).message})`, e);
  }
  if (!ok)
    fail("OCSP_SIGNATURE", `signature does not verify with the ${signer.name}'s key (RFC 6960 §3.2 item 2)`);
  const thisUpdate = single.thisUpdate;
  if (thisUpdate.getTime() > c.now + skew)
    fail(
      "OCSP_NOT_YET_VALID",
      `thisUpdate ${thisUpdate.toISOString()} is in the future (RFC 6960 §3.2 item 5)`,
    );
  if (single.nextUpdate && single.nextUpdate.getTime() < c.now - skew)
    fail("OCSP_EXPIRED", `nextUpdate ${single.nextUpdate.toISOString()} has passed (RFC 6960 §3.2 item 6)`);
  if (!single.nextUpdate && thisUpdate.getTime() < c.now - (c.maxAgeMs ?? OCSP_MAX_AGE_MS))
    fail(
      "OCSP_EXPIRED",
      `thisUpdate ${thisUpdate.toISOString()} is older than a week and there is no nextUpdate ([V2G2-876])`,
    );
  if (single.certStatus.revoked)
    fail(
      "OCSP_REVOKED",
      `certStatus revoked at ${single.certStatus.revoked.revocationTime.toISOString()}: the SECC certificate is revoked`,
    );
  if (single.certStatus.good === undefined)
    fail("OCSP_UNKNOWN", "certStatus unknown: the responder does not know the SECC certificate");
  return {
    status: "good",
    thisUpdate,
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}),
    signer: signer.name === "issuing CA" ? "issuer" : signer.name,
  };
}

/** What CertID matching needs of a certificate (RFC 6960 §4.1.1): serial, subject DER, key bits. */
interface CertFacts {
  serial: ArrayBuffer;
  subject: Uint8Array;
  keyBits: ArrayBuffer;
}

const factsOf = (c: Certificate): CertFacts => ({
  serial: c.tbsCertificate.serialNumber,
  subject: buf(AsnConvert.serialize(c.tbsCertificate.subject)),
  keyBits: c.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey,
});

/**
 * {@link CertFacts} of a DER certificate, remembered for the last few certificates: an EVCC meets the same
 * SECC chain session after session, and parsing one certificate costs ~1.5 ms.
 */
const factsCache = new Map<string, CertFacts>();
const FACTS_CACHE_SIZE = 16;
function certFacts(der: Uint8Array, field: string): CertFacts {
  const key = createHash("sha256").update(der).digest("hex");
  const hit = factsCache.get(key);
  if (hit) return hit;
  const f = factsOf(parse(der, Certificate, field));
  if (factsCache.size >= FACTS_CACHE_SIZE) factsCache.delete(factsCache.keys().next().value!);
  factsCache.set(key, f);
  return f;
}

/** The signer's key: the issuing CA's (ResponderID names it), or an authorised delegated responder's. */
function responderKey(
  basic: BasicOCSPResponse,
  c: OcspCheck,
  issuerTbs: CertFacts,
): { key: KeyObject; name: string } {
  const rid = basic.tbsResponseData.responderID;
  const names = (tbs: CertFacts) =>
    rid.byKey
      ? same(rid.byKey.buffer, digest("sha1", tbs.keyBits))
      : rid.byName !== undefined && same(AsnConvert.serialize(rid.byName), tbs.subject);
  const issuer = new X509Certificate(c.issuer);
  if (names(issuerTbs)) return { key: issuer.publicKey, name: "issuing CA" };
  // RFC 6960 §4.2.2.2: a delegated responder is issued directly by the CA and carries id-kp-OCSPSigning.
  for (const cert of basic.certs ?? []) {
    if (!names(factsOf(cert))) continue;
    const der = buf(AsnConvert.serialize(cert));
    const x = new X509Certificate(der);
    const subject = x.subject.split("\n").reverse().join(",");
    if (!x.checkIssued(issuer) || !x.verify(issuer.publicKey))
      fail("OCSP_SIGNER", `responder ${subject} is not issued by the SECC leaf's CA (RFC 6960 §4.2.2.2)`);
    const eku = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_extKeyUsage);
    const usages = eku ? AsnConvert.parse(eku.extnValue.buffer, ExtendedKeyUsage) : [];
    if (!usages.includes(id_kp_OCSPSigning))
      fail(
        "OCSP_SIGNER",
        `responder ${subject} lacks extendedKeyUsage id-kp-OCSPSigning (RFC 6960 §4.2.2.2)`,
      );
    const t = c.now;
    if (Date.parse(x.validFrom) > t || Date.parse(x.validTo) < t)
      fail("OCSP_SIGNER", `responder ${subject} is outside its validity (${x.validFrom} – ${x.validTo})`);
    return { key: x.publicKey, name: subject };
  }
  return fail(
    "OCSP_SIGNER",
    "responderID names neither the SECC leaf's issuing CA nor a responder certificate in the response (RFC 6960 §4.2.2.2)",
  );
}
