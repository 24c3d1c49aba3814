/**
 * The ISO 15118-20 protocol module of the SECC core: decode by payload type (CommonMessages 0x8002, AC
 * 0x8003, DC 0x8004), encode with Header {SessionID, TimeStamp}, the handler table, and the 0.5 s sequence
 * timeout after an AC_ChargeLoopRes / DC_ChargeLoopRes (V2G_SECC_Sequence_Timeout_{AC,DC}_CL, ISO 15118-20
 * [V2G20-1500]/[V2G20-1502]).
 */
import { isAcService } from "../../session/iso20-session.js";
import type { SeccHandler, SeccProtocolModule } from "../../session/secc-protocol.js";
import { decodeIso20, encodeIso20, ISO20_PAYLOAD_TYPES } from "../envelope.js";
import { acChargeLoop } from "./ac-charge-loop.js";
import { acChargeParameterDiscovery } from "./ac-charge-parameter-discovery.js";
import { authorization } from "./authorization.js";
import { authorizationSetup } from "./authorization-setup.js";
import { session20 } from "./common.js";
import { dcCableCheck } from "./dc-cable-check.js";
import { dcChargeLoop } from "./dc-charge-loop.js";
import { dcChargeParameterDiscovery } from "./dc-charge-parameter-discovery.js";
import { dcPreCharge } from "./dc-pre-charge.js";
import { dcWeldingDetection } from "./dc-welding-detection.js";
import { powerDelivery } from "./power-delivery.js";
import { scheduleExchange } from "./schedule-exchange.js";
import { serviceDetail } from "./service-detail.js";
import { serviceDiscovery } from "./service-discovery.js";
import { serviceSelection } from "./service-selection.js";
import { sessionSetup } from "./session-setup.js";
import { sessionStop } from "./session-stop.js";

/**
 * A DC message's handler that first checks the selected service is a DC one: DC_ChargeParameterDiscovery
 * after an AC service was selected → FAILED_WrongChargeParameter and the session ends ([V2G20-2272], the
 * variant check). The other DC_* messages cannot follow an AC selection (the sequence table).
 */
function dcOnly(h: SeccHandler): SeccHandler {
  return {
    ...h,
    handle(s, body, ctx, fx) {
      const id = session20(s).serviceId;
      if (!isAcService(id)) return h.handle(s, body, ctx, fx);
      const detail = `${h.res} FAILED_WrongChargeParameter: ${h.res.replace(/Res$/, "Req")} for the selected AC service ${id}`;
      return {
        state: s,
        body: h.failed(s, "FAILED_WrongChargeParameter", ctx.tMs),
        end: { reason: "failed-response", detail },
      };
    },
  };
}

/**
 * ISO-20 request element → handler: one table for the AC and DC schema sets, the element name (AC_* / DC_*)
 * chooses; whether it fits the selected service is the handler's and the sequence table's concern.
 */
export const ISO20_SECC_HANDLERS: Readonly<Record<string, SeccHandler>> = {
  SessionSetupReq: sessionSetup,
  AuthorizationSetupReq: authorizationSetup,
  AuthorizationReq: authorization,
  ServiceDiscoveryReq: serviceDiscovery,
  ServiceDetailReq: serviceDetail,
  ServiceSelectionReq: serviceSelection,
  DC_ChargeParameterDiscoveryReq: dcOnly(dcChargeParameterDiscovery),
  AC_ChargeParameterDiscoveryReq: acChargeParameterDiscovery,
  ScheduleExchangeReq: scheduleExchange,
  DC_CableCheckReq: dcCableCheck,
  DC_PreChargeReq: dcPreCharge,
  PowerDeliveryReq: powerDelivery,
  DC_ChargeLoopReq: dcChargeLoop,
  AC_ChargeLoopReq: acChargeLoop,
  DC_WeldingDetectionReq: dcWeldingDetection,
  SessionStopReq: sessionStop,
};

/** ISO 15118-20 (AC, AC_BPT, DC, DC_BPT) for the SECC core. */
export const iso20SeccModule: SeccProtocolModule = {
  protocol: "iso20",
  payloadTypes: ISO20_PAYLOAD_TYPES,
  decode: (bytes, payloadType) => decodeIso20(bytes, payloadType, "request"),
  encode: encodeIso20,
  handlers: ISO20_SECC_HANDLERS,
  sequenceTimeoutMs: (s, res) =>
    res === "DC_ChargeLoopRes" || res === "AC_ChargeLoopRes"
      ? s.cfg.iso20ChargeLoopSequenceTimeoutMs
      : s.cfg.sequenceTimeoutMs,
};
