/** The three synchronised session plots (voltage, current, power + SOC), updated in place on new data. */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { plotData } from "../model/plot-series.js";
import type { SessionModel } from "../model/session-model.js";
import { plotOptions } from "./plot-options.js";

interface Props {
  model: SessionModel;
  version: number;
}

interface Live {
  plots: Map<string, { u: uPlot; sig: string }>;
  zoomed: boolean;
  syncing: boolean;
}

export function Plots({ model, version }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const modelRef = useRef(model);
  modelRef.current = model;
  const live = useRef<Live>({ plots: new Map(), zoomed: false, syncing: false });

  // x zoom of one plot → the others; double-click (uPlot's reset) zooms all out again
  const onXScale = (src: uPlot) => {
    const l = live.current;
    if (l.syncing) return;
    const { min, max } = src.scales.x ?? {};
    if (min === undefined || max === undefined) return;
    const t = modelRef.current.samples.t;
    l.zoomed = t.length > 1 && (min > t[0]! || max < t[t.length - 1]!);
    l.syncing = true;
    for (const { u } of l.plots.values()) if (u !== src) u.setScale("x", { min, max });
    l.syncing = false;
  };

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const l = live.current;
    const width = Math.max(320, el.clientWidth - 8);
    for (const pd of plotData(model.samples)) {
      const id = pd.group.id;
      const sig = pd.series.map((s) => s.key).join(",");
      const box = el.querySelector<HTMLDivElement>(`[data-plot="${id}"]`)!;
      const cur = l.plots.get(id);
      if (pd.series.length === 0) {
        if (cur) {
          cur.u.destroy();
          l.plots.delete(id);
        }
        continue;
      }
      if (cur && cur.sig === sig) {
        cur.u.setData(pd.data as uPlot.AlignedData, !l.zoomed);
        continue;
      }
      cur?.u.destroy();
      const u = new uPlot(
        plotOptions(pd, width, () => modelRef.current, onXScale),
        pd.data as uPlot.AlignedData,
        box,
      );
      l.plots.set(id, { u, sig });
    }
  }, [model, version]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      const width = Math.max(320, el.clientWidth - 8);
      for (const { u } of live.current.plots.values()) u.setSize({ width, height: 210 });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      for (const { u } of live.current.plots.values()) u.destroy();
      live.current.plots.clear();
    };
  }, []);

  return (
    <div class="plots" ref={host} data-testid="plots">
      <div data-plot="voltage" data-testid="plot-voltage" />
      <div data-plot="current" data-testid="plot-current" />
      <div data-plot="power" data-testid="plot-power" />
      {model.samples.t.length === 0 && <p class="muted">No samples yet.</p>}
    </div>
  );
}
