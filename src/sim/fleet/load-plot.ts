/**
 * The park load curve of a fleet as files: CSV (one row per bin) and one self-contained HTML page with an
 * SVG step chart (the time axis of the session plot, src/sim/record/plot.ts). Pure string building.
 */
import { niceStep, PLOT_WIDTH, timeLabel } from "../record/plot.js";
import type { FleetReport, LoadCurve } from "./aggregate.js";

/** CSV of the load curve: `start_s,end_s,power_kw` per bin. */
export function loadCurveCsv(c: LoadCurve): string {
  const rows = c.kw.map((kw, k) => `${k * c.binS},${(k + 1) * c.binS},${kw}`);
  return `start_s,end_s,power_kw\n${rows.join("\n")}${rows.length > 0 ? "\n" : ""}`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A "nice" axis top at or above `x` (1, 2, 2.5, 5 × 10^n). */
function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** SVG step chart of the load curve (kW over park time), the peak marked. */
export function loadCurveSvg(c: LoadCurve): string {
  const left = 70;
  const right = 20;
  const top = 30;
  const h = 320;
  const w = PLOT_WIDTH - left - right;
  const tMax = Math.max(c.binS, c.kw.length * c.binS);
  const lo = Math.min(0, ...c.kw);
  const yMax = niceMax(Math.max(1, ...c.kw));
  const yMin = lo < 0 ? -niceMax(-lo) : 0;
  const x = (t: number) => left + (t / tMax) * w;
  const y = (v: number) => top + h - ((v - yMin) / (yMax - yMin)) * h;
  let d = `M${x(0).toFixed(1)},${y(0).toFixed(1)}`;
  c.kw.forEach((kw, k) => {
    d += `V${y(kw).toFixed(1)}H${x((k + 1) * c.binS).toFixed(1)}`;
  });
  d += `V${y(0).toFixed(1)}`;
  let body = `<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="#fafafa" stroke="#ccc"/>`;
  const step = niceStep(tMax);
  for (let t = 0; t <= tMax + 1e-9; t += step) {
    const px = x(t).toFixed(1);
    body += `<line x1="${px}" x2="${px}" y1="${top}" y2="${top + h}" stroke="#e6e6e6"/>`;
    body += `<text x="${px}" y="${top + h + 14}" text-anchor="middle" fill="#555">${esc(timeLabel(t, tMax))}</text>`;
  }
  const yStep = niceStep(yMax - yMin, 6);
  for (let v = yMin; v <= yMax + 1e-9; v += yStep)
    body += `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Number(v.toFixed(3))}</text>`;
  body += `<path d="${d}" fill="#33a02c22" stroke="#33a02c" stroke-width="1.5"/>`;
  const px = x(c.peakAtS + c.binS / 2).toFixed(1);
  body += `<line x1="${px}" x2="${px}" y1="${top}" y2="${top + h}" stroke="#d00" stroke-dasharray="3,3"/>`;
  body += `<text x="${px}" y="${top - 6}" fill="#d00" text-anchor="middle">peak ${c.peakKw} kW at ${esc(timeLabel(c.peakAtS, tMax))}</text>`;
  body += `<text x="${left + w / 2}" y="${top + h + 34}" text-anchor="middle">park time, ${c.binS} s bins</text>`;
  body += `<text x="14" y="${top + h / 2}" transform="rotate(-90 14 ${top + h / 2})" text-anchor="middle">park load (kW)</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${PLOT_WIDTH}" height="${top + h + 44}" font-family="sans-serif" font-size="11">${body}</svg>`;
}

/** The HTML page: title, one-line summary of the fleet and the load chart. */
export function loadCurveHtml(r: FleetReport): string {
  const line = `${r.sessions} sessions (seed ${r.seed}) plugged in over ${r.windowS} s; ${(r.energyWh.total / 1000).toFixed(1)} kWh; peak ${r.loadCurve.peakKw} kW at ${r.loadCurve.peakAtS} s; ${r.failures.length} failed`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nacs simulate --fleet: park load</title>
<style>body{font-family:sans-serif;margin:16px}p{color:#444}</style></head>
<body><h1>nacs simulate --fleet: park load</h1><p>${esc(line)}</p>
${loadCurveSvg(r.loadCurve)}
</body></html>
`;
}
