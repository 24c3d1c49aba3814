/**
 * The machines' timer tables (timer id → due time, ms): copied on every change, as all machine state is.
 *
 * A copy is rebuilt key by key from an empty object, so tables with the same timers share one V8 hidden
 * class. `{ ...timers, [id]: t }` with a new id, and `delete`, would give every copy its own hidden class or
 * a dictionary; at the charge loop's message rate that fills the old generation (see
 * testing/hidden-class.ts).
 */
export type TimerTable = Readonly<Record<string, number>>;

/** `timers` with timer `id` due at `atMs` (added, or moved). */
export function withTimer(timers: TimerTable, id: string, atMs: number): TimerTable {
  const out: Record<string, number> = {};
  for (const k in timers) out[k] = timers[k] as number;
  out[id] = atMs;
  return out;
}

/** `timers` without timer `id`. */
export function withoutTimer(timers: TimerTable, id: string): TimerTable {
  const out: Record<string, number> = {};
  for (const k in timers) if (k !== id) out[k] = timers[k] as number;
  return out;
}
