/** ISO 15118-2 ServiceDetailReq → Res: the charge service has no parameters; other IDs are FAILED_ServiceIDInvalid. */
import { CHARGE_SERVICE_ID } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import type { iso2 } from "./common.js";

/** SECC handler of ServiceDetailReq. */
export const serviceDetail: SeccHandler = {
  name: "ServiceDetail",
  res: "ServiceDetailRes",
  handle(s, req: iso2.ServiceDetailReqType) {
    const ok = req.ServiceID === CHARGE_SERVICE_ID;
    const body: iso2.ServiceDetailResType = {
      ResponseCode: ok ? "OK" : "FAILED_ServiceIDInvalid",
      ServiceID: req.ServiceID,
    };
    return { state: s, body };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso2.responseCodeType, ServiceID: CHARGE_SERVICE_ID }),
};
