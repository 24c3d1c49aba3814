/**
 * A pre-shared key on a board mux over TCP (`--board-mux-key FILE`): both ends prove they hold it before a
 * cable is served, so a host on the network that reaches a charger park's mux cannot plug vehicles into its
 * simulated cables, and a vehicle fleet does not take readings from a park that is not the one meant.
 *
 * Challenge and response, on the mux's `*` header lines (docs/board-protocol.md):
 * 1. the park: `* auth-challenge <S>` (S: 32 random bytes, hex), and nothing else until 3;
 * 2. the fleet: `* auth <C> <HMAC-SHA256(key, "nacs-board-mux client S C")>` (C: its own 32 random bytes);
 * 3. the park: `* auth-ok <HMAC-SHA256(key, "nacs-board-mux server S C")>`, then its usual headers; or
 *    `* auth-refused <why>` and it closes the connection.
 * The key authenticates the connection's start, not each line: the lines are not encrypted or signed
 * (design choice, for a test network; a hostile network needs a tunnel). Node-only (node:crypto).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";

/** Fewest bytes a key may have (128 bits). Design choice. */
export const MUX_KEY_MIN_BYTES = 16;
/** Most bytes read from a key file. Design choice. */
export const MUX_KEY_MAX_BYTES = 4096;
/** Random bytes of each side's nonce. */
const NONCE_BYTES = 32;
/** Hex digits of a nonce and of a proof (HMAC-SHA256). */
const HEX_LEN = 64;
/** How long a park waits for a connecting fleet's proof before it closes the connection (ms). Design choice. */
export const MUX_AUTH_WAIT_MS = 5_000;

/** Who proves: the fleet that connects, or the park that listens. */
export type MuxAuthRole = "client" | "server";

/**
 * The key in `file`: its bytes less trailing whitespace (a key written with `echo` works as one written
 * without a newline). Throws an Error whose message is the rule it breaks.
 */
export function readMuxKey(file: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    throw new Error(
      `cannot read the key file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let end = raw.length;
  while (end > 0 && /\s/.test(String.fromCharCode(raw[end - 1]!))) end--;
  if (end < MUX_KEY_MIN_BYTES || end > MUX_KEY_MAX_BYTES)
    throw new Error(
      `the key in ${file} has ${end} bytes: ${MUX_KEY_MIN_BYTES}–${MUX_KEY_MAX_BYTES} are needed (e.g. openssl rand -hex 32 > ${file})`,
    );
  return new Uint8Array(raw.subarray(0, end));
}

/** `--board-mux-key FILE`'s key, or none without the option (throws as {@link readMuxKey}). */
export const muxKeyOption = (file: string | undefined): Uint8Array | undefined =>
  file === undefined ? undefined : readMuxKey(file);

/** A fresh nonce (hex). */
export const muxNonce = (): string => randomBytes(NONCE_BYTES).toString("hex");

/** What `role` sends to prove it holds `key`, for the park's nonce `s` and the fleet's `c` (hex). */
export function muxAuthProof(key: Uint8Array, role: MuxAuthRole, s: string, c: string): string {
  return createHmac("sha256", key).update(`nacs-board-mux ${role} ${s} ${c}`).digest("hex");
}

/** Whether `proof` is `role`'s proof of `key` for `s` and `c` (in constant time). */
export function checkMuxAuthProof(
  key: Uint8Array,
  role: MuxAuthRole,
  s: string,
  c: string,
  proof: string,
): boolean {
  if (!isHex(proof)) return false;
  return timingSafeEqual(Buffer.from(muxAuthProof(key, role, s, c), "hex"), Buffer.from(proof, "hex"));
}

const isHex = (t: string): boolean => t.length === HEX_LEN && /^[0-9a-f]+$/.test(t);

/** A header line of the exchange, parsed; null when `text` is none of them (or malformed). */
export type MuxAuthHeader =
  | { kind: "challenge"; s: string }
  | { kind: "auth"; c: string; proof: string }
  | { kind: "ok"; proof: string }
  | { kind: "refused"; why: string };

/** Parse a `*` header's text (without `* `) as a step of the exchange. */
export function parseMuxAuthHeader(text: string): MuxAuthHeader | null {
  const [word, ...rest] = text.split(" ");
  switch (word) {
    case "auth-challenge":
      return rest.length === 1 && isHex(rest[0]!) ? { kind: "challenge", s: rest[0]! } : null;
    case "auth":
      return rest.length === 2 && isHex(rest[0]!) && isHex(rest[1]!)
        ? { kind: "auth", c: rest[0]!, proof: rest[1]! }
        : null;
    case "auth-ok":
      return rest.length === 1 && isHex(rest[0]!) ? { kind: "ok", proof: rest[0]! } : null;
    case "auth-refused":
      return { kind: "refused", why: rest.join(" ") };
    default:
      return null;
  }
}

/** Whether a header's text is a step of the exchange by its first word (well-formed or not). */
export const isMuxAuthHeader = (text: string): boolean => /^auth(-challenge|-ok|-refused)?( |$)/.test(text);
