/**
 * What the SECC does with a request whose decode kept values outside their schema facets (the tolerant EXI
 * reader; each value comes with a warning naming its field path and the facet). Per field:
 *
 * - `clamp`: an integer outside its range is set to the nearest bound (EVRESSSOC 101 → 100); a
 *   PhysicalValue with its Value outside xs:short or its Multiplier outside [-3, 3] (DIN 70121 §9.5.2.x,
 *   ISO 15118-2 PhysicalValueType) is re-expressed as the closest in-range value of the same sign — the
 *   handlers then apply the SECC's own limits to it, as to any EV limit.
 * - `refuse`: where the SECC cannot know what the EV asks for: an unknown energy transfer type/mode
 *   (FAILED_WrongEnergyTransferType in DIN 70121, FAILED_WrongEnergyTransferMode in ISO 15118-2) and an
 *   unknown Unit among the EV's charge parameters (FAILED_WrongChargeParameter, [V2G2-397] / DIN 70121
 *   [V2G-DC-341]: the parameters must be interpretable).
 * - `accept`: everything else (an overlong EVCCID or ContractID, an unknown enumeration index elsewhere —
 *   the handler sees the index as a number and answers as for any value it does not know), logged.
 *
 * Pure: returns a new body and the log effects; the decoded request is not changed.
 */
import type { ExiFacetWarning } from "../../codecs/index.js";
import type { V2gProtocol } from "../handshake/namespaces.js";
import type { SeccEffect } from "./types.js";

/** The decision for one warning. */
export type ToleranceAction = "clamp" | "refuse" | "accept";

/** The SECC's answer to a request with facet warnings. */
export type ToleranceVerdict =
  | { kind: "answer"; body: unknown; logs: SeccEffect[] }
  | { kind: "refuse"; code: string; detail: string; logs: SeccEffect[] };

const SHORT_MIN = -32768;
const SHORT_MAX = 32767;

/** Energy transfer fields whose value the SECC must understand. */
const ENERGY_MODE_FIELDS = new Set(["EVRequestedEnergyTransferType", "RequestedEnergyTransferMode"]);

/** The response code refusing an unknown energy transfer mode. */
const wrongMode = (p: V2gProtocol) =>
  p === "din" ? "FAILED_WrongEnergyTransferType" : "FAILED_WrongEnergyTransferMode";

/** Path segments (`A.B[2].C` → ["A", "B", 2, "C"]). */
function segments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split(".")) {
    const m = /^(.*?)((?:\[\d+\])*)$/.exec(part)!;
    out.push(m[1]!);
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}

/** The bound a `maxInclusive N` / `minInclusive N` rule names (decimal), or undefined. */
function bound(rule: string): string | undefined {
  return /^(?:max|min)Inclusive (-?\d+)$/.exec(rule)?.[1];
}

/** A PhysicalValue whose Value or Multiplier is out of range, re-expressed in range (same Unit). */
export function clampPhysical(v: { Multiplier: number; Value: number; Unit?: unknown }): {
  Multiplier: number;
  Value: number;
  Unit?: unknown;
} {
  const x = v.Value * 10 ** v.Multiplier;
  const lim = SHORT_MAX * 1000;
  const c = Math.max(-lim - 1000, Math.min(lim, x));
  for (let m = -3; m <= 3; m++) {
    const value = c / 10 ** m;
    if (Number.isInteger(value) && value >= SHORT_MIN && value <= SHORT_MAX)
      return { ...v, Multiplier: m, Value: value };
  }
  for (let m = -3; m <= 3; m++) {
    const value = Math.round(c / 10 ** m);
    if (value >= SHORT_MIN && value <= SHORT_MAX) return { ...v, Multiplier: m, Value: value };
  }
  return { ...v, Multiplier: 3, Value: c < 0 ? SHORT_MIN : SHORT_MAX };
}

/** The action for one warning of request `element` (paths from the V2G_Message: `Body.<element>.…`). */
export function toleranceAction(w: ExiFacetWarning): ToleranceAction {
  const seg = segments(w.path);
  const field = seg[seg.length - 1];
  if (typeof w.value === "number" && w.rule.startsWith("enumeration")) {
    if (typeof field === "string" && ENERGY_MODE_FIELDS.has(field)) return "refuse";
    if (field === "Unit" && seg[1] === "ChargeParameterDiscoveryReq") return "refuse";
    return "accept";
  }
  if (bound(w.rule) !== undefined) return "clamp";
  return "accept";
}

/**
 * The SECC's decision for request `element` with `body` (the Body element's content) and the warnings of its
 * decode: a refusal with its response code, or the body to answer (clamped where a value is a limit).
 */
export function tolerateRequest(
  protocol: V2gProtocol,
  element: string,
  body: unknown,
  warnings: readonly ExiFacetWarning[],
): ToleranceVerdict {
  const logs: SeccEffect[] = [];
  const prefix = ["Body", element];
  let out = body;
  let cloned = false;
  for (const w of warnings) {
    const action = toleranceAction(w);
    logs.push({
      kind: "log",
      level: "warn",
      msg: `${element}: ${w.message} (${action === "refuse" ? "refused" : action === "clamp" ? "clamped" : "accepted"})`,
      data: { path: w.path, value: String(w.value), rule: w.rule, action },
    });
    if (action === "refuse") {
      const field = segments(w.path).pop();
      const code =
        typeof field === "string" && ENERGY_MODE_FIELDS.has(field)
          ? wrongMode(protocol)
          : "FAILED_WrongChargeParameter";
      return { kind: "refuse", code, detail: `${w.path}: ${w.rule} (value ${String(w.value)})`, logs };
    }
    if (action !== "clamp") continue;
    const seg = segments(w.path);
    if (seg[0] !== prefix[0] || seg[1] !== prefix[1] || seg.length < 3) continue;
    if (!cloned) {
      out = structuredClone(body);
      cloned = true;
    }
    // walk to the holder of the field
    let holder: unknown = out;
    for (const k of seg.slice(2, -1)) holder = (holder as Record<string | number, unknown>)?.[k];
    if (typeof holder !== "object" || holder === null) continue;
    const h = holder as Record<string | number, unknown>;
    const key = seg[seg.length - 1]!;
    if (
      (key === "Value" || key === "Multiplier") &&
      typeof h.Value === "number" &&
      typeof h.Multiplier === "number"
    ) {
      // a PhysicalValue: clamp the quantity, not one of its parts
      Object.assign(h, clampPhysical(h as { Multiplier: number; Value: number }));
      continue;
    }
    const b = bound(w.rule)!;
    if (typeof h[key] === "number") h[key] = Number(b);
    else if (typeof h[key] === "bigint") h[key] = BigInt(b);
  }
  return { kind: "answer", body: out, logs };
}
