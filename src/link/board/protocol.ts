/**
 * Board port line codec (docs/board-protocol.md): newline-delimited JSON, one message per line,
 * `{"v":1,"seq":N,"type":"...",...}`. Constants, `encodeBoardMessage`, `parseBoardLine` and the sequence
 * check. Platform-neutral (no Node built-ins): it can run in a browser or on a board's JS runtime.
 */
import type { z } from "zod";
import { BoardError } from "./errors.js";
import { fastBoardBody, fastEnvelope } from "./fast-bodies.js";
import {
  type AnyBoardBody,
  BOARD_MESSAGE_TYPES,
  BOARD_PROTOCOL_VERSION,
  BOARD_SEQ_MODULUS,
  type BoardEnvelope,
  type BoardMessage,
  type BoardRole,
  type BoardSender,
  type BodyFrom,
  boardBodySchemas,
  envelopeSchema,
} from "./messages.js";

export * from "./messages.js";

/** Each side sends `heartbeat` this often (ms). Design choice: 10 Hz, well inside the limit below. */
export const BOARD_HEARTBEAT_INTERVAL_MS = 100;
/**
 * Supervision limit (ms): nothing valid from the peer for this long ⇒ the link is lost. Design choice: five
 * heartbeat intervals, the same 0.5 s as our charge-loop watchdog (ISO 15118-20 V2G_SECC_Sequence_Timeout_DC_CL),
 * so a dead board is noticed no later than a dead EV would be. The board applies the same limit to the host.
 */
export const BOARD_HEARTBEAT_LIMIT_MS = 500;
/** The host repeats `hello` this often until the board answers (a board may still be booting). Design choice. */
export const BOARD_HELLO_RETRY_MS = 500;
/** No board `hello` within this time ⇒ the handshake fails. Design choice (covers a bootloader delay). */
export const BOARD_HELLO_TIMEOUT_MS = 5_000;
/** Longest line in bytes (UTF-8, without the "\n"); longer lines are dropped. Design choice. */
export const BOARD_MAX_LINE_BYTES = 4096;

const utf8 = new TextEncoder();

function byteLength(s: string): number {
  return utf8.encode(s).length;
}

/** Serialise one message as a line (JSON + "\n"), `v` and `seq` first. Throws {@link BoardError} "too-long". */
export function encodeBoardMessage(msg: BoardMessage): string {
  const { v, seq, ...body } = msg;
  return checkedLine(JSON.stringify({ v, seq, ...body }), msg.type);
}

/** The line of `body` sent as message `seq`: what {@link encodeBoardMessage} gives, building one object less. */
export function encodeBoardBody(seq: number, body: AnyBoardBody): string {
  return checkedLine(JSON.stringify({ v: BOARD_PROTOCOL_VERSION, seq, ...body }), body.type);
}

function checkedLine(line: string, type: string): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes: a short line needs no encoding to be checked.
  const bytes = line.length * 3 > BOARD_MAX_LINE_BYTES ? byteLength(line) : line.length;
  if (bytes > BOARD_MAX_LINE_BYTES)
    throw new BoardError(
      "too-long",
      `board message "${type}": ${bytes} bytes, more than the ${BOARD_MAX_LINE_BYTES}-byte line limit`,
    );
  return `${line}\n`;
}

/** A parsed line: the message, or why the line was dropped. */
export type BoardParseResult<B extends AnyBoardBody> =
  | { ok: true; message: BoardEnvelope & B }
  | { ok: false; error: BoardError };

/** Which schema a line is read against: the role of the link and who sent the line. */
export interface BoardParseContext<R extends BoardRole, F extends BoardSender> {
  role: R;
  from: F;
}

/**
 * Parse one line (without its "\n") sent by `ctx.from` on a `ctx.role` link. Never throws: bad input gives
 * `{ ok: false, error }` whose message names the field and the rule.
 */
