/**
 * `nacs simulate --scenario FILE`: a JSON scenario for the DC simulator — option overrides and a script of
 * timed or phase-anchored actions (inject a named fault, EV stop, EVSE stop, unplug). Validated with zod;
 * errors name the JSON path and the rule. Example:
 *
 *   { "options": { "socStart": 30, "targetSoc": 60 },
 *     "steps": [ { "phase": "charging", "delayS": 5, "action": "fault", "fault": "over-current" },
 *                { "atS": 600, "action": "ev-stop" } ] }
 */

import { z } from "zod";
import { EV_MAX_S2_CLOSE_DELAY_MS } from "../../ev/dc/types.js";
import { FAULT_NAMES } from "./faults.js";
import type { DcScriptAction, DcScriptStep, DcSessionOptions } from "./session.js";

const PHASES = ["connecting", "cable-check", "pre-charge", "charging", "stopping", "ended"] as const;

const stepSchema = z
  .object({
    atS: z.number().min(0).optional(),
    phase: z.enum(PHASES).optional(),
    delayS: z.number().min(0).default(0),
    action: z.enum(["fault", "ev-stop", "evse-stop", "unplug"]),
    fault: z.enum(FAULT_NAMES).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.atS === undefined) === (s.phase === undefined))
      ctx.addIssue({ code: "custom", message: "give exactly one of atS or phase" });
    if (s.action === "fault" && !s.fault)
      ctx.addIssue({ code: "custom", path: ["fault"], message: `action "fault" needs a fault name` });
  });

/** Schema of the `options` block. */
export const dcScenarioOptionsSchema = z
  .object({
    batteryKwh: z.number().min(10).max(300).optional(),
    socStart: z.number().min(0).max(100).optional(),
    targetSoc: z.number().min(0).max(100).optional(),
    chargerKw: z.number().min(10).max(1000).optional(),
    protocol: z.enum(["din", "iso2", "iso20"]).optional(),
    control: z.enum(["scheduled", "dynamic"]).optional(),
    service: z.enum(["dc", "dc-bpt", "ac", "ac-bpt"]).optional(),
    minSoc: z.number().min(0).max(100).optional(),
    chargerVariant: z.enum(["500v", "1000v"]).optional(),
    evClass: z.enum(["400v", "800v"]).optional(),
    s2CloseDelayMs: z.number().min(0).max(EV_MAX_S2_CLOSE_DELAY_MS).optional(),
    maxDurationS: z
      .number()
      .positive()
      .max(7 * 24 * 3600)
      .optional(),
  })
  .strict();

/** Schema of a scenario file. */
export const dcScenarioSchema = z
  .object({
    options: dcScenarioOptionsSchema.default({}),
    steps: z.array(stepSchema).default([]),
  })
  .strict();

/** A parsed scenario: option overrides and script steps. */
export interface DcScenario {
  options: Partial<DcSessionOptions>;
  steps: DcScriptStep[];
}

/** Error in a scenario file (message names the JSON path and the rule). */
export class ScenarioError extends Error {
  override name = "ScenarioError";
  readonly code = "bad-scenario";
}

/** Parse scenario JSON text. Throws {@link ScenarioError}. */
export function parseDcScenario(text: string): DcScenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`scenario: not JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseDcScenarioObject(raw);
}

/** Validate a decoded scenario object `{ options, steps }`. Throws {@link ScenarioError}. */
export function parseDcScenarioObject(raw: unknown): DcScenario {
  const r = dcScenarioSchema.safeParse(raw);
  if (!r.success) {
    const msg = r.error.issues
      .map((i) => `scenario ${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    throw new ScenarioError(msg, { cause: r.error });
  }
  const steps: DcScriptStep[] = r.data.steps.map((s) => {
    const action: DcScriptAction =
      s.action === "fault" ? { kind: "fault", name: s.fault! } : { kind: s.action };
    return s.atS !== undefined ? { atS: s.atS, action } : { phase: s.phase!, delayS: s.delayS, action };
  });
  const o = r.data.options;
  const options: Partial<DcSessionOptions> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (options as Record<string, unknown>)[k] = v;
  return { options, steps };
}
