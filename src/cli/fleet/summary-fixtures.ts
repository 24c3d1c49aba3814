/** Test support: a one-charger EVSE fleet summary with no sessions, for tests of what reads summaries. */
import type { ChargerSession } from "./charger-session.js";
import { type EvseFleetSummary, evseFleetSummary } from "./summary.js";

/** The summary of one charger, not sharded, with `sessions` and the SECC response samples given. */
export function oneChargerEvseSummary(
  sessions: readonly ChargerSession[],
  responseMs: number[],
  loopResponseMs: number[],
): EvseFleetSummary {
  return evseFleetSummary(sessions, {
    chargers: 1,
    shard: null,
    workers: [],
    wallS: 1,
    notStarted: [],
    boardsLost: 0,
    interlocksByCause: {},
    lostChargers: 0,
    responseMs,
    loopResponseMs,
  });
}
