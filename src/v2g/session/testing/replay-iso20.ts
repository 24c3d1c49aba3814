/**
 * Test-only: replay of ISO 15118-20 conversations (decrypted by the capture decoder, see
 * src/capture/iso20-replay.test.ts) to our SECC and our EVCC, by the honest-replay rules of replay-secc.ts /
 * replay-evcc.ts:
 * - Our SECC supports -20 and offers the parameter sets the capture's charger offered (its ServiceDetailRes,
 *   same order, so the car's ParameterSetID means the same control mode), AC or DC as the service the car
 *   selected, the BPT services when the charger offered them, and the charger's ScheduleTupleID; the physical
 *   world comes from the charger's answers (isolation test running/done, authorisation, schedule ready,
 *   present V/I); CP is C from the first DC_CableCheckReq on (AC: from PowerDeliveryReq). Header SessionIDs are
 *   rewritten from the charger's to ours; nothing else.
 * - Our EVCC is configured like the car (service and control mode of the set it selected, battery voltage from
 *   its pre-charge target, SOC from its DisplayParameters) and is fed the charger's responses; every request it
 *   sends must be allowed by the -20 sequence table.
 */

import { appHandshake, iso20 } from "../../../codecs/index.js";
import { protocolOfNamespace } from "../../handshake/namespaces.js";
import { decodeIso20, rnum } from "../../iso20/envelope.js";
import type { SeccReadings } from "../../ports/secc-ports.js";
import { createEvcc } from "../evcc.js";
import type { EvccState } from "../evcc-state.js";
import {
  ISO20_CONTROL_MODE_VALUE,
  type Iso20ControlMode,
  isAcService,
  isBptService,
} from "../iso20-session.js";
import { createSecc, stepSecc } from "../secc.js";
import type { SeccState } from "../secc-state.js";
import { allowedNext } from "../sequence.js";
import type { MsgName, SeccEffect } from "../types.js";
import { createEvccDriver, openWithSap, SAP_ANSWER_AT_MS } from "./evcc-driver.js";
import type { Conversation } from "./tcp-streams.js";

/** Outcome of one -20 conversation replayed to our SECC. */
export interface Iso20SeccReplay {
  negotiated: boolean;
  requests: number;
  matched: number;
  processingEqual: number;
  processingCompared: number;
  problems: string[];
  endReason?: string;
}

/** Outcome of one -20 conversation's responses fed to our EVCC. */
export interface Iso20EvccReplay {
  fed: number;
  skipped: number;
  requestsValid: number;
  problems: string[];
  endReason?: string;
  lastRequest?: string;
}

const NAME_OF: Record<string, MsgName> = {
  SessionSetupReq: "SessionSetup",
  AuthorizationSetupReq: "AuthorizationSetup",
  AuthorizationReq: "Authorization",
  ServiceDiscoveryReq: "ServiceDiscovery",
  ServiceDetailReq: "ServiceDetail",
  ServiceSelectionReq: "PaymentSelection",
  DC_ChargeParameterDiscoveryReq: "ChargeParameterDiscovery",
  AC_ChargeParameterDiscoveryReq: "ChargeParameterDiscovery",
  ScheduleExchangeReq: "ScheduleExchange",
  DC_CableCheckReq: "CableCheck",
  DC_PreChargeReq: "PreCharge",
  PowerDeliveryReq: "PowerDelivery",
  DC_ChargeLoopReq: "CurrentDemand",
  AC_ChargeLoopReq: "ChargingStatus",
  DC_WeldingDetectionReq: "WeldingDetection",
  SessionStopReq: "SessionStop",
};

type Body = Record<string, unknown>;
const dec = (m: { payload: Uint8Array; payloadType: number }, kind: "request" | "response") =>
  decodeIso20(m.payload, m.payloadType, kind) as { element: string; body: Body; sessionId: Uint8Array };

/** The control modes of the charger's DC parameter sets, in its order (ServiceDetailRes). */
function chargerControlModes(conv: Conversation): Iso20ControlMode[] | undefined {
  for (const m of conv.server.slice(1)) {
    const d = dec(m, "response");
    if (d.element !== "ServiceDetailRes") continue;
    const sets = (
      d.body.ServiceParameterList as { ParameterSet: { Parameter: { Name: string; intValue?: number }[] }[] }
    ).ParameterSet;
    return sets.map((p) =>
      p.Parameter.find((x) => x.Name === "ControlMode")?.intValue === ISO20_CONTROL_MODE_VALUE.dynamic
        ? "dynamic"
        : "scheduled",
    );
  }
  return undefined;
}

