/**
 * The timing chart of one conformance case for the HTML report: an inline SVG (no script, no external
 * resource) with three lanes over the case's time — what the tester sent (the deviation in red), what the
 * SUT sent (FAILED codes in orange, undecodable messages in red), and the tester's board (inlet current on /
 * off, board actions, connection open / close) — a dashed line where the deviation was applied, and below
 * it the SUT's response time of every response as a bar (log scale) against its performance limit. Pure string building.
 */
import type { CaseTrace, SutLimits, TraceEvent } from "./types.js";

/** Chart width and the plot's left edge (px). */
const WIDTH = 720;
const LEFT = 92;
const RIGHT = 12;
const LANE_Y = { tx: 22, rx: 46, board: 70 } as const;
const AXIS_Y = 86;
const BAR_TOP = 110;
const BAR_H = 48;
/** The foot of the response-time scale (ms): faster answers show as this. */
const BAR_FLOOR_MS = 0.1;

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** A tick step (ms) that gives at most about 8 ticks over `spanMs`: 1, 2 or 5 × 10^n. */
export function tickStepMs(spanMs: number): number {
  const raw = Math.max(spanMs, 1) / 8;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${+(ms / 1000).toFixed(2)} s` : `${+ms.toFixed(1)} ms`);

function mark(x: number, y: number, color: string, title: string, shape: "tick" | "dot" | "diamond"): string {
  const t = `<title>${esc(title)}</title>`;
  if (shape === "tick")
    return `<line x1="${x}" y1="${y - 7}" x2="${x}" y2="${y + 7}" stroke="${color}" stroke-width="2">${t}</line>`;
  if (shape === "dot") return `<circle cx="${x}" cy="${y}" r="4" fill="${color}">${t}</circle>`;
  return `<path d="M${x} ${y - 6}L${x + 6} ${y}L${x} ${y + 6}L${x - 6} ${y}Z" fill="${color}">${t}</path>`;
}

function eventMark(e: TraceEvent, x: number): string {
  const at = fmtMs(e.tMs);
  switch (e.kind) {
    case "tx":
      return mark(
        x,
        LANE_Y.tx,
        e.deviation ? "#c62828" : e.bytes === 0 ? "#999" : "#1565c0",
        `${at} → ${e.name}${e.note ? ` [${e.note}]` : ""}`,
        "tick",
      );
    case "rx":
      return mark(
        x,
        LANE_Y.rx,
        e.code?.startsWith("FAILED") ? "#ef6c00" : "#2e7d32",
        `${at} ← ${e.name}${e.code ? ` ${e.code}` : ""}${e.afterMs !== null ? ` after ${e.afterMs} ms` : ""}`,
        "tick",
      );
    case "rx-bad":
      return mark(x, LANE_Y.rx, "#c62828", `${at} ← undecodable: ${e.error}`, "dot");
    case "open":
      return mark(x, LANE_Y.board, "#555", `${at} connection open`, "dot");
    case "close":
      return mark(x, LANE_Y.board, "#000", `${at} connection closed (${e.by})`, "dot");
    case "board":
      return mark(x, LANE_Y.board, "#6a1b9a", `${at} board: ${e.note}`, "diamond");
    case "ev-stop":
      return mark(x, LANE_Y.board, "#888", `${at} tester's EV stopped: ${e.reason}`, "diamond");
    case "cp":
      return mark(x, LANE_Y.board, "#00838f", `${at} pilot: state ${e.state}`, "diamond");
    case "ev-sdp":
      return mark(
        x,
        LANE_Y.rx,
        e.answered ? "#2e7d32" : "#ef6c00",
        `${at} ← SDP request${e.answered ? "" : " (not answered)"}`,
        "dot",
      );
    case "sdp":
      return e.dir === "tx"
        ? mark(x, LANE_Y.tx, "#c62828", `${at} → SDP probe #${e.probe + 1}`, "dot")
        : mark(x, LANE_Y.rx, "#2e7d32", `${at} ← SDP response #${e.probe + 1}`, "dot");
    case "slac":
      return e.dir === "tx"
        ? mark(
            x,
            LANE_Y.tx,
            e.deviation || e.held ? "#c62828" : "#1565c0",
            `${at} → ${e.name}${e.held ? " (held back)" : ""}${e.note ? ` [${e.note}]` : ""}`,
            "dot",
          )
        : mark(x, LANE_Y.rx, "#2e7d32", `${at} ← ${e.name} ${e.src} → ${e.dst}`, "dot");
    case "evse-input":
      return mark(x, LANE_Y.board, "#6a1b9a", `${at} tester's EVSE: ${JSON.stringify(e.input)}`, "diamond");
    case "inlet":
      return "";
  }
}

/** The inlet-current lane: a bar where the current was at least 1 A. */
function inletBars(events: readonly TraceEvent[], xOf: (t: number) => number, endMs: number): string {
  const out: string[] = [];
  let onSince: number | null = null;
  for (const e of events) {
    if (e.kind !== "inlet") continue;
    if (e.currentA >= 1 && onSince === null) onSince = e.tMs;
    if (e.currentA < 1 && onSince !== null) {
      out.push(bar(onSince, e.tMs));
      onSince = null;
    }
  }
  if (onSince !== null) out.push(bar(onSince, endMs));
  return out.join("");
  function bar(a: number, b: number) {
    const x = xOf(a);
    return `<rect x="${x}" y="${LANE_Y.board - 4}" width="${Math.max(1, xOf(b) - x)}" height="8" fill="#ffcc80"><title>${esc(`inlet current ≥ 1 A from ${fmtMs(a)} to ${fmtMs(b)}`)}</title></rect>`;
  }
}

