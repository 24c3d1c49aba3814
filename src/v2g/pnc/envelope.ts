/**
 * The encrypted contract private key of ISO 15118-2 CertificateInstallationRes / CertificateUpdateRes
 * (`ContractSignatureEncryptedPrivateKey` + `DHpublickey`).
 *
 * One-pass ECDH after NIST SP 800-56A: the sender U (the secondary actor, MO/CPS backend) uses an
 * **ephemeral** P-256 key pair; the receiver V (the EVCC) a **static** one: the OEM provisioning key for
 * an installation ([V2G2-820]), the old contract key for an update ([V2G2-821]).
 *
 * - `DHpublickey` = U's ephemeral public point, uncompressed, 65 bytes starting 0x04 ([V2G2-819]).
 * - Z = the x-coordinate of the ECDH shared point, 32 bytes (SEC 1 v2 §3.3.1).
 * - K = the NIST SP 800-56A §5.8.1 concatenation KDF with SHA-256, one round, 128 bits
 *   ([V2G2-818]): `SHA-256(00000001 ‖ Z ‖ OtherInfo)[0..16)`, OtherInfo = AlgorithmID 0x01 ‖
 *   PartyUInfo 0x55 ("U") ‖ PartyVInfo 0x56 ("V"), no length prefixes, no SuppPubInfo/SuppPrivInfo.
 * - `ContractSignatureEncryptedPrivateKey` = IV (16 random bytes) ‖ AES-128-CBC(K, IV, d), no padding
 *   ([V2G2-815], [V2G2-817]); d is the contract private scalar, 32 bytes big-endian ([V2G2-816]).
 *   48 bytes in all (the XSD's maximum).
 *
 * CBC carries no integrity: a receiver checks the CertificateInstallationRes signature first and then,
 * as {@link decryptContractKey} does when given the contract certificate's public key, that d·G equals
 * that key ([V2G2-823]).
 *
 * Platform-neutral: @noble only, no Node built-ins.
 */
import { cbc } from "@noble/ciphers/aes.js";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { NacsError } from "../../errors.js";

/** Length of `DHpublickey`: an uncompressed P-256 point, 0x04 ‖ X ‖ Y ([V2G2-819]). */
export const PNC_DH_PUBLIC_KEY_LENGTH = 65;
/** Length of a P-256 private scalar as carried in the envelope, big-endian, left-padded ([V2G2-816]). */
export const PNC_PRIVATE_KEY_LENGTH = 32;
/** AES-128-CBC initialisation vector, prepended to the ciphertext ([V2G2-817]). */
export const PNC_IV_LENGTH = 16;
/** Length of `ContractSignatureEncryptedPrivateKey`: IV ‖ two AES blocks (XSD maxLength 48). */
export const PNC_ENCRYPTED_KEY_LENGTH = PNC_IV_LENGTH + PNC_PRIVATE_KEY_LENGTH;
/** The session key: AES-128 ([V2G2-818]). */
export const PNC_SESSION_KEY_LENGTH = 16;
/**
 * OtherInfo of the concatenation KDF ([V2G2-818]): AlgorithmID 0x01, PartyUInfo "U" (0x55),
 * PartyVInfo "V" (0x56), as RISE-V2G, Josev and hupe1980/iso15118 build it.
 */
export const PNC_KDF_OTHER_INFO: Readonly<Uint8Array> = Uint8Array.of(0x01, 0x55, 0x56);

/** Why an envelope could not be made or opened. */
export type EnvelopeErrorCode = "bad-length" | "bad-point" | "bad-private-key" | "key-mismatch";

