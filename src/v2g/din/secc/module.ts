/** The DIN 70121 protocol module of the SECC core: decode/encode of V2G_Message and the handler table. */
import { din } from "../../../codecs/index.js";
import { messageEnvelope, type SeccHandler, type SeccProtocolModule } from "../../session/secc-protocol.js";
import { cableCheck } from "./cable-check.js";
import { chargeParameterDiscovery } from "./charge-parameter-discovery.js";
import { contractAuthentication } from "./contract-authentication.js";
import { currentDemand } from "./current-demand.js";
import {
  certificateInstallation,
  certificateUpdate,
  chargingStatus,
  meteringReceipt,
  paymentDetails,
} from "./not-supported.js";
import { powerDelivery } from "./power-delivery.js";
import { preCharge } from "./pre-charge.js";
import { serviceDetail } from "./service-detail.js";
import { serviceDiscovery } from "./service-discovery.js";
import { servicePaymentSelection } from "./service-payment-selection.js";
import { sessionSetup } from "./session-setup.js";
import { sessionStop } from "./session-stop.js";
import { weldingDetection } from "./welding-detection.js";

/** DIN request element → handler. */
export const DIN_SECC_HANDLERS: Readonly<Record<string, SeccHandler>> = {
  SessionSetupReq: sessionSetup,
  ServiceDiscoveryReq: serviceDiscovery,
  ServiceDetailReq: serviceDetail,
  ServicePaymentSelectionReq: servicePaymentSelection,
  PaymentDetailsReq: paymentDetails,
  ContractAuthenticationReq: contractAuthentication,
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

/** DIN 70121 for the SECC core. */
export const dinSeccModule: SeccProtocolModule = {
  protocol: "din",
  ...messageEnvelope(din, "DIN", "request"),
  handlers: DIN_SECC_HANDLERS,
};
