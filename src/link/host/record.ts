/**
 * The session record, written by the simulator and by the live hosts (`--events`): one event per NDJSON
 * line. Every event has `t` (seconds since the host started: virtual in the simulator, wall clock live) and
 * `type`; the other fields depend on the type:
 *   start {config} · phase {phase} · cp {state} · duty {duty} · contactor {side, closed} · s2 {closed}
 *   lock {locked} · msg {dir, name, bytes?, from?, payloadType?} · sample {v, i, p, soc, cp, evTargetV?,
 *   evTargetA?, evseMaxA?, evseMaxW?} · fault {name} · trip {fault, reason, detail} · off {fault, latencyMs,
 *   inputToOffMs?} · stop {side, reason} · log {side, level, msg} · summary {summary}.
 * The simulator writes `bytes` (the V2GTP payload, hex), `from` and `payloadType` on every `msg`, and a
 * `sample` at event resolution (whenever a value moved) besides the one per second; the live hosts write
 * `msg {dir, name}`.
 */

/** Record event types. */
export type RecordType =
  | "start"
  | "phase"
  | "cp"
  | "duty"
  | "contactor"
  | "s2"
  | "lock"
  | "msg"
  | "sample"
  | "fault"
  | "trip"
  | "off"
  | "stop"
  | "log"
  | "summary";

/** One record event. */
export type RecordEvent = { t: number; type: RecordType } & Record<string, unknown>;

/** Where record events go (the CLI appends each to a file as it happens). */
export type RecordSink = (e: RecordEvent) => void;

/** One NDJSON line (with the trailing newline). */
export function ndjsonLine(e: RecordEvent): string {
  return `${JSON.stringify(e)}\n`;
}

/** Parse NDJSON text back into events (blank lines skipped). Throws SyntaxError naming the line on bad JSON. */
export function parseNdjson(text: string): RecordEvent[] {
  const out: RecordEvent[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as RecordEvent);
    } catch (err) {
      throw new SyntaxError(`record line ${n + 1}: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}