/** The response-time bars: one per response with a measured time, the limit as a tick above it. */
function responseBars(events: readonly TraceEvent[], limits: SutLimits | undefined): string {
  const rx = events.filter(
    (e): e is Extract<TraceEvent, { kind: "rx" }> => e.kind === "rx" && e.afterMs !== null,
  );
  if (rx.length === 0) return "";
  const limitOf = (name: string) => limits?.performanceMs[name] ?? limits?.performanceMs.default;
  const top = Math.max(
    1,
    ...rx.map((e) => e.afterMs ?? 0),
    ...rx.map((e) => limitOf(e.name)).filter((l): l is number => Number.isFinite(l)),
  );
  const w = Math.min(24, (WIDTH - LEFT - RIGHT) / rx.length);
  // a log scale from BAR_FLOOR_MS: a 1 ms answer and a 2 s limit both show
  const span = Math.log10(Math.max(top, BAR_FLOOR_MS * 10) / BAR_FLOOR_MS);
  const yOf = (ms: number) =>
    +(BAR_TOP + BAR_H - (Math.log10(Math.max(ms, BAR_FLOOR_MS) / BAR_FLOOR_MS) / span) * BAR_H).toFixed(1);
  const parts = rx.map((e, i) => {
    const ms = e.afterMs ?? 0;
    const x = LEFT + i * w;
    const limit = limitOf(e.name);
    const over = limit !== undefined && ms > limit;
    const title = `${e.name}${e.code ? ` ${e.code}` : ""}: ${ms} ms${limit !== undefined && Number.isFinite(limit) ? ` (limit ${limit} ms)` : ""}`;
    const limitTick =
      limit !== undefined && Number.isFinite(limit)
        ? `<line x1="${x + 1}" x2="${x + w - 1}" y1="${yOf(limit)}" y2="${yOf(limit)}" stroke="#c62828"/>`
        : "";
    return `<rect x="${x + 1}" y="${yOf(ms)}" width="${Math.max(1, w - 2)}" height="${Math.max(0.5, BAR_TOP + BAR_H - yOf(ms))}" fill="${over ? "#c62828" : "#81c784"}"><title>${esc(title)}</title></rect>${limitTick}`;
  });
  return `<text x="4" y="${BAR_TOP + 10}" class="l">response</text><text x="4" y="${BAR_TOP + 22}" class="l">times</text><text x="4" y="${BAR_TOP + 34}" class="t">log, ${esc(fmtMs(BAR_FLOOR_MS))}</text><text x="4" y="${BAR_TOP + 46}" class="t">to ${esc(fmtMs(top))}</text>${parts.join("")}`;
}

/** The case's timing chart as an inline `<svg>` (empty string when nothing was observed). */
export function timingChartSvg(trace: CaseTrace, limits?: SutLimits): string {
  const events = trace.events;
  if (events.length === 0) return "";
  const endMs = Math.max(trace.durationMs, ...events.map((e) => e.tMs), 1);
  const xOf = (t: number) => +(LEFT + (Math.max(0, t) / endMs) * (WIDTH - LEFT - RIGHT)).toFixed(1);
  const step = tickStepMs(endMs);
  const ticks: string[] = [];
  for (let t = 0, n = 0; t <= endMs && n < 20; t += step, n++)
    ticks.push(
      `<line x1="${xOf(t)}" x2="${xOf(t)}" y1="${AXIS_Y - 3}" y2="${AXIS_Y + 3}" stroke="#666"/><text x="${xOf(t)}" y="${AXIS_Y + 14}" text-anchor="middle" class="t">${esc(fmtMs(t))}</text>`,
    );
  const dev =
    trace.deviationAtMs !== null
      ? `<line x1="${xOf(trace.deviationAtMs)}" x2="${xOf(trace.deviationAtMs)}" y1="8" y2="${AXIS_Y}" stroke="#c62828" stroke-dasharray="4 3"><title>deviation at ${esc(fmtMs(trace.deviationAtMs))}</title></line>`
      : "";
  const bars = responseBars(events, limits);
  const height = bars ? BAR_TOP + BAR_H + 6 : AXIS_Y + 20;
  const lanes = (
    [
      ["tester →", LANE_Y.tx],
      ["← SUT", LANE_Y.rx],
      ["board, link", LANE_Y.board],
    ] as const
  )
    .map(
      ([label, y]) =>
        `<text x="4" y="${y + 4}" class="l">${label}</text><line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}" stroke="#eee"/>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="timing chart"><style>.l{font:11px sans-serif;fill:#333}.t{font:10px sans-serif;fill:#555}</style>${lanes}<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${AXIS_Y}" y2="${AXIS_Y}" stroke="#666"/>${ticks.join("")}${inletBars(events, xOf, endMs)}${dev}${events.map((e) => eventMark(e, xOf(e.tMs))).join("")}${bars}</svg>`;
}
