/**
 * XMLDSig over EXI as profiled by ISO 15118-2 (W3C XML Signature 1.1 with Canonical EXI):
 *
 * - each Reference (`URI="#Id"`, one Transform and the CanonicalizationMethod
 *   `http://www.w3.org/TR/canonical-exi/`, DigestMethod `http://www.w3.org/2001/04/xmlenc#sha256`) holds the
 *   SHA-256 of the referenced element's EXI fragment, encoded with the fragment grammar of the whole ISO-2
 *   schema set (EXI 1.0 §8.5.2; `eMAID` with the relaxed grammar of §8.5.3);
 * - SignedInfo is encoded as an EXI fragment of `xmldsig-core-schema.xsd` alone, and ECDSA P-256 with
 *   SHA-256 (`http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256`, RFC 4051 §2.3.6) signs those bytes;
 * - SignatureValue is r‖s, 32 bytes each, not DER;
 * - at most 4 References ([V2G2-909]); no SignedInfo/@Id, HMACOutputLength, XPath, Reference/@Type,
 *   SignatureValue/@Id, KeyInfo or Object ([V2G2-771]).
 *
 * The same code serves ISO 15118-20 (`xmldsig20.ts`): an {@link XmlDsigProfile} names the schema set whose
 * fragment grammar digests the References (and the xmldsig-only grammar of SignedInfo), the elements each
 * message must sign, and a {@link SignatureAlgorithm} the digest, signature method and curve. The ISO-2
 * functions below are that code with {@link ISO2_XMLDSIG} and {@link ISO2_ECDSA_P256_SHA256}.
 *
 * Platform-neutral: @noble/curves and @noble/hashes, no Node built-ins.
 */
import { p256, p521 } from "@noble/curves/nist.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import * as iso2 from "../../codecs/iso2/index.js";
import { type DerCurve, publicKeyFromDer } from "./xmldsig-der.js";
import { XmlDsigError } from "./xmldsig-errors.js";

export { type DerCurve, publicKeyFromDer, rawToDerSignature } from "./xmldsig-der.js";
export { XmlDsigError, type XmlDsigErrorCode } from "./xmldsig-errors.js";

/** Canonical EXI (W3C), used as CanonicalizationMethod and as the one Transform. */
export const C14N_EXI = "http://www.w3.org/TR/canonical-exi/";
/** ECDSA with SHA-256 (RFC 4051 §2.3.6). */
export const ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
/** SHA-256 digest (XML Encryption §5.7.2). */
export const DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
/** ECDSA with SHA-512 (RFC 4051 §2.3.6). */
export const ECDSA_SHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";
/** SHA-512 digest (XML Encryption §5.7.4). */
export const DIGEST_SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512";
/** References per signature ([V2G2-909]). */
export const MAX_REFERENCES = 4;

/**
 * One signature suite: the DigestMethod of every Reference, the SignatureMethod over SignedInfo, and the
 * curve of the signer's key (SignatureValue is r‖s, each the curve's scalar width).
 */
export interface SignatureAlgorithm {
  /** Short name for messages, e.g. "ECDSA P-256/SHA-256". */
  name: string;
  signatureMethod: string;
  digestMethod: string;
  curve: DerCurve;
  /** Byte width of a scalar (private key, r, s): 32 for P-256, 66 for P-521. */
  scalarBytes: number;
  /** The Reference digest. */
  digest(bytes: Uint8Array): Uint8Array;
}

/** ISO 15118-2: ECDSA over P-256 with SHA-256 digests ([V2G2-006], [V2G2-007]). */
export const ISO2_ECDSA_P256_SHA256: SignatureAlgorithm = Object.freeze({
  name: "ECDSA P-256/SHA-256",
  signatureMethod: ECDSA_SHA256,
  digestMethod: DIGEST_SHA256,
  curve: "P-256",
  scalarBytes: 32,
  digest: (b: Uint8Array) => sha256(b),
});

/** ISO 15118-20: ECDSA over P-521 (secp521r1) with SHA-512 digests ([V2G20-2674]). */
export const ECDSA_P521_SHA512: SignatureAlgorithm = Object.freeze({
  name: "ECDSA P-521/SHA-512",
  signatureMethod: ECDSA_SHA512,
  digestMethod: DIGEST_SHA512,
  curve: "P-521",
  scalarBytes: 66,
  digest: (b: Uint8Array) => sha512(b),
});

