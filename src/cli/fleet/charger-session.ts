/**
 * One session of a charger of the EVSE fleet as its summary and timeline need it (worker → parent).
 */
import type { LiveSessionSummary } from "../../link/host/live-session.js";
import { normalEnd } from "../live/evse-host.js";
import { loopResponseOf } from "./ev-vehicle.js";

/** One session as the EVSE fleet summary needs it. */
export interface ChargerSession {
  index: number;
  protocol: string | null;
  stopReason: string | null;
  normal: boolean;
  trips: { fault: string; offLatencyMs: number | null }[];
  energyWh: number;
  reachedLoop: boolean;
  /**
   * A session that did not end normally: when it went wrong (epoch ms), its first trip's detection, else
   * its end. The timeline counts the failure there: a session ends some time after its trip.
   */
  failedAtEpochMs?: number;
}

/** The compact form of a session report. */
export function chargerSession(
  index: number,
  s: LiveSessionSummary,
  /** When the session ended, epoch ms (its summary is made then). */
  endedAtEpochMs: number = Date.now(),
): ChargerSession {
  const normal = normalEnd(s);
  const trip = s.safety[0];
  return {
    index,
    protocol: s.protocol,
    stopReason: s.stopReason,
    normal,
    trips: s.safety.map((t) => ({ fault: t.fault, offLatencyMs: t.offLatencyMs })),
    energyWh: s.energyDeliveredWh,
    reachedLoop: (s.messageCounts[loopResponseOf(s.protocol)] ?? 0) > 0,
    ...(!normal && {
      failedAtEpochMs: trip ? endedAtEpochMs - (s.durationMs - trip.detectedAtMs) : endedAtEpochMs,
    }),
  };
}
