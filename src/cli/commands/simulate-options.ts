/**
 * The options of `nacs simulate`: the schema (every flag coerced, range-checked and named in its error) and
 * the rules that tie the flags together (mode, HLC, protocol, the ISO 15118-20 service, Plug & Charge).
 */

import { z } from "zod";
import { EV_MAX_S2_CLOSE_DELAY_MS } from "../../ev/dc/types.js";
import { EV_PROFILE_NAMES, evProfileProblem } from "../../ev/profiles.js";
import {
  CERT_FAULT_START,
  FAULT_NAMES,
  type FaultName,
  isBptServiceName,
  PNC_FAULTS,
  SIM_BPT_DEFAULT_MIN_SOC,
} from "../../sim/dc/index.js";
import { scenarioKindOf } from "../../sim/scenario/index.js";
import { MAX_CHARGE_LOOP_MS, MIN_CHARGE_LOOP_MS } from "../charge-loop.js";
import { uiLingerShape, uiOptionShape } from "../dashboard/options.js";
import { parseOptions } from "../errors.js";
import { checkFleetOptions, fleetOptionShape } from "./fleet-options.js";
import { checkOcppOptions, ocppOptionShape } from "./ocpp-options.js";
import { checkIso20Service, impliedByService, SIM_BPT_DEFAULT_START_SOC } from "./simulate-iso20.js";

const SEED_MAX = 2 ** 32 - 1;
const MAX_UNPLUG_AFTER_S = 7 * 24 * 3600;
export const MAX_S2_DELAY_S = EV_MAX_S2_CLOSE_DELAY_MS / 1000;
/**
 * `--time-scale K`: the simulated battery's energy (and SOC) moves K× faster than the current alone would
 * move it, so the charge lasts about 1/K of its virtual time with K× fewer charge-loop messages; everything
 * else (SLAC, SDP, the V2G handshake, cable check, pre-charge, ramps, timeouts) keeps its real time, and so
 * does the last SOC point before the EV's target (SIM_TIME_SCALE_REAL_RATE_SOC: its stop keeps the unscaled
 * resolution). Up to 100 (design choice: one 400 ms request then stands for 40 s of charging, still a
 * fraction of a percent of SOC per request on the default mix).
 */
export const MAX_TIME_SCALE = 100;
/**
 * `--measure-ms M`: while the power path moves at its ordinary pace (current ramps, voltage slews and
 * discharges), the simulated boards measure every M ms instead of every 10 ms; the 1 ms measuring of a trip,
 * a runaway or the wind-down after a stop is kept. From 1 to 100 ms (design choice: a charger's own
 * regulation loop reports at least every 100 ms).
 */
export const MIN_MEASURE_MS = 1;
export const MAX_MEASURE_MS = 100;

