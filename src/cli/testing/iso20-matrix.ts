/**
 * Test support: the ISO 15118-20 live matrix — our EVCC (`nacs ev`) against our SECC (`nacs evse`), every
 * energy service in scheduled and dynamic control mode (ISO 15118-20 service IDs and ControlMode parameter),
 * over plain TCP (`--iso20-without-tls`) and TLS 1.3 with mutual TLS (the -20 profile), plus pause and resume
 * (SessionStop Pause, then SessionSetup with the same SessionID: OK_OldSessionJoined, ISO 15118-20
 * [V2G20-2545]). The rows, the options each side gets for a row, and what a finished row must show; the
 * loopback test (iso20-matrix.test.ts) and the veth harness (tools/netns/stack-netns.test.ts) both use it.
 *
 * A service joins the matrix with one line in {@link ISO20_MATRIX_SERVICES}.
 */
import assert from "node:assert/strict";
import type { Iso20ControlMode, Iso20ServiceName } from "../../v2g/index.js";

/** An energy service of the matrix and what a session with it must show. */
export interface Iso20MatrixService {
  service: Iso20ServiceName;
  /** charge: energy into the EV (> 0 on both sides); discharge: out of it (< 0). */
  energy: "charge" | "discharge";
  /** The charge loop request counted on both sides (> 0). */
  loop: string;
}

/**
 * The services the live pair runs end to end. DC_BPT, AC and AC_BPT join with one line each once they land:
 *   { service: "dc-bpt", energy: "discharge", loop: "DC_ChargeLoopReq" },
 *   { service: "ac", energy: "charge", loop: "AC_ChargeLoopReq" },
 *   { service: "ac-bpt", energy: "discharge", loop: "AC_ChargeLoopReq" },
 */
export const ISO20_MATRIX_SERVICES: readonly Iso20MatrixService[] = [
  { service: "dc", energy: "charge", loop: "DC_ChargeLoopReq" },
  { service: "dc-bpt", energy: "discharge", loop: "DC_ChargeLoopReq" },
  { service: "ac", energy: "charge", loop: "AC_ChargeLoopReq" },
  { service: "ac-bpt", energy: "discharge", loop: "AC_ChargeLoopReq" },
];

/** How the V2G bytes travel: plain TCP (the lab switch `--iso20-without-tls`) or TLS 1.3 (mutual TLS). */
export type Iso20MatrixTransport = "tcp" | "tls13";

/** One row: a session to run and check. */
export interface Iso20MatrixRow {
  label: string;
  service: Iso20MatrixService;
  control: Iso20ControlMode;
  transport: Iso20MatrixTransport;
  /** The EV pauses in the charge loop and resumes (two V2G connections, one session). */
  pauseResume: boolean;
}

/** `--pause-after` / `--resume-after` of the pause rows (s, wall clock): well inside the charge loop. */
export const MATRIX_PAUSE_AFTER_S = 0.3;
export const MATRIX_RESUME_AFTER_S = 0.5;
/** SOC of the EV: 50 → 51 % (pause rows: 50 → 53 %, so that charging outlasts the pause). */
export const MATRIX_SOC = 50;

/**
 * The rows: every service × control mode × transport, plus a pause-and-resume row per service and
 * transport (scheduled on TCP, dynamic on TLS 1.3, so both modes are resumed).
 */
export function iso20MatrixRows(
  transports: readonly Iso20MatrixTransport[] = ["tcp", "tls13"],
  services: readonly Iso20MatrixService[] = ISO20_MATRIX_SERVICES,
): Iso20MatrixRow[] {
  const rows: Iso20MatrixRow[] = [];
  const label = (s: Iso20MatrixService, c: string, t: string, p: boolean) =>
    `${s.service} ${c} over ${t === "tcp" ? "TCP" : "TLS 1.3"}${p ? " + pause/resume" : ""}`;
  for (const service of services)
    for (const transport of transports) {
      for (const control of ["scheduled", "dynamic"] as const)
        rows.push({
          label: label(service, control, transport, false),
          service,
          control,
          transport,
          pauseResume: false,
        });
      const control = transport === "tcp" ? "scheduled" : "dynamic";
      rows.push({
        label: label(service, control, transport, true),
        service,
        control,
        transport,
        pauseResume: true,
      });
    }
  return rows;
}

/** Options of `nacs evse` for a row (besides interface, ports, board, JSON). `pki`: the test PKI directory. */
export function iso20EvseArgs(row: Iso20MatrixRow, pki: string): string[] {
  return [
    "--mode",
    row.service.service.startsWith("ac") ? "ac" : "dc",
    "--protocol",
    "iso20,iso2,din",
    ...(row.service.service.endsWith("-bpt") ? ["--bidirectional"] : []),
    ...transportArgs(row, pki, "evse"),
  ];
}

