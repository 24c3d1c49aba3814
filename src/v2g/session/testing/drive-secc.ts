/**
 * Test helper: drive an SECC machine request by request, building request bodies with the EVCC's own
 * message builders (so the requests are the ones our EVCC would send) and decoding every response.
 */
import { appHandshake } from "../../../codecs/index.js";
import { dinEvccModule } from "../../din/evcc/module.js";
import type { V2gProtocol } from "../../handshake/namespaces.js";
import { buildAppProtocolReq } from "../../handshake/select.js";
import { iso2EvccModule } from "../../iso2/evcc/module.js";
import { iso20EvccModule } from "../../iso20/evcc/module.js";
import { createEvcc } from "../evcc.js";
import { messageOf } from "../evcc-protocol.js";
import type { EvccConfig, EvccState } from "../evcc-state.js";
import type { Iso20ControlMode } from "../iso20-session.js";
import { createSecc, stepSecc } from "../secc.js";
import type { SeccConfig, SeccState } from "../secc-state.js";
import { isAcMode } from "../secc-state.js";
import { SESSION_ID_ZERO } from "../session-id.js";
import type { MsgName, SeccEffect, SeccEvent } from "../types.js";

/** A driven SECC. */
export interface Driver {
  protocol: V2gProtocol;
  s: SeccState;
  ev: EvccState;
  t: number;
  /** Effects of the last step. */
  fx: SeccEffect[];
  /** All effects so far. */
  all: { tMs: number; effect: SeccEffect }[];
}

const MODS = { din: dinEvccModule, iso2: iso2EvccModule, iso20: iso20EvccModule };

/** Start: connected + supportedAppProtocol for `protocol`. */
export function startSecc(
  protocol: V2gProtocol,
  cfg: Partial<SeccConfig> = {},
  evcfg: Partial<EvccConfig> = {},
): Driver {
  const d: Driver = {
    protocol,
    s: createSecc({ protocols: [protocol], ...cfg }),
    ev: createEvcc(evcfg),
    t: 0,
    fx: [],
    all: [],
  };
  event(d, { kind: "connected", tMs: 0, ...(protocol === "iso20" && { tls: "1.3" as const }) });
  const family = isAcMode(evcfg.mode) ? "AC" : "DC";
  const sap = appHandshake.encodeDocument({
    supportedAppProtocolReq: buildAppProtocolReq([protocol], family),
  });
  d.t = 10;
  event(d, { kind: "message", payloadType: 0x8001, bytes: sap, tMs: d.t });
  d.ev = { ...d.ev, protocol, conn: "session" };
  return d;
}

/** Feed one event. */
export function event(d: Driver, e: SeccEvent): SeccEffect[] {
  const [s, fx] = stepSecc(d.s, e);
  d.s = s;
  d.fx = fx;
  for (const f of fx) d.all.push({ tMs: e.tMs, effect: f });
  return fx;
}

/** The response element and body sent in the last step, decoded again from the bytes. */
export function lastResponse(
  d: Driver,
): { element: string; body: Record<string, unknown>; sessionId: Uint8Array } | undefined {
  const send = d.fx.find((f) => f.kind === "send");
  if (!send || send.kind !== "send") return undefined;
  const dec = MODS[d.protocol].decode(send.bytes, send.payloadType);
  return { element: dec.element, body: dec.body as Record<string, unknown>, sessionId: dec.sessionId };
}

/**
 * Send request `name` (body from the EVCC builder, patched by `patch`), `dtMs` after the previous one, with the
 * session's SessionID unless `sessionId` is given. Returns the decoded response (undefined if none was sent).
 */
export function request(
  d: Driver,
  name: MsgName,
  opts: {
    dtMs?: number;
    sessionId?: Uint8Array;
    patch?: (body: Record<string, unknown>) => Record<string, unknown>;
  } = {},
): ReturnType<typeof lastResponse> {
  const mod = MODS[d.protocol];
  const msg = messageOf(mod, d.ev, name);
  if (!msg) throw new Error(`no ${name} builder for ${d.protocol}`);
  const body = msg.build({ ...d.ev, sessionId: d.s.sessionId }) as Record<string, unknown>;
  const id =
    opts.sessionId ?? (name === "SessionSetup" ? SESSION_ID_ZERO : (d.s.sessionId ?? SESSION_ID_ZERO));
  const enc = mod.encode(id, msg.req, opts.patch ? opts.patch(body) : body);
  d.t += opts.dtMs ?? 50;
  event(d, { kind: "message", payloadType: enc.payloadType ?? 0x8001, bytes: enc.bytes, tMs: d.t });
  return lastResponse(d);
}

