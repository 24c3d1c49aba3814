/**
 * Test-only: a whole PnC test PKI issued by `src/link/pki` (V2G/CPS, MO, OEM trees) turned into what the
 * core takes: DER chains and raw P-256 scalars, a local CPS with two contracts of the same eMAID (the second
 * one for CertificateUpdate), the EV's OEM provisioning certificate and key and its V2G root.
 */

import { X509Certificate } from "node:crypto";
import * as iso2 from "../../../codecs/iso2/index.js";
import {
  type IssuedPncCert,
  issuePncCert,
  issuePncPki,
  PNC_PROFILES,
  type PncPki,
} from "../../../link/pki/index.js";
import { type CpsContract, createLocalCps, type DerChain, type LocalCps } from "../cps.js";
import { PncError } from "../pnc-errors.js";

/** Everything a PnC test needs. */
export interface PncFixture {
  pki: PncPki;
  cps: LocalCps;
  cpsChain: DerChain;
  cpsKey: Uint8Array;
  contracts: [CpsContract, CpsContract];
  oem: { cert: Uint8Array; key: Uint8Array };
  roots: Uint8Array[];
  /** Unix seconds of the issuing time (certificates valid from 5 min before). */
  epochS: number;
}

export const der = (c: IssuedPncCert): Uint8Array => new Uint8Array(c.cert.rawData);

/** The raw private scalar (32 B) of an issued key. */
export async function scalar(c: IssuedPncCert): Promise<Uint8Array> {
  const jwk = await globalThis.crypto.subtle.exportKey("jwk", c.keys.privateKey);
  return new Uint8Array(Buffer.from(jwk.d!, "base64url"));
}

let cached: Promise<PncFixture> | undefined;

/** Issue once per process (EC key generation and signing take a few ms each). */
export function pncFixture(): Promise<PncFixture> {
  cached ??= build();
  return cached;
}

async function build(): Promise<PncFixture> {
  const now = new Date("2026-12-01T00:00:00Z");
  const pki = await issuePncPki({ now });
  const profile = PNC_PROFILES.find((p) => p.role === "contract-leaf")!;
  const second = await issuePncCert(profile, {
    cn: pki["contract-leaf"].cert.subjectName.getField("CN")[0]!,
    now,
    issuer: pki["mo-sub-ca-2"],
  });
  const moSubs = [der(pki["mo-sub-ca-2"]), der(pki["mo-sub-ca-1"])];
  const emaid = pki["contract-leaf"].cert.subjectName.getField("CN")[0]!;
  const contracts: [CpsContract, CpsContract] = [
    {
      chain: { leaf: der(pki["contract-leaf"]), subCas: moSubs },
      privateKey: await scalar(pki["contract-leaf"]),
      emaid,
    },
    { chain: { leaf: der(second), subCas: moSubs }, privateKey: await scalar(second), emaid },
  ];
  const cpsChain = {
    leaf: der(pki["cps-leaf"]),
    subCas: [der(pki["cps-sub-ca-2"]), der(pki["cps-sub-ca-1"])],
  };
  const cpsKey = await scalar(pki["cps-leaf"]);
  return {
    pki,
    cps: createLocalCps({ chain: cpsChain, privateKey: cpsKey, contracts, retryCounter: 0 }),
    cpsChain,
    cpsKey,
    contracts,
    oem: { cert: der(pki["oem-prov-leaf"]), key: await scalar(pki["oem-prov-leaf"]) },
    roots: [der(pki["v2g-root"])],
    epochS: Math.floor(now.getTime() / 1000),
  };
}

/**
 * A chain validator for tests (node:crypto): each certificate issued and signed by the next, the last by one
 * of `roots` — what the lead's full chain validation will do, standing in at the seam.
 */
export function x509ChainValidator(roots: readonly Uint8Array[]) {
  return (chain: DerChain): void => {
    const certs = [chain.leaf, ...chain.subCas].map((b, i) => {
      try {
        return new X509Certificate(b);
      } catch (err) {
        throw new PncError("CERT_CHAIN", `chain[${i}]: not a certificate`, { cause: err });
      }
    });
    const anchors = roots.map((b) => new X509Certificate(b));
    for (let i = 0; i < certs.length; i++) {
      const c = certs[i]!;
      const up = i + 1 < certs.length ? [certs[i + 1]!] : anchors;
      if (!up.some((u) => c.checkIssued(u) && c.verify(u.publicKey)))
        throw new PncError(
          "CERT_CHAIN",
          `chain[${i}] ${c.subject.replace(/\n/g, ",")}: not issued by the next certificate`,
        );
    }
  };
}

/** A signed ISO-2 message (header SessionID + Signature, one body element) after an encode → decode round trip. */
export function throughCodec(
  sessionId: Uint8Array,
  signature: iso2.SignatureType,
  body: iso2.BodyType,
): iso2.V2G_Message {
  return iso2.decode(iso2.encode({ Header: { SessionID: sessionId, Signature: signature }, Body: body }));
}

/** A predictable stand-in for the SECC's CSPRNG (tests only): a fresh byte sequence per generator. */
export function predictableBytes(): (n: number) => Uint8Array {
  let x = 0;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      x = (x * 73 + 41) & 0xff;
      return x;
    });
}
