/**
 * The SUT profile (`nacs conformance --profile FILE`, JSON or YAML): the SUT's name, the protocols it
 * offers, whether it asks for metering receipts, its limits where they differ from the standard's, and the
 * cases to skip with the reason. Absent fields take the standard's figures (DIN 70121 / ISO 15118-2
 * V2G_SECC_Sequence_Timeout 60 s; the SECC performance times (V2G_SECC_Msg_Performance_Time) as named in
 * src/v2g/session/timeouts.ts).
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  V2G_SECC_PERFORMANCE_TIME_CURRENT_DEMAND_MS,
  V2G_SECC_PERFORMANCE_TIME_DEFAULT_MS,
  V2G_SECC_PERFORMANCE_TIME_POWER_DELIVERY_MS,
  V2G_SECC_SEQUENCE_TIMEOUT_MS,
} from "../v2g/session/timeouts.js";
import { ConformanceError } from "./errors.js";
import {
  ISO20_SECC_PERFORMANCE_TIME_CHARGE_LOOP_MS,
  ISO20_SECC_PERFORMANCE_TIME_DEFAULT_MS,
} from "./iso20-limits.js";
import type { SutLimits, SutProfile } from "./types.js";

/**
 * Output off after the V2G connection is lost in the charge loop, when the profile does not say: 2 s.
 * Neither DIN 70121 nor ISO 15118-2 gives a figure; design choice (D), set it in the profile.
 */
export const DEFAULT_CONNECTION_LOSS_OFF_MS = 2_000;
/** Allowance on measured timeouts: the board reports every 100 ms, loopback scheduling. Design choice (D). */
export const DEFAULT_TOLERANCE_MS = 250;

/** The standard's limits. */
export function defaultLimits(): SutLimits {
  return {
    sequenceTimeoutMs: V2G_SECC_SEQUENCE_TIMEOUT_MS,
    chargeLoopTimeoutMs: V2G_SECC_SEQUENCE_TIMEOUT_MS,
    connectionLossOffMs: DEFAULT_CONNECTION_LOSS_OFF_MS,
    performanceMs: {
      CurrentDemandRes: V2G_SECC_PERFORMANCE_TIME_CURRENT_DEMAND_MS,
      PowerDeliveryRes: V2G_SECC_PERFORMANCE_TIME_POWER_DELIVERY_MS,
      default: V2G_SECC_PERFORMANCE_TIME_DEFAULT_MS,
      // ISO 15118-20 (Table 215, Table 217): 1.5 s in general, also PowerDeliveryRes; the charge loops
      "iso20:PowerDeliveryRes": ISO20_SECC_PERFORMANCE_TIME_DEFAULT_MS,
      "iso20:default": ISO20_SECC_PERFORMANCE_TIME_DEFAULT_MS,
      DC_ChargeLoopRes: ISO20_SECC_PERFORMANCE_TIME_CHARGE_LOOP_MS,
      AC_ChargeLoopRes: ISO20_SECC_PERFORMANCE_TIME_CHARGE_LOOP_MS,
    },
    toleranceMs: DEFAULT_TOLERANCE_MS,
    recoveryMs: 0,
  };
}

const ms = () => z.number().min(0).max(600_000);
const profileSchema = z.strictObject({
  name: z.string().min(1).default("SUT"),
  protocols: z
    .array(z.enum(["din", "iso2", "iso20"]))
    .min(1)
    .default(["din", "iso2"]),
  energy: z
    .array(z.enum(["dc", "ac"]))
    .min(1)
    .optional(),
  iso20: z
    .strictObject({
      services: z
        .array(z.enum(["dc", "dc-bpt", "ac", "ac-bpt"]))
        .min(1)
        .optional(),
      controls: z
        .array(z.enum(["scheduled", "dynamic"]))
        .min(1)
        .optional(),
    })
    .optional(),
  receipts: z.boolean().optional(),
  limits: z
    .strictObject({
      sequenceTimeoutMs: ms().optional(),
      chargeLoopTimeoutMs: ms().optional(),
      connectionLossOffMs: ms().optional(),
      performanceMs: z.record(z.string(), ms()).optional(),
      toleranceMs: ms().optional(),
      recoveryMs: ms().optional(),
      iso20ChargeLoopSequenceTimeoutMs: ms().optional(),
    })
    .default({}),
  skip: z.record(z.string(), z.string().min(1, "give the reason")).default({}),
});

/** The ISO 15118-20 services of a SUT whose profile names only its energy transfers: DC and/or AC, no BPT. */
export function iso20DefaultServices(energy: readonly ("dc" | "ac")[] | undefined): ("dc" | "ac")[] {
  return energy ? [...energy] : ["dc"];
}

/** The profile when none is given: the standard's limits, nothing skipped. */
export function defaultProfile(): SutProfile {
  return { name: "SUT", protocols: ["din", "iso2"], limits: defaultLimits(), skip: {} };
}

/** Parse a profile (JSON or YAML text); errors name the field and the rule. */
export function parseProfile(text: string, source = "profile"): SutProfile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConformanceError("bad-profile", `${source}: not JSON or YAML: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const r = profileSchema.safeParse(raw ?? {});
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ConformanceError("bad-profile", `${source}: ${i?.path.join(".") || "(top)"}: ${i?.message}`);
  }
  const d = defaultLimits();
  const l = r.data.limits;
  const sequenceTimeoutMs = l.sequenceTimeoutMs ?? d.sequenceTimeoutMs;
  const energy = r.data.energy;
  const iso20 = r.data.iso20;
  return {
    name: r.data.name,
    protocols: r.data.protocols,
    ...(energy && { energy }),
    ...(iso20 && {
      iso20: {
        services: iso20.services ?? iso20DefaultServices(energy),
        controls: iso20.controls ?? ["scheduled", "dynamic"],
      },
    }),
    ...(r.data.receipts && { receipts: true }),
    limits: {
      sequenceTimeoutMs,
      chargeLoopTimeoutMs: l.chargeLoopTimeoutMs ?? sequenceTimeoutMs,
      connectionLossOffMs: l.connectionLossOffMs ?? d.connectionLossOffMs,
      performanceMs: { ...d.performanceMs, ...l.performanceMs },
      toleranceMs: l.toleranceMs ?? d.toleranceMs,
      recoveryMs: l.recoveryMs ?? d.recoveryMs,
      ...(l.iso20ChargeLoopSequenceTimeoutMs !== undefined && {
        iso20ChargeLoopSequenceTimeoutMs: l.iso20ChargeLoopSequenceTimeoutMs,
      }),
    },
    skip: r.data.skip,
  };
}