/**
 * Where a signature lives and what it signs: the schema set whose fragment grammar encodes the referenced
 * elements (EXI 1.0 §8.5.2), the xmldsig-only grammar of SignedInfo, and the elements each signed message
 * type must reference.
 */
export interface XmlDsigProfile {
  /** e.g. "ISO 15118-2": named in error messages. */
  standard: string;
  /** The EXI fragment of one element (`{ Name: value }`) in the message schema set. */
  fragment(element: SignedElement): Uint8Array;
  /** SignedInfo as an EXI fragment of xmldsig-core-schema.xsd alone. */
  signedInfo(signedInfo: iso2.SignedInfoType): Uint8Array;
  /** Body element → the elements its signature must reference. */
  expected: Readonly<Record<string, readonly string[]>>;
  /** Every expected element must be present (not only referenced when present). */
  expectedRequired: boolean;
  /** Requirement ID cited for the reference count. */
  maxReferencesRule: string;
}

/** One element to sign or verify: `{ ElementName: value }` where the value carries its `Id`. */
export type SignedElement = Record<string, unknown>;

const nameOf = (e: SignedElement): string => {
  const ks = Object.keys(e);
  if (ks.length !== 1)
    throw new XmlDsigError("SIG_REFERENCE", `expected { ElementName: value }, got ${ks.length} keys`);
  return ks[0]!;
};
const idOf = (name: string, v: unknown): string => {
  const id = typeof v === "object" && v !== null ? (v as { Id?: unknown }).Id : undefined;
  if (typeof id !== "string" || id === "")
    throw new XmlDsigError("SIG_REFERENCE", `${name}: no Id attribute to reference (XMLDSig Reference/@URI)`);
  return id;
};

/** The EXI fragment of one element (ISO-2 fragment grammar), as digested. */
export function fragmentBytes(element: SignedElement): Uint8Array {
  return ISO2_XMLDSIG.fragment(element);
}

/** SHA-256 of an element's EXI fragment (the DigestValue of its Reference). */
export function digestElement(element: SignedElement): Uint8Array {
  return sha256(fragmentBytes(element));
}

/** The bytes ECDSA signs: SignedInfo as an EXI fragment of xmldsig-core-schema.xsd alone. */
export function signedInfoBytes(signedInfo: iso2.SignedInfoType): Uint8Array {
  return ISO2_XMLDSIG.signedInfo(signedInfo);
}

