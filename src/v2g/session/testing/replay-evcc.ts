/**
 * Test-only: feed a capture's charger responses to our EVCC and check that each request
 * our EVCC sends next decodes and is allowed by the protocol's sequence table.
 *
 * Alignment rules (documented in the report): our EVCC is configured like the captured car (negotiated
 * protocol, requested energy mode, battery voltage from its PreChargeReq, SOC from its DC_EVStatus, no inlet
 * measurement); the charger's responses are fed in capture order, skipping those whose type does not answer
 * our pending request (the car looped more or less often than ours); when the charger's next response is a
 * PowerDeliveryRes while we are in the charge loop, the driver asks our EVCC to stop (the car's user stopped).
 * Our EVCC takes the charger's SessionID from its SessionSetupRes, so nothing is rewritten.
 */

import { appHandshake, din, iso2 } from "../../../codecs/index.js";
import { protocolOfNamespace, type V2gProtocol } from "../../handshake/namespaces.js";
import { createEvcc } from "../evcc.js";
import type { EvccState } from "../evcc-state.js";
import { num } from "../physical.js";
import type { EnergyTransferMode } from "../secc-state.js";
import { allowedNext } from "../sequence.js";
import type { MsgName } from "../types.js";
import { createEvccDriver, openWithSap, SAP_ANSWER_AT_MS } from "./evcc-driver.js";
import type { Conversation } from "./tcp-streams.js";

/** Outcome of one conversation. */
export interface EvccReplayResult {
  protocol: V2gProtocol | "none";
  fed: number;
  skipped: number;
  requestsValid: number;
  problems: string[];
  endReason?: string;
  /** Our last request when the capture ran out of matching responses. */
  lastRequest?: string;
}

type Codec = { decode(b: Uint8Array): { Header: { SessionID: Uint8Array }; Body: object } };
/** DIN and ISO-2 only: -20 conversations are replayed by replay-iso20.ts (their own envelope). */
const CODECS: Record<"din" | "iso2", Codec> = {
  din: din as unknown as Codec,
  iso2: iso2 as unknown as Codec,
};

const NAME_OF: Record<string, MsgName> = {
  SessionSetupReq: "SessionSetup",
  ServiceDiscoveryReq: "ServiceDiscovery",
  ServiceDetailReq: "ServiceDetail",
  ServicePaymentSelectionReq: "PaymentSelection",
  PaymentServiceSelectionReq: "PaymentSelection",
  ContractAuthenticationReq: "Authorization",
  AuthorizationReq: "Authorization",
  ChargeParameterDiscoveryReq: "ChargeParameterDiscovery",
  CableCheckReq: "CableCheck",
  PreChargeReq: "PreCharge",
  PowerDeliveryReq: "PowerDelivery",
  CurrentDemandReq: "CurrentDemand",
  ChargingStatusReq: "ChargingStatus",
  MeteringReceiptReq: "MeteringReceipt",
  WeldingDetectionReq: "WeldingDetection",
  SessionStopReq: "SessionStop",
};

function element(body: object): [string, Record<string, unknown>] {
  const k = Object.keys(body).find((x) => (body as Record<string, unknown>)[x] !== undefined)!;
  return [k, (body as Record<string, Record<string, unknown>>)[k]!];
}

/** Configure our EVCC like the captured car. */
function carLike(protocol: V2gProtocol, client: { payload: Uint8Array }[]): EvccState {
  let mode: EnergyTransferMode = "DC_extended";
  let batteryV = 0;
  let soc = 50;
  for (const m of client.slice(1)) {
    const [el, b] = element(CODECS[protocol as "din" | "iso2"].decode(m.payload).Body);
    if (el === "ChargeParameterDiscoveryReq") {
      mode = (b.RequestedEnergyTransferMode ?? b.EVRequestedEnergyTransferType) as EnergyTransferMode;
      const st = (b.DC_EVChargeParameter as { DC_EVStatus?: { EVRESSSOC: number } } | undefined)?.DC_EVStatus;
      if (st) soc = st.EVRESSSOC;
    }
    if (el === "PreChargeReq" && !batteryV) batteryV = num(b.EVTargetVoltage as never);
  }
  const e = createEvcc({ protocols: [protocol], mode, verifyInletVoltage: false });
  return {
    ...e,
    readings: {
      ...e.readings,
      socPercent: soc,
      ...(batteryV > 0 && { batteryVoltageV: batteryV }),
      fullSocPercent: 100,
    },
  };
}

