/**
 * The conformance tester's SLAC frame interceptor: a {@link FramePort} in front of the tester EV's own
 * frame port (the raw socket on `--iface`). It passes the EV controller's SLAC frames (ISO 15118-3
 * SLAC messages) through until the case's trigger, applies the case's SLAC deviation, and records on the trace
 * every frame it puts on the wire and every frame of the SUT it receives, decoded (bytes as hex). The EV
 * controller runs unchanged. Platform-neutral (frames are Uint8Arrays).
 */
import { decodeSlacFrame, encodeSlacFrame, SlacError, type SlacFrame, slacParmReq } from "../slac/index.js";
import { hex } from "../slac/matching/messages.js";
import type { FramePort } from "../slac/run/index.js";
import type { FieldValue, SlacTesterBehaviour, TraceEvent } from "./types.js";
import { bytesOfHex } from "./wire-codec.js";

/** Options of {@link createSlacInterceptor}. */
export interface SlacInterceptorOptions {
  port: FramePort;
  behaviour: SlacTesterBehaviour;
  /** ms since the case started. */
  now(): number;
  record(e: TraceEvent): void;
  /** The tester's own deviation could not be built (the case is inconclusive). */
  onTesterError?(message: string): void;
}

/** The wrapped port and what it knows of the case. */
export interface SlacInterceptor extends FramePort {
  /** When the deviation was applied (ms since the case started), or null. */
  readonly deviationAtMs: number | null;
}

/** The MME's fields as trace data: byte fields as lowercase hex, numbers as they are. */
export function slacFields(f: SlacFrame): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f.mme)) {
    if (k === "kind") continue;
    out[k] = v instanceof Uint8Array ? hex(v) : v;
  }
  return out;
}

/** The frame's name: the MME kind, or its MMTYPE in hex when the codec does not know it. */
export function slacName(f: SlacFrame): string {
  return f.mme.kind === "unknown" ? `0x${f.mme.mmtype.toString(16)}` : f.mme.kind;
}

/** `frame` with the fields of `set` (hex for byte fields, numbers for the others) replaced. */
export function mutateSlacFrame(frame: SlacFrame, set: Record<string, FieldValue>): SlacFrame {
  const mme = { ...frame.mme } as Record<string, unknown>;
  let src = frame.src;
  let dst = frame.dst;
  for (const [path, v] of Object.entries(set)) {
    const old = path === "src" ? src : path === "dst" ? dst : mme[path];
    if (old === undefined) throw new Error(`${slacName(frame)}: no field ${path}`);
    let value: unknown = v;
    if (old instanceof Uint8Array) {
      if (typeof v !== "string") throw new Error(`${slacName(frame)}.${path}: give the bytes as hex`);
      const b = bytesOfHex(v);
      if (b.length !== old.length)
        throw new Error(`${slacName(frame)}.${path}: ${b.length} bytes, the field has ${old.length}`);
      value = b;
    } else if (typeof old === "number" && typeof v !== "number")
      throw new Error(`${slacName(frame)}.${path}: must be a number`);
    if (path === "src") src = value as Uint8Array;
    else if (path === "dst") dst = value as Uint8Array;
    else mme[path] = value;
  }
  return { ...frame, src, dst, mme: mme as unknown as SlacFrame["mme"] };
}

/** Create the interceptor of one case over the tester's frame port. */
export function createSlacInterceptor(o: SlacInterceptorOptions): SlacInterceptor {
  const b = o.behaviour;
  const counts = new Map<string, number>();
  let deviationAtMs: number | null = null;
  // silent-from: the RunID of the attempt being held back (hex), or null
  let silentRun: string | null = null;
  const own = new Set([hex(o.port.mac)]);
  if (b.kind === "second-ev") own.add(b.mac.toLowerCase());

  const put = (f: SlacFrame, extra: { note?: string; deviation?: boolean } = {}) => {
    o.port.send(encodeSlacFrame(f));
    o.record({
      kind: "slac",
      tMs: o.now(),
      dir: "tx",
      name: slacName(f),
      src: hex(f.src),
      dst: hex(f.dst),
      fields: slacFields(f),
      ...extra,
    });
  };
  const hold = (f: SlacFrame, note: string) =>
    o.record({
      kind: "slac",
      tMs: o.now(),
      dir: "tx",
      name: slacName(f),
      src: hex(f.src),
      dst: hex(f.dst),
      fields: slacFields(f),
      note,
      held: true,
    });
  const runIdOf = (f: SlacFrame): string | null => {
    const r = (f.mme as { runId?: unknown }).runId;
    return r instanceof Uint8Array ? hex(r) : null;
  };

  return {
    mac: o.port.mac,
    get deviationAtMs() {
      return deviationAtMs;
    },
    send(bytes) {
      let f: SlacFrame;
      try {
        f = decodeSlacFrame(bytes);
      } catch (e) {
        if (!(e instanceof SlacError)) throw e;
        o.port.send(bytes); // not ours to judge: on the wire as it is
        return;
      }
      const name = slacName(f);
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      if (silentRun !== null) {
        const run = runIdOf(f);
        if (name === "CM_SLAC_PARM.REQ" && run !== silentRun) silentRun = null;
        else return hold(f, "held back: the tester is silent in this matching attempt");
      }
      if (b.kind === "withhold") {
        if (name !== b.frame || n < b.from || n >= b.from + (b.count ?? Number.POSITIVE_INFINITY)) put(f);
        else {
          deviationAtMs ??= o.now();
          hold(f, `held back (${b.frame} #${n})`);
        }
        return;
      }
      const trigger =
        b.kind === "observe"
          ? null
          : { frame: b.kind === "second-ev" ? b.after : b.frame, occurrence: b.occurrence ?? 1 };
      if (!trigger || deviationAtMs !== null || trigger.frame !== name || trigger.occurrence !== n) {
        put(f);
        return;
      }
      deviationAtMs = o.now();
      switch (b.kind) {
        case "mutate": {
          let m: SlacFrame;
          try {
            m = mutateSlacFrame(f, b.set);
          } catch (e) {
            o.onTesterError?.((e as Error).message);
            put(f);
            return;
          }
          put(m, { note: `set ${JSON.stringify(b.set)}`, deviation: true });
          return;
        }
        case "repeat":
          put(f, { deviation: true });
          put(f, { note: "sent again", deviation: true });
          return;
        case "silent-from":
          silentRun = runIdOf(f) ?? "";
          hold(f, "held back: the tester falls silent in this matching attempt");
          return;
        case "second-ev": {
          put(f);
          let req: SlacFrame;
          try {
            req = slacParmReq(bytesOfHex(b.mac), bytesOfHex(b.runIdHex));
          } catch (e) {
            o.onTesterError?.(`second EV: ${(e as Error).message}`);
            return;
          }
          put(req, { note: "a second EV", deviation: true });
          return;
        }
      }
    },
    onFrame(handler) {
      return o.port.onFrame((bytes) => {
        try {
          const f = decodeSlacFrame(bytes);
          // a raw socket may see its own frames (and the second EV's) again: the SUT's only
          if (!own.has(hex(f.src)))
            o.record({
              kind: "slac",
              tMs: o.now(),
              dir: "rx",
              name: slacName(f),
              src: hex(f.src),
              dst: hex(f.dst),
              fields: slacFields(f),
            });
        } catch (e) {
          if (!(e instanceof SlacError)) throw e;
        }
        handler(bytes);
      });
    },
  };
}
