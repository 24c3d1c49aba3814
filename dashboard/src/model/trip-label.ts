import type { TripMark } from "./session-model.js";

/** "over-current: fault → detection 8 ms, detection → off 1 ms (459.6 A > 440.0 A)". */
export function tripLabel(t: TripMark): string {
  const parts: string[] = [];
  if (t.faultT !== undefined) parts.push(`fault → detection ${Math.round((t.t - t.faultT) * 1000)} ms`);
  if (t.latencyMs !== undefined) parts.push(`detection → off ${t.latencyMs} ms`);
  if (t.inputToOffMs !== undefined) parts.push(`input → off ${t.inputToOffMs} ms`);
  const head = `${t.fault || t.reason}${parts.length ? `: ${parts.join(", ")}` : ""}`;
  return t.detail ? `${head} (${t.detail})` : head;
}
