/**
 * Session plot (issue 6 §6): one self-contained HTML file with an embedded SVG chart of voltage, current,
 * power, SOC and CP state over time, built from the record events (`sample`, `cp`, `trip`, `phase`).
 * Pure string building; no scripts, no external resources.
 */
import type { RecordEvent } from "./types.js";

/** Width / height of one panel in the SVG (px). */
export const PLOT_WIDTH = 900;
export const PLOT_PANEL_HEIGHT = 110;
const LEFT = 70;
const RIGHT = 20;
const GAP = 26;

interface Series {
  label: string;
  unit: string;
  color: string;
  points: [number, number][];
}

const CP_LEVEL: Readonly<Record<string, number>> = { A: 5, B: 4, C: 3, D: 2, E: 1, F: 0 };

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

function panel(s: Series, y0: number, tMax: number, yMax: number, step: boolean, ticks?: string[]): string {
  const w = PLOT_WIDTH - LEFT - RIGHT;
  const h = PLOT_PANEL_HEIGHT;
  const x = (t: number) => LEFT + (tMax > 0 ? (t / tMax) * w : 0);
  const y = (v: number) => y0 + h - (Math.max(0, Math.min(v, yMax)) / yMax) * h;
  let d = "";
  let prevY: number | null = null;
  for (const [t, v] of s.points) {
    const px = x(t).toFixed(1);
    const py = y(v).toFixed(1);
    if (prevY === null) d += `M${px},${py}`;
    else if (step) d += `H${px}V${py}`;
    else d += `L${px},${py}`;
    prevY = v;
  }
  if (step && s.points.length > 0) d += `H${x(tMax).toFixed(1)}`;
  const labels = ticks
    ? ticks
        .map((tk, k) => `<text x="${LEFT - 6}" y="${y(k) + 4}" text-anchor="end">${esc(tk)}</text>`)
        .join("")
    : `<text x="${LEFT - 6}" y="${y0 + 10}" text-anchor="end">${yMax}</text><text x="${LEFT - 6}" y="${y0 + h}" text-anchor="end">0</text>`;
  return (
    `<g><rect x="${LEFT}" y="${y0}" width="${w}" height="${h}" fill="#fafafa" stroke="#ccc"/>` +
    `<text x="${LEFT + 4}" y="${y0 - 6}" font-weight="bold">${esc(s.label)} (${esc(s.unit)})</text>${labels}` +
    `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/></g>`
  );
}

/** Build the SVG chart from record events. */
export function plotSvg(events: readonly RecordEvent[]): string {
  const samples = events.filter((e) => e.type === "sample");
  const num = (e: RecordEvent, k: string) => Number(e[k] ?? 0);
  const series = (label: string, unit: string, color: string, k: string, scale = 1): Series => ({
    label,
    unit,
    color,
    points: samples.map((e) => [e.t, num(e, k) * scale]),
  });
  const cp: Series = {
    label: "CP state",
    unit: "A–F",
    color: "#6a3d9a",
    points: events.filter((e) => e.type === "cp").map((e) => [e.t, CP_LEVEL[String(e.state)] ?? 0]),
  };
  const tMax = Math.max(1, ...events.map((e) => e.t));
  const panels: [Series, number, boolean, string[]?][] = [
    [series("Voltage", "V", "#1f78b4", "v"), niceMax(Math.max(...samples.map((e) => num(e, "v")), 1)), false],
    [series("Current", "A", "#e31a1c", "i"), niceMax(Math.max(...samples.map((e) => num(e, "i")), 1)), false],
    [
      series("Power", "kW", "#33a02c", "p", 1 / 1000),
      niceMax(Math.max(...samples.map((e) => num(e, "p") / 1000), 1)),
      false,
    ],
    [series("SOC", "%", "#ff7f00", "soc"), 100, false],
    [cp, 5, true, ["F", "E", "D", "C", "B", "A"]],
  ];
  const height = panels.length * (PLOT_PANEL_HEIGHT + GAP) + 40;
  let body = "";
  panels.forEach(([s, yMax, step, ticks], k) => {
    body += panel(s, 20 + k * (PLOT_PANEL_HEIGHT + GAP), tMax, yMax, step, ticks);
  });
  const w = PLOT_WIDTH - LEFT - RIGHT;
  for (const e of events.filter((x) => x.type === "trip" || x.type === "phase")) {
    const px = (LEFT + (e.t / tMax) * w).toFixed(1);
    const color = e.type === "trip" ? "#d00" : "#999";
    const label = e.type === "trip" ? `trip: ${String(e.reason)}` : String(e.phase);
    body += `<line x1="${px}" x2="${px}" y1="14" y2="${height - 30}" stroke="${color}" stroke-dasharray="3,3"/>`;
    body += `<text x="${px}" y="${height - 18}" fill="${color}" transform="rotate(0)">${esc(label)}</text>`;
  }
  body += `<text x="${LEFT + w / 2}" y="${height - 2}" text-anchor="middle">time (s), 0 … ${tMax.toFixed(1)}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PLOT_WIDTH}" height="${height}" font-family="sans-serif" font-size="11">${body}</svg>`;
}

/** A complete HTML page: title, one-line summary and the chart. */
export function plotHtml(events: readonly RecordEvent[], title: string, summaryLine = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;margin:16px}p{color:#444}</style></head>
<body><h1>${esc(title)}</h1><p>${esc(summaryLine)}</p>
${plotSvg(events)}
</body></html>
`;
}
