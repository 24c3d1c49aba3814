/**
 * Session plot: one self-contained HTML file with an embedded SVG chart of voltage, current,
 * power, SOC and CP state over time, built from the record events (`sample`, `cp`, `trip`, `phase`).
 * Pure string building; no scripts, no external resources.
 */
import type { RecordEvent } from "./types.js";

/** Width / height of one panel in the SVG (px). */
export const PLOT_WIDTH = 1100;
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

/**
 * One panel from `yMin` (0, or negative for quantities that flow both ways: current and power of a
 * bidirectional session, drawn with a zero line) to `yMax`.
 */
function panel(
  s: Series,
  y0: number,
  tMax: number,
  [yMin, yMax]: [number, number],
  step: boolean,
  ticks?: string[],
): string {
  const w = PLOT_WIDTH - LEFT - RIGHT;
  const h = PLOT_PANEL_HEIGHT;
  const x = (t: number) => LEFT + (tMax > 0 ? (t / tMax) * w : 0);
  const y = (v: number) => y0 + h - ((Math.max(yMin, Math.min(v, yMax)) - yMin) / (yMax - yMin)) * h;
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
    : `<text x="${LEFT - 6}" y="${y0 + 10}" text-anchor="end">${yMax}</text><text x="${LEFT - 6}" y="${y0 + h}" text-anchor="end">${yMin}</text>` +
      (yMin < 0
        ? `<text x="${LEFT - 6}" y="${y(0) + 4}" text-anchor="end">0</text><line x1="${LEFT}" x2="${LEFT + w}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#999"/>`
        : "");
  return (
    `<g><rect x="${LEFT}" y="${y0}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>` +
    `<text x="${LEFT + 4}" y="${y0 - 6}" font-weight="bold">${esc(s.label)} (${esc(s.unit)})</text>${labels}` +
    `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/></g>`
  );
}

/** A "nice" tick step (1, 2, 5 × 10^n) giving about `target` ticks over `span`. */
export function niceStep(span: number, target = 8): number {
  if (!(span > 0)) return 1;
  const raw = span / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** Time label: seconds below 2 minutes, m:ss below 2 hours, h:mm beyond. */
export function timeLabel(t: number, span: number): string {
  if (span < 120) return `${Number(t.toFixed(2))} s`;
  const whole = Math.round(t);
  if (span < 7200) return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  return `${Math.floor(whole / 3600)}:${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")} h`;
}

/** Approximate text width at font-size 11 (px), for laying out labels without a renderer. */
const CHAR_PX = 6.2;
/** Rows of marker labels (phases, trips) above the panels; labels that would overlap go one row down. */
const LABEL_ROWS = 4;
const LABEL_ROW_PX = 13;

/** Place marker labels in rows so that none overlaps another (greedy, left to right). */
export function layoutLabels(xs: readonly { x: number; text: string }[]): number[] {
  const rowEnd: number[] = Array.from({ length: LABEL_ROWS }, () => Number.NEGATIVE_INFINITY);
  return xs.map(({ x, text }) => {
    let row = rowEnd.findIndex((end) => end + 4 <= x);
    if (row < 0) row = rowEnd.indexOf(Math.min(...rowEnd));
    rowEnd[row] = x + text.length * CHAR_PX;
    return row;
  });
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
  // a quantity that went negative (energy out of the car) gets a signed axis
  const range = (k: string, scale = 1): [number, number] => {
    const vs = samples.map((e) => num(e, k) * scale);
    const lo = Math.min(0, ...vs);
    return [lo < 0 ? -niceMax(-lo) : 0, niceMax(Math.max(...vs, 1))];
  };
  const panels: [Series, [number, number], boolean, string[]?][] = [
    [
      series("Voltage", "V", "#1f78b4", "v"),
      [0, niceMax(Math.max(...samples.map((e) => num(e, "v")), 1))],
      false,
    ],
    [series("Current", "A", "#e31a1c", "i"), range("i"), false],
    [series("Power", "kW", "#33a02c", "p", 1 / 1000), range("p", 1 / 1000), false],
    [series("SOC", "%", "#ff7f00", "soc"), [0, 100], false],
    [cp, [0, 5], true, ["F", "E", "D", "C", "B", "A"]],
  ];
  const w = PLOT_WIDTH - LEFT - RIGHT;
  const xOf = (t: number) => LEFT + (t / tMax) * w;
  const top = 20 + LABEL_ROWS * LABEL_ROW_PX;
  const panelsBottom = top + panels.length * (PLOT_PANEL_HEIGHT + GAP) - GAP;
  const height = panelsBottom + 44;
  let body = "";
  panels.forEach((_, k) => {
    const y0 = top + k * (PLOT_PANEL_HEIGHT + GAP);
    body += `<rect x="${LEFT}" y="${y0}" width="${w}" height="${PLOT_PANEL_HEIGHT}" fill="#fafafa"/>`;
  });
  // time grid (inside the panels, under the curves) and tick labels
  const step = niceStep(tMax);
  for (let t = 0; t <= tMax + 1e-9; t += step) {
    const px = xOf(t).toFixed(1);
    panels.forEach((_, k) => {
      const y0 = top + k * (PLOT_PANEL_HEIGHT + GAP);
      body += `<line x1="${px}" x2="${px}" y1="${y0}" y2="${y0 + PLOT_PANEL_HEIGHT}" stroke="#e6e6e6"/>`;
    });
    body += `<text x="${px}" y="${panelsBottom + 14}" text-anchor="middle" fill="#555">${esc(timeLabel(t, tMax))}</text>`;
  }
  panels.forEach(([s, yMax, isStep, ticks], k) => {
    body += panel(s, top + k * (PLOT_PANEL_HEIGHT + GAP), tMax, yMax, isStep, ticks);
  });
  // phase and trip markers: dashed lines through all panels, labels in non-overlapping rows above them
  const markers = events
    .filter((x) => x.type === "trip" || x.type === "phase")
    .map((e) => ({
      x: xOf(e.t),
      t: e.t,
      trip: e.type === "trip",
      text: e.type === "trip" ? `trip: ${String(e.reason)}` : String(e.phase),
    }));
  const rows = layoutLabels(markers);
  markers.forEach((m, k) => {
    const color = m.trip ? "#d00" : "#888";
    const px = m.x.toFixed(1);
    const ly = 20 + (rows[k] ?? 0) * LABEL_ROW_PX;
    body += `<g><title>${esc(`${m.text} at ${timeLabel(m.t, tMax)}`)}</title>`;
    body += `<line x1="${px}" x2="${px}" y1="${ly + 2}" y2="${panelsBottom}" stroke="${color}" stroke-dasharray="3,3"/>`;
    // labels that would run past the right edge end at their marker instead of starting there
    const anchor = m.x + m.text.length * CHAR_PX > PLOT_WIDTH ? "end" : "start";
    body += `<text x="${px}" y="${ly}" fill="${color}" text-anchor="${anchor}">${esc(m.text)}</text></g>`;
  });
  const unit = tMax < 120 ? "s" : tMax < 7200 ? "min:s" : "h:min";
  body += `<text x="${LEFT + w / 2}" y="${height - 6}" text-anchor="middle">time (${unit}), 0 … ${esc(timeLabel(tMax, tMax))}</text>`;
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
