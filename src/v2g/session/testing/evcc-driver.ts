/**
 * Test support: step an EVCC machine by hand (the replay tests feed it a captured charger's responses): its
 * timers are kept, its session end is noted, and it is opened the way our SECC would — connected, then a
 * supportedAppProtocolRes OK_SuccessfulNegotiation with SchemaID 1 (the EV's first and only offer).
 */
import { appHandshake } from "../../../codecs/index.js";
import { stepEvcc } from "../evcc.js";
import type { EvccState } from "../evcc-state.js";
import type { EvccEffect, EvccEvent } from "../types.js";

/** An EVCC stepped by hand. */
export interface EvccDriver {
  /** The machine's state after the last step. */
  readonly state: EvccState;
  /** Pending timers by id (deadline ms). */
  readonly timers: Readonly<Record<string, number>>;
  /** The stop reason of the `session-end` effect, once there was one. */
  readonly endReason: string | undefined;
  /** Step one event; returns its effects. */
  run(ev: EvccEvent): EvccEffect[];
}

/** A driver around `s0`. */
export function createEvccDriver(s0: EvccState): EvccDriver {
  let s = s0;
  let endReason: string | undefined;
  const timers: Record<string, number> = {};
  return {
    get state() {
      return s;
    },
    timers,
    get endReason() {
      return endReason;
    },
    run(ev) {
      const [n, fx] = stepEvcc(s, ev);
      s = n;
      for (const f of fx) {
        if (f.kind === "set-timer") timers[f.id] = f.atMs;
        else if (f.kind === "clear-timer") delete timers[f.id];
        else if (f.kind === "session-end") endReason = f.stopReason;
      }
      return fx;
    },
  };
}

/** Time (ms) at which {@link openWithSap} answers the supportedAppProtocolReq. */
export const SAP_ANSWER_AT_MS = 10;

/** Connect at 0 ms and answer the SAP request at {@link SAP_ANSWER_AT_MS}: the effects of that answer. */
export function openWithSap(d: EvccDriver): EvccEffect[] {
  d.run({ kind: "connected", tMs: 0 });
  const sapRes = appHandshake.encodeDocument({
    supportedAppProtocolRes: { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: 1 },
  });
  return d.run({ kind: "message", payloadType: 0x8001, bytes: sapRes, tMs: SAP_ANSWER_AT_MS });
}