/** Options of `nacs simulate` (raw commander strings are coerced and range-checked). */
export const simulateOptionsSchema = z
  .object({
    mode: z.enum(["dc", "ac"], { error: 'must be "dc" or "ac"' }).default("dc"),
    hlc: z.boolean().default(false),
    batteryKwh: z.coerce.number().min(10).max(300).default(75),
    soc: z.coerce.number().min(0).max(100).default(20),
    targetSoc: z.coerce.number().min(0).max(100).default(80),
    minSoc: z.coerce.number().min(0).max(100).optional(),
    maxCurrent: z.coerce.number().min(6).max(80).default(32),
    supplyVoltage: z.coerce.number().min(50).max(500).default(240),
    seed: z.coerce.number().int().min(0).max(SEED_MAX).default(1),
    unplugAfter: z.coerce.number().positive().max(MAX_UNPLUG_AFTER_S).optional(),
    s2Delay: z.coerce.number().min(0).max(MAX_S2_DELAY_S).optional(),
    chargeLoopMs: z.coerce.number().int().min(MIN_CHARGE_LOOP_MS).max(MAX_CHARGE_LOOP_MS).optional(),
    timeScale: z.coerce.number().min(1).max(MAX_TIME_SCALE).optional(),
    measureMs: z.coerce.number().int().min(MIN_MEASURE_MS).max(MAX_MEASURE_MS).optional(),
    evProfile: z
      .enum(EV_PROFILE_NAMES, { error: `must be one of ${EV_PROFILE_NAMES.join(", ")}` })
      .default("default"),
    realtime: z.boolean().default(false),
    transport: z.enum(["memory", "tcp"], { error: 'must be "memory" or "tcp"' }).default("memory"),
    json: z.boolean().default(false),
    chargerKw: z.coerce.number().min(10).max(1000).default(250),
    protocol: z.enum(["din", "iso2", "iso20"], { error: 'must be "din", "iso2" or "iso20"' }).default("iso2"),
    control: z.enum(["scheduled", "dynamic"], { error: 'must be "scheduled" or "dynamic"' }).optional(),
    service: z
      .enum(["dc", "dc-bpt", "ac", "ac-bpt"], { error: 'must be "dc", "dc-bpt", "ac" or "ac-bpt"' })
      .optional(),
    chargerClass: z
      .enum(["500v", "1000v"], { error: 'must be "500v" (legacy) or "1000v" (J3400)' })
      .default("1000v"),
    evClass: z.enum(["400v", "800v"], { error: 'must be "400v" or "800v"' }).default("800v"),
    fault: z.enum(FAULT_NAMES, { error: "must be a fault name (see --list-faults)" }).optional(),
    listFaults: z.boolean().default(false),
    payment: z.enum(["external", "contract"], { error: 'must be "external" or "contract"' }).optional(),
    pki: z.string().min(1).optional(),
    installContract: z.boolean().default(false),
    scenario: z.string().min(1).optional(),
    scenarioString: z.string().min(1).optional(),
    pcap: z.string().min(1).optional(),
    record: z.union([z.string().min(1), z.boolean()]).default(true),
    outDir: z.string().min(1).default("nacs-out"),
    ...uiOptionShape,
    ...uiLingerShape,
    speed: z.coerce.number().min(0.01).max(100_000).optional(),
    ...ocppOptionShape,
    ...fleetOptionShape,
  })
  .superRefine((o, ctx) => {
    checkUiOptions(o, ctx);
    checkOcppOptions(o, ctx);
    checkFleetOptions(o, ctx);
    if (o.ocpp !== undefined) {
      const issue = (message: string) => ctx.addIssue({ code: "custom", path: ["ocpp"], message });
      if (o.transport === "tcp") issue("cannot be combined with --transport tcp (yet)");
      if (o.realtime) issue("paces the run itself: drop --realtime (use --speed N)");
      if (o.mode === "ac" && !o.hlc) issue("needs high-level communication (DC, or --mode ac --hlc)");
    }
    if (o.transport === "tcp" && o.realtime)
      ctx.addIssue({
        code: "custom",
        path: ["transport"],
        message: "tcp cannot be combined with --realtime",
      });
    if (o.hlc && o.mode !== "ac")
      ctx.addIssue({ code: "custom", path: ["hlc"], message: "needs --mode ac (DC always uses HLC)" });
    if (o.hlc && o.protocol === "din")
      ctx.addIssue({
        code: "custom",
        path: ["protocol"],
        message: "--hlc needs iso2 or iso20 (DIN 70121 is DC only)",
      });
    checkIso20Service(o, ctx);
    if (contractPayment(o) && (o.protocol !== "iso2" || o.mode !== "dc"))
      ctx.addIssue({
        code: "custom",
        path: ["payment"],
        message: "contract payment (and its faults) needs --protocol iso2, DC (ISO 15118-2 Plug & Charge)",
      });
    if (o.payment === "external" && o.fault !== undefined && PNC_FAULTS.includes(o.fault))
      ctx.addIssue({
        code: "custom",
        path: ["fault"],
        message: "is a Plug & Charge fault: needs --payment contract",
      });
    if (o.pki !== undefined && !contractPayment(o))
      ctx.addIssue({ code: "custom", path: ["pki"], message: "needs --payment contract" });
    if (o.installContract && !contractPayment(o))
      ctx.addIssue({ code: "custom", path: ["installContract"], message: "needs --payment contract" });
    if (o.installContract && o.fault !== undefined && o.fault in CERT_FAULT_START)
      ctx.addIssue({
        code: "custom",
        path: ["installContract"],
        message: `the fault ${o.fault} chooses how the EV comes by its contract`,
      });
    if (o.timeScale !== undefined && o.mode !== "dc")
      ctx.addIssue({
        code: "custom",
        path: ["timeScale"],
        message: "scales a DC session's charge: needs --mode dc",
      });
    if (o.measureMs !== undefined && o.mode !== "dc")
      ctx.addIssue({
        code: "custom",
        path: ["measureMs"],
        message: "sets a DC session's measuring: needs --mode dc",
      });
    const profileProblem = evProfileProblem(o.evProfile, o.mode);
    if (profileProblem) ctx.addIssue({ code: "custom", path: ["evProfile"], message: profileProblem });
    const basicAc = o.mode === "ac" && !o.hlc;
    if (o.transport === "tcp" && basicAc)
      ctx.addIssue({
        code: "custom",
        path: ["transport"],
        message: "tcp is only available with high-level communication (DC, or --mode ac --hlc)",
      });
    for (const k of ["fault", "scenario", "scenarioString", "pcap"] as const) {
      if (basicAc && o[k] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: "is only available with high-level communication (DC, or --mode ac --hlc)",
        });
        break;
      }
    }
    if (o.scenario !== undefined && o.scenarioString !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["scenarioString"],
        message: "give --scenario or --scenario-string, not both",
      });
    if (o.scenario !== undefined && scenarioKindOf(o.scenario) === null)
      ctx.addIssue({ code: "custom", path: ["scenario"], message: "must end in .yaml, .yml, .json or .txt" });
    // a bidirectional service runs from --soc down to --min-soc: the target SOC does not bind there
    if (!isBptServiceName(o.service) && o.targetSoc <= o.soc) {
      ctx.addIssue({
        code: "custom",
        path: ["targetSoc"],
        message: `must be greater than --soc (${o.soc}) and at most 100 (target ${o.targetSoc})`,
      });
    }
  });