export function parseBoardLine<R extends BoardRole, F extends BoardSender>(
  line: string,
  ctx: BoardParseContext<R, F>,
): BoardParseResult<BodyFrom<R, F>> {
  if (typeof line !== "string") return lineError(ctx, "bad-message", "line: expected a string");
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short lines need no encoding to be checked.
  const bytes = line.length * 3 > BOARD_MAX_LINE_BYTES ? byteLength(line) : 0;
  if (bytes > BOARD_MAX_LINE_BYTES)
    return lineError(
      ctx,
      "too-long",
      `line: ${bytes} bytes, longer than the ${BOARD_MAX_LINE_BYTES}-byte limit`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return lineError(ctx, "bad-json", `line: not JSON (${(err as Error).message})`, err);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    return lineError(ctx, "bad-message", `line: expected a JSON object, got ${describe(raw)}`);
  const obj = raw as Record<string, unknown>;
  const type = typeof obj.type === "string" ? obj.type : undefined;
  if (type === "hello" && (obj.v !== BOARD_PROTOCOL_VERSION || obj.protocol !== BOARD_PROTOCOL_VERSION))
    return lineError(
      ctx,
      "protocol-mismatch",
      `hello: peer speaks protocol ${JSON.stringify(obj.protocol ?? obj.v ?? null)}` +
        ` (field "v" ${JSON.stringify(obj.v ?? null)}), this side speaks ${BOARD_PROTOCOL_VERSION}`,
    );
  if (fastEnvelope(obj) && BOARD_MESSAGE_TYPES[ctx.role][ctx.from].includes(obj.type)) {
    const body = fastBoardBody(obj.type, obj);
    if (body)
      return {
        ok: true,
        message: { v: BOARD_PROTOCOL_VERSION, seq: obj.seq, ...body } as BoardEnvelope & BodyFrom<R, F>,
      };
  }
  return parseBySchema(obj, type, ctx);
}

/** A dropped line's error; the message says which way the line went and names the field and the rule. */
function lineError(
  ctx: BoardParseContext<BoardRole, BoardSender>,
  code: BoardError["code"],
  msg: string,
  cause?: unknown,
): { ok: false; error: BoardError } {
  const where = `${ctx.from === "host" ? "host → board" : "board → host"} (${ctx.role})`;
  return {
    ok: false,
    error: new BoardError(code, `${where}: ${msg}`, cause === undefined ? undefined : { cause }),
  };
}

/** The schema path of {@link parseBoardLine}: envelope, allowed type, body; errors name the field and the rule. */
function parseBySchema<R extends BoardRole, F extends BoardSender>(
  obj: Record<string, unknown>,
  type: string | undefined,
  ctx: BoardParseContext<R, F>,
): BoardParseResult<BodyFrom<R, F>> {
  const env = envelopeSchema.safeParse(obj);
  if (!env.success) return lineError(ctx, "bad-message", formatIssues(env.error, type));
  const allowed = BOARD_MESSAGE_TYPES[ctx.role][ctx.from];
  if (!allowed.includes(env.data.type)) {
    const other: BoardSender = ctx.from === "host" ? "board" : "host";
    const hint = BOARD_MESSAGE_TYPES[ctx.role][other].includes(env.data.type)
      ? ` (it is sent by the ${other}, not the ${ctx.from})`
      : "";
    return lineError(
      ctx,
      "unknown-type",
      `field "type": unknown type ${JSON.stringify(env.data.type)}${hint}; expected one of ${allowed.join(", ")}`,
    );
  }
  const body = boardBodySchemas[ctx.role][ctx.from].safeParse(obj);
  if (!body.success) return lineError(ctx, "bad-message", formatIssues(body.error, type));
  const message = { v: BOARD_PROTOCOL_VERSION, seq: env.data.seq, ...body.data };
  return { ok: true, message: message as BoardEnvelope & BodyFrom<R, F> };
}

/** `"type" field "a.b[0]": rule` for the first zod issue (+ how many more). */
export function formatIssues(error: z.ZodError, type?: string): string {
  const [first, ...rest] = error.issues;
  const prefix = type === undefined ? "" : `${JSON.stringify(type)} `;
  if (!first) return `${prefix}invalid message`;
  const path = first.path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join("");
  const more = rest.length > 0 ? ` (+${rest.length} more)` : "";
  return `${prefix}field "${path || "(message)"}": ${first.message}${more}`;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array";
  return `a ${typeof x}`;
}

/** The next sequence number after `seq` (wraps at 2³²). */
export function nextBoardSeq(seq: number): number {
  return (seq + 1) % BOARD_SEQ_MODULUS;
}

/** Outcome of checking a received `seq`: in order, a gap (messages missing) or a repeat / step back. */
export type BoardSeqCheck =
  | { kind: "ok" }
  | { kind: "gap"; expected: number; got: number; missed: number }
  | { kind: "repeat"; expected: number; got: number };

/**
 * Receiver-side sequence check. Every `seq` is accepted and becomes the new reference (resync), so a gap or a
 * repeat is reported once, never fatal. `reset()` forgets the reference (after a hello).
 */
export function createSeqTracker(): { check(seq: number): BoardSeqCheck; reset(): void } {
  let last: number | undefined;
  return {
    check(seq) {
      const prev = last;
      last = seq;
      if (prev === undefined) return { kind: "ok" };
      const expected = nextBoardSeq(prev);
      const ahead = (seq - expected + BOARD_SEQ_MODULUS) % BOARD_SEQ_MODULUS;
      if (ahead === 0) return { kind: "ok" };
      if (ahead < BOARD_SEQ_MODULUS / 2) return { kind: "gap", expected, got: seq, missed: ahead };
      return { kind: "repeat", expected, got: seq };
    },
    reset() {
      last = undefined;
    },
  };
}
