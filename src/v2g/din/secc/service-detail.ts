/** DIN 70121 ServiceDetailReq → ServiceDetailRes: the charge service has no parameters; others are unknown. */
import { CHARGE_SERVICE_ID } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { din } from "./common.js";

/** SECC handler of ServiceDetailReq (FAILED_ServiceIDInvalid for anything but ServiceID 1). */
export const serviceDetail: SeccHandler = {
  name: "ServiceDetail",
  res: "ServiceDetailRes",
  handle(s, req: din.ServiceDetailReqType) {
    const ok = req.ServiceID === CHARGE_SERVICE_ID;
    const body: din.ServiceDetailResType = {
      ResponseCode: ok ? "OK" : "FAILED_ServiceIDInvalid",
      ServiceID: req.ServiceID,
    };
    return { state: s, body };
  },
  failed: (_s, code) => ({ ResponseCode: code as din.responseCodeType, ServiceID: CHARGE_SERVICE_ID }),
};
