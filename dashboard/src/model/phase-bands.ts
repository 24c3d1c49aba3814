/**
 * Session phases as shaded time bands, and the placement of their labels so that no two overlap: each
 * label starts at its band's left edge and goes to the first row where it clears the labels already placed.
 */
import type { PhaseMark } from "./session-model.js";

export interface PhaseBand {
  phase: string;
  t0: number;
  t1: number;
}

/** Bands from phase marks: each phase lasts until the next one, the last until `endT`. */
export function phaseBands(phases: readonly PhaseMark[], endT: number): PhaseBand[] {
  const out: PhaseBand[] = [];
  for (let k = 0; k < phases.length; k++) {
    const p = phases[k]!;
    const t1 = k + 1 < phases.length ? phases[k + 1]!.t : Math.max(endT, p.t);
    out.push({ phase: p.phase, t0: p.t, t1 });
  }
  return out;
}

export interface PlacedLabel {
  text: string;
  /** Left edge and width in pixels. */
  x: number;
  width: number;
  row: number;
}

/**
 * Place one label per band: `toPx` maps time to pixels, `measure` gives a label's width, `gap` the
 * minimum space between labels of a row, `maxX` the right edge a label must not pass (a label near it is
 * moved left). Returns the labels with their row (0 = top).
 */
export function layoutPhaseLabels(
  bands: readonly PhaseBand[],
  toPx: (t: number) => number,
  measure: (text: string) => number,
  gap = 4,
  maxX = Number.POSITIVE_INFINITY,
): PlacedLabel[] {
  const rowEnds: number[] = [];
  return bands.map((b) => {
    const width = measure(b.phase);
    const x = Math.min(toPx(b.t0) + 2, maxX - width);
    let row = rowEnds.findIndex((end) => end + gap <= x);
    if (row < 0) {
      row = rowEnds.length;
      rowEnds.push(0);
    }
    rowEnds[row] = x + width;
    return { text: b.phase, x, width, row };
  });
}
