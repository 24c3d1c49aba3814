/**
 * A decoded capture as session record events, so the capture viewer shows it on the same views as a live
 * session: every V2G message as `msg` (already decoded), the values of DC/AC loop messages as `sample`
 * (EVSE present voltage and current, EV targets, EVSE limits, SOC), the DC phases the messages imply
 * (`dcPhaseAfter`), and SLAC / SDP / TCP / TLS notices as `log` lines (which feed the SLAC progress).
 */

import { messageBody, physicalOf } from "../../../src/capture/fields.js";
import type { CaptureEvent } from "../../../src/capture/index.js";
import type { RecordEvent } from "../../../src/sim/record/types.js";
import { type DcSessionPhase, dcPhaseAfter } from "../../../src/v2g/session/phases.js";

/** Message field → sample column. DIN 70121 §9.4, ISO 15118-2 §8.4.5, ISO 15118-20 §8.3.5 names. */
const FIELD_COLUMNS: Readonly<Record<string, string>> = {
  EVSEPresentVoltage: "v",
  EVSEPresentCurrent: "i",
  EVTargetVoltage: "evTargetV",
  EVTargetCurrent: "evTargetA",
  EVSEMaximumCurrentLimit: "evseMaxA",
  EVSEMaximumChargeCurrent: "evseMaxA",
  EVSEMaximumPowerLimit: "evseMaxW",
  EVSEMaximumChargePower: "evseMaxW",
  EVRESSSOC: "soc",
  PresentSOC: "soc",
};

/** Collect the sample values of a message body (nested up to `depth` levels). */
export function sampleValues(body: unknown, depth = 4): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (o: unknown, d: number): void => {
    if (typeof o !== "object" || o === null || d < 0) return;
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      const col = FIELD_COLUMNS[k];
      if (col && !(col in out)) {
        if (typeof v === "number") out[col] = v;
        else {
          const pv = physicalOf(k, v);
          if (pv) out[col] = pv.unit === "kW" ? pv.value * 1000 : pv.value;
        }
      } else if (typeof v === "object") walk(v, d - 1);
    }
  };
  walk(body, depth);
  if (out.v !== undefined && out.i !== undefined) out.p = Math.round(out.v * out.i);
  return out;
}

const family = (schema: string | undefined) =>
  schema?.startsWith("iso20") ? "iso20" : schema === "din" || schema === "iso2" ? schema : undefined;

/** Convert decoded capture events to record events (capture order; `t` non-decreasing as captured). */
export function captureToRecord(events: readonly CaptureEvent[]): RecordEvent[] {
  const out: RecordEvent[] = [];
  let phase: DcSessionPhase = "connecting";
  let protocol: string | undefined;
  for (const e of events) {
    if (e.layer === "v2g") {
      protocol ??= family(e.schema);
      const rec: RecordEvent = { t: e.t, type: "msg", name: e.type, from: e.from };
      if (e.message !== undefined) rec.decoded = e.message;
      if (e.schema) rec.schema = e.schema;
      if (e.hex) rec.bytes = e.hex;
      if (e.error) rec.error = e.error.message;
      out.push(rec);
      const next = dcPhaseAfter(phase, e.type);
      if (next !== phase) {
        phase = next;
        out.push({ t: e.t, type: "phase", phase });
      }
      if (e.message !== undefined) {
        const vals = sampleValues(messageBody(e.type, e.message));
        if (Object.keys(vals).length > 0) out.push({ t: e.t, type: "sample", ...vals });
      }
    } else {
      const side = e.from === "unknown" ? e.layer : e.from;
      const what = e.error ? `${e.type}: ${e.error.message}` : e.type;
      out.push({
        t: e.t,
        type: "log",
        side,
        level: e.error ? "warn" : "info",
        msg: `${e.layer.toUpperCase()} ${what}`,
      });
    }
  }
  if (protocol) out.unshift({ t: 0, type: "start", config: { protocol, source: "capture" } });
  return out;
}
