/**
 * The EVCC's contract (ISO 15118-2 Plug & Charge): the contract certificate chain (leaf first, then MO
 * Sub-CA 2, Sub-CA 1; the root is never sent), the contract private key (P-256 scalar), the eMAID (the leaf
 * CN without separators, [V2G2-108]) and the expiry. Platform-neutral: the host reads the files.
 */
import { p256, p521 } from "@noble/curves/nist.js";
import { CertError, type CertProfile, ISO2_CERT_PROFILE, parseCertificateWith } from "./cert.js";

/** A contract held by the EV. */
export interface Contract {
  /** DER, leaf first (leaf, Sub-CA 2, Sub-CA 1). */
  chain: Uint8Array[];
  /** P-256 private scalar of the leaf, 32 B. */
  privateKey: Uint8Array;
  /** eMAID as sent in PaymentDetailsReq (leaf CN, separators removed). */
  emaid: string;
  /** Leaf notAfter, Unix ms. */
  notAfterMs: number;
  /** Leaf notBefore, Unix ms. */
  notBeforeMs: number;
}

/**
 * A contract from its chain and key. Throws {@link CertError} when the leaf does not parse, has no CN, or the
 * key is not the leaf's (`CERT_PROFILE`).
 */
export function createContract(chain: readonly Uint8Array[], privateKey: Uint8Array): Contract {
  return contractOf(chain, privateKey, { profile: ISO2_CERT_PROFILE, maxChain: 3, cnRule: " ([V2G2-108])" });
}

/**
 * The checks of a contract for either protocol: 1 to `maxChain` certificates in `profile`, a leaf CN (the
 * eMAID), and a private scalar on the leaf's curve whose public key is the leaf's.
 */
export function contractOf(
  chain: readonly Uint8Array[],
  privateKey: Uint8Array,
  o: { profile: CertProfile; maxChain: number; cnRule?: string },
): Contract {
  if (chain.length === 0 || chain.length > o.maxChain)
    throw new CertError(
      "CERT_PROFILE",
      `contract chain: ${chain.length} certificates, expected 1 to ${o.maxChain}`,
    );
  const leaf = parseCertificateWith(chain[0]!, o.profile);
  for (let i = 1; i < chain.length; i++) parseCertificateWith(chain[i]!, o.profile);
  const cn = leaf.subject.cn;
  if (!cn) throw new CertError("CERT_PROFILE", `contract leaf: no CN (the eMAID${o.cnRule ?? ""})`);
  const curveName = leaf.curve ?? "P-256";
  let pub: Uint8Array;
  try {
    pub = (curveName === "P-521" ? p521 : p256).getPublicKey(privateKey, false);
  } catch (err) {
    throw new CertError(
      "CERT_PROFILE",
      `contract key: not a ${curveName} scalar: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (pub.length !== leaf.publicKey.length || pub.some((b, i) => b !== leaf.publicKey[i]))
    throw new CertError("CERT_PROFILE", "contract key: does not match the contract leaf's public key");
  return {
    chain: [...chain],
    privateKey,
    emaid: cn.replaceAll("-", ""),
    notAfterMs: leaf.notAfter,
    notBeforeMs: leaf.notBefore,
  };
}

/** True when the contract is valid at `nowMs` (the EVCC then selects Contract if the SECC offers it). */
export function contractUsable(c: Contract | undefined, nowMs: number): c is Contract {
  return !!c && nowMs >= c.notBeforeMs && nowMs <= c.notAfterMs;
}
