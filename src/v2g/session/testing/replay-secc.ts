/**
 * Test-only: replay a car's requests from a capture to our SECC.
 *
 * Honest-replay rules (documented in the report):
 * - Our SECC supports exactly the protocol the capture's charger negotiated (else the car's later messages
 *   would be in another schema), and offers the energy modes that charger offered.
 * - The physical world is taken from the charger's answers: before request i we report, as port readings,
 *   what the charger's response i tells (isolation test running/done, authorisation pending/accepted,
 *   schedule ready, present voltage/current); CP is C from the first CableCheckReq on.
 * - Header SessionIDs: the first SessionSetupReq carries 0 and our SECC assigns its own ID; every later car
 *   request carries the charger's ID, which we rewrite to ours (decode → set Header.SessionID → re-encode).
 *   Nothing else is patched.
 */
import { appHandshake, din, iso2 } from "../../../codecs/index.js";
import { protocolOfNamespace, type V2gProtocol } from "../../handshake/namespaces.js";
import type { SeccReadings } from "../../ports/secc-ports.js";
import { num } from "../physical.js";
import { createSecc, stepSecc } from "../secc.js";
import type { EnergyTransferMode, SeccState } from "../secc-state.js";
import type { SeccEffect } from "../types.js";
import type { Conversation } from "./tcp-streams.js";

/** Outcome of one conversation. */
export interface SeccReplayResult {
  protocol: V2gProtocol | "none";
  requests: number;
  /** Requests whose response had the right type, decoded, and an OK-ness equal to the charger's. */
  matched: number;
  /** Our EVSEProcessing equal to the charger's (where both have one). */
  processingEqual: number;
  processingCompared: number;
  problems: string[];
  endReason?: string;
}

type Codec = {
  decode(b: Uint8Array): { Header: { SessionID: Uint8Array }; Body: object };
  encode(m: never): Uint8Array;
};
/** DIN and ISO-2 only: -20 conversations are replayed by replay-iso20.ts (their own envelope). */
const CODECS: Record<"din" | "iso2", Codec> = {
  din: din as unknown as Codec,
  iso2: iso2 as unknown as Codec,
};

function element(body: object): [string, Record<string, unknown>] {
  const k = Object.keys(body).find((x) => (body as Record<string, unknown>)[x] !== undefined)!;
  return [k, (body as Record<string, Record<string, unknown>>)[k]!];
}

/** Port readings the charger's response implies (the physical world of the capture). */
function worldFrom(res: Record<string, unknown>, name: string): Partial<SeccReadings> {
  const r: Partial<SeccReadings> = {};
  const proc = res.EVSEProcessing as string | undefined;
  if (name === "CableCheckRes") {
    const lvl = ((res.DC_EVSEStatus as { EVSEIsolationStatus?: string }).EVSEIsolationStatus ??
      "Valid") as "Valid";
    r.isolation =
      proc === "Finished"
        ? { state: "done", level: lvl === ("Invalid" as string) ? "Valid" : lvl }
        : { state: "running", level: "Invalid" };
  }
  if (name === "ContractAuthenticationRes" || name === "AuthorizationRes")
    r.authorization = proc === "Finished" ? "accepted" : "pending";
  if (name === "ChargeParameterDiscoveryRes") r.scheduleReady = proc === "Finished";
  if (res.EVSEPresentVoltage) r.presentVoltageV = num(res.EVSEPresentVoltage as never);
  if (res.EVSEPresentCurrent) r.presentCurrentA = num(res.EVSEPresentCurrent as never);
  return r;
}

/** The energy modes the capture's charger offered (ServiceDiscoveryRes), if any. */
function offeredModes(
  protocol: V2gProtocol,
  server: { payload: Uint8Array }[],
): EnergyTransferMode[] | undefined {
  for (const m of server.slice(1)) {
    try {
      const [el, body] = element(CODECS[protocol as "din" | "iso2"].decode(m.payload).Body);
      if (el !== "ServiceDiscoveryRes") continue;
      const cs = body.ChargeService as Record<string, unknown>;
      if (protocol === "din") return [cs.EnergyTransferType as EnergyTransferMode];
      return (cs.SupportedEnergyTransferMode as { EnergyTransferMode: EnergyTransferMode[] })
        .EnergyTransferMode;
    } catch {}
  }
  return undefined;
}