/** Wrap an encoder's failure as the XmlDsigError naming the element. */
export function encodeOrThrow(
  standard: string,
  name: string,
  encode: () => Uint8Array,
  code: "SIG_REFERENCE" | "SIG_PROFILE" = "SIG_REFERENCE",
): Uint8Array {
  try {
    return encode();
  } catch (err) {
    const what = name === "SignedInfo" ? "an xmldsig EXI fragment" : `an ${standard} EXI fragment`;
    throw new XmlDsigError(code, `${name}: not encodable as ${what}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** The ISO 15118-2 profile: the ISO-2 schema set, the elements of the "who signs what" table. */
export const ISO2_XMLDSIG: XmlDsigProfile = Object.freeze({
  standard: "ISO-2",
  fragment: (e: SignedElement) => encodeOrThrow("ISO-2", nameOf(e), () => iso2.encodeFragment(e)),
  signedInfo: (si: iso2.SignedInfoType) =>
    encodeOrThrow("ISO-2", "SignedInfo", () => iso2.encodeXmldsigFragment({ SignedInfo: si }), "SIG_PROFILE"),
  get expected() {
    return EXPECTED;
  },
  expectedRequired: false,
  maxReferencesRule: "[V2G2-909]",
});

/** Left-pad a big-endian scalar to `n` bytes (keys and r, s lose leading zeros in some stacks). */
function padTo(b: Uint8Array, n: number, what: string, curve: string): Uint8Array {
  if (b.length === n) return b;
  if (b.length > n || b.length === 0)
    throw new XmlDsigError("SIG_KEY", `${what}: ${b.length} B, not a ${curve} scalar`);
  const out = new Uint8Array(n);
  out.set(b, n - b.length);
  return out;
}

const curveOf = (alg: SignatureAlgorithm) => (alg.curve === "P-521" ? p521 : p256);

/**
 * Sign elements (each `{ Name: value }` with an `Id`) with a P-256 private key (32-byte scalar): one
 * Reference per element, in the given order. Returns the `Signature` for `V2G_Message.Header`.
 */
export function signFragments(
  elements: readonly SignedElement[],
  privateKey: Uint8Array,
): iso2.SignatureType {
  return signElements(elements, privateKey, ISO2_XMLDSIG, ISO2_ECDSA_P256_SHA256);
}

/**
 * Sign elements under `profile` with `algorithm` (the private key is a scalar of the algorithm's curve): one
 * Reference per element, in the given order. Returns the header `Signature`.
 */
export function signElements(
  elements: readonly SignedElement[],
  privateKey: Uint8Array,
  profile: XmlDsigProfile,
  algorithm: SignatureAlgorithm,
): iso2.SignatureType {
  if (elements.length === 0 || elements.length > MAX_REFERENCES)
    throw new XmlDsigError(
      "SIG_PROFILE",
      `${elements.length} references: 1 to ${MAX_REFERENCES} allowed (${profile.maxReferencesRule})`,
    );
  const ids = new Set<string>();
  const Reference: iso2.ReferenceType[] = elements.map((e) => {
    const name = nameOf(e);
    const id = idOf(name, e[name]);
    if (ids.has(id)) throw new XmlDsigError("SIG_REFERENCE", `${name}: Id "${id}" is used twice (xs:ID)`);
    ids.add(id);
    return {
      URI: `#${id}`,
      Transforms: { Transform: [{ Algorithm: C14N_EXI }] },
      DigestMethod: { Algorithm: algorithm.digestMethod },
      DigestValue: algorithm.digest(profile.fragment(e)),
    };
  });
  const SignedInfo: iso2.SignedInfoType = {
    CanonicalizationMethod: { Algorithm: C14N_EXI },
    SignatureMethod: { Algorithm: algorithm.signatureMethod },
    Reference,
  };
  let sig: Uint8Array;
  try {
    const key = padTo(privateKey, algorithm.scalarBytes, "private key", algorithm.curve);
    sig = curveOf(algorithm).sign(profile.signedInfo(SignedInfo), key, { prehash: true });
  } catch (err) {
    if (err instanceof XmlDsigError) throw err;
    throw new XmlDsigError("SIG_KEY", `private key: ${(err as Error).message}`, { cause: err });
  }
  return { SignedInfo, SignatureValue: { CONTENT: sig } };
}

/** A P-256 public key (SEC 1 point, 65 or 33 bytes) or a DER certificate / SubjectPublicKeyInfo holding one. */
export type VerifyKey = Uint8Array;

/** The SEC 1 point of `key` on `curve` (raw point, certificate or SubjectPublicKeyInfo). */
function publicKeyOf(key: VerifyKey, curve: DerCurve = "P-256"): Uint8Array {
  if (!(key instanceof Uint8Array))
    throw new XmlDsigError("SIG_KEY", "key: expected bytes (SEC 1 point or DER)");
  if (key[0] === 0x30) return publicKeyFromDer(key, curve);
  const n = curve === "P-521" ? 66 : 32;
  if (
    (key.length === 2 * n + 1 && key[0] === 0x04) ||
    (key.length === n + 1 && (key[0] === 0x02 || key[0] === 0x03))
  )
    return key;
  throw new XmlDsigError("SIG_KEY", `key: ${key.length} B is neither a SEC 1 ${curve} point nor DER`);
}

/** The elements each signed ISO-2 body message must reference (pnc: who signs what). */
const EXPECTED: Record<string, readonly string[]> = {
  AuthorizationReq: ["AuthorizationReq"],
  MeteringReceiptReq: ["MeteringReceiptReq"],
  CertificateInstallationReq: ["CertificateInstallationReq"],
  CertificateUpdateReq: ["CertificateUpdateReq"],
  CertificateInstallationRes: [
    "ContractSignatureCertChain",
    "ContractSignatureEncryptedPrivateKey",
    "DHpublickey",
    "eMAID",
  ],
  CertificateUpdateRes: [
    "ContractSignatureCertChain",
    "ContractSignatureEncryptedPrivateKey",
    "DHpublickey",
    "eMAID",
  ],
  ChargeParameterDiscoveryRes: ["SalesTariff"],
};

