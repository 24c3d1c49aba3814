/**
 * The options of `nacs simulate --fleet N`: `--workers`, `--fleet-window`, `--fleet-bin`, `--fleet-mix FILE`
 * (YAML or JSON, validated with zod; every error names the file, the field and the rule), the flags a fleet
 * cannot take, and the flags that fix one parameter of every session over the mix.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { EV_PROFILE_NAMES } from "../../ev/profiles.js";
import { FAULT_NAMES, PNC_FAULTS } from "../../sim/dc/index.js";
import {
  DEFAULT_FLEET_MIX,
  FLEET_CHUNK_MS,
  type FleetMix,
  type FleetSessionOptions,
} from "../../sim/fleet/index.js";
import { describeIssue, UsageError } from "../errors.js";

/** Most sessions of one fleet, and most worker threads. Design choices. */
export const FLEET_MAX_SESSIONS = 1_000_000;
export const FLEET_MAX_WORKERS = 256;
/** Default plug-in window (s of virtual park time) and load-curve bin (s). */
export const FLEET_DEFAULT_WINDOW_S = 3600;
export const FLEET_DEFAULT_BIN_S = 60;

/** Zod shape of the fleet flags (merged into `nacs simulate`'s schema). */
export const fleetOptionShape = {
  fleet: z.coerce.number().int().min(1).max(FLEET_MAX_SESSIONS).optional(),
  workers: z.coerce.number().int().min(1).max(FLEET_MAX_WORKERS).optional(),
  fleetMix: z.string().min(1).optional(),
  fleetWindow: z.coerce
    .number()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
  fleetBin: z.coerce
    .number()
    .int()
    .min(FLEET_CHUNK_MS / 1000)
    .max(24 * 3600)
    .refine((s) => (s * 1000) % FLEET_CHUNK_MS === 0, {
      error: `must be a multiple of ${FLEET_CHUNK_MS / 1000} s`,
    })
    .optional(),
};

/** What a fleet cannot run with: one session's UI, pacing, files, transports, scripts and Plug & Charge. */
const NOT_WITH_FLEET = [
  ["ui", "--ui"],
  ["realtime", "--realtime"],
  ["ocpp", "--ocpp"],
  ["pcap", "--pcap"],
  ["scenario", "--scenario"],
  ["scenarioString", "--scenario-string"],
  ["payment", "--payment"],
  ["pki", "--pki"],
  ["installContract", "--install-contract"],
  ["listFaults", "--list-faults"],
  ["hlc", "--hlc"],
  ["service", "--service"],
  ["control", "--control"],
  ["s2Delay", "--s2-delay"],
  ["unplugAfter", "--unplug-after"],
] as const;

/** Issues of the fleet flags against the rest (added to `nacs simulate`'s superRefine). */
export function checkFleetOptions(o: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (o.fleet === undefined) {
    for (const k of ["workers", "fleetMix", "fleetWindow", "fleetBin"])
      if (o[k] !== undefined) issue(k, "needs --fleet N");
    return;
  }
  if (o.mode === "ac") issue("mode", "a fleet runs DC sessions: drop --mode ac");
  if (o.transport === "tcp") issue("transport", "a fleet runs over memory: drop --transport tcp");
  if (typeof o.record === "string") issue("record", "a fleet writes no session record: use --out-dir DIR");
  for (const [k, flag] of NOT_WITH_FLEET) {
    const v = o[k];
    if (v !== undefined && v !== false)
      issue(k, `cannot be combined with --fleet (${flag} is for one session)`);
  }
  if (typeof o.fault === "string" && PNC_FAULTS.includes(o.fault as never))
    issue("fault", "is a Plug & Charge fault: a fleet pays with external identification");
}

/** Default worker threads: the cores Node may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Flags given beside `--fleet` that fix that parameter for every session (over the mix). */
const FIXABLE = [
  "evProfile",
  "protocol",
  "evClass",
  "batteryKwh",
  "soc",
  "targetSoc",
  "chargerKw",
  "fault",
  "chargeLoopMs",
  "timeScale",
  "measureMs",
] as const satisfies readonly (keyof FleetSessionOptions)[];

/**
 * The fidelity a fleet runs with unless `--time-scale` / `--charge-loop-ms` / `--measure-ms` are given beside
 * `--fleet`: settled charging current moves energy 100× faster (ramps and the last SOC point before the
 * target at the real rate), a charge-loop request every 400 ms, measurements every 50 ms while the power path
 * ramps or slews. Checked against full fidelity (`--time-scale 1 --charge-loop-ms 200 --measure-ms 10`) on
 * a sample: energy within 0.5 %, the same stop reasons, the stretched duration within 3 %
 * (simulate-fleet.test.ts). All three go into every session's re-run command.
 */
