/**
 * The plan of a simulated fleet (`nacs simulate --fleet N`): for session i, its own seed (derived from the
 * fleet's seed and i), its plug-in time in the park's window and what charges (EV profile, protocol, pack,
 * start and target SOC, charger power, an optional fault), all drawn from a mix of weights and ranges.
 * Pure and platform-neutral: equal inputs give equal plans on any host and in any worker.
 */
import { createRng, type Rng } from "../rng.js";

/** Plug-in times and chunk boundaries are multiples of this (ms): the chunk `nacs simulate` advances by. */
export const FLEET_CHUNK_MS = 5_000;

/** Weights by name (any non-negative numbers; at least one above 0). */
export type Weights<K extends string = string> = Partial<Record<K, number>>;

/** A closed range [lo, hi]. */
export type Range = readonly [number, number];

/** What a fleet is made of (the `--fleet-mix` file, validated, with defaults filled in). */
export interface FleetMix {
  /** EV profiles (`--ev-profile` names). */
  evProfiles: Weights<"default" | "tesla">;
  /** V2G protocols of the default-profile EVs (a Tesla profile EV always speaks DIN 70121). */
  protocols: Weights<"din" | "iso2" | "iso20">;
  /** Pack voltage classes of the default-profile EVs. */
  evClasses: Weights<"400v" | "800v">;
  /** Pack size (kWh), start SOC and target SOC (%), uniform in each range. */
  batteryKwh: Range;
  soc: Range;
  targetSoc: Range;
  /** Charger power (kW) by weight: keys are kW figures. */
  chargerKw: Weights;
  /** Chance that a session has a fault (0–1), and which one by weight (`--list-faults` names). */
  faultRate: number;
  faults: Weights;
  /** Plug-in times: uniform over `--fleet-window` (default), or normal around `meanS` (± `sdS`), clipped to it. */
  plugIn: { kind: "uniform" } | { kind: "normal"; meanS: number; sdS: number };
}

/** The mix without a file: mostly ISO 15118-2, some DIN and -20, a fifth Tesla-profile cars, no faults. */
export const DEFAULT_FLEET_MIX: FleetMix = Object.freeze({
  evProfiles: { default: 0.8, tesla: 0.2 },
  protocols: { iso2: 0.6, din: 0.2, iso20: 0.2 },
  evClasses: { "400v": 0.5, "800v": 0.5 },
  batteryKwh: [50, 100] as const,
  soc: [10, 40] as const,
  targetSoc: [70, 90] as const,
  chargerKw: { "150": 0.4, "250": 0.6 },
  faultRate: 0,
  faults: {},
  plugIn: { kind: "uniform" as const },
});

/** One session of the fleet: the `nacs simulate` options that reproduce it alone, and its plug-in time. */
export interface FleetSessionSpec {
  index: number;
  /** Park time of the plug-in (s, a multiple of {@link FLEET_CHUNK_MS} / 1000). */
  plugInS: number;
  /** `nacs simulate` options (camelCase keys as commander gives them). */
  options: FleetSessionOptions;
}

/** The options a fleet session runs with (each also a `nacs simulate` flag). */
export interface FleetSessionOptions {
  seed: number;
  evProfile: "default" | "tesla";
  protocol: "din" | "iso2" | "iso20";
  evClass: "400v" | "800v";
  batteryKwh: number;
  soc: number;
  targetSoc: number;
  chargerKw: number;
  fault?: string;
  /** `--charge-loop-ms` (the fleet's default fidelity, or given beside `--fleet`). */
  chargeLoopMs?: number;
  /** `--time-scale` (the fleet's default fidelity, or given beside `--fleet`). */
  timeScale?: number;
  /** `--measure-ms` (the fleet's default fidelity, or given beside `--fleet`). */
  measureMs?: number;
}

/** Fleet-wide inputs of the plan. */
export interface FleetPlanInput {
  /** The fleet's seed (`--seed`). */
  seed: number;
  /** Plug-in window (s of virtual park time). */
  windowS: number;
  mix: FleetMix;
  /** Options fixed for every session (flags given beside `--fleet`), over the mix. */
  fixed?: Partial<Omit<FleetSessionOptions, "seed">>;
}