/** Replay one conversation to `s0` (a SECC kept across the conversations of a capture). */
export function replayToSecc(
  conv: Conversation,
  prev: SeccState | undefined,
  idMap: Map<string, Uint8Array>,
): { res: SeccReplayResult; state: SeccState } {
  const sapReq = appHandshake.decodeDocument(conv.client[0]!.payload);
  const sapRes = appHandshake.decodeDocument(conv.server[0]!.payload);
  let protocol: V2gProtocol | undefined;
  if ("supportedAppProtocolReq" in sapReq && "supportedAppProtocolRes" in sapRes) {
    const id = sapRes.supportedAppProtocolRes.SchemaID;
    const ap = sapReq.supportedAppProtocolReq.AppProtocol.find((a) => a.SchemaID === id);
    if (sapRes.supportedAppProtocolRes.ResponseCode !== "Failed_NoNegotiation" && ap)
      protocol = protocolOfNamespace(ap.ProtocolNamespace);
  }
  const res: SeccReplayResult = {
    protocol: protocol ?? "none",
    requests: 0,
    matched: 0,
    processingEqual: 0,
    processingCompared: 0,
    problems: [],
  };
  const modes = protocol ? offeredModes(protocol, conv.server) : undefined;
  let s =
    prev && prev.cfg.protocols[0] === protocol
      ? prev
      : createSecc({
          protocols: protocol ? [protocol] : [],
          ...(modes && { energyModes: modes }),
          readings: { ...createSecc().readings, authorization: "accepted" },
        });
  let t = (prev?.nowMs ?? 0) + 1_000;
  const step = (ev: Parameters<typeof stepSecc>[1]): SeccEffect[] => {
    const [n, fx] = stepSecc(s, ev);
    s = n;
    return fx;
  };
  step({ kind: "connected", tMs: t });
  // supportedAppProtocol
  t += 20;
  let fx = step({ kind: "message", payloadType: 0x8001, bytes: conv.client[0]!.payload, tMs: t });
  res.requests++;
  const sapSend = fx.find((f) => f.kind === "send");
  if (sapSend?.kind === "send") {
    const ours = appHandshake.decodeDocument(sapSend.bytes);
    const theirs = "supportedAppProtocolRes" in sapRes ? sapRes.supportedAppProtocolRes.ResponseCode : "";
    if (
      "supportedAppProtocolRes" in ours &&
      ours.supportedAppProtocolRes.ResponseCode.startsWith("OK") === theirs.startsWith("OK")
    )
      res.matched++;
    else res.problems.push(`SAP: ours ${JSON.stringify(ours)} vs ${theirs}`);
  }
  if (!protocol) return { res: { ...res, endReason: "no-negotiation" }, state: s };
  const codec = CODECS[protocol as "din" | "iso2"];
  for (let i = 1; i < conv.client.length; i++) {
    if (s.conn !== "session") {
      res.problems.push(`request ${i}: our session already ended`);
      break;
    }
    const msg = codec.decode(conv.client[i]!.payload);
    const [reqEl] = element(msg.Body);
    const theirs = conv.server[i] ? codec.decode(conv.server[i]!.payload) : undefined;
    const [resEl, resBody] = theirs ? element(theirs.Body) : ["", {}];
    const world = theirs ? worldFrom(resBody, resEl) : {};
    if (reqEl === "CableCheckReq" && s.cp !== "C") step({ kind: "cp", state: "C", tMs: t });
    if (Object.keys(world).length) step({ kind: "port", readings: world, tMs: t });
    // header SessionID: keep the first SessionSetupReq's; map the charger's IDs to ours
    const theirId = Buffer.from(msg.Header.SessionID).toString("hex");
    let bytes = conv.client[i]!.payload;
    if (reqEl !== "SessionSetupReq" || idMap.has(theirId)) {
      const mapped = idMap.get(theirId) ?? s.sessionId;
      if (mapped) bytes = codec.encode({ ...msg, Header: { ...msg.Header, SessionID: mapped } } as never);
    }
    t += 50;
    fx = step({ kind: "message", payloadType: 0x8001, bytes, tMs: t });
    res.requests++;
    const send = fx.find((f) => f.kind === "send");
    if (!send || send.kind !== "send") {
      res.problems.push(
        `${reqEl} #${i}: no response (${fx.filter((f) => f.kind === "session-end").map((f) => (f as { detail: string }).detail)})`,
      );
      break;
    }
    const ours = codec.decode(send.bytes);
    const [ourEl, ourBody] = element(ours.Body);
    if (reqEl === "SessionSetupReq" && theirs)
      idMap.set(Buffer.from(theirs.Header.SessionID).toString("hex"), ours.Header.SessionID);
    const ourCode = String(ourBody.ResponseCode);
    const theirCode = String(resBody.ResponseCode ?? "");
    const okSame = ourCode.startsWith("OK") === theirCode.startsWith("OK");
    if (ourEl === reqEl.replace(/Req$/, "Res") && okSame) res.matched++;
    else res.problems.push(`${reqEl} #${i}: ours ${ourEl} ${ourCode}, charger ${resEl} ${theirCode}`);
    if (ourBody.EVSEProcessing && resBody.EVSEProcessing) {
      res.processingCompared++;
      if (ourBody.EVSEProcessing === resBody.EVSEProcessing) res.processingEqual++;
    }
    const end = fx.find((f) => f.kind === "session-end");
    if (end?.kind === "session-end") res.endReason = end.stopReason;
  }
  if (s.conn === "session") {
    step({ kind: "closed", reason: "capture ended", tMs: t + 10 });
    res.endReason ??= "capture-ended";
  }
  return { res, state: s };
}
