/**
 * Session samples → the data of the three synchronised plots (voltage, current, power + SOC): one x column
 * (seconds) and only the series that carry data. SOC gets its own axis scaled to the data (a charge from
 * 70 % to 72 % must not look flat on 0–100 %); power is plotted in kW.
 */
import type { SampleColumns, SampleKey } from "./session-model.js";

export interface SeriesSpec {
  key: SampleKey;
  label: string;
  unit: string;
  /** uPlot scale name: the unit, or "soc" for the SOC axis. */
  scale: string;
  /** Multiplier applied to the recorded value (W → kW). */
  factor: number;
  dash?: number[];
}

export interface PlotGroup {
  id: "voltage" | "current" | "power";
  title: string;
  series: SeriesSpec[];
}

export const PLOT_GROUPS: readonly PlotGroup[] = [
  {
    id: "voltage",
    title: "Voltage",
    series: [
      { key: "v", label: "EVSE present", unit: "V", scale: "V", factor: 1 },
      { key: "evTargetV", label: "EV target", unit: "V", scale: "V", factor: 1, dash: [6, 4] },
    ],
  },
  {
    id: "current",
    title: "Current",
    series: [
      { key: "i", label: "EVSE present", unit: "A", scale: "A", factor: 1 },
      { key: "evTargetA", label: "EV target", unit: "A", scale: "A", factor: 1, dash: [6, 4] },
      { key: "evseMaxA", label: "EVSE max", unit: "A", scale: "A", factor: 1, dash: [2, 3] },
    ],
  },
  {
    id: "power",
    title: "Power and SOC",
    series: [
      { key: "p", label: "Power", unit: "kW", scale: "kW", factor: 1e-3 },
      { key: "evseMaxW", label: "EVSE max", unit: "kW", scale: "kW", factor: 1e-3, dash: [2, 3] },
      { key: "soc", label: "SOC", unit: "%", scale: "soc", factor: 1 },
    ],
  },
];

/** The data of one plot: x plus one column per series that has at least one value. */
export interface PlotData {
  group: PlotGroup;
  series: SeriesSpec[];
  data: [number[], ...(number | null)[][]];
}

function hasData(col: readonly (number | null)[]): boolean {
  for (const v of col) if (v !== null) return true;
  return false;
}

/** Build the plots' data from the sample columns. */
export function plotData(s: SampleColumns): PlotData[] {
  return PLOT_GROUPS.map((group) => {
    const series = group.series.filter((x) => hasData(s[x.key]));
    const cols = series.map((x) =>
      x.factor === 1 ? s[x.key] : s[x.key].map((v) => (v === null ? null : v * x.factor)),
    );
    return { group, series, data: [s.t, ...cols] };
  });
}

/**
 * Range of the SOC axis: the data's range padded by 10 % of its span (at least 0.5 percentage points
 * each side), clamped to 0–100 %.
 */
export function socRange(values: readonly (number | null)[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [0, 100];
  const pad = Math.max(0.5, (hi - lo) * 0.1);
  return [Math.max(0, lo - pad), Math.min(100, hi + pad)];
}
