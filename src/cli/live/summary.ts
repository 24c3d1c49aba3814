/** The text and `--json` forms of a live session report (`nacs evse` / `nacs ev` in DC). */
import type { LiveSessionSummary } from "../../link/host/live-session.js";
import { formatConnectionTally } from "../../link/host/network/index.js";

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const PROTOCOL_NAMES: Record<string, string> = {
  din: "DIN 70121",
  iso2: "ISO 15118-2",
  iso20: "ISO 15118-20",
};

/**
 * The `--json` object: the fields every `nacs evse` / `nacs ev` summary has had (protocol, mode, messages,
 * energyDeliveredWh, stopReason, responseTimesMs) plus the J3400 ones the simulator reports too: `safety`
 * (each trip, with detection → output-off on the host's clock, and stdin line → output-off when an
 * operator command caused it), `phases`, the board and the transport. EVSE: `connections`, the V2G
 * connections since the EVSE started — `accepted`, `sessions` (supportedAppProtocol succeeded) and
 * `refused` by reason (`tlsHandshake`, `idle`, `closedBeforeSap`, `badV2gtp`, `notSap`, `sapFailed`,
 * `notReady`, `overload`, `replaced`). ISO 15118-20: `iso20` — `serviceId`, `service` ("dc", "dc-bpt", "ac",
 * "ac-bpt") and `controlMode` ("scheduled" | "dynamic") as selected at ServiceSelection. `sessionSetups` and
 * `resumed` (a later SessionSetup joined the paused session: OK_OldSessionJoined); EV: `v2gConnections`, the
 * V2G connections it opened (2 for a paused and resumed session).
 */
export function liveSummaryJson(s: LiveSessionSummary): Record<string, unknown> {
  return {
    protocol: s.protocol,
    mode: s.mode,
    messages: s.messages,
    energyDeliveredWh: Math.round(s.energyDeliveredWh * 10) / 10,
    stopReason: s.stopReason,
    responseTimesMs: {
      median: r3(s.responseTimesMs.median),
      p99: r3(s.responseTimesMs.p99),
      count: s.responseTimesMs.count,
    },
    safety: s.safety,
    phases: s.phases,
    messageCounts: s.messageCounts,
    board: s.board,
    transport: s.transport,
    durationMs: s.durationMs,
    ...(s.socStartPercent !== undefined ? { socStart: r3(s.socStartPercent) } : {}),
    ...(s.socEndPercent !== undefined ? { socEnd: r3(s.socEndPercent) } : {}),
    ...(s.unlock ? { unlock: { atMs: s.unlock.atMs, inletVoltageV: r3(s.unlock.inletVoltageV) } } : {}),
    ...(s.connections ? { connections: s.connections } : {}),
    ...(s.iso20 ? { iso20: s.iso20 } : {}),
    sessionSetups: s.sessionSetups,
    resumed: s.resumed,
    ...(s.v2gConnections !== undefined ? { v2gConnections: s.v2gConnections } : {}),
  };
}

/** The human report. */
export function formatLiveSummary(s: LiveSessionSummary): string {
  const who = s.side === "secc" ? "EVSE" : "EV";
  const what =
    s.side === "secc" ? "request received → response written" : "request written → response received";
  const rows: [string, string][] = [
    ["protocol", `${s.protocol ? PROTOCOL_NAMES[s.protocol] : "none negotiated"}, ${s.mode.toUpperCase()}`],
    ["stop reason", s.stopReason ?? "none"],
    ["messages", String(s.messages)],
    ["phases", s.phases.map((p) => `${p.phase} @${(p.atMs / 1000).toFixed(2)} s`).join(" → ") || "none"],
    ["energy delivered", `${(s.energyDeliveredWh / 1000).toFixed(3)} kWh`],
    [
      "response time",
      `median ${s.responseTimesMs.median.toFixed(3)} ms, p99 ${s.responseTimesMs.p99.toFixed(3)} ms (${what}, ${s.responseTimesMs.count})`,
    ],
    ["duration", `${(s.durationMs / 1000).toFixed(2)} s`],
    ["board", `${s.board}; V2G over ${s.transport}`],
  ];
  if (s.socStartPercent !== undefined && s.socEndPercent !== undefined)
    rows.push(["SOC", `${s.socStartPercent.toFixed(1)} % → ${s.socEndPercent.toFixed(1)} %`]);
  if (s.iso20)
    rows.push(["service", `${s.iso20.service ?? `ServiceID ${s.iso20.serviceId}`}, ${s.iso20.controlMode}`]);
  if (s.resumed) rows.push(["resumed", `yes (${s.sessionSetups} SessionSetups, OK_OldSessionJoined)`]);
  if (s.v2gConnections !== undefined) rows.push(["V2G connections", String(s.v2gConnections)]);
  if (s.connections) rows.push(["connections", formatConnectionTally(s.connections)]);
  if (s.unlock) rows.push(["unlocked", `at ${s.unlock.inletVoltageV.toFixed(1)} V on the inlet`]);
  for (const t of s.safety)
    rows.push([
      "safety trip",
      `${t.reason} (${t.detail}); detection → output off ${t.offLatencyMs === null ? "n/a" : `${t.offLatencyMs.toFixed(3)} ms`}` +
        (t.inputToOffMs === null ? "" : ` (stdin line → output off ${t.inputToOffMs.toFixed(3)} ms)`) +
        (t.currentAtOpenA === null ? "" : `, contactors opened at ${t.currentAtOpenA} A`),
    ]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return `${who} session\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n")}\n`;
}