/** Replay one conversation's charger responses to a fresh EVCC. */
export function replayToEvcc(conv: Conversation): EvccReplayResult {
  const sapReq = appHandshake.decodeDocument(conv.client[0]!.payload);
  const sapRes = appHandshake.decodeDocument(conv.server[0]!.payload);
  let protocol: V2gProtocol | undefined;
  if ("supportedAppProtocolReq" in sapReq && "supportedAppProtocolRes" in sapRes) {
    const ap = sapReq.supportedAppProtocolReq.AppProtocol.find(
      (a) => a.SchemaID === sapRes.supportedAppProtocolRes.SchemaID,
    );
    if (sapRes.supportedAppProtocolRes.ResponseCode !== "Failed_NoNegotiation" && ap)
      protocol = protocolOfNamespace(ap.ProtocolNamespace);
  }
  const res: EvccReplayResult = {
    protocol: protocol ?? "none",
    fed: 0,
    skipped: 0,
    requestsValid: 0,
    problems: [],
  };
  if (!protocol) return res;
  const codec = CODECS[protocol as "din" | "iso2"];
  const d = createEvccDriver(carLike(protocol, conv.client));
  // the SAP response, adapted to our offer (SchemaID 1 = our only protocol)
  let t = SAP_ANSWER_AT_MS;
  let fx = openWithSap(d);
  res.fed++;
  let last: MsgName | null = null;
  let processing: "Finished" | "Ongoing" = "Finished";
  const ac = d.state.cfg.mode.startsWith("AC");
  for (let j = 1; j < conv.server.length && d.state.conn === "session"; ) {
    let send = fx.find((f) => f.kind === "send");
    if (!send && d.timers.next !== undefined) {
      t = d.timers.next;
      fx = d.run({ kind: "timer", id: "next", tMs: t });
      send = fx.find((f) => f.kind === "send");
    }
    if (!send || send.kind !== "send") {
      res.problems.push(`after ${last}: our EVCC sent nothing`);
      break;
    }
    const [reqEl] = element(codec.decode(send.bytes).Body);
    const name = NAME_OF[reqEl];
    const allowed = allowedNext({
      protocol,
      last,
      processing,
      powerDelivery: last === "PowerDelivery" ? d.state.progress : null,
      ac,
      renegotiating: d.state.renegotiating,
    });
    if (name && allowed.includes(name)) res.requestsValid++;
    else res.problems.push(`${reqEl} after ${last} not allowed (${allowed.join("/")})`);
    const wantRes = reqEl.replace(/Req$/, "Res");
    while (j < conv.server.length && element(codec.decode(conv.server[j]!.payload).Body)[0] !== wantRes) {
      j++;
      res.skipped++;
    }
    res.lastRequest = reqEl;
    if (j >= conv.server.length) break;
    const [, body] = element(codec.decode(conv.server[j]!.payload).Body);
    const nextEl = conv.server[j + 1] ? element(codec.decode(conv.server[j + 1]!.payload).Body)[0] : "";
    if ((name === "CurrentDemand" || name === "ChargingStatus") && nextEl === "PowerDeliveryRes")
      d.run({ kind: "control", control: { op: "stop" }, tMs: t });
    t += 20;
    fx = d.run({ kind: "message", payloadType: 0x8001, bytes: conv.server[j]!.payload, tMs: t });
    res.fed++;
    last = name ?? null;
    processing =
      body.EVSEProcessing === "Ongoing" || body.EVSEProcessing === "Ongoing_WaitingForCustomerInteraction"
        ? "Ongoing"
        : "Finished";
    j++;
  }
  res.endReason = d.endReason;
  return res;
}
