/**
 * XMLDSig over EXI (ISO 15118-2 Plug & Charge): AuthorizationReq signature verifications and signings per
 * second with @noble/curves P-256 — verify = fragment encode + SHA-256 digest check + SignedInfo encode +
 * ECDSA verify (the SECC's work per signed AuthorizationReq); sign = the EVCC's. The verified message is the
 * decoded dsV2Gshark AuthorizationReq with its contract certificate (DER, public key extracted on each call)
 * when the shared vectors are present, else one signed here. Rates are per second of process CPU time, the
 * median of 7 samples of ≥ 200 ms after a 500 ms warm-up.
 */
import { p256 } from "@noble/curves/nist.js";
import type * as iso2 from "../src/codecs/iso2/index.js";
import { checkSessionSignatures } from "../src/v2g/pnc/signed-session.js";
import { signFragments, type VerifyKey, verifySignature } from "../src/v2g/pnc/xmldsig.js";
import { cpuRate } from "./cpu-rate.js";
import type { BenchResult } from "./types.js";

/** A real signed AuthorizationReq and its contract certificate, from the shared vectors if present. */
async function realAuthorization(): Promise<
  { m: iso2.V2G_Message; key: VerifyKey; from: string } | undefined
> {
  try {
    const { loadVectors, fromHex } = await import("../tools/codegen/vectors.js");
    const iso2c = await import("../src/codecs/iso2/index.js");
    const msgs = loadVectors("iso2")
      .filter((v) => String(v.source).includes("ISO-2_DC_PnC_TLS_Contract"))
      .map((v) => iso2c.decode(fromHex(v.hex)));
    const c = checkSessionSignatures(msgs).find((x) => x.body === "AuthorizationReq" && x.result.ok);
    if (!c) return undefined;
    const pdr = msgs.find((m) => m.Body.PaymentDetailsReq)!;
    return {
      m: msgs[c.index]!,
      key: pdr.Body.PaymentDetailsReq!.ContractSignatureCertChain.Certificate,
      from: "dsV2Gshark",
    };
  } catch {
    return undefined;
  }
}

export async function run(): Promise<BenchResult[]> {
  const priv = p256.utils.randomSecretKey();
  const pub = p256.getPublicKey(priv, false);
  const el = { AuthorizationReq: { Id: "ID1", GenChallenge: new Uint8Array(16).fill(7) } };
  const own = {
    m: {
      Header: { SessionID: new Uint8Array(8), Signature: signFragments([el], priv) },
      Body: el,
    } as iso2.V2G_Message,
    key: pub as VerifyKey,
    from: "signed here (raw public key)",
  };
  const real = (await realAuthorization()) ?? own;
  if (!verifySignature(real.m, real.key).ok) throw new Error("bench: the AuthorizationReq does not verify");
  const v = cpuRate(() => {
    if (!verifySignature(real.m, real.key).ok) throw new Error("verify failed");
  }, 10);
  const s = cpuRate(() => {
    signFragments([el], priv);
  }, 10);
  return [
    {
      name: "xmldsig AuthorizationReq verifications/s",
      value: v.median,
      unit: "verify/s",
      detail: {
        min: v.min,
        max: v.max,
        message: real.from,
        key: real.from === "dsV2Gshark" ? "DER certificate" : "raw",
      },
    },
    {
      name: "xmldsig AuthorizationReq signings/s",
      value: s.median,
      unit: "sign/s",
      detail: { min: s.min, max: s.max },
    },
  ];
}