/** The energy service the car selected (ServiceSelectionReq), and the services the charger offered. */
function services(conv: Conversation): { selected: number | null; offered: number[] } {
  let selected: number | null = null;
  let offered: number[] = [];
  for (const m of conv.client.slice(1)) {
    const d = dec(m, "request");
    if (d.element === "ServiceSelectionReq")
      selected = (d.body.SelectedEnergyTransferService as { ServiceID: number }).ServiceID;
  }
  for (const m of conv.server.slice(1)) {
    const d = dec(m, "response");
    if (d.element === "ServiceDiscoveryRes")
      offered = (d.body.EnergyTransferServiceList as { Service: { ServiceID: number }[] }).Service.map(
        (x) => x.ServiceID,
      );
  }
  return { selected, offered };
}

/** The ScheduleTupleID the charger offered first (Scheduled ScheduleExchangeRes), if any. */
function chargerTupleId(conv: Conversation): number | undefined {
  for (const m of conv.server.slice(1)) {
    const d = dec(m, "response");
    const mode = d.body.Scheduled_SEResControlMode as
      | { ScheduleTuple?: { ScheduleTupleID: number }[] }
      | undefined;
    if (d.element === "ScheduleExchangeRes" && mode?.ScheduleTuple?.[0])
      return mode.ScheduleTuple[0].ScheduleTupleID;
  }
  return undefined;
}

function negotiatedIso20(conv: Conversation): boolean {
  const req = appHandshake.decodeDocument(conv.client[0]!.payload);
  const res = appHandshake.decodeDocument(conv.server[0]!.payload);
  if (!("supportedAppProtocolReq" in req) || !("supportedAppProtocolRes" in res)) return false;
  const ap = req.supportedAppProtocolReq.AppProtocol.find(
    (a) => a.SchemaID === res.supportedAppProtocolRes.SchemaID,
  );
  return !!ap && protocolOfNamespace(ap.ProtocolNamespace) === "iso20";
}

/** Port readings the charger's response implies. */
function worldFrom(el: string, b: Body): Partial<SeccReadings> {
  const r: Partial<SeccReadings> = {};
  const proc = b.EVSEProcessing as string | undefined;
  if (el === "DC_CableCheckRes")
    r.isolation =
      proc === "Finished" ? { state: "done", level: "Valid" } : { state: "running", level: "Invalid" };
  if (el === "AuthorizationRes") r.authorization = proc === "Finished" ? "accepted" : "pending";
  if (el === "ScheduleExchangeRes") r.scheduleReady = proc === "Finished";
  if (b.EVSEPresentVoltage) r.presentVoltageV = rnum(b.EVSEPresentVoltage as never);
  if (b.EVSEPresentCurrent) r.presentCurrentA = rnum(b.EVSEPresentCurrent as never);
  return r;
}

function reencode(m: { payload: Uint8Array; payloadType: number }, id: Uint8Array): Uint8Array {
  const d = dec(m, "request");
  const header = d.body.Header as Body;
  const doc = { [d.element]: { ...d.body, Header: { ...header, SessionID: id } } };
  if (m.payloadType === 0x8004) return iso20.dc.encodeDocument(doc as never);
  if (m.payloadType === 0x8003) return iso20.ac.encodeDocument(doc as never);
  return iso20.common.encodeDocument(doc as never);
}

/**
 * Replay a -20 conversation's car requests to a fresh SECC. `tls`: the capture ran over TLS 1.3 (default);
 * false for a plain-TCP lab capture, which our SECC takes with its `iso20WithoutTls` lab switch.
 */
