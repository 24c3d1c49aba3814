/**
 * Sending a response of the SECC core: encode it (an encode failure ends the session as internal-error),
 * trace it, then end the session or arm V2G_SECC_Sequence_Timeout for the next request ([V2G2-542];
 * ISO 15118-20's charge-loop figure where the protocol module has one).
 */
import { ExiEncodeError } from "../../codecs/index.js";
import { V2gtpPayloadType } from "../v2gtp.js";
import { DEFECT_SLOW_CHARGE_LOOP_MS } from "./defects.js";
import type { SeccProtocolModule } from "./secc-protocol.js";
import { endSession, epochSeconds, type SeccState, setTimer } from "./secc-state.js";
import type { SeccEffect } from "./types.js";

/** Encode and send `element: body`; then end the session (`end`) or arm the sequence timer. */
export function reply(
  s: SeccState,
  mod: SeccProtocolModule,
  sessionId: Uint8Array,
  element: string,
  body: unknown,
  fx: SeccEffect[],
  end: { reason: Parameters<typeof endSession>[1]; detail: string } | undefined,
  signature?: unknown,
): SeccState {
  let enc: ReturnType<SeccProtocolModule["encode"]>;
  try {
    enc = mod.encode(sessionId, element, body, epochSeconds(s, s.nowMs), signature);
  } catch (err) {
    if (!(err instanceof ExiEncodeError)) throw err;
    fx.push({
      kind: "log",
      level: "error",
      msg: `cannot encode ${element}: ${err.message}`,
      data: { path: err.path },
    });
    return endSession(s, "internal-error", `${element}: ${err.message}`, fx);
  }
  if (s.cfg.trace)
    fx.push({ kind: "trace", dir: "tx", protocol: mod.protocol, name: element, message: enc.message });
  const payloadType = enc.payloadType ?? V2gtpPayloadType.exi;
  fx.push({ kind: "send", payloadType, bytes: enc.bytes, name: element });
  if (end) return endSession(s, end.reason, end.detail, fx, { keepPaused: end.reason === "paused" });
  return armSequenceTimer(s, mod, element, fx);
}

/** After `element` was sent: V2G_SECC_Sequence_Timeout for the next request. */
export function armSequenceTimer(
  s: SeccState,
  mod: SeccProtocolModule,
  element: string,
  fx: SeccEffect[],
): SeccState {
  // TEST-ONLY defect iso20-no-charge-loop-timeout: the general sequence timeout in the -20 charge loop too
  // TEST-ONLY defect iso20-slow-charge-loop: the host sends DC_ChargeLoopRes late; the timer runs from then
  const timeoutMs =
    ((s.cfg.defect === "iso20-no-charge-loop-timeout" ? undefined : mod.sequenceTimeoutMs?.(s, element)) ??
      s.cfg.sequenceTimeoutMs) +
    (s.cfg.defect === "iso20-slow-charge-loop" && element === "DC_ChargeLoopRes"
      ? DEFECT_SLOW_CHARGE_LOOP_MS
      : 0);
  // TEST-ONLY defects: no sequence timeout / half of it
  if (s.cfg.defect === "no-sequence-timeout") return s;
  if (s.cfg.defect === "early-sequence-timeout") return setTimer(s, "sequence", s.nowMs + timeoutMs / 2, fx);
  return setTimer(s, "sequence", s.nowMs + timeoutMs, fx);
}