/** Options of `nacs ev` for a row (besides interface, ports, board, JSON). */
export function iso20EvArgs(row: Iso20MatrixRow, pki: string): string[] {
  return [
    "--protocol",
    "iso20",
    "--service",
    row.service.service,
    "--control",
    row.control,
    "--soc",
    String(MATRIX_SOC),
    "--target-soc",
    String(MATRIX_SOC + (row.pauseResume ? 3 : 1)),
    // a discharging EV gives energy back down to its minimum SOC
    ...(row.service.energy === "discharge"
      ? ["--min-soc", String(MATRIX_SOC - (row.pauseResume ? 3 : 1))]
      : []),
    ...(row.pauseResume
      ? ["--pause-after", String(MATRIX_PAUSE_AFTER_S), "--resume-after", String(MATRIX_RESUME_AFTER_S)]
      : []),
    ...transportArgs(row, pki, "ev"),
  ];
}

function transportArgs(row: Iso20MatrixRow, pki: string, side: "ev" | "evse"): string[] {
  if (row.transport === "tls13") return ["--tls", "--tls-version", "1.3", "--test-pki", pki];
  return side === "evse" ? ["--iso20-without-tls"] : [];
}

/** A `--json` summary of either side (src/cli/live/summary.ts). */
export interface MatrixSummary {
  protocol: string | null;
  messages: number;
  messageCounts?: Record<string, number>;
  energyDeliveredWh: number;
  stopReason: string | null;
  safety?: unknown[];
  transport?: string;
  iso20?: { serviceId: number; service: string | null; controlMode: string };
  sessionSetups?: number;
  resumed?: boolean;
  v2gConnections?: number;
  connections?: { accepted: number; sessions: number };
  durationMs?: number;
}

/** A record event of `--events` (only `type`, `dir` and `name` of `msg` events are read). */
export type MatrixRecord = { type: string } & Record<string, unknown>;

/**
 * Check a finished row from what the processes reported — never from the options passed: both exited 0,
 * ISO 15118-20, the service and control mode the machines selected, the energy direction, no safety trip,
 * the same messages on both sides, the transport; pause rows: two V2G connections, SessionSetup answered
 * OK_OldSessionJoined, and the EV's first request after it DC/AC_ChargeParameterDiscovery (from its record).
 */
export function checkIso20Row(
  row: Iso20MatrixRow,
  r: {
    ev: MatrixSummary;
    evse: MatrixSummary;
    evExit: number | null;
    evseExit: number | null;
    evEvents: MatrixRecord[];
  },
): void {
  assert.equal(r.evExit, 0, "nacs ev exit code");
  assert.equal(r.evseExit, 0, "nacs evse exit code");
  for (const [who, s] of [
    ["EV", r.ev],
    ["EVSE", r.evse],
  ] as const) {
    assert.equal(s.protocol, "iso20", `${who} protocol`);
    assert.equal(s.iso20?.service, row.service.service, `${who} service`);
    assert.equal(s.iso20?.controlMode, row.control, `${who} control mode`);
    assert.deepEqual(s.safety, [], `${who} safety`);
    assert.equal(s.transport, row.transport === "tcp" ? "tcp" : "tls", `${who} transport`);
    if (row.service.energy === "charge")
      assert.ok(s.energyDeliveredWh > 0, `${who} energy ${s.energyDeliveredWh} Wh`);
    else assert.ok(s.energyDeliveredWh < 0, `${who} energy ${s.energyDeliveredWh} Wh (discharging)`);
    assert.ok((s.messageCounts?.[row.service.loop] ?? 0) > 0, `${who} ${row.service.loop}`);
    assert.equal(s.resumed, row.pauseResume, `${who} resumed`);
    assert.equal(s.sessionSetups, row.pauseResume ? 2 : 1, `${who} SessionSetups`);
  }
  assert.equal(
    r.ev.stopReason,
    row.service.energy === "charge" ? "target SOC reached" : "minimum SOC reached",
  );
  assert.equal(r.evse.stopReason, "EV ended the session");
  assert.deepEqual(r.ev.messageCounts, r.evse.messageCounts, "same message counts on both sides");
  assert.equal(r.ev.messages, r.evse.messages);
  const connections = row.pauseResume ? 2 : 1;
  assert.equal(r.ev.v2gConnections, connections, "V2G connections the EV opened");
  assert.equal(r.evse.connections?.accepted, connections, "V2G connections the EVSE accepted");
  if (!row.pauseResume) return;
  // The resumed part skips AuthorizationSetup … ServiceSelection ([V2G20-1032], [V2G20-1844]: authorization
  // and service survive).
  assert.equal(r.ev.messageCounts?.AuthorizationSetupReq, 1);
  assert.equal(r.ev.messageCounts?.ServiceSelectionReq, 1);
  const msgs = r.evEvents.filter((e) => e.type === "msg");
  const setups = msgs.flatMap((e, i) => (e.name === "SessionSetupRes" && e.dir === "rx" ? [i] : []));
  assert.equal(setups.length, 2, "two SessionSetupRes in the EV record");
  const after = msgs.slice(setups[1]! + 1).find((e) => e.dir === "tx");
  assert.match(
    String(after?.name),
    /^(DC|AC)_ChargeParameterDiscoveryReq$/,
    "first request of the resumed part",
  );
}
