/** Test-only helpers of the live fleet tests. */
import type { EvseFleet } from "./evse-fleet.js";

/** Wait (bounded: 10 s) until the EVSE fleet has reported `n` sessions. */
export async function sessionsReported(f: EvseFleet, n: number): Promise<void> {
  for (let k = 0; k < 100 && f.progress().sessions < n; k++) await new Promise((r) => setTimeout(r, 100));
}