export const FLEET_DEFAULT_FIDELITY = Object.freeze({ timeScale: 100, chargeLoopMs: 400, measureMs: 50 });

/**
 * The session options fixed by flags present in `raw` (validated values taken from `o`), over the fleet's
 * default fidelity ({@link FLEET_DEFAULT_FIDELITY}).
 */
export function fixedFleetOptions(
  raw: Record<string, unknown>,
  o: Record<string, unknown>,
): Partial<Omit<FleetSessionOptions, "seed">> {
  const out: Record<string, unknown> = { ...FLEET_DEFAULT_FIDELITY };
  for (const k of FIXABLE) if (raw[k] !== undefined && o[k] !== undefined) out[k] = o[k];
  return out as Partial<Omit<FleetSessionOptions, "seed">>;
}

// ------------------------------------------------------------------ the mix file

const FLEET_FAULTS = FAULT_NAMES.filter((n) => !PNC_FAULTS.includes(n));
const weight = z.number().min(0);
const weights = <K extends string>(keys: readonly K[], what: string) =>
  z
    .record(z.string(), weight)
    .superRefine((w, ctx) => {
      for (const k of Object.keys(w))
        if (!(keys as readonly string[]).includes(k))
          ctx.addIssue({ code: "custom", path: [k], message: `not ${what}: one of ${keys.join(", ")}` });
      if (!Object.values(w).some((x) => x > 0))
        ctx.addIssue({ code: "custom", message: "needs at least one weight above 0" });
    })
    .transform((w) => w as Partial<Record<K, number>>);
const range = (lo: number, hi: number) =>
  z
    .tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)])
    .refine(([a, b]) => a <= b, { error: "must be [low, high] with low ≤ high" });

/** Schema of a `--fleet-mix` file (every key optional: the default mix fills in). */
export const fleetMixSchema = z
  .object({
    evProfiles: weights(EV_PROFILE_NAMES, "an EV profile"),
    protocols: weights(["din", "iso2", "iso20"] as const, "a protocol"),
    evClasses: weights(["400v", "800v"] as const, "a pack class"),
    batteryKwh: range(10, 300),
    soc: range(0, 99),
    targetSoc: range(1, 100),
    chargerKw: z.record(z.string(), weight).superRefine((w, ctx) => {
      for (const k of Object.keys(w)) {
        const kw = Number(k);
        if (!(Number.isFinite(kw) && kw >= 10 && kw <= 1000))
          ctx.addIssue({ code: "custom", path: [k], message: "keys are charger power in kW, 10–1000" });
      }
      if (!Object.values(w).some((x) => x > 0))
        ctx.addIssue({ code: "custom", message: "needs at least one weight above 0" });
    }),
    faultRate: z.number().min(0).max(1),
    faults: weights(FLEET_FAULTS, "a fleet fault (--list-faults, without the Plug & Charge ones)"),
    plugIn: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("uniform") }),
      z.strictObject({ kind: z.literal("normal"), meanS: z.number().min(0), sdS: z.number().positive() }),
    ]),
  })
  .partial()
  .strict()
  .superRefine((m, ctx) => {
    if ((m.faultRate ?? 0) > 0 && m.faults === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["faults"],
        message: "faultRate above 0 needs the fault names and weights",
      });
  });

/** Validate a parsed mix (an object from YAML or JSON) over the default mix. Throws UsageError naming the field. */
export function parseFleetMix(value: unknown, source = "--fleet-mix"): FleetMix {
  const r = fleetMixSchema.safeParse(value ?? {});
  if (!r.success) {
    const lines = r.error.issues.map((i) => {
      const field = i.path.length > 0 ? i.path.map(String).join(".") : "(the mix)";
      return `option --fleet-mix: ${source}: field ${field}: ${describeIssue(i)}`;
    });
    throw new UsageError(lines.join("\n"), "--fleet-mix");
  }
  return { ...DEFAULT_FLEET_MIX, ...(r.data as Partial<FleetMix>) };
}

/** Read and validate `--fleet-mix FILE` (.yaml, .yml or .json). */
export function readFleetMix(file: string): FleetMix {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(
      `option --fleet-mix: cannot read ${JSON.stringify(file)}: ${(err as Error).message}`,
      "--fleet-mix",
      {
        cause: err,
      },
    );
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UsageError(
      `option --fleet-mix: ${file}: not valid ${/\.json$/i.test(file) ? "JSON" : "YAML"}: ${(err as Error).message}`,
      "--fleet-mix",
      {
        cause: err,
      },
    );
  }
  return parseFleetMix(value, file);
}
