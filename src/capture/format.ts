/**
 * Output forms of capture events: the timeline line (relative time, direction, layer, message
 * type and key fields with units) and the JSON object (`{"t","layer","from","schema","type","message"}`,
 * or `{…,"error","hex"}` for what could not be decoded). Pure code.
 */
import { jsonReplacer } from "../codecs/index.js";
import type { CaptureEvent } from "./decoder.js";
import { keyFields, keyFieldsOther, messageBody } from "./fields.js";

/** Direction labels of the timeline. */
export const DIRECTION_LABELS = { ev: "EV→EVSE", evse: "EVSE→EV", unknown: "   ?   " } as const;

const MAX_ERROR_HEX = 64;

/** One timeline line (no trailing newline). */
export function formatTimelineLine(e: CaptureEvent): string {
  const time = e.t.toFixed(3).padStart(9);
  const dir = DIRECTION_LABELS[e.from];
  const layer = e.layer.padEnd(4);
  const schema = (e.schema && e.layer === "v2g" ? e.schema : "").padEnd(13);
  let fields: string[] = [];
  if (e.layer === "v2g" && e.message) fields = keyFields(e.type, messageBody(e.type, e.message));
  else if ((e.layer === "sdp" || e.layer === "slac") && e.message) fields = keyFieldsOther(e.type, e.message);
  else if (
    (e.layer === "tcp" || e.layer === "tls" || e.layer === "capture") &&
    e.message &&
    typeof e.message === "object"
  ) {
    fields = Object.entries(e.message as Record<string, unknown>)
      .filter(([k]) => k !== "labels")
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(",") : String(v)}`);
  }
  let line = `${time}  ${dir}  ${layer} ${schema}${e.type}`;
  if (e.conn !== undefined && e.layer !== "v2g") line += ` #${e.conn}`;
  if (fields.length > 0) line += ` ${fields.join(" ")}`;
  if (e.tls) line += " [TLS]";
  if (e.schemaGuessed) line += " [schema guessed]";
  if (e.warnings?.length) line += ` (warning: ${e.warnings.join("; ")})`;
  if (e.error) {
    line += `  !! ${e.error.message}`;
    if (e.hex) {
      const h = e.hex.length > MAX_ERROR_HEX * 2 ? `${e.hex.slice(0, MAX_ERROR_HEX * 2)}…` : e.hex;
      line += ` [${e.hex.length / 2} bytes: ${h}]`;
    }
  }
  return line;
}

/** The JSON object of an event (key order: t, frame, layer, from, schema, type, message|error, hex, …). */
export function eventToJson(e: CaptureEvent): string {
  const o: Record<string, unknown> = {
    t: Math.round(e.t * 1e6) / 1e6,
    frame: e.frame,
    layer: e.layer,
    from: e.from,
  };
  if (e.schema !== undefined) o.schema = e.schema;
  o.type = e.type;
  if (e.conn !== undefined) o.conn = e.conn;
  if (e.payloadType !== undefined) o.payloadType = e.payloadType;
  if (e.message !== undefined) o.message = e.message;
  if (e.error) o.error = e.error;
  if (e.hex !== undefined) o.hex = e.hex;
  if (e.warnings) o.warnings = e.warnings;
  if (e.tls) o.tls = true;
  if (e.schemaGuessed) o.schemaGuessed = true;
  return JSON.stringify(o, jsonReplacer);
}
