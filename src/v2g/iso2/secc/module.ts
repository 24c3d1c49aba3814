/** The ISO 15118-2 protocol module of the SECC core: decode/encode of V2G_Message and the handler table. */
import { iso2 } from "../../../codecs/index.js";
import { messageEnvelope, type SeccHandler, type SeccProtocolModule } from "../../session/secc-protocol.js";
import { authorization } from "./authorization.js";
import { cableCheck } from "./cable-check.js";
import { certificateInstallation } from "./certificate-installation.js";
import { certificateUpdate } from "./certificate-update.js";
import { chargeParameterDiscovery } from "./charge-parameter-discovery.js";
import { chargingStatus } from "./charging-status.js";
import { currentDemand } from "./current-demand.js";
import { meteringReceipt } from "./metering-receipt.js";
import { paymentDetails } from "./payment-details.js";
import { paymentServiceSelection } from "./payment-service-selection.js";
import { powerDelivery } from "./power-delivery.js";
import { preCharge } from "./pre-charge.js";
import { serviceDetail } from "./service-detail.js";
import { serviceDiscovery } from "./service-discovery.js";
import { sessionSetup } from "./session-setup.js";
import { sessionStop } from "./session-stop.js";
import { weldingDetection } from "./welding-detection.js";

/** ISO-2 request element → handler. */
export const ISO2_SECC_HANDLERS: Readonly<Record<string, SeccHandler>> = {
  SessionSetupReq: sessionSetup,
  ServiceDiscoveryReq: serviceDiscovery,
  ServiceDetailReq: serviceDetail,
  PaymentServiceSelectionReq: paymentServiceSelection,
  PaymentDetailsReq: paymentDetails,
  AuthorizationReq: authorization,
  ChargeParameterDiscoveryReq: chargeParameterDiscovery,
  CableCheckReq: cableCheck,
  PreChargeReq: preCharge,
  PowerDeliveryReq: powerDelivery,
  CurrentDemandReq: currentDemand,
  ChargingStatusReq: chargingStatus,
  MeteringReceiptReq: meteringReceipt,
  WeldingDetectionReq: weldingDetection,
  SessionStopReq: sessionStop,
  CertificateInstallationReq: certificateInstallation,
  CertificateUpdateReq: certificateUpdate,
};

/** ISO 15118-2 for the SECC core. */
export const iso2SeccModule: SeccProtocolModule = {
  protocol: "iso2",
  ...messageEnvelope(iso2, "ISO-2", "request"),
  handlers: ISO2_SECC_HANDLERS,
};
