/**
 * ISO 15118-2 AuthorizationReq → Res. EIM: Ongoing while the payment port is pending.
 * Contract (checks as EVerest EvseV2G, RISE-V2G and EcoG-io/iso15118 apply them): the first AuthorizationReq
 * after PaymentDetailsRes must echo the GenChallenge issued in this session (FAILED_ChallengeInvalid,
 * [V2G2-475]) and carry a Header/Signature over the AuthorizationReq element by the contract leaf
 * (FAILED_SignatureError); the challenge is used once. Repeats while EVSEProcessing=Ongoing are unsigned and
 * empty ([V2G2-684]); one that carries a used challenge is a replay and fails.
 */
import type * as iso2codec from "../../../codecs/iso2/index.js";
import { verifySignature } from "../../pnc/xmldsig.js";
import { onAuthorization } from "../../session/secc-logic.js";
import type { SeccHandler, SeccOutcome } from "../../session/secc-protocol.js";
import type { SeccState } from "../../session/secc-state.js";
import type { StopReason } from "../../session/types.js";
import type { iso2 } from "./common.js";

/** Consumed challenges remembered for replay detection. */
export const USED_CHALLENGES_KEPT = 16;

const same = (a: Uint8Array | undefined, b: Uint8Array) => {
  if (!a || a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
};

function refuse(s: SeccState, code: iso2.responseCodeType, reason: StopReason, detail: string): SeccOutcome {
  const body: iso2.AuthorizationResType = { ResponseCode: code, EVSEProcessing: "Finished" };
  return {
    state: s,
    body,
    end: { reason, detail: `AuthorizationRes ${code}: ${detail}` },
  };
}

/** Contract checks: the new state when the request passes, else the refusal. */
function checkContract(
  s: SeccState,
  req: iso2.AuthorizationReqType,
  message: unknown,
): { state: SeccState } | SeccOutcome {
  const pay = s.payment;
  const got = req.GenChallenge;
  if (got && s.usedChallenges.some((c) => same(got, c)))
    return refuse(
      s,
      "FAILED_ChallengeInvalid",
      "challenge-invalid",
      "GenChallenge was already used (replay)",
    );
  if (!pay?.challenge) {
    // a repeat while Ongoing: unsigned and empty ([V2G2-684])
    if (s.last === "Authorization" && !got) return { state: s };
    return refuse(
      s,
      "FAILED_ChallengeInvalid",
      "challenge-invalid",
      "no GenChallenge issued in this session",
    );
  }
  if (!same(got, pay.challenge))
    return refuse(
      s,
      "FAILED_ChallengeInvalid",
      "challenge-invalid",
      got ? "GenChallenge is not the one of PaymentDetailsRes" : "GenChallenge missing ([V2G2-475])",
    );
  // the challenge is consumed whatever the signature's verdict
  const { challenge, ...rest } = pay;
  const st: SeccState = {
    ...s,
    payment: rest,
    usedChallenges: [...s.usedChallenges, challenge].slice(-USED_CHALLENGES_KEPT),
  };
  if (!req.Id)
    return refuse(st, "FAILED_SignatureError", "signature-invalid", "AuthorizationReq has no Id to sign");
  const v = verifySignature(message as iso2codec.V2G_Message, pay.contract?.leaf ?? new Uint8Array(0));
  if (!v.ok)
    return refuse(st, "FAILED_SignatureError", "signature-invalid", `${v.error.code}: ${v.error.message}`);
  if (!v.references.some((r) => r.element === "AuthorizationReq"))
    return refuse(
      st,
      "FAILED_SignatureError",
      "signature-invalid",
      "the signature does not cover AuthorizationReq",
    );
  return { state: st };
}

/** SECC handler of AuthorizationReq. */
export const authorization: SeccHandler = {
  name: "Authorization",
  res: "AuthorizationRes",
  handle(s0, req: iso2.AuthorizationReqType, ctx) {
    let s = s0;
    if (s.payment?.option === "Contract") {
      const c = checkContract(s, req, ctx.message);
      if ("body" in c) return c;
      s = c.state;
    }
    const { processing, failed } = onAuthorization(s);
    const body: iso2.AuthorizationResType = {
      ResponseCode: failed ? "FAILED" : "OK",
      EVSEProcessing: processing,
    };
    return {
      state: s,
      body,
      processing,
      ...(failed && {
        end: { reason: "authorization-rejected" as const, detail: "AuthorizationRes FAILED" },
      }),
    };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso2.responseCodeType, EVSEProcessing: "Finished" }),
};
