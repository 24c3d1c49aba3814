/**
 * The capture of one conformance case: everything that crossed the tester's sockets while it ran (SLAC
 * frames, SDP datagrams, the V2GTP messages as the tester sent them, deviations included, and as the SUT
 * sent them) as one pcapng, as `nacs ev --pcap` / `nacs evse --pcap` record a session.
 */
import type { CaseResult } from "../../conformance/runner.js";
import { createHostPcapRecorder } from "../record-pcap.js";

/** The case's pcapng, or undefined when nothing was recorded. `role`: the tester's side of the cable. */
export function casePcapng(
  r: CaseResult,
  o: { role: "ev" | "evse"; iface: string; tls: boolean },
): Uint8Array | undefined {
  const wire = r.trace.wire;
  if (!wire || wire.length === 0) return undefined;
  const chunks: Uint8Array[] = [];
  const recorder = createHostPcapRecorder((b) => chunks.push(b.slice()), {
    role: o.role,
    application: "nacs conformance",
    interfaceName: o.iface,
    tlsPlaintext: o.tls,
    comments: [`conformance case ${r.id}: ${r.title}`, `verdict: ${r.verdict.verdict}`],
  });
  for (const w of wire) recorder.tap(w.atMs, w.event);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