/** Session i's seed: the fleet seed and i mixed (a 32-bit hash), so neighbouring sessions differ widely. */
export function fleetSessionSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Pick a key by weight (keys in insertion order; `u` uniform in [0, 1)). */
export function pickWeighted<K extends string>(w: Weights<K>, u: number): K {
  const entries = Object.entries(w).filter(([, x]) => (x as number) > 0) as [K, number][];
  const total = entries.reduce((a, [, x]) => a + x, 0);
  let r = u * total;
  for (const [k, x] of entries) {
    if (r < x) return k;
    r -= x;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new RangeError("pickWeighted: no weight above 0");
  return last[0];
}

const uniformIn = (rng: Rng, [lo, hi]: Range, digits: number) => round(rng.uniform(lo, hi), digits);

/** The plan of session `index` (pure: the same inputs give the same session). */
export function planFleetSession(input: FleetPlanInput, index: number): FleetSessionSpec {
  const { mix, fixed = {} } = input;
  const seed = fleetSessionSeed(input.seed, index);
  // the draws use their own stream, so the session's seed (tolerances, noise) is the seed alone
  const rng = createRng((seed ^ 0x5bd1e995) >>> 0);
  const evProfile = fixed.evProfile ?? pickWeighted(mix.evProfiles, rng.next());
  const protocol = fixed.protocol ?? pickWeighted(mix.protocols, rng.next());
  const evClass = fixed.evClass ?? pickWeighted(mix.evClasses, rng.next());
  const batteryKwh = fixed.batteryKwh ?? uniformIn(rng, mix.batteryKwh, 0);
  const soc = fixed.soc ?? uniformIn(rng, mix.soc, 1);
  let targetSoc = fixed.targetSoc ?? uniformIn(rng, mix.targetSoc, 1);
  if (targetSoc <= soc) targetSoc = Math.min(100, round(soc + 1, 1));
  const chargerKw = fixed.chargerKw ?? Number(pickWeighted(mix.chargerKw, rng.next()));
  const faulty = rng.next() < mix.faultRate;
  const faultU = rng.next();
  const fault = fixed.fault ?? (faulty ? pickWeighted(mix.faults, faultU) : undefined);
  const chunkS = FLEET_CHUNK_MS / 1000;
  const slots = Math.max(1, Math.floor(input.windowS / chunkS));
  const u = plugInFraction(mix.plugIn, input.windowS, rng);
  const plugInS = Math.min(slots - 1, Math.floor(u * slots)) * chunkS;
  const tesla = evProfile === "tesla";
  return {
    index,
    plugInS,
    options: {
      seed,
      evProfile,
      // a Tesla-profile EV offers DIN 70121 only, with a 400 V-class pack (src/ev/profiles.ts)
      protocol: tesla ? "din" : protocol,
      evClass: tesla ? "400v" : evClass,
      batteryKwh,
      soc,
      targetSoc,
      chargerKw,
      ...(fault !== undefined && { fault }),
      ...(fixed.chargeLoopMs !== undefined && { chargeLoopMs: fixed.chargeLoopMs }),
      ...(fixed.timeScale !== undefined && { timeScale: fixed.timeScale }),
      ...(fixed.measureMs !== undefined && { measureMs: fixed.measureMs }),
    },
  };
}

/** Where in the window (0–1) a plug-in falls. Normal: Box–Muller, clipped to the window. */
function plugInFraction(p: FleetMix["plugIn"], windowS: number, rng: Rng): number {
  const u1 = rng.next();
  const u2 = rng.next();
  if (p.kind === "uniform" || windowS <= 0) return u1;
  const z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  return Math.min(1 - 1e-9, Math.max(0, (p.meanS + z * p.sdS) / windowS));
}

/** `nacs simulate` command line that runs session `s` alone, exactly as the fleet ran it. */
export function fleetSessionCommand(s: FleetSessionSpec): string {
  const o = s.options;
  const args = [
    `--seed ${o.seed}`,
    ...(o.evProfile !== "default" ? [`--ev-profile ${o.evProfile}`] : []),
    `--protocol ${o.protocol}`,
    `--ev-class ${o.evClass}`,
    `--battery-kwh ${o.batteryKwh}`,
    `--soc ${o.soc}`,
    `--target-soc ${o.targetSoc}`,
    `--charger-kw ${o.chargerKw}`,
    ...(o.fault !== undefined ? [`--fault ${o.fault}`] : []),
    ...(o.chargeLoopMs !== undefined ? [`--charge-loop-ms ${o.chargeLoopMs}`] : []),
    ...(o.timeScale !== undefined ? [`--time-scale ${o.timeScale}`] : []),
    ...(o.measureMs !== undefined ? [`--measure-ms ${o.measureMs}`] : []),
  ];
  return `nacs simulate ${args.join(" ")}`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
