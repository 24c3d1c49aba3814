/**
 * The ISO 15118-20 live matrix on loopback: for every row of src/cli/testing/iso20-matrix.ts — energy service ×
 * scheduled/dynamic control mode × plain TCP/TLS 1.3 (mutual TLS), plus pause and resume — `nacs evse` and
 * `nacs ev` run on [::1] (`--iface lo --no-slac`, one simulated cable, `--time-scale 300`) and the row's
 * session must complete as checkIso20Row says. Rows run {@link MATRIX_CONCURRENCY} at a time (distinct SDP
 * ports, temporary directories, test PKIs); each prints its wall time, and the total is printed at the end.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  checkIso20Row,
  iso20EvArgs,
  iso20EvseArgs,
  iso20MatrixRows,
  type MatrixSummary,
} from "../testing/iso20-matrix.js";
import { livePairArgs, readRecords } from "../testing/live-pair.js";
import { exitWithin, killIfRunning, type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

/** Resolves with `p`'s exit code, or rejects naming `who` once `deadline` (performance.now) passes. */
const exitBy = (p: NacsProc, who: string, deadline: number) =>
  exitWithin(p, who, Math.max(0, deadline - performance.now()));

/** Rows at once (`NACS_MATRIX_CONCURRENCY`, default 3): each row is two mostly idle processes. */
const MATRIX_CONCURRENCY = Number(process.env.NACS_MATRIX_CONCURRENCY) || 3;
/** Limit of one row (both processes start to exit); the test allows 10 s more. */
const ROW_TIMEOUT_MS = 60_000;
/** After the EV left, the EVSE reports and leaves (it waits for the cable at most 10 s, evse-host.ts). */
const EVSE_AFTER_EV_MS = 20_000;

const rows = iso20MatrixRows();
/** Distinct SDP ports per row (below the ephemeral range). */
const portBase = 20000 + Math.floor(Math.random() * 11000);
const started = performance.now();
const walls: string[] = [];

/** SIGKILL the process we started (by its PID) if it is still there. */
const summaryOf = (who: string, p: NacsProc): MatrixSummary => {
  const line = p.out.split("\n").find((l) => l.startsWith("{"));
  assert.ok(line, `${who}: no JSON summary; stderr: ${p.err.slice(-2000)}`);
  return JSON.parse(line) as MatrixSummary;
};

describe(
  "ISO 15118-20 live matrix on [::1]: nacs evse ↔ nacs ev",
  { concurrency: MATRIX_CONCURRENCY },
  () => {
    rows.forEach((row, i) => {
      it(row.label, { timeout: ROW_TIMEOUT_MS + 10_000 }, async () => {
        const t0 = performance.now();
        const deadline = t0 + ROW_TIMEOUT_MS;
        const dir = mkdtempSync(join(tmpdir(), "nacs-matrix-"));
        const pki = join(dir, "pki");
        const evEvents = join(dir, "ev.ndjson");
        const common = livePairArgs(dir, String(portBase + i));
        let evse: NacsProc | undefined;
        let ev: NacsProc | undefined;
        try {
          evse = spawnNacs([
            "evse",
            ...common,
            "--sessions",
            "1",
            "--log-level",
            "info",
            ...iso20EvseArgs(row, pki),
          ]);
          await waitForStderr(evse, /evse ready/, 20_000);
          ev = spawnNacs(["ev", ...common, "--events", evEvents, ...iso20EvArgs(row, pki)]);
          const evExit = await exitBy(ev, "nacs ev", deadline);
          // An EV that failed leaves the EVSE waiting for it: fail now, with the EV's words.
          assert.equal(
            evExit,
            0,
            `nacs ev exit code; stdout: ${ev.out.slice(-2000)}\nstderr: ${ev.err.slice(-2000)}\nEVSE stderr: ${evse.err.slice(-2000)}`,
          );
          const evseDeadline = Math.min(deadline, performance.now() + EVSE_AFTER_EV_MS);
          const evseExit = await exitBy(evse, "nacs evse", evseDeadline);
          const r = {
            ev: summaryOf("EV", ev),
            evse: summaryOf("EVSE", evse),
            evExit,
            evseExit,
            evEvents: readRecords(evEvents),
          };
          try {
            checkIso20Row(row, r);
          } catch (e) {
            throw new Error(
              `${(e as Error).message}\nEV stderr: ${ev.err.slice(-2000)}\nEVSE stderr: ${evse.err.slice(-2000)}`,
              {
                cause: e,
              },
            );
          }
          if (row.transport === "tls13") assert.match(evse.err, /TLSv1\.3/);
          const wall = `${row.label}: ${((performance.now() - t0) / 1000).toFixed(1)} s wall, session ${(Number(r.ev.durationMs) / 1000).toFixed(1)} s, ${r.ev.messages} messages, ${r.evse.energyDeliveredWh} Wh`;
          walls.push(wall);
          console.log(`# ${wall}`);
        } finally {
          killIfRunning(ev);
          killIfRunning(evse);
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  },
);

after(() => {
  console.log(
    `# ISO 15118-20 matrix: ${walls.length}/${rows.length} rows in ${((performance.now() - started) / 1000).toFixed(1)} s wall (${MATRIX_CONCURRENCY} at a time)`,
  );
});
