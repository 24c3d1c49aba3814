/**
 * Scripts of the test CSMS (`nacs csms --script FILE`): a JSON list of steps run in order for each
 * connected station. A step waits for a CALL from the station (`when`: its action and fields, dotted paths
 * into the payload), then after `delayMs` (wall) sends `call` with `payload` — where the strings
 * "$transactionId" and "$identity" become the station's last transactionId and its identity. A step
 * without `when` follows the one before, its `delayMs` counted from when that one fired. Pure code.
 */
import { OcppLinkError } from "./errors.js";

/** One step of a CSMS script. */
export interface CsmsStep {
  when?: { action: string; match?: Record<string, unknown> };
  delayMs?: number;
  call: string;
  payload: Record<string, unknown>;
}

/** Parse a script's text. Throws OcppLinkError("bad-script") naming the step and the field. */
export function parseCsmsScript(text: string, name = "script"): CsmsStep[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new OcppLinkError("bad-script", `${name}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(raw)) throw new OcppLinkError("bad-script", `${name}: must be a JSON list of steps`);
  return raw.map((x, i) => {
    const at = `${name} step ${i + 1}`;
    const o = x as Record<string, unknown>;
    if (typeof o !== "object" || o === null)
      throw new OcppLinkError("bad-script", `${at}: must be an object`);
    if (typeof o.call !== "string" || !/^[A-Za-z0-9]+$/.test(o.call))
      throw new OcppLinkError("bad-script", `${at}: "call" must be an OCPP action name`);
    if (typeof o.payload !== "object" || o.payload === null || Array.isArray(o.payload))
      throw new OcppLinkError("bad-script", `${at}: "payload" must be an object`);
    if (
      o.delayMs !== undefined &&
      !(typeof o.delayMs === "number" && o.delayMs >= 0 && o.delayMs <= 3_600_000)
    )
      throw new OcppLinkError("bad-script", `${at}: "delayMs" must be a number of ms, 0–3600000`);
    const w = o.when as Record<string, unknown> | undefined;
    if (w !== undefined && (typeof w !== "object" || w === null || typeof w.action !== "string"))
      throw new OcppLinkError("bad-script", `${at}: "when" must be {action, match?}`);
    if (w?.match !== undefined && (typeof w.match !== "object" || w.match === null))
      throw new OcppLinkError("bad-script", `${at}: "when.match" must be an object`);
    return o as unknown as CsmsStep;
  });
}

/** The value at a dotted path of an object. */
function at(o: unknown, path: string): unknown {
  let v = o;
  for (const k of path.split("."))
    v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** Whether a CALL from the station satisfies a step's `when`. */
export function stepMatches(step: CsmsStep, action: string, payload: unknown): boolean {
  if (!step.when) return true;
  if (step.when.action !== action) return false;
  return Object.entries(step.when.match ?? {}).every(([k, v]) => at(payload, k) === v);
}

/**
 * The payload with "$transactionId" / "$identity" replaced (a 1.6 transactionId is an integer, and stays
 * one).
 */
export function substitute(v: unknown, vars: Record<string, string | number | undefined>): unknown {
  if (typeof v === "string" && v.startsWith("$") && v.slice(1) in vars) return vars[v.slice(1)] ?? v;
  if (Array.isArray(v)) return v.map((x) => substitute(x, vars));
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, vars)]));
  return v;
}
