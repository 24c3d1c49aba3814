/** Human summary table of a DC session (`nacs simulate` without `--json`). Pure string building. */
import { formatDuration as duration } from "../format-time.js";
import { FAULT_NAMES, FAULTS } from "./faults.js";
import type { DcPlugInSummary } from "./plug-ins.js";
import type { DcSessionSummary } from "./session.js";

/** The summary table: energy, duration, peak power, stop reason, message counts, safety figures. */
export function formatDcSummary(
  r: DcSessionSummary,
  head: string,
  files: { record?: string; plot?: string } = {},
): string {
  const kwh = (wh: number) => `${(wh / 1000).toFixed(2)} kWh`;
  const avgW = r.durationS > 0 ? (r.energyDeliveredWh * 3600) / r.durationS : 0;
  const total = Object.values(r.messages).reduce((a, b) => a + b, 0);
  const ac = r.mode === "ac";
  // The charge-loop request: ISO 15118-20 DC_ChargeLoop / AC_ChargeLoop, DIN / ISO-2 CurrentDemand / ChargingStatus.
  const iso20 = r.protocol === "iso20";
  const loop = ac ? (iso20 ? "AC_ChargeLoop" : "ChargingStatus") : iso20 ? "DC_ChargeLoop" : "CurrentDemand";
  const cd = r.messages[`${loop}Req`] ?? 0;
  const rt = r.responseTimesMs.perMessage[loop];
  const rows: [string, string][] = [
    ["stop reason", r.stopReason],
    ["protocol", r.protocol],
    ["duration", `${duration(r.durationS)} (virtual)`],
    ["SOC", `${r.socStart.toFixed(1)} % → ${r.socEnd.toFixed(1)} % of ${r.batteryKwh} kWh`],
    ["energy delivered", `${kwh(r.energyDeliveredWh)} (EVSE meter, ${ac ? "AC" : "DC"})`],
    ["losses", `${kwh(r.lossesWh)} (${ac ? "on-board charger" : "cable + battery internal resistance"})`],
    ["energy to battery", kwh(r.energyDeliveredWh - r.lossesWh)],
    ...(r.energyDischargedWh !== undefined
      ? [
          ["energy discharged", `${kwh(r.energyDischargedWh)} (fed back through the EVSE meter, AC_BPT)`] as [
            string,
            string,
          ],
        ]
      : []),
    ["average power", `${(avgW / 1000).toFixed(1)} kW`],
    ["peak power", `${(r.peakPowerW / 1000).toFixed(1)} kW`],
    ["V2G messages", `${total} (${cd} ${loop}Req)`],
  ];
  if (rt)
    rows.push([
      "SECC processing",
      `${loop} median ${rt.median} ms, p99 ${rt.p99} ms (host clock; network latency modelled apart)`,
    ]);
  for (const t of r.safety) {
    const off = t.offAtMs === null ? "—" : `${t.offAtMs - t.detectedAtMs} ms`;
    const det = t.injectedAtMs === null ? "" : `, fault → detection ${t.detectedAtMs - t.injectedAtMs} ms`;
    rows.push(["safety trip", `${t.reason}: detection → output off ${off}${det}`]);
  }
  if (r.sessions.length > 1) {
    rows.push(["plug-ins", `${r.sessions.length} sessions (the figures above cover the whole run)`]);
    for (const x of r.sessions) rows.push([`session ${x.n}`, sessionLine(x)]);
  }
  const at = r.script?.blockedAt;
  if (at) rows.push(["script", `did not finish: the run ended at command ${at.pos} "${at.text}"`]);
  if (files.record) rows.push(["record", files.record]);
  if (files.plot) rows.push(["plot", files.plot]);
  const w = Math.max(...rows.map(([k]) => k.length));
  return `${head}\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join("\n")}\n`;
}

/** One plug-in on one line: when, stop reason, time charging, energy, SOC, peak power, V2G messages. */
export function sessionLine(x: DcPlugInSummary): string {
  const to = x.unpluggedS === null ? "end (plugged in)" : `${x.unpluggedS.toFixed(1)} s`;
  const msgs = Object.values(x.messages).reduce((a, b) => a + b, 0);
  return [
    `${x.pluggedInS.toFixed(1)} s → ${to}: ${x.stopReason}`,
    `charging ${x.chargingS.toFixed(1)} s`,
    `${(x.energyDeliveredWh / 1000).toFixed(2)} kWh`,
    `SOC ${x.socStart.toFixed(1)} → ${x.socEnd.toFixed(1)} %`,
    `peak ${(x.peakPowerW / 1000).toFixed(1)} kW`,
    `${msgs} V2G messages`,
  ].join(", ");
}

/** `--list-faults`: one line per fault: name, description, stop reason. */
export function formatFaultList(): string {
  const w = Math.max(...FAULT_NAMES.map((n) => n.length));
  return `${FAULT_NAMES.map((n) => `${n.padEnd(w)}  ${FAULTS[n].description} → "${FAULTS[n].stopReason}"`).join("\n")}\n`;
}