/** The envelope could not be built or opened; `field` names the CertificateInstallationRes field (or input). */
export class EnvelopeError extends NacsError<EnvelopeErrorCode> {
  override readonly name = "EnvelopeError";
  constructor(
    code: EnvelopeErrorCode,
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${field}: ${message}`, options);
  }
}

/** The two fields a CertificateInstallationRes / CertificateUpdateRes carries for the contract key. */
export interface ContractKeyEnvelope {
  /** `DHpublickey`: the sender's ephemeral public point, 65 bytes, 0x04 ‖ X ‖ Y. */
  dhPublicKey: Uint8Array;
  /** `ContractSignatureEncryptedPrivateKey`: IV (16) ‖ AES-128-CBC ciphertext (32), 48 bytes. */
  encryptedPrivateKey: Uint8Array;
}

/** Inputs of {@link encryptContractKey}. */
export interface EncryptContractKeyInput {
  /** The contract private scalar, 1..32 bytes big-endian (left-padded to 32). */
  contractPrivateKey: Uint8Array;
  /** The receiver's static public key (OEM provisioning or old contract certificate), 65-byte point. */
  receiverPublicKey: Uint8Array;
  /** Ephemeral private scalar; random when absent (inject only for test vectors). */
  ephemeralPrivateKey?: Uint8Array;
  /** IV; 16 random bytes when absent (inject only for test vectors: an IV must never be reused). */
  iv?: Uint8Array;
}

/** Inputs of {@link decryptContractKey}. */
export interface DecryptContractKeyInput extends ContractKeyEnvelope {
  /** The receiver's static private scalar (OEM provisioning or old contract key), 32 bytes. */
  receiverPrivateKey: Uint8Array;
  /**
   * The public point (65 bytes) of the delivered contract certificate. When given, the decrypted scalar
   * must produce it ([V2G2-823]); this is the only integrity check CBC allows, so pass it.
   */
  expectedPublicKey?: Uint8Array;
}

const CURVE_ORDER = p256.Point.CURVE().n;

/** NIST SP 800-56A §5.8.1 concatenation KDF, SHA-256, one round (16 ≤ 32 bytes), OtherInfo of [V2G2-818]. */
export function deriveSessionKey(sharedSecretZ: Uint8Array): Uint8Array {
  const counter = Uint8Array.of(0, 0, 0, 1);
  const input = new Uint8Array(counter.length + sharedSecretZ.length + PNC_KDF_OTHER_INFO.length);
  input.set(counter, 0);
  input.set(sharedSecretZ, counter.length);
  input.set(PNC_KDF_OTHER_INFO, counter.length + sharedSecretZ.length);
  return sha256(input).slice(0, PNC_SESSION_KEY_LENGTH);
}

/** Z: the x-coordinate of d·Q (32 bytes). Errors name `field` (the input the point came from). */
export function ecdhSharedSecret(privateKey: Uint8Array, publicKey: Uint8Array, field: string): Uint8Array {
  const point = checkPoint(publicKey, field);
  const shared = p256.getSharedSecret(privateKey, point, true);
  return shared.slice(1, 33);
}

/** The uncompressed public point (65 bytes) of a private scalar. */
export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
  return p256.getPublicKey(privateKey, false);
}

/** Make the envelope: a fresh ephemeral key (unless injected), ECDH, KDF, IV ‖ AES-128-CBC(d). */
export function encryptContractKey(input: EncryptContractKeyInput): ContractKeyEnvelope {
  const d = checkScalar(input.contractPrivateKey, "contractPrivateKey");
  const ephemeral =
    input.ephemeralPrivateKey === undefined
      ? p256.utils.randomSecretKey()
      : checkScalar(input.ephemeralPrivateKey, "ephemeralPrivateKey");
  const iv = input.iv ?? randomBytes(PNC_IV_LENGTH);
  if (iv.length !== PNC_IV_LENGTH)
    throw new EnvelopeError("bad-length", "iv", `must be ${PNC_IV_LENGTH} bytes, got ${iv.length}`);
  const z = ecdhSharedSecret(ephemeral, input.receiverPublicKey, "receiverPublicKey");
  const key = deriveSessionKey(z);
  const ciphertext = cbc(key, iv, { disablePadding: true }).encrypt(d);
  const encryptedPrivateKey = new Uint8Array(PNC_ENCRYPTED_KEY_LENGTH);
  encryptedPrivateKey.set(iv, 0);
  encryptedPrivateKey.set(ciphertext, PNC_IV_LENGTH);
  return { dhPublicKey: publicKeyOf(ephemeral), encryptedPrivateKey };
}

/**
 * Open the envelope: ECDH with the receiver's static key, KDF, AES-128-CBC decrypt, then check
 * 0 < d < n and, when `expectedPublicKey` is given, d·G = that key ([V2G2-823]). Returns d (32 bytes).
 */
export function decryptContractKey(input: DecryptContractKeyInput): Uint8Array {
  const field = "ContractSignatureEncryptedPrivateKey";
  const enc = input.encryptedPrivateKey;
  if (enc.length !== PNC_ENCRYPTED_KEY_LENGTH)
    throw new EnvelopeError(
      "bad-length",
      field,
      `must be ${PNC_ENCRYPTED_KEY_LENGTH} bytes (IV ${PNC_IV_LENGTH} ‖ ciphertext ${PNC_PRIVATE_KEY_LENGTH}, [V2G2-817]), got ${enc.length}`,
    );
  const receiver = checkScalar(input.receiverPrivateKey, "receiverPrivateKey");
  const z = ecdhSharedSecret(receiver, input.dhPublicKey, "DHpublickey");
  const key = deriveSessionKey(z);
  const d = cbc(key, enc.subarray(0, PNC_IV_LENGTH), { disablePadding: true }).decrypt(
    enc.subarray(PNC_IV_LENGTH),
  );
  const scalar = bytesToBigInt(d);
  if (scalar === 0n || scalar >= CURVE_ORDER)
    throw new EnvelopeError(
      "bad-private-key",
      field,
      "decrypts to a value outside 1..n-1 of P-256 ([V2G2-823]): wrong receiver key or corrupted ciphertext",
    );
  if (input.expectedPublicKey !== undefined) {
    const expected = checkPoint(input.expectedPublicKey, "expectedPublicKey");
    if (!equalBytes(publicKeyOf(d), expected))
      throw new EnvelopeError(
        "key-mismatch",
        field,
        "decrypted key does not match the contract certificate's public key ([V2G2-823]): wrong receiver key or corrupted ciphertext",
      );
  }
  return d;
}

/** A private scalar: 1..32 bytes, 0 < d < n; returned left-padded to 32 bytes ([V2G2-816]). */
function checkScalar(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes.length === 0 || bytes.length > PNC_PRIVATE_KEY_LENGTH)
    throw new EnvelopeError(
      "bad-length",
      field,
      `a P-256 private key is 1..${PNC_PRIVATE_KEY_LENGTH} bytes, got ${bytes.length}`,
    );
  const padded = new Uint8Array(PNC_PRIVATE_KEY_LENGTH);
  padded.set(bytes, PNC_PRIVATE_KEY_LENGTH - bytes.length);
  const v = bytesToBigInt(padded);
  if (v === 0n || v >= CURVE_ORDER)
    throw new EnvelopeError("bad-private-key", field, "a P-256 private key must lie in 1..n-1");
  return padded;
}

/** An uncompressed P-256 point: 65 bytes, 0x04 prefix, on the curve. */
function checkPoint(bytes: Uint8Array, field: string): Uint8Array {
  if (bytes.length !== PNC_DH_PUBLIC_KEY_LENGTH)
    throw new EnvelopeError(
      "bad-length",
      field,
      `must be an uncompressed P-256 point of ${PNC_DH_PUBLIC_KEY_LENGTH} bytes ([V2G2-819]), got ${bytes.length}`,
    );
  if (bytes[0] !== 0x04)
    throw new EnvelopeError(
      "bad-point",
      field,
      `must start with 0x04 (uncompressed point, [V2G2-819]), got 0x${(bytes[0] ?? 0).toString(16).padStart(2, "0")}`,
    );
  try {
    p256.Point.fromBytes(bytes).assertValidity();
  } catch (err) {
    throw new EnvelopeError("bad-point", field, "is not a point on P-256", { cause: err });
  }
  return bytes;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