/** Every element with an `Id` under `body` (bounded by the tree; depth ≤ 32). */
export function elementsWithId(body: Record<string, unknown>): Map<string, SignedElement> {
  const out = new Map<string, SignedElement>();
  const walk = (name: string, v: unknown, depth: number) => {
    if (depth > 32 || typeof v !== "object" || v === null || v instanceof Uint8Array) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(name, x, depth + 1);
      return;
    }
    const id = (v as { Id?: unknown }).Id;
    if (typeof id === "string") {
      if (out.has(id)) throw new XmlDsigError("SIG_REFERENCE", `Id "${id}" is used by two elements (xs:ID)`);
      out.set(id, { [name]: v });
    }
    for (const [k, x] of Object.entries(v)) if (k !== "Id" && k !== "CONTENT") walk(k, x, depth + 1);
  };
  for (const [k, v] of Object.entries(body)) walk(k, v, 0);
  return out;
}

/** What a successful verification covered. */
export interface VerifiedSignature {
  ok: true;
  /** `URI → element name` per Reference, in SignedInfo order. */
  references: { uri: string; element: string }[];
}

/** Outcome of {@link verifySignature}. */
export type VerifyResult = VerifiedSignature | { ok: false; error: XmlDsigError };

/**
 * Verify the Header/Signature of an ISO-2 V2G_Message with the signer's public key or certificate (DER):
 * (1) the profile; (2) each Reference resolves to an element of the body by `Id`, and every element the
 * message type must sign is referenced; (3) each DigestValue equals the SHA-256 of that element's EXI fragment;
 * (4) ECDSA over the SignedInfo fragment. The error names the Reference or the field.
 */
export function verifySignature(message: iso2.V2G_Message, key: VerifyKey): VerifyResult {
  try {
    return checkSignature(message, key);
  } catch (err) {
    if (err instanceof XmlDsigError) return { ok: false, error: err };
    return {
      ok: false,
      error: new XmlDsigError("SIG_PROFILE", `signature: ${(err as Error).message}`, { cause: err }),
    };
  }
}

/** As {@link verifySignature}, but throws {@link XmlDsigError}. */
export function checkSignature(message: iso2.V2G_Message, key: VerifyKey): VerifiedSignature {
  const sig = message?.Header?.Signature;
  if (!sig) throw new XmlDsigError("SIG_MISSING", "V2G_Message.Header.Signature is missing");
  const body = (message.Body ?? {}) as Record<string, unknown>;
  return checkSignatureOf(sig, body, key, ISO2_XMLDSIG, [ISO2_ECDSA_P256_SHA256]);
}

/**
 * The checks of {@link checkSignature} for any profile: `sig` is the header Signature, `body` the signed
 * message as `{ BodyElement: value }` (without its header), `algorithms` the suites accepted (the
 * SignedInfo's SignatureMethod picks one; its References must use that suite's DigestMethod).
 */
export function checkSignatureOf(
  sig: iso2.SignatureType,
  body: Record<string, unknown>,
  key: VerifyKey,
  profile: XmlDsigProfile,
  algorithms: readonly SignatureAlgorithm[],
): VerifiedSignature {
  const alg = checkProfile(sig, algorithms, profile);
  const byId = elementsWithId(body);
  const refs = sig.SignedInfo.Reference;
  const covered = new Set<string>();
  const references: VerifiedSignature["references"] = [];
  for (const ref of refs) {
    const uri = ref.URI ?? "";
    if (!uri.startsWith("#"))
      throw new XmlDsigError("SIG_REFERENCE", `Reference URI "${uri}": must be "#Id" of a body element`, {
        reference: uri,
      });
    const el = byId.get(uri.slice(1));
    if (!el)
      throw new XmlDsigError("SIG_REFERENCE", `Reference ${uri}: no element with that Id in the body`, {
        reference: uri,
      });
    if (covered.has(uri))
      throw new XmlDsigError("SIG_REFERENCE", `Reference ${uri}: listed twice`, { reference: uri });
    covered.add(uri);
    const name = nameOf(el);
    const got = alg.digest(profile.fragment(el));
    if (!equal(got, ref.DigestValue))
      throw new XmlDsigError(
        "SIG_DIGEST",
        `Reference ${uri} (${name}): DigestValue does not match the ${alg.name.split("/")[1]} of its EXI fragment`,
        { reference: uri },
      );
    references.push({ uri, element: name });
  }
  const bodyName = Object.keys(body)[0] ?? "";
  const expected = profile.expected[bodyName] ?? [];
  for (const want of expected) {
    for (const [id, el] of byId)
      if (nameOf(el) === want && !covered.has(`#${id}`))
        throw new XmlDsigError(
          "SIG_REFERENCE",
          `${bodyName}: ${want} (Id ${id}) is not referenced by the signature`,
          {
            reference: `#${id}`,
          },
        );
    if (
      (expected.length > 1 || profile.expectedRequired) &&
      ![...byId.values()].some((el) => nameOf(el) === want)
    )
      throw new XmlDsigError("SIG_REFERENCE", `${bodyName}: ${want} has no Id to reference`);
  }
  const value = sig.SignatureValue.CONTENT;
  const width = 2 * alg.scalarBytes;
  if (!(value instanceof Uint8Array) || value.length !== width)
    throw new XmlDsigError(
      "SIG_VALUE",
      `SignatureValue: ${value?.length ?? 0} B, expected r‖s of ${width} B (${alg.curve})`,
    );
  const pub = publicKeyOf(key, alg.curve);
  let ok: boolean;
  try {
    ok = curveOf(alg).verify(value, profile.signedInfo(sig.SignedInfo), pub, { prehash: true, lowS: false });
  } catch (err) {
    if (err instanceof XmlDsigError) throw err;
    throw new XmlDsigError("SIG_KEY", `public key: ${(err as Error).message}`, { cause: err });
  }
  if (!ok)
    throw new XmlDsigError(
      "SIG_VALUE",
      `SignatureValue: ECDSA ${alg.curve} over the SignedInfo EXI fragment does not verify`,
    );
  return { ok: true, references };
}

