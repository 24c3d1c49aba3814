/** The SECC settings `nacs evse` takes from its options, for one charger or every charger of a fleet. */
import type { EvseOptions } from "../commands/evse.js";
import { random } from "./slac-link.js";

/**
 * Protocols, session ID, timeouts, metering receipts and -20 switches of `o`, with a fresh epoch and random
 * seed.
 */
export function seccSettingsOf(o: EvseOptions) {
  return {
    protocols: o.protocol,
    epochS: Math.floor(Date.now() / 1000),
    seed: random(4).reduce((a, b) => a * 256 + b, 0) >>> 0 || 1,
    sessionIdLength: o.sessionIdBytes,
    ...(o.sequenceTimeout !== undefined && { sequenceTimeoutMs: Math.round(o.sequenceTimeout * 1000) }),
    iso20WithoutTls: o.iso20WithoutTls,
    bidirectional: o.bidirectional,
    receiptRequired: o.receiptRequired,
    ...(o.control && { iso20ControlModes: o.control }),
  };
}
