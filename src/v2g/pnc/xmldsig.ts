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
 * Platform-neutral: @noble/curves and @noble/hashes, no Node built-ins.
 */
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import * as iso2 from "../../codecs/iso2/index.js";
import { publicKeyFromDer } from "./xmldsig-der.js";
import { XmlDsigError } from "./xmldsig-errors.js";

export { publicKeyFromDer, rawToDerSignature } from "./xmldsig-der.js";
export { XmlDsigError, type XmlDsigErrorCode } from "./xmldsig-errors.js";

/** Canonical EXI (W3C), used as CanonicalizationMethod and as the one Transform. */
export const C14N_EXI = "http://www.w3.org/TR/canonical-exi/";
/** ECDSA with SHA-256 (RFC 4051 §2.3.6). */
export const ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
/** SHA-256 digest (XML Encryption §5.7.2). */
export const DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
/** References per signature ([V2G2-909]). */
export const MAX_REFERENCES = 4;

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
  const name = nameOf(element);
  try {
    return iso2.encodeFragment(element);
  } catch (err) {
    throw new XmlDsigError(
      "SIG_REFERENCE",
      `${name}: not encodable as an ISO-2 EXI fragment: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** SHA-256 of an element's EXI fragment (the DigestValue of its Reference). */
export function digestElement(element: SignedElement): Uint8Array {
  return sha256(fragmentBytes(element));
}

/** The bytes ECDSA signs: SignedInfo as an EXI fragment of xmldsig-core-schema.xsd alone. */
export function signedInfoBytes(signedInfo: iso2.SignedInfoType): Uint8Array {
  try {
    return iso2.encodeXmldsigFragment({ SignedInfo: signedInfo });
  } catch (err) {
    throw new XmlDsigError(
      "SIG_PROFILE",
      `SignedInfo: not encodable as an xmldsig EXI fragment: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

/** Left-pad a big-endian scalar to 32 bytes (keys and r, s lose leading zeros in some stacks). */
function pad32(b: Uint8Array, what: string): Uint8Array {
  if (b.length === 32) return b;
  if (b.length > 32 || b.length === 0)
    throw new XmlDsigError("SIG_KEY", `${what}: ${b.length} B, not a P-256 scalar`);
  const out = new Uint8Array(32);
  out.set(b, 32 - b.length);
  return out;
}

/**
 * Sign elements (each `{ Name: value }` with an `Id`) with a P-256 private key (32-byte scalar): one
 * Reference per element, in the given order. Returns the `Signature` for `V2G_Message.Header`.
 */
export function signFragments(
  elements: readonly SignedElement[],
  privateKey: Uint8Array,
): iso2.SignatureType {
  if (elements.length === 0 || elements.length > MAX_REFERENCES)
    throw new XmlDsigError(
      "SIG_PROFILE",
      `${elements.length} references: 1 to ${MAX_REFERENCES} allowed ([V2G2-909])`,
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
      DigestMethod: { Algorithm: DIGEST_SHA256 },
      DigestValue: digestElement(e),
    };
  });
  const SignedInfo: iso2.SignedInfoType = {
    CanonicalizationMethod: { Algorithm: C14N_EXI },
    SignatureMethod: { Algorithm: ECDSA_SHA256 },
    Reference,
  };
  let sig: Uint8Array;
  try {
    sig = p256.sign(signedInfoBytes(SignedInfo), pad32(privateKey, "private key"), { prehash: true });
  } catch (err) {
    if (err instanceof XmlDsigError) throw err;
    throw new XmlDsigError("SIG_KEY", `private key: ${(err as Error).message}`, { cause: err });
  }
  return { SignedInfo, SignatureValue: { CONTENT: sig } };
}

/** A P-256 public key (SEC 1 point, 65 or 33 bytes) or a DER certificate / SubjectPublicKeyInfo holding one. */
export type VerifyKey = Uint8Array;

