/**
 * ISO 15118-20 Plug & Charge checks of an AuthorizationReq with PnC_AReqAuthorizationMode (the ISO-2 Plug &
 * Charge checks [V2G2-475], [V2G2-461], [V2G2-469], reused): the GenChallenge equals the one of this
 * session's AuthorizationSetupRes and is used once; ContractCertificateChain validates to an installed MO or
 * V2G root (RFC 5280 path validation with the -20 profile: secp521r1, ecdsa-with-SHA512, [V2G20-2674]); the
 * header Signature over PnC_AReqAuthorizationMode verifies with the contract leaf (ECDSA P-521/SHA-512). Each
 * refusal is a -20 responseCodeType value (ISO 15118-20 XSD) with a named stop reason; this SECC ends the
 * session on it (the challenge is spent, another PnC attempt in the session cannot pass).
 */
import { ISO20_CERT_PROFILE, ISO20_LAB_CERT_PROFILE } from "../../pnc/cert.js";
import { type ChainCode, validateChain } from "../../pnc/chain.js";
import {
  ISO20_LAB_SIGNATURE_ALGORITHMS,
  ISO20_SIGNATURE_ALGORITHMS,
  verifyIso20Signature,
} from "../../pnc/xmldsig20.js";
import type { SeccOutcome } from "../../session/secc-protocol.js";
import { epochSeconds, type SeccState } from "../../session/secc-state.js";
import type { StopReason } from "../../session/types.js";
import { type Body, type Iso20Code, type iso20Common, session20, with20 } from "./common.js";

/** OK_CertificateExpiresSoon when the contract leaf expires within this time (as ISO-2, 21 days). */
export const ISO20_CONTRACT_EXPIRES_SOON_MS = 21 * 86_400_000;

/** -20 response code and stop reason per chain outcome (-20 responseCodeType: WARNING_Certificate*). */
export const ISO20_CHAIN_RESPONSE: Readonly<
  Record<Exclude<ChainCode, "OK">, { code: Iso20Code; reason: StopReason }>
> = {
  MALFORMED: { code: "WARNING_CertificateValidationError", reason: "contract-invalid" },
  TOO_LONG: { code: "WARNING_CertificateValidationError", reason: "contract-invalid" },
  // no root of that eMSP installed
  NO_ROOTS: { code: "WARNING_eMSPUnknown", reason: "contract-invalid" },
  NO_ANCHOR: { code: "WARNING_eMSPUnknown", reason: "contract-invalid" },
  BAD_SIGNATURE: { code: "WARNING_CertificateValidationError", reason: "contract-invalid" },
  NOT_CA: { code: "WARNING_CertificateValidationError", reason: "contract-invalid" },
  PATH_LEN: { code: "WARNING_CertificateValidationError", reason: "contract-invalid" },
  KEY_USAGE: { code: "WARNING_CertificateValidationError", reason: "contract-invalid" },
  EXPIRED: { code: "WARNING_CertificateExpired", reason: "contract-expired" },
  NOT_YET_VALID: { code: "WARNING_CertificateNotYetValid", reason: "contract-expired" },
  REVOKED: { code: "WARNING_CertificateRevoked", reason: "contract-revoked" },
};

const same = (a: Uint8Array | undefined, b: Uint8Array) => {
  if (!(a instanceof Uint8Array) || a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
};

/** The refusal: Finished with `code`, the session ends with `reason`. */
export function refusePnc(s: SeccState, code: Iso20Code, reason: StopReason, detail: string): SeccOutcome {
  const body: Body<iso20Common.AuthorizationResType> = { ResponseCode: code, EVSEProcessing: "Finished" };
  return {
    state: with20(s, { authorized: false }),
    body,
    processing: "Finished",
    end: { reason, detail: `AuthorizationRes ${code}: ${detail}` },
  };
}

/**
 * Check a PnC AuthorizationReq. Returns the state with the contract recorded (and the challenge spent) and
 * the ResponseCode to answer when it passes, else the refusal.
 */
export function checkPnc20(
  s: SeccState,
  req: iso20Common.AuthorizationReqType,
  message: unknown,
  tMs: number,
): { state: SeccState; code: Iso20Code } | SeccOutcome {
  const pnc = s.cfg.pnc20;
  const facts = session20(s);
  const mode = req.PnC_AReqAuthorizationMode;
  if (!pnc) return refusePnc(s, "FAILED", "internal-error", "PnC selected but not configured");
  if (!mode)
    return refusePnc(
      s,
      "WARNING_AuthorizationSelectionInvalid",
      "contract-invalid",
      "SelectedAuthorizationService PnC without PnC_AReqAuthorizationMode",
    );
  // a repeat while Ongoing: the contract passed already
  if (facts.pncContract && facts.pncChallenge === null) return { state: s, code: "OK" };
  const challenge = facts.pncChallenge;
  if (!challenge)
    return refusePnc(
      s,
      "WARNING_ChallengeInvalid",
      "challenge-invalid",
      "no GenChallenge issued in this session",
    );
  if (!same(mode.GenChallenge, challenge))
    return refusePnc(
      s,
      "WARNING_ChallengeInvalid",
      "challenge-invalid",
      "PnC_AReqAuthorizationMode.GenChallenge is not the one of AuthorizationSetupRes",
    );
  // the challenge is spent whatever the verdict
  const spent = with20(s, { pncChallenge: null });
  const chain = mode.ContractCertificateChain;
  const nowMs = Number(epochSeconds(s, tMs)) * 1000;
  const r = validateChain({
    leaf: chain.Certificate,
    subCas: chain.SubCertificates?.Certificate ?? [],
    roots: [...pnc.moRoots, ...pnc.v2gRoots],
    nowMs,
    purpose: "contract",
    profile: pnc.labP256 ? ISO20_LAB_CERT_PROFILE : ISO20_CERT_PROFILE,
    ...(pnc.isRevoked && { isRevoked: pnc.isRevoked }),
  });
  if (r.code !== "OK") {
    const { code, reason } = ISO20_CHAIN_RESPONSE[r.code];
    return refusePnc(spent, code, reason, `ContractCertificateChain ${r.code}: ${r.detail}`);
  }
  const v = verifyIso20Signature(message as Record<string, unknown>, chain.Certificate, {
    algorithms: pnc.labP256 ? ISO20_LAB_SIGNATURE_ALGORITHMS : ISO20_SIGNATURE_ALGORITHMS,
  });
  if (!v.ok)
    return refusePnc(
      spent,
      "FAILED_SignatureError",
      "signature-invalid",
      `${v.error.code}: ${v.error.message}`,
    );
  const emaid = (r.leaf?.subject.cn ?? "").replaceAll("-", "");
  const soon = (r.leaf?.notAfter ?? 0) - nowMs < ISO20_CONTRACT_EXPIRES_SOON_MS;
  return {
    state: with20(spent, { pncContract: { emaid } }),
    code: soon ? "OK_CertificateExpiresSoon" : "OK",
  };
}
