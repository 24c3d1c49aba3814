/**
 * In-memory HomePlug medium for fast tests: stations by name and MAC, per-pair attenuation
 * (dB) and loss probability, a seeded PRNG. Every transmitted frame is encoded with encodeSlacFrame and
 * decoded again with decodeSlacFrame — receivers only ever see what survived the wire format. Each
 * delivery carries the attenuation per group (58 AAG groups) the receiving PHY measured, as a modem
 * would report it: pair attenuation + a symmetric tilt across groups + uniform noise, rounded to whole dB.
 * The driver that runs state machines over it is `runSlac` (run-slac.ts).
 */
import { AAG_GROUPS } from "../constants.js";
import { decodeSlacFrame, encodeSlacFrame, type SlacFrame } from "../frame.js";
import { requireMac, requireRange, SlacConfigError } from "./errors.js";
import { bytesEqual } from "./messages.js";
import { type Prng, seededPrng } from "./prng.js";

/** Coupling between two stations (symmetric). */
export interface MediumLink {
  /** Mean attenuation in dB (0–255). */
  attenuationDb: number;
  /** Probability 0–1 that one delivery over this pair is lost. */
  loss?: number;
}

/** Options of {@link InMemoryMedium}. */
export interface MediumOptions {
  /** PRNG seed (loss and noise). */
  seed: number;
  /** Coupling of pairs without an explicit link; undefined (default) = they do not hear each other. */
  defaultLink?: MediumLink;
  /** Uniform noise ± dB added per group and per sound (default 1). */
  noiseDb?: number;
  /** Attenuation tilt across the 58 groups, dB per group around the middle (default 0.2; mean unchanged). */
  tiltDbPerGroup?: number;
  /** Delivery latency in ms (default 1). */
  latencyMs?: number;
}

/** One frame as a receiver gets it. */
export interface Delivery {
  to: string;
  atMs: number;
  frame: SlacFrame;
  /** Encoded length on the wire (bytes, without FCS). */
  wireBytes: number;
  attenuationDb: number[];
}

/** Counters of a medium. */
export interface MediumStats {
  transmitted: number;
  delivered: number;
  lost: number;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** The medium: attach stations, set links, transmit frames. Mutable, single-threaded, deterministic per seed. */
export class InMemoryMedium {
  readonly stats: MediumStats = { transmitted: 0, delivered: 0, lost: 0 };
  private readonly prng: Prng;
  private readonly stations = new Map<string, Uint8Array>();
  private readonly links = new Map<string, Required<MediumLink>>();
  private readonly noiseDb: number;
  private readonly tilt: number;
  private readonly latencyMs: number;
  private readonly defaultLink: Required<MediumLink> | undefined;

  constructor(o: MediumOptions) {
    this.prng = seededPrng(o.seed);
    this.noiseDb = requireRange("medium.noiseDb", o.noiseDb ?? 1, 0, 50);
    this.tilt = requireRange("medium.tiltDbPerGroup", o.tiltDbPerGroup ?? 0.2, 0, 2);
    this.latencyMs = requireRange("medium.latencyMs", o.latencyMs ?? 1, 0, 1000);
    this.defaultLink = o.defaultLink ? checkLink("medium.defaultLink", o.defaultLink) : undefined;
  }

  /** Add a station (host) by unique name and MAC. */
  attach(name: string, mac: Uint8Array): void {
    if (this.stations.has(name))
      throw new SlacConfigError(`medium station "${name}" is not allowed: name taken`);
    this.stations.set(name, Uint8Array.from(requireMac(`medium station "${name}" mac`, mac)));
  }

  /** Set the coupling of a pair (both directions). */
  setLink(a: string, b: string, link: MediumLink): void {
    for (const n of [a, b]) {
      if (!this.stations.has(n))
        throw new SlacConfigError(`medium link station "${n}" is not allowed: not attached`);
    }
    this.links.set(pairKey(a, b), checkLink(`medium link ${a}-${b}`, link));
  }

  /** Coupling of a pair, or undefined when they do not hear each other. */
  link(a: string, b: string): Required<MediumLink> | undefined {
    return this.links.get(pairKey(a, b)) ?? this.defaultLink;
  }

  /** The MAC of a station. */
  macOf(name: string): Uint8Array {
    const m = this.stations.get(name);
    if (!m) throw new SlacConfigError(`medium station "${name}" is not allowed: not attached`);
    return m;
  }

  /** One attenuation measurement over a pair (58 groups, whole dB, 0–255). */
  profile(link: Required<MediumLink>): number[] {
    const out = new Array<number>(AAG_GROUPS);
    const mid = (AAG_GROUPS - 1) / 2;
    for (let g = 0; g < AAG_GROUPS; g++) {
      const noise = (this.prng.float() * 2 - 1) * this.noiseDb;
      const v = link.attenuationDb + this.tilt * (g - mid) + noise;
      out[g] = Math.max(0, Math.min(255, Math.round(v)));
    }
    return out;
  }

  /**
   * Transmit `frame` from station `from` at `nowMs`: round-trip it through the codec, then deliver it to
   * every coupled station it is addressed to (its MAC or broadcast), each independently subject to loss.
   */
  transmit(from: string, frame: SlacFrame, nowMs: number): Delivery[] {
    const srcMac = this.macOf(from);
    const bytes = encodeSlacFrame(frame);
    this.stats.transmitted++;
    const out: Delivery[] = [];
    const broadcast = frame.dst.every((b) => b === 0xff);
    for (const [name, mac] of this.stations) {
      if (name === from || bytesEqual(mac, srcMac)) continue;
      if (!broadcast && !bytesEqual(mac, frame.dst)) continue;
      const link = this.link(from, name);
      if (!link) continue;
      if (link.loss > 0 && this.prng.float() < link.loss) {
        this.stats.lost++;
        continue;
      }
      this.stats.delivered++;
      out.push({
        to: name,
        atMs: nowMs + this.latencyMs,
        frame: decodeSlacFrame(bytes),
        wireBytes: bytes.length,
        attenuationDb: this.profile(link),
      });
    }
    return out;
  }
}

function checkLink(where: string, l: MediumLink): Required<MediumLink> {
  return {
    attenuationDb: requireRange(`${where}.attenuationDb`, l.attenuationDb, 0, 255),
    loss: requireRange(`${where}.loss`, l.loss ?? 0, 0, 1),
  };
}
