/**
 * ISO 15118-2 PaymentDetailsReq → Res (Plug & Charge; checks as EVerest EvseV2G and RISE-V2G apply them):
 * Contract must have been selected; the contract chain is validated against the MO **and** V2G roots (RFC
 * 5280 path validation, [V2G2-885]); the eMAID of the body must equal the leaf CN (separators stripped,
 * case-insensitive); on success a fresh 16-byte GenChallenge from the injected CSPRNG ([V2G2-825]). Every
 * failure still carries a 16-byte GenChallenge and EVSETimeStamp (mandatory fields) and ends the session with
 * a named stop reason.
 */
import { type ChainCode, sameEmaid, validateChain } from "../../pnc/chain.js";
import type { SeccHandler, SeccOutcome } from "../../session/secc-protocol.js";
import { epochSeconds, type SeccState } from "../../session/secc-state.js";
import type { StopReason } from "../../session/types.js";
import type { iso2 } from "./common.js";

/** GenChallenge length ([V2G2-697], XSD genChallengeType length 16). */
export const GEN_CHALLENGE_BYTES = 16;
/** OK_CertificateExpiresSoon when the contract leaf expires within this time (RISE-V2G uses 21 days). */
export const CONTRACT_EXPIRES_SOON_MS = 21 * 86_400_000;

const STOP: Partial<Record<ChainCode, StopReason>> = {
  EXPIRED: "contract-expired",
  NOT_YET_VALID: "contract-expired",
  REVOKED: "contract-revoked",
};

function response(s: SeccState, code: iso2.responseCodeType, tMs: number, challenge?: Uint8Array) {
  return {
    ResponseCode: code,
    GenChallenge: challenge ?? new Uint8Array(GEN_CHALLENGE_BYTES),
    EVSETimeStamp: epochSeconds(s, tMs),
  } satisfies iso2.PaymentDetailsResType;
}

function refuse(
  s: SeccState,
  code: iso2.responseCodeType,
  tMs: number,
  reason: StopReason,
  detail: string,
): SeccOutcome {
  return {
    state: s,
    body: response(s, code, tMs),
    end: { reason, detail: `PaymentDetailsRes ${code}: ${detail}` },
  };
}

/** SECC handler of PaymentDetailsReq. */
export const paymentDetails: SeccHandler = {
  name: "PaymentDetails",
  res: "PaymentDetailsRes",
  handle(s, req: iso2.PaymentDetailsReqType, ctx) {
    const pnc = s.cfg.pnc;
    // without Contract selected (or without PnC configured) the request is not served, as before PnC
    if (!pnc || s.payment?.option !== "Contract")
      return { state: s, body: response(s, "FAILED_PaymentSelectionInvalid", ctx.tMs) };
    const chain = req.ContractSignatureCertChain;
    const r = validateChain({
      leaf: chain.Certificate,
      subCas: chain.SubCertificates?.Certificate ?? [],
      roots: [...pnc.moRoots, ...pnc.v2gRoots],
      nowMs: Number(epochSeconds(s, ctx.tMs)) * 1000,
      purpose: "contract",
      ...(pnc.isRevoked && { isRevoked: pnc.isRevoked }),
    });
    if (r.code !== "OK")
      return refuse(s, r.responseCode, ctx.tMs, STOP[r.code] ?? "contract-invalid", `${r.code}: ${r.detail}`);
    const cn = r.leaf?.subject.cn ?? "";
    if (!sameEmaid(req.eMAID, cn))
      return refuse(
        s,
        "FAILED_CertChainError",
        ctx.tMs,
        "contract-invalid",
        `eMAID "${req.eMAID}" is not the leaf CN "${cn}"`,
      );
    const challenge = pnc.randomBytes(GEN_CHALLENGE_BYTES);
    if (!(challenge instanceof Uint8Array) || challenge.length !== GEN_CHALLENGE_BYTES)
      return refuse(
        s,
        "FAILED",
        ctx.tMs,
        "internal-error",
        `randomBytes gave no ${GEN_CHALLENGE_BYTES} bytes`,
      );
    const soon = (r.leaf?.notAfter ?? 0) - Number(epochSeconds(s, ctx.tMs)) * 1000 < CONTRACT_EXPIRES_SOON_MS;
    return {
      state: {
        ...s,
        payment: {
          option: "Contract",
          contract: { leaf: chain.Certificate, emaid: cn, subCas: chain.SubCertificates?.Certificate ?? [] },
          challenge,
        },
      },
      body: response(s, soon ? "OK_CertificateExpiresSoon" : "OK", ctx.tMs, challenge),
    };
  },
  failed: (s, code, tMs) => response(s, code as iso2.responseCodeType, tMs),
};
