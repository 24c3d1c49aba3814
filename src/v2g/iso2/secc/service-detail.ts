/**
 * ISO 15118-2 ServiceDetailReq → Res: the charge service has no parameters; the ContractCertificate service
 * (when a CPS is configured) has parameter set 1 `Service`=`Installation` and set 2 `Service`=`Update`
 * (as RISE-V2G's SECC offers them); other IDs are FAILED_ServiceIDInvalid.
 */

import { CONTRACT_CERTIFICATE_SERVICE_ID, CONTRACT_CERTIFICATE_SET } from "../../pnc/cps.js";
import { CHARGE_SERVICE_ID } from "../../session/secc-logic.js";
import type { SeccHandler } from "../../session/secc-protocol.js";
import { providesCertificates } from "../../session/secc-state.js";
import type { iso2 } from "./common.js";

const CERT_SETS: iso2.ServiceParameterListType = {
  ParameterSet: [
    {
      ParameterSetID: CONTRACT_CERTIFICATE_SET.install,
      Parameter: [{ Name: "Service", stringValue: "Installation" }],
    },
    {
      ParameterSetID: CONTRACT_CERTIFICATE_SET.update,
      Parameter: [{ Name: "Service", stringValue: "Update" }],
    },
  ],
};

/** SECC handler of ServiceDetailReq. */
export const serviceDetail: SeccHandler = {
  name: "ServiceDetail",
  res: "ServiceDetailRes",
  handle(s, req: iso2.ServiceDetailReqType) {
    const cert = req.ServiceID === CONTRACT_CERTIFICATE_SERVICE_ID && providesCertificates(s);
    const ok = req.ServiceID === CHARGE_SERVICE_ID || cert;
    const body: iso2.ServiceDetailResType = {
      ResponseCode: ok ? "OK" : "FAILED_ServiceIDInvalid",
      ServiceID: req.ServiceID,
      ...(cert ? { ServiceParameterList: CERT_SETS } : {}),
    };
    return { state: s, body };
  },
  failed: (_s, code) => ({ ResponseCode: code as iso2.responseCodeType, ServiceID: CHARGE_SERVICE_ID }),
};