export function replayIso20ToSecc(conv: Conversation, opts: { tls?: boolean } = {}): Iso20SeccReplay {
  const res: Iso20SeccReplay = {
    negotiated: negotiatedIso20(conv),
    requests: 0,
    matched: 0,
    processingEqual: 0,
    processingCompared: 0,
    problems: [],
  };
  const modes = chargerControlModes(conv);
  const svc = services(conv);
  const ac = isAcService(svc.selected);
  const tuple = chargerTupleId(conv);
  const tls = opts.tls ?? true;
  let s: SeccState = createSecc({
    protocols: ["iso20"],
    ...(modes && { iso20ControlModes: modes }),
    // the charger's station: AC or DC as the service the car selected, bidirectional if it offered BPT
    ...(ac && { energyModes: ["AC_single_phase_core"] }),
    ...(svc.offered.some((id) => isBptService(id)) && { bidirectional: true }),
    ...(tuple !== undefined && { saScheduleTupleId: tuple }),
    ...(!tls && { iso20WithoutTls: true }),
    readings: { ...createSecc().readings, authorization: "accepted" },
  });
  let t = 1_000;
  const step = (ev: Parameters<typeof stepSecc>[1]): SeccEffect[] => {
    const [n, fx] = stepSecc(s, ev);
    s = n;
    for (const f of fx) if (f.kind === "session-end") res.endReason = f.stopReason;
    return fx;
  };
  step({ kind: "connected", tMs: t, ...(tls && { tls: "1.3" as const }) });
  t += 20;
  let fx = step({ kind: "message", payloadType: 0x8001, bytes: conv.client[0]!.payload, tMs: t });
  res.requests++;
  const sap = fx.find((f) => f.kind === "send");
  if (sap?.kind === "send" && s.conn === "session" && res.negotiated) res.matched++;
  else res.problems.push("SAP: our SECC did not choose -20 where the charger did");
  for (let i = 1; i < conv.client.length && s.conn === "session"; i++) {
    const req = dec(conv.client[i]!, "request");
    const theirs = conv.server[i] ? dec(conv.server[i]!, "response") : undefined;
    if (theirs) {
      const world = worldFrom(theirs.element, theirs.body);
      // CP C: from the first DC_CableCheckReq (DC), before PowerDeliveryReq(Start) (AC: the EV closes S2 first)
      const needsC = req.element === "DC_CableCheckReq" || (ac && req.element === "PowerDeliveryReq");
      if (needsC && s.cp !== "C") step({ kind: "cp", state: "C", tMs: t });
      if (Object.keys(world).length) step({ kind: "port", readings: world, tMs: t });
    }
    const bytes =
      req.element === "SessionSetupReq" || !s.sessionId
        ? conv.client[i]!.payload
        : reencode(conv.client[i]!, s.sessionId);
    t += 50;
    fx = step({ kind: "message", payloadType: conv.client[i]!.payloadType, bytes, tMs: t });
    res.requests++;
    const send = fx.find((f) => f.kind === "send");
    if (!send || send.kind !== "send") {
      const why = fx.flatMap((f) => (f.kind === "session-end" ? [f.detail] : []));
      res.problems.push(`${req.element} #${i}: no response (${why.join("; ")})`);
      break;
    }
    if (send.payloadType !== conv.client[i]!.payloadType)
      res.problems.push(
        `${req.element} #${i}: answered in 0x${send.payloadType.toString(16)}, asked in 0x${conv.client[i]!.payloadType.toString(16)}`,
      );
    const ours = decodeIso20(send.bytes, send.payloadType, "response");
    const ourBody = ours.body as Body;
    const ourCode = String(ourBody.ResponseCode);
    const theirCode = String(theirs?.body.ResponseCode ?? "");
    if (
      ours.element === req.element.replace(/Req$/, "Res") &&
      ourCode.startsWith("OK") === theirCode.startsWith("OK")
    )
      res.matched++;
    else
      res.problems.push(
        `${req.element} #${i}: ours ${ours.element} ${ourCode}, charger ${theirs?.element} ${theirCode}`,
      );
    if (ourBody.EVSEProcessing && theirs?.body.EVSEProcessing) {
      res.processingCompared++;
      if (ourBody.EVSEProcessing === theirs.body.EVSEProcessing) res.processingEqual++;
    }
  }
  return res;
}

/**
 * Our EVCC configured like the captured car. Battery voltage: what the charger reported in answer to the car's
 * last DC_PreChargeReq with EVProcessing Ongoing — the voltage at which the car declared pre-charge done (lab
 * cars in the -20 captures ask for 460 V and accept 150 V; our EV waits for a match, so it gets the voltage
 * the car accepted, not the one it asked for).
 */
