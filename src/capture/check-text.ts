/** Text form of the `nacs decode --check` report. Pure code. */
import type { CheckReport } from "./check.js";

/** The report as text lines. */
export function formatCheckReport(r: CheckReport, maxFindings = 200): string[] {
  const out: string[] = [];
  out.push(`Sessions: ${r.sessions.length}`);
  for (const s of r.sessions) {
    out.push(
      `  #${s.conn} ${s.schema ?? "?"}: ${s.messages} messages, ${s.durationS.toFixed(1)} s (t=${s.start.toFixed(3)}…${s.end.toFixed(3)})`,
    );
    const parts: string[] = [];
    if (s.energyWh !== undefined) parts.push(`energy ${(s.energyWh / 1000).toFixed(3)} kWh`);
    if (s.peakPowerW !== undefined) parts.push(`peak power ${(s.peakPowerW / 1000).toFixed(1)} kW`);
    if (s.peakCurrentA !== undefined) parts.push(`peak current ${s.peakCurrentA} A`);
    if (parts.length) out.push(`      ${parts.join(", ")}`);
    if (s.evccId || s.evseId || s.sessionId)
      out.push(`      EVCCID ${s.evccId ?? "-"}, EVSEID ${s.evseId ?? "-"}, SessionID ${s.sessionId ?? "-"}`);
    out.push(`      stop: ${s.stopReason}`);
  }
  out.push("Response times (max / mean vs the EV's message timeout):");
  for (const t of r.responseTimes) {
    out.push(
      `  ${t.message.padEnd(34)} n=${String(t.count).padStart(4)}  max ${(t.maxS * 1000).toFixed(1).padStart(7)} ms  mean ${(t.meanS * 1000).toFixed(1).padStart(7)} ms  limit ${t.limitS * 1000} ms${t.over ? `  OVER ×${t.over}` : ""}`,
    );
  }
  out.push(...formatSignatures(r));
  out.push(`Findings: ${r.counts.errors} errors, ${r.counts.warnings} warnings, ${r.counts.infos} notes`);
  for (const f of r.findings.slice(0, maxFindings)) {
    const where = f.t !== undefined ? `${f.t.toFixed(3).padStart(9)} #${f.frame}` : "";
    const times = f.count && f.count > 1 ? ` (×${f.count}, first shown)` : "";
    out.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.code.padEnd(20)} ${where}  ${f.message}${times}`);
  }
  if (r.findings.length > maxFindings)
    out.push(`  … ${r.findings.length - maxFindings} more (use --json for all)`);
  return out;
}

/** The `Signatures:` section (only when the capture has signed messages). */
function formatSignatures(r: CheckReport): string[] {
  const sigs = r.signatures ?? [];
  if (sigs.length === 0) return [];
  const by = new Map<string, number>();
  for (const s of sigs) by.set(s.outcome, (by.get(s.outcome) ?? 0) + 1);
  const out = [`Signatures: ${sigs.length} (${[...by].map(([k, n]) => `${n} ${k}`).join(", ")})`];
  for (const s of sigs) {
    if (s.outcome === "stray") continue;
    const refs = s.references.map((x) => (x.element ? `${x.uri}=${x.element}` : x.uri)).join(" ");
    const signer = s.signer ? ` by ${s.signer}${s.signerSubject ? ` "${s.signerSubject}"` : ""}` : "";
    const chain = s.chain ? `; chain ${s.chain.code}${s.chain.anchor ? ` (${s.chain.anchor})` : ""}` : "";
    out.push(
      `  ${s.t.toFixed(3).padStart(9)} #${s.frame} ${s.message.padEnd(28)} ${s.outcome.padEnd(17)} ${refs}${signer}${chain} ${s.rule}`,
    );
  }
  const stray = by.get("stray");
  if (stray) out.push(`  (${stray} stray header signatures on unsigned messages, see SIGNATURE_STRAY)`);
  return out;
}
