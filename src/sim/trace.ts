/** The simulator trace: what happened when (virtual ms), and look-ups used by scenario tests. */

/** What happened, when (virtual ms). Values are the new state of the named quantity. */
export type TraceKind =
  | "cp"
  | "cp-fault"
  | "diode"
  | "duty"
  | "contactor-cmd"
  | "contactor"
  | "current"
  | "s2"
  | "vent"
  | "ev-duty"
  | "pp"
  | "supply"
  | "ev-stop"
  | "evse-log"
  | "ev-log"
  | "action";

/** One trace entry. */
export interface TraceEntry {
  tMs: number;
  kind: TraceKind;
  value: string | number | boolean;
}

/** First trace entry of `kind` at or after `fromMs` that satisfies `pred`. */
export function findTrace(
  trace: readonly TraceEntry[],
  kind: TraceKind,
  fromMs: number,
  pred: (e: TraceEntry) => boolean = () => true,
): TraceEntry | undefined {
  return trace.find((e) => e.kind === kind && e.tMs >= fromMs && pred(e));
}

/** All trace entries of `kind`, optionally within [fromMs, toMs]. */
export function traceOf(
  trace: readonly TraceEntry[],
  kind: TraceKind,
  fromMs = 0,
  toMs = Number.POSITIVE_INFINITY,
): TraceEntry[] {
  return trace.filter((e) => e.kind === kind && e.tMs >= fromMs && e.tMs <= toMs);
}