function carLike(conv: Conversation): EvccState {
  const modes = chargerControlModes(conv) ?? ["scheduled"];
  const svc = services(conv);
  let control: Iso20ControlMode = "scheduled";
  let batteryV = 0;
  let soc = 50;
  for (let i = 1; i < conv.client.length; i++) {
    const d = dec(conv.client[i]!, "request");
    if (d.element === "ServiceSelectionReq") {
      const id = (d.body.SelectedEnergyTransferService as { ParameterSetID: number }).ParameterSetID;
      control = modes[id - 1] ?? control;
    }
    if (d.element === "DC_PreChargeReq" && d.body.EVProcessing !== "Finished" && conv.server[i]) {
      const r = dec(conv.server[i]!, "response");
      if (r.body.EVSEPresentVoltage) batteryV = rnum(r.body.EVSEPresentVoltage as never);
    }
    if (d.element === "DC_ChargeLoopReq" || d.element === "AC_ChargeLoopReq")
      soc = (d.body.DisplayParameters as { PresentSOC?: number } | undefined)?.PresentSOC ?? soc;
  }
  const e = createEvcc({
    protocols: ["iso20"],
    iso20ControlMode: control,
    verifyInletVoltage: false,
    // the car's service: AC or DC, bidirectional if it selected BPT
    ...(isAcService(svc.selected) && { mode: "AC_single_phase_core" as const }),
    ...(isBptService(svc.selected) && { bidirectional: true }),
  });
  return {
    ...e,
    readings: {
      ...e.readings,
      socPercent: Math.min(soc, 90),
      ...(batteryV > 0 && { batteryVoltageV: batteryV }),
      fullSocPercent: 100,
    },
  };
}

/** Feed a -20 conversation's charger responses to a fresh EVCC configured like the car. */
export function replayIso20ToEvcc(conv: Conversation): Iso20EvccReplay {
  const res: Iso20EvccReplay = { fed: 0, skipped: 0, requestsValid: 0, problems: [] };
  const d = createEvccDriver(carLike(conv));
  const ac = isAcService(services(conv).selected);
  let t = SAP_ANSWER_AT_MS;
  let fx = openWithSap(d);
  res.fed++;
  let last: MsgName | null = null;
  let processing: "Finished" | "Ongoing" = "Finished";
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
    const ours = decodeIso20(send.bytes, send.payloadType, "request");
    const name = NAME_OF[ours.element];
    const allowed = allowedNext({
      protocol: "iso20",
      last,
      processing,
      powerDelivery: last === "PowerDelivery" ? (d.state.progress === "start" ? "start" : "stop") : null,
      ac,
      renegotiating: false,
      resumed: d.state.resumed,
    });
    if (name && allowed.includes(name)) res.requestsValid++;
    else res.problems.push(`${ours.element} after ${last} not allowed (${allowed.join("/")})`);
    const evProc = (ours.body as Body).EVProcessing as string | undefined;
    const wantRes = ours.element.replace(/Req$/, "Res");
    while (j < conv.server.length && dec(conv.server[j]!, "response").element !== wantRes) {
      j++;
      res.skipped++;
    }
    res.lastRequest = ours.element;
    if (j >= conv.server.length) break;
    const theirs = dec(conv.server[j]!, "response");
    const nextEl = conv.server[j + 1] ? dec(conv.server[j + 1]!, "response").element : "";
    if ((name === "CurrentDemand" || name === "ChargingStatus") && nextEl === "PowerDeliveryRes")
      d.run({ kind: "control", control: { op: "stop" }, tMs: t });
    t += 20;
    fx = d.run({
      kind: "message",
      payloadType: conv.server[j]!.payloadType,
      bytes: conv.server[j]!.payload,
      tMs: t,
    });
    res.fed++;
    last = name ?? null;
    const p = evProc ?? (theirs.body.EVSEProcessing as string | undefined);
    processing = p === "Ongoing" || p === "Ongoing_WaitingForCustomerInteraction" ? "Ongoing" : "Finished";
    j++;
  }
  res.endReason = d.endReason;
  return res;
}
