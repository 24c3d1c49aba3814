/**
 * ISO 15118-2 PaymentDetailsReq / Res on the EVCC (pnc digest §3.1 rows 5–6): eMAID and the contract chain
 * of the contract in use (the one just installed or updated). Minimal: Contract payment proper (signed
 * AuthorizationReq with GenChallenge) is built elsewhere.
 */
import { chainElement } from "../../pnc/cps.js";
import { currentContract } from "../../pnc/installed-contract.js";
import { PncError } from "../../pnc/pnc-errors.js";
import type { EvccMessage } from "../../session/evcc-protocol.js";
import { evccNowS } from "./certificate-installation.js";
import type { iso2 } from "./common.js";

/** EVCC side of PaymentDetails. */
export const paymentDetails: EvccMessage = {
  name: "PaymentDetails",
  req: "PaymentDetailsReq",
  res: "PaymentDetailsRes",
  build: (s): iso2.PaymentDetailsReqType => {
    const c = currentContract(s.contracts ?? { contracts: [] }, evccNowS(s, s.nowMs));
    if (!c) throw new PncError("NO_CONTRACT", "PaymentDetailsReq: the EV holds no valid contract");
    return { eMAID: c.emaid.replace(/-/g, ""), ContractSignatureCertChain: chainElement(c.chain) };
  },
  read: (r: iso2.PaymentDetailsResType) => ({ code: r.ResponseCode }),
};