function publicKeyOf(key: VerifyKey): Uint8Array {
  if (!(key instanceof Uint8Array))
    throw new XmlDsigError("SIG_KEY", "key: expected bytes (SEC 1 point or DER)");
  if (key[0] === 0x30) return publicKeyFromDer(key);
  if ((key.length === 65 && key[0] === 0x04) || (key.length === 33 && (key[0] === 0x02 || key[0] === 0x03)))
    return key;
  throw new XmlDsigError("SIG_KEY", `key: ${key.length} B is neither a SEC 1 P-256 point nor DER`);
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
function elementsWithId(body: Record<string, unknown>): Map<string, SignedElement> {
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
  checkProfile(sig);
  const body = (message.Body ?? {}) as Record<string, unknown>;
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
    const got = digestElement(el);
    if (!equal(got, ref.DigestValue))
      throw new XmlDsigError(
        "SIG_DIGEST",
        `Reference ${uri} (${name}): DigestValue does not match the SHA-256 of its EXI fragment`,
        { reference: uri },
      );
    references.push({ uri, element: name });
  }
  const bodyName = Object.keys(body)[0] ?? "";
  for (const want of EXPECTED[bodyName] ?? []) {
    for (const [id, el] of byId)
      if (nameOf(el) === want && !covered.has(`#${id}`))
        throw new XmlDsigError(
          "SIG_REFERENCE",
          `${bodyName}: ${want} (Id ${id}) is not referenced by the signature`,
          {
            reference: `#${id}`,
          },
        );
    if ((EXPECTED[bodyName]?.length ?? 0) > 1 && ![...byId.values()].some((el) => nameOf(el) === want))
      throw new XmlDsigError("SIG_REFERENCE", `${bodyName}: ${want} has no Id to reference`);
  }
  const value = sig.SignatureValue.CONTENT;
  if (!(value instanceof Uint8Array) || value.length !== 64)
    throw new XmlDsigError("SIG_VALUE", `SignatureValue: ${value?.length ?? 0} B, expected r‖s of 64 B`);
  const pub = publicKeyOf(key);
  let ok: boolean;
  try {
    ok = p256.verify(value, signedInfoBytes(sig.SignedInfo), pub, { prehash: true, lowS: false });
  } catch (err) {
    if (err instanceof XmlDsigError) throw err;
    throw new XmlDsigError("SIG_KEY", `public key: ${(err as Error).message}`, { cause: err });
  }
  if (!ok)
    throw new XmlDsigError(
      "SIG_VALUE",
      "SignatureValue: ECDSA P-256 over the SignedInfo EXI fragment does not verify",
    );
  return { ok: true, references };
}

function checkProfile(sig: iso2.SignatureType): void {
  const si = sig.SignedInfo;
  const bad = (field: string, rule: string) => {
    throw new XmlDsigError("SIG_PROFILE", `${field}: ${rule}`);
  };
  if (!si) bad("Signature.SignedInfo", "missing");
  if (si.CanonicalizationMethod?.Algorithm !== C14N_EXI)
    bad("SignedInfo.CanonicalizationMethod", `Algorithm must be ${C14N_EXI}`);
  if (si.SignatureMethod?.Algorithm !== ECDSA_SHA256)
    bad("SignedInfo.SignatureMethod", `Algorithm must be ${ECDSA_SHA256}`);
  if (si.Id !== undefined) bad("SignedInfo.Id", "not used ([V2G2-771])");
  if (si.SignatureMethod.HMACOutputLength !== undefined)
    bad("SignatureMethod.HMACOutputLength", "not used ([V2G2-771])");
  if (sig.KeyInfo !== undefined || sig.Object !== undefined)
    bad("Signature.KeyInfo/Object", "not used ([V2G2-771])");
  if (sig.SignatureValue?.Id !== undefined) bad("SignatureValue.Id", "not used ([V2G2-771])");
  const refs = si.Reference ?? [];
  if (refs.length === 0 || refs.length > MAX_REFERENCES)
    bad("SignedInfo.Reference", `${refs.length} references: 1 to ${MAX_REFERENCES} allowed ([V2G2-909])`);
  for (const r of refs) {
    const at = `Reference ${r.URI ?? "(no URI)"}`;
    if (r.Type !== undefined) bad(`${at}.Type`, "not used ([V2G2-771])");
    const ts = r.Transforms?.Transform ?? [];
    if (ts.length !== 1 || ts[0]!.Algorithm !== C14N_EXI || ts[0]!.XPath !== undefined)
      bad(`${at}.Transforms`, `exactly one Transform ${C14N_EXI}`);
    if (r.DigestMethod?.Algorithm !== DIGEST_SHA256)
      bad(`${at}.DigestMethod`, `Algorithm must be ${DIGEST_SHA256}`);
    if (!(r.DigestValue instanceof Uint8Array) || r.DigestValue.length !== 32)
      bad(`${at}.DigestValue`, "must be 32 bytes (SHA-256)");
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
