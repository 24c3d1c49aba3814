/**
 * XMLDSig over EXI for ISO 15118-20 messages: the ISO-2 code of `xmldsig.ts` with the -20 CommonMessages
 * schema set and the -20 algorithms.
 *
 * - each Reference digests the EXI fragment of the referenced element with the fragment grammar of the
 *   CommonMessages schema set (EXI 1.0 §8.5.2; e.g. `PnC_AReqAuthorizationMode` with its `Id`);
 * - SignedInfo is an EXI fragment of `xmldsig-core-schema.xsd` alone, as in ISO-2;
 * - the signature suite is ECDSA over P-521 with SHA-512 (`…xmldsig-more#ecdsa-sha512`, RFC 4051 §2.3.6) and
 *   SHA-512 digests (`…xmlenc#sha512`), [V2G20-2674]; SignatureValue is r‖s, 66 bytes each;
 * - lab peers run -20 Plug & Charge with P-256 keys (Josev's -20 test PKI, ISO 15118-20 interop notes): the
 *   ISO-2 suite (ECDSA P-256/SHA-256) is accepted only when asked for with
 *   {@link ISO20_LAB_SIGNATURE_ALGORITHMS}. Ed448 ([V2G20-2319]) is not supported.
 *
 * In -20 the signature sits in the body element's own `Header` (there is no V2G_Message wrapper). Platform-neutral.
 */
import * as iso20Common from "../../codecs/iso20_common/index.js";
import {
  checkSignatureOf,
  ECDSA_P521_SHA512,
  encodeOrThrow,
  ISO2_ECDSA_P256_SHA256,
  type SignatureAlgorithm,
  type SignedElement,
  signElements,
  type VerifiedSignature,
  type VerifyKey,
  type VerifyResult,
  type XmlDsigProfile,
} from "./xmldsig.js";
import { XmlDsigError } from "./xmldsig-errors.js";

export { ECDSA_P521_SHA512, ISO2_ECDSA_P256_SHA256 };

/** The suites a -20 signature may use: ECDSA P-521/SHA-512 only ([V2G20-2674]). */
export const ISO20_SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = Object.freeze([ECDSA_P521_SHA512]);
/**
 * Lab interop: also accept ECDSA P-256/SHA-256 in -20 messages (peers whose -20 PKI is P-256, e.g. Josev's
 * `create_certs.sh -v iso-20`). Off unless a configuration names it.
 */
export const ISO20_LAB_SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = Object.freeze([
  ECDSA_P521_SHA512,
  ISO2_ECDSA_P256_SHA256,
]);

const nameOf = (e: SignedElement) => Object.keys(e)[0] ?? "";

/** The ISO 15118-20 profile: CommonMessages fragments, the -20 signed elements. */
export const ISO20_XMLDSIG: XmlDsigProfile = Object.freeze({
  standard: "ISO-20 CommonMessages",
  fragment: (e: SignedElement) =>
    encodeOrThrow("ISO-20 CommonMessages", nameOf(e), () => iso20Common.encodeFragment(e)),
  signedInfo: (si: iso20Common.SignedInfoType) =>
    encodeOrThrow(
      "ISO-20",
      "SignedInfo",
      () => iso20Common.encodeXmldsigFragment({ SignedInfo: si }),
      "SIG_PROFILE",
    ),
  // who signs what in -20: the contract key signs the PnC authorization mode, the OEM provisioning key the
  // OEMProvisioningCertificateChain, the contract key the SignedMeteringData
  expected: Object.freeze({
    AuthorizationReq: ["PnC_AReqAuthorizationMode"],
    CertificateInstallationReq: ["OEMProvisioningCertificateChain"],
    MeteringConfirmationReq: ["SignedMeteringData"],
  }),
  expectedRequired: true,
  maxReferencesRule: "the [V2G2-909] limit, kept for -20",
});

/** The suite of a private scalar: 66 bytes → P-521/SHA-512, 32 → the lab P-256/SHA-256. */
export function algorithmForKey(privateKey: Uint8Array): SignatureAlgorithm {
  if (privateKey.length === ECDSA_P521_SHA512.scalarBytes) return ECDSA_P521_SHA512;
  if (privateKey.length === ISO2_ECDSA_P256_SHA256.scalarBytes) return ISO2_ECDSA_P256_SHA256;
  throw new XmlDsigError(
    "SIG_KEY",
    `private key: ${privateKey.length} B, neither a P-521 nor a P-256 scalar`,
  );
}

/**
 * Sign -20 elements (each `{ Name: value }` with an `Id`, e.g. `{ PnC_AReqAuthorizationMode: … }`) with a
 * private scalar; the suite follows the key ({@link algorithmForKey}) unless given. Returns the `Signature`
 * for the message's `Header`.
 */
export function signIso20(
  elements: readonly SignedElement[],
  privateKey: Uint8Array,
  algorithm: SignatureAlgorithm = algorithmForKey(privateKey),
): iso20Common.SignatureType {
  return signElements(elements, privateKey, ISO20_XMLDSIG, algorithm) as iso20Common.SignatureType;
}

/** Options of {@link verifyIso20Signature}. */
export interface Iso20VerifyOptions {
  /** Suites accepted (default {@link ISO20_SIGNATURE_ALGORITHMS}). */
  algorithms?: readonly SignatureAlgorithm[];
}

/**
 * Verify the Header/Signature of a -20 message (`{ AuthorizationReq: { Header, … } }`) with the signer's
 * public key or certificate (DER): the profile, every Reference resolving to an element of the body by `Id`,
 * every element the message type must sign referenced, each DigestValue, and ECDSA over SignedInfo.
 */
export function verifyIso20Signature(
  message: Record<string, unknown>,
  key: VerifyKey,
  opts: Iso20VerifyOptions = {},
): VerifyResult {
  try {
    return checkIso20Signature(message, key, opts);
  } catch (err) {
    if (err instanceof XmlDsigError) return { ok: false, error: err };
    return {
      ok: false,
      error: new XmlDsigError("SIG_PROFILE", `signature: ${(err as Error).message}`, { cause: err }),
    };
  }
}

/** As {@link verifyIso20Signature}, but throws {@link XmlDsigError}. */
export function checkIso20Signature(
  message: Record<string, unknown>,
  key: VerifyKey,
  opts: Iso20VerifyOptions = {},
): VerifiedSignature {
  const keys = typeof message === "object" && message !== null ? Object.keys(message) : [];
  if (keys.length !== 1)
    throw new XmlDsigError("SIG_MISSING", `message: expected { Element: value }, got ${keys.length} keys`);
  const name = keys[0]!;
  const value = message[name];
  if (typeof value !== "object" || value === null)
    throw new XmlDsigError("SIG_MISSING", `${name}: not an element`);
  const { Header, ...rest } = value as { Header?: { Signature?: iso20Common.SignatureType } };
  const sig = Header?.Signature;
  if (!sig) throw new XmlDsigError("SIG_MISSING", `${name}.Header.Signature is missing`);
  return checkSignatureOf(
    sig as never,
    { [name]: rest },
    key,
    ISO20_XMLDSIG,
    opts.algorithms ?? ISO20_SIGNATURE_ALGORITHMS,
  );
}
