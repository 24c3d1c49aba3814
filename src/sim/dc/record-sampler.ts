/**
 * When the simulator records a `sample`: every SIM_RECORD_SAMPLE_MS (periodic), and, with change
 * samples on, whenever a value moved by a step of {@link SIM_RECORD_CHANGE_STEP} — at most one per
 * {@link SIM_RECORD_MIN_SPACING_MS} and {@link SIM_RECORD_CHANGE_CAP_PER_S} per virtual second, so a fault's
 * transient (an over-current spike, a trip's fall to 0 A) is in the record without flooding it.
 */
import {
  SIM_RECORD_CHANGE_CAP_PER_S,
  SIM_RECORD_CHANGE_STEP,
  SIM_RECORD_MIN_SPACING_MS,
} from "./constants.js";

/** The fields of one `sample` record. */
export type SampleValues = Record<string, number | string>;

/** Decides which samples to record; `values` is called only when a sample may be due. */
export class RecordSampler {
  /** The last recorded sample, and the change-sample budget of the current virtual second. */
  private last: { tMs: number; v: SampleValues } | null = null;
  private window = { second: -1, count: 0 };

  /** The periodic sample at `nowMs`, unless a change sample in this very millisecond already said it all. */
  periodic(nowMs: number, values: () => SampleValues): SampleValues | undefined {
    if (this.last && nowMs - this.last.tMs < SIM_RECORD_MIN_SPACING_MS) return undefined;
    return this.take(nowMs, values());
  }

  /** A sample at `nowMs` if a value moved enough since the last one (within the spacing and the budget). */
  change(nowMs: number, values: () => SampleValues): SampleValues | undefined {
    const last = this.last;
    if (last && nowMs - last.tMs < SIM_RECORD_MIN_SPACING_MS) return undefined;
    const v = values();
    if (last && !movedEnough(last.v, v)) return undefined;
    const second = Math.floor(nowMs / 1000);
    if (second !== this.window.second) this.window = { second, count: 0 };
    if (this.window.count >= SIM_RECORD_CHANGE_CAP_PER_S) return undefined;
    this.window.count++;
    return this.take(nowMs, v);
  }

  private take(nowMs: number, v: SampleValues): SampleValues {
    this.last = { tMs: nowMs, v };
    return v;
  }
}

/** Whether sample `b` differs from `a` by at least one step of SIM_RECORD_CHANGE_STEP (or in CP / fields). */
function movedEnough(a: SampleValues, b: SampleValues): boolean {
  const step = SIM_RECORD_CHANGE_STEP;
  const far = (k: string, d: number) => Math.abs(Number(a[k] ?? 0) - Number(b[k] ?? 0)) >= d;
  if (a.cp !== b.cp || Object.keys(a).length !== Object.keys(b).length) return true;
  return (
    far("v", step.v) ||
    far("i", step.i) ||
    far("p", step.p) ||
    far("soc", step.soc) ||
    far("evTargetV", step.v) ||
    far("evTargetA", step.i)
  );
}