/** Run the requests in order, asserting nothing; returns the last response. */
export function through(d: Driver, names: MsgName[]): ReturnType<typeof lastResponse> {
  let r: ReturnType<typeof lastResponse>;
  for (const n of names) r = request(d, n);
  return r;
}

/** The EVCC state used to build requests, with a different progress (PowerDelivery start/stop/renegotiate). */
export function withProgress(d: Driver, progress: EvccState["progress"]): void {
  d.ev = { ...d.ev, progress };
}

/** The session-end effects so far. */
export function ends(d: Driver): { tMs: number; reason: string; detail: string }[] {
  return d.all.flatMap((x) =>
    x.effect.kind === "session-end"
      ? [{ tMs: x.tMs, reason: x.effect.stopReason, detail: x.effect.detail }]
      : [],
  );
}

/** Re-export for tests. */
export type { EvccConfig };

/** ISO 15118-20 requests from SessionSetup through ServiceSelection (neutral name PaymentSelection). */
export const ISO20_THROUGH_SELECTION: readonly MsgName[] = [
  "SessionSetup",
  "AuthorizationSetup",
  "Authorization",
  "ServiceDiscovery",
  "ServiceDetail",
  "PaymentSelection",
];

/**
 * A -20 SECC and an EV of control mode `mode` on the DC service (ServiceID 2), selecting parameter set 1
 * (Scheduled) or 2 (Dynamic).
 */
export function startSecc20Dc(mode: Iso20ControlMode, cfg: Partial<SeccConfig> = {}): Driver {
  const d = startSecc("iso20", cfg, { iso20ControlMode: mode });
  d.ev = {
    ...d.ev,
    iso20: {
      serviceId: 2,
      parameterSetId: mode === "dynamic" ? 2 : 1,
      controlMode: mode,
      preChargeFinished: false,
      bptChannel: "Charge",
      acCurrentA: 0,
    },
  };
  return d;
}

/**
 * A -20 DC session from ScheduleExchange answered to PowerDelivery(Start) answered OK: CP C, the cable check
 * (the isolation monitor reports Valid), PreCharge to `voltageV` and finished.
 */
export function dc20ToPowerDelivery(d: Driver, voltageV = 370): void {
  event(d, { kind: "cp", state: "C", tMs: d.t });
  request(d, "CableCheck");
  event(d, { kind: "port", readings: { isolation: { state: "done", level: "Valid" } }, tMs: d.t });
  request(d, "CableCheck");
  event(d, { kind: "port", readings: { presentVoltageV: voltageV }, tMs: d.t });
  request(d, "PreCharge");
  d.ev = { ...d.ev, iso20: { ...d.ev.iso20!, preChargeFinished: true } };
  request(d, "PreCharge");
  withProgress(d, "start");
  const pd = request(d, "PowerDelivery");
  if (pd?.body.ResponseCode !== "OK") throw new Error(`PowerDeliveryRes ${pd?.body.ResponseCode}`);
}

/**
 * A DIN 70121 / ISO 15118-2 DC session from ChargeParameterDiscovery answered into the charge loop: CP C,
 * the cable check (the isolation monitor reports Valid), PreCharge, PowerDelivery(Start) and one
 * CurrentDemand answered OK.
 */
export function dcToChargeLoop(d: Driver): void {
  event(d, { kind: "cp", state: "C", tMs: d.t });
  request(d, "CableCheck");
  event(d, { kind: "port", readings: { isolation: { state: "done", level: "Valid" } }, tMs: d.t });
  through(d, ["CableCheck", "PreCharge"]);
  withProgress(d, "start");
  request(d, "PowerDelivery");
  const cd = request(d, "CurrentDemand");
  if (cd?.body.ResponseCode !== "OK") throw new Error(`CurrentDemandRes ${cd?.body.ResponseCode}`);
}

/**
 * ISO 15118-2 up to PaymentServiceSelection answered OK: the payment `option`, with Contract also the
 * ContractCertificate service (ServiceID 2) of parameter set `set` (1 Installation, 2 Update).
 */
export function iso2ToPaymentSelection(d: Driver, option = "Contract", set = 1): void {
  through(d, ["SessionSetup", "ServiceDiscovery"]);
  const r = request(d, "PaymentSelection", {
    patch: (b) => ({
      ...b,
      SelectedPaymentOption: option,
      SelectedServiceList: {
        SelectedService: [
          { ServiceID: 1 },
          ...(option === "Contract" ? [{ ServiceID: 2, ParameterSetID: set }] : []),
        ],
      },
    }),
  });
  if (r?.body.ResponseCode !== "OK") throw new Error(`PaymentServiceSelectionRes ${r?.body.ResponseCode}`);
}