/** `--ui`, `--speed`, `--ui-linger`, `--ui-host`: the paced, in-process dashboard of a HLC session. */
function checkUiOptions(
  o: {
    realtime: boolean;
    transport: string;
    mode: string;
    hlc: boolean;
    uiHost?: string | undefined;
    ocpp?: string | undefined;
  } & Partial<Record<"ui" | "speed" | "uiLinger", number>>,
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (o.ui === undefined) {
    if (o.speed !== undefined && !o.realtime && o.ocpp === undefined)
      issue("speed", "needs --ui or --realtime (paced runs), or --ocpp");
    if (o.uiLinger !== undefined) issue("uiLinger", "needs --ui");
    if (o.uiHost !== undefined) issue("uiHost", "needs --ui");
    return;
  }
  if (o.transport === "tcp") issue("ui", "cannot be combined with --transport tcp");
  if (o.realtime) issue("ui", "paces the run itself: drop --realtime (use --speed N)");
  if (o.mode === "ac" && !o.hlc) issue("ui", "needs high-level communication (DC, or --mode ac --hlc)");
}

/** Validated options of `nacs simulate`. */
export type SimulateOptions = z.infer<typeof simulateOptionsSchema>;

/**
 * Validate raw options (throws UsageError naming the option, the value and the rule). An ISO 15118-20 AC
 * service implies AC over high-level communication (`--mode ac --hlc`, unless given); ac-bpt discharges from
 * a default start SOC of {@link SIM_BPT_DEFAULT_START_SOC} % down to the minimum SOC (default
 * {@link SIM_BPT_DEFAULT_MIN_SOC} %).
 */
export function parseSimulateOptions(raw: Record<string, unknown>): SimulateOptions {
  return parseOptions(simulateOptionsSchema, impliedByService(raw));
}

/** `--payment contract`, or a Plug & Charge fault (which implies it). */
export function contractPayment(o: { payment?: string | undefined; fault?: string | undefined }): boolean {
  return o.payment === "contract" || (o.payment === undefined && PNC_FAULTS.includes(o.fault as FaultName));
}
