/**
 * uPlot options of one session plot: labelled axes with units (ticks at round values along the whole
 * axis), SOC on its own right-hand axis scaled to the data, phases as shaded bands with non-overlapping
 * labels, trips as red markers (DOM elements over the canvas, `data-testid="trip-marker"`), a shared
 * cursor and x zoom across the plots.
 */
import type uPlot from "uplot";
import { layoutPhaseLabels, phaseBands } from "../model/phase-bands.js";
import { type PlotData, socRange } from "../model/plot-series.js";
import type { SessionModel } from "../model/session-model.js";
import { tripLabel } from "../model/trip-label.js";

const COLORS: Readonly<Record<string, string>> = {
  v: "#1f6feb",
  evTargetV: "#8250df",
  i: "#d1242f",
  evTargetA: "#bf8700",
  evseMaxA: "#57606a",
  p: "#1a7f37",
  evseMaxW: "#57606a",
  soc: "#0969da",
};
const BAND_FILL = ["rgba(9,105,218,0.06)", "rgba(130,80,223,0.08)"];
const LABEL_FONT_PX = 11;

function fmt(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined) return "–";
  const a = Math.abs(v);
  const d = a >= 100 ? 1 : a >= 10 ? 2 : 3;
  return `${v.toFixed(d)} ${unit}`;
}

function drawBands(u: uPlot, model: SessionModel): void {
  const { ctx, bbox } = u;
  const bands = phaseBands(model.phases, model.status.lastT);
  if (bands.length === 0) return;
  const px = (t: number) => u.valToPos(t, "x", true);
  ctx.save();
  bands.forEach((b, k) => {
    const x0 = Math.max(bbox.left, px(b.t0));
    const x1 = Math.min(bbox.left + bbox.width, px(b.t1));
    if (x1 <= x0) return;
    ctx.fillStyle = BAND_FILL[k % 2]!;
    ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
  });
  const dpr = devicePixelRatio || 1;
  ctx.font = `${LABEL_FONT_PX * dpr}px system-ui, sans-serif`;
  ctx.fillStyle = "#57606a";
  ctx.textBaseline = "top";
  ctx.textAlign = "left"; // uPlot leaves the alignment of the last axis it drew
  const visible = bands.filter((b) => px(b.t1) > bbox.left && px(b.t0) < bbox.left + bbox.width);
  const labels = layoutPhaseLabels(
    visible.map((b) => ({ ...b, t0: Math.max(b.t0, u.posToVal(0, "x")) })),
    px,
    (s) => ctx.measureText(s).width,
    4 * dpr,
    bbox.left + bbox.width,
  );
  for (const l of labels) ctx.fillText(l.text, l.x, bbox.top + 2 * dpr + l.row * (LABEL_FONT_PX + 2) * dpr);
  ctx.restore();
}

function drawTrips(u: uPlot, model: SessionModel): void {
  for (const old of u.over.querySelectorAll(".trip-marker")) old.remove();
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = "#cf222e";
  ctx.lineWidth = 2 * (devicePixelRatio || 1);
  for (const trip of model.trips) {
    const x = u.valToPos(trip.t, "x", true);
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    const el = document.createElement("div");
    el.className = "trip-marker";
    el.dataset.testid = "trip-marker";
    el.title = tripLabel(trip);
    el.textContent = "⚠";
    el.style.left = `${u.valToPos(trip.t, "x")}px`;
    u.over.appendChild(el);
  }
  ctx.restore();
}

/** Options of one plot; `model()` gives the live model (read at draw time). */
export function plotOptions(
  pd: PlotData,
  width: number,
  model: () => SessionModel,
  onXScale: (u: uPlot) => void,
): uPlot.Options {
  const units = [...new Set(pd.series.filter((s) => s.scale !== "soc").map((s) => s.unit))];
  const hasSoc = pd.series.some((s) => s.scale === "soc");
  const axes: uPlot.Axis[] = [
    { label: "time (s)", values: (_u, splits) => splits.map((v) => `${v}`) },
    ...units.map(
      (unit): uPlot.Axis => ({
        scale: unit,
        label: `${pd.group.title === "Power and SOC" ? "Power" : pd.group.title} (${unit})`,
        size: 60,
      }),
    ),
  ];
  const scales: uPlot.Scales = { x: { time: false } };
  if (hasSoc) {
    axes.push({ scale: "soc", side: 1, label: "SOC (%)", grid: { show: false }, size: 55 });
    scales.soc = {
      range: (u) =>
        socRange((u.data[pd.series.findIndex((s) => s.scale === "soc") + 1] ?? []) as (number | null)[]),
    };
  }
  return {
    width,
    height: 210,
    title: pd.group.title,
    legend: { live: true },
    cursor: { sync: { key: "nacs-session", setSeries: true }, drag: { x: true, y: false } },
    scales,
    axes,
    series: [
      { label: "t", value: (_u, v) => (v === null ? "–" : `${v.toFixed(3)} s`) },
      ...pd.series.map(
        (s): uPlot.Series => ({
          label: s.label,
          scale: s.scale,
          stroke: COLORS[s.key] ?? "#000",
          width: 1.5,
          spanGaps: true,
          ...(s.dash ? { dash: s.dash } : {}),
          value: (_u, v) => fmt(v, s.unit),
        }),
      ),
    ],
    hooks: {
      drawClear: [(u) => drawBands(u, model())],
      draw: [(u) => drawTrips(u, model())],
      setScale: [(u, key) => key === "x" && onXScale(u)],
    },
  };
}
