/**
 * ISO 15118-2 AuthorizationReq / Res with EVSEProcessing (fields per EcoG-io/iso15118). EIM: no Id /
 * GenChallenge. Contract (as the RISE-V2G and EcoG-io/iso15118 EVCCs send it): the first request carries `Id`
 * and the GenChallenge of PaymentDetailsRes and is signed with the contract key (XMLDSig over its EXI
 * fragment); the repeats while Ongoing are empty and unsigned ([V2G2-684]).
 */
import { signFragments } from "../../pnc/xmldsig.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { EvccState } from "../../session/evcc-state.js";
import { activeContract } from "../../session/evcc-state.js";
import type { iso2 } from "./common.js";

/** Id of the signed AuthorizationReq (short Ids, as RISE-V2G's EVCC uses; unique per message, xs:ID). */
export const AUTHORIZATION_REQ_ID = "ID1";
/** `replayed-challenge` fault: the GenChallenge of an earlier session, echoed again. */
export const STALE_CHALLENGE = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

function challengeOf(s: EvccState): Uint8Array | null {
  if (s.payment !== "Contract" || !s.genChallenge) return null;
  return s.cfg.pncFault === "replayed-challenge" ? STALE_CHALLENGE : s.genChallenge;
}

/** EVCC side of Authorization. */
export const authorization: EvccMessage = {
  name: "Authorization",
  req: "AuthorizationReq",
  res: "AuthorizationRes",
  build(s): iso2.AuthorizationReqType {
    const challenge = challengeOf(s);
    return challenge ? { Id: AUTHORIZATION_REQ_ID, GenChallenge: challenge } : {};
  },
  signature(s, body: iso2.AuthorizationReqType) {
    const key = activeContract(s)?.privateKey;
    if (!key || !body.GenChallenge) return undefined;
    const sig = signFragments([{ AuthorizationReq: body }], key);
    if (s.cfg.pncFault === "bad-signature") sig.SignatureValue.CONTENT[0]! ^= 0x01;
    return sig;
  },
  read: (r: iso2.AuthorizationResType) => ({ code: r.ResponseCode, processing: r.EVSEProcessing }),
};