/** Check the profile rules; returns the algorithm the SignatureMethod names. */
function checkProfile(
  sig: iso2.SignatureType,
  algorithms: readonly SignatureAlgorithm[],
  profile: XmlDsigProfile,
): SignatureAlgorithm {
  const si = sig.SignedInfo;
  const bad = (field: string, rule: string): never => {
    throw new XmlDsigError("SIG_PROFILE", `${field}: ${rule}`);
  };
  if (!si) bad("Signature.SignedInfo", "missing");
  if (si.CanonicalizationMethod?.Algorithm !== C14N_EXI)
    bad("SignedInfo.CanonicalizationMethod", `Algorithm must be ${C14N_EXI}`);
  const alg = algorithms.find((a) => a.signatureMethod === si.SignatureMethod?.Algorithm);
  if (!alg)
    return bad(
      "SignedInfo.SignatureMethod",
      `Algorithm must be ${algorithms.map((a) => a.signatureMethod).join(" or ")}`,
    );
  if (si.Id !== undefined) bad("SignedInfo.Id", "not used ([V2G2-771])");
  if (si.SignatureMethod.HMACOutputLength !== undefined)
    bad("SignatureMethod.HMACOutputLength", "not used ([V2G2-771])");
  if (sig.KeyInfo !== undefined || sig.Object !== undefined)
    bad("Signature.KeyInfo/Object", "not used ([V2G2-771])");
  if (sig.SignatureValue?.Id !== undefined) bad("SignatureValue.Id", "not used ([V2G2-771])");
  const refs = si.Reference ?? [];
  if (refs.length === 0 || refs.length > MAX_REFERENCES)
    bad(
      "SignedInfo.Reference",
      `${refs.length} references: 1 to ${MAX_REFERENCES} allowed (${profile.maxReferencesRule})`,
    );
  const digestBytes = alg.digest(new Uint8Array(0)).length;
  for (const r of refs) {
    const at = `Reference ${r.URI ?? "(no URI)"}`;
    if (r.Type !== undefined) bad(`${at}.Type`, "not used ([V2G2-771])");
    const ts = r.Transforms?.Transform ?? [];
    if (ts.length !== 1 || ts[0]!.Algorithm !== C14N_EXI || ts[0]!.XPath !== undefined)
      bad(`${at}.Transforms`, `exactly one Transform ${C14N_EXI}`);
    if (r.DigestMethod?.Algorithm !== alg.digestMethod)
      bad(`${at}.DigestMethod`, `Algorithm must be ${alg.digestMethod}`);
    if (!(r.DigestValue instanceof Uint8Array) || r.DigestValue.length !== digestBytes)
      bad(`${at}.DigestValue`, `must be ${digestBytes} bytes (${alg.name.split("/")[1]})`);
  }
  return alg;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
