/**
 * ISO 15118-2 PaymentDetailsReq (Plug & Charge: eMAID + ContractSignatureCertChain, leaf then Sub-CA 2,
 * Sub-CA 1; the root is never sent) / Res with the GenChallenge to sign (Plug & Charge, [V2G2-825]; chain
 * order as in the dsV2Gshark PnC captures). The contract is the one in use: just installed or updated, else
 * the configured one.
 */
import { PncError } from "../../pnc/pnc-errors.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { activeContract } from "../../session/evcc-state.js";
import type { iso2 } from "./common.js";

/** EVCC side of PaymentDetails. */
export const paymentDetails: EvccMessage = {
  name: "PaymentDetails",
  req: "PaymentDetailsReq",
  res: "PaymentDetailsRes",
  build(s): iso2.PaymentDetailsReqType {
    const c = activeContract(s);
    if (!c) throw new PncError("NO_CONTRACT", "PaymentDetailsReq: the EV holds no valid contract");
    const [leaf, ...subs] = c.chain;
    return {
      eMAID: c.emaid,
      ContractSignatureCertChain: {
        Certificate: leaf!,
        ...(subs.length > 0 && { SubCertificates: { Certificate: subs } }),
      },
    };
  },
  read: (r: iso2.PaymentDetailsResType) => ({ code: r.ResponseCode, genChallenge: r.GenChallenge }),
};
