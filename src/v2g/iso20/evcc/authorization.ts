/**
 * ISO 15118-20 AuthorizationReq / Res (EVSEProcessing). EIM: the empty EIM_AReqAuthorizationMode.
 * PnC (selected when AuthorizationSetupRes offered it and the EV holds a valid -20 contract): the
 * PnC_AReqAuthorizationMode {@Id, the GenChallenge of AuthorizationSetupRes, ContractCertificateChain: leaf and
 * Sub-CAs, root never sent}, signed with the contract key in the header (XMLDSig over its CommonMessages EXI
 * fragment, ECDSA P-521/SHA-512, [V2G20-2674]). The XSD choice is mandatory, so a repeat while Ongoing carries
 * the same mode and signature.
 */
import { signIso20 } from "../../pnc/xmldsig20.js";
import { evcc20 } from "../../session/evcc-flow-iso20.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import type { EvccState } from "../../session/evcc-state.js";
import type { Body, iso20Common } from "./common.js";

/** Id of the signed PnC_AReqAuthorizationMode (short Ids as RISE-V2G advises: small peer buffers). */
export const PNC_AREQ_ID = "ID1";

/** The -20 contract the EV authorises with, when PnC was selected. */
function pncContract(s: EvccState) {
  const f = evcc20(s);
  return f.auth === "PnC" && f.pncChallenge && s.cfg.contract20
    ? { c: s.cfg.contract20, ch: f.pncChallenge }
    : null;
}

/** EVCC side of Authorization. */
export const authorization: EvccMessage = {
  name: "Authorization",
  req: "AuthorizationReq",
  res: "AuthorizationRes",
  build(s): Body<iso20Common.AuthorizationReqType> {
    const p = pncContract(s);
    if (!p) return { SelectedAuthorizationService: "EIM", EIM_AReqAuthorizationMode: {} };
    const [leaf, ...subs] = p.c.chain;
    return {
      SelectedAuthorizationService: "PnC",
      PnC_AReqAuthorizationMode: {
        Id: PNC_AREQ_ID,
        GenChallenge: p.ch,
        ContractCertificateChain: { Certificate: leaf!, SubCertificates: { Certificate: subs } },
      },
    };
  },
  signature(s, body: Body<iso20Common.AuthorizationReqType>) {
    const p = pncContract(s);
    const mode = body.PnC_AReqAuthorizationMode;
    if (!p || !mode) return undefined;
    const sig = signIso20([{ PnC_AReqAuthorizationMode: mode }], p.c.privateKey);
    if (s.cfg.pncFault === "bad-signature") sig.SignatureValue.CONTENT[0]! ^= 0x01;
    return sig;
  },
  read: (r: iso20Common.AuthorizationResType) => ({ code: r.ResponseCode, processing: r.EVSEProcessing }),
};
