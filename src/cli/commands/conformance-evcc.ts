/**
 * `nacs conformance --sut evcc`: nacs plays the EVSE and tests a car. The tester is our own EVSE — the
 * EVSE DC controller on the live EVSE host, as `nacs evse` runs it — with a test-only interceptor on the
 * SECC's outgoing responses (src/conformance/evcc). It hosts the cable: with `--board sim:SOCKET` the
 * simulated one, which the car under test joins (`nacs ev --board sim:SOCKET --sessions 0`), and per case it
 * plugs the car in and unplugs it after, so every case is a fresh session (IEC 61851-1 state A→B).
 * With a real EVSE board (`--board serial:DEV`, …) the tester restarts the pilot between cases instead.
 * `--tls --test-pki DIR`: the tester's SECC certificate from DIR (created when missing; the car trusts
 * DIR/v2g-root.pem), and for the bad-certificate case one from DIR/untrusted (another root).
 */
import { join } from "node:path";
import { runEvccCases, type TesterEvseBoard } from "../../conformance/evcc/runner.js";
import type { CaseResult } from "../../conformance/runner.js";
import type { ConformanceCase, ConformanceProtocol, SutLimits } from "../../conformance/types.js";
import { dcBatteryConfig } from "../../ev/dc/index.js";
import { powerModuleConfig } from "../../evse/dc/index.js";
import type { EvseBoardPort } from "../../link/host/board-port.js";
import { isLoopback, testPki } from "../../link/host/cli-support.js";
import type { EvseBoardEvent } from "../../link/host/controllers.js";
import type { LinkLogger } from "../../link/logger.js";
import type { TlsServerConfig } from "../../link/tls.js";
import { DUTY_X1 } from "../../pilot/index.js";
import { evseOutputsOff, worldEvseBoardPort } from "../../sim/board/world-port.js";
import type { DcWorld } from "../../sim/dc/world.js";
import { UsageError } from "../errors.js";
import { openBoard } from "../live/board.js";
import { slacLink } from "../live/slac-link.js";
import type { ConformanceOptions } from "./conformance.js";

/** How long the tester waits for the car to join its simulated cable before the first case (ms). */
export const EVCC_CAR_WAIT_MS = 60_000;

/** The tester EVSE's board hosting the simulated cable of `--board sim[:SOCKET]`. */
export async function openTesterEvseBoard(
  spec: string,
  log: LinkLogger,
): Promise<TesterEvseBoard & { world: DcWorld | null; close(): Promise<void> }> {
  const b = await openBoard(
    "evse",
    spec,
    {
      module: powerModuleConfig(),
      battery: dcBatteryConfig(),
      socPercent: 30,
      seed: null,
      energyTimeScale: 1,
    },
    log,
  );
  const world = b.world;
  if (!world && spec.startsWith("sim")) {
    await b.close();
    throw new UsageError(
      `option --board ${spec}: --sut evcc hosts the simulated cable (it plugs the car in per case): start nacs conformance before the car, on a socket nobody hosts yet`,
      "--board",
    );
  }
  if (!world) return realTesterBoard(b.port, () => b.close());
  return {
    world,
    port: () => {
      // each case's EVSE controller starts from output off and the pilot at X1 (steady +12 V, IEC 61851-1),
      // whatever the last case left (a trip holds the pilot at F)
      evseOutputsOff(world);
      world.evseCommand({ kind: "duty", duty: DUTY_X1 });
      return worldEvseBoardPort(world);
    },
    plugIn: () => {
      if (!world.cable.plugged) world.plugIn();
    },
    unplug: () => {
      if (world.cable.plugged) world.unplug();
    },
    close: () => b.close(),
  };
}

/**
 * A real EVSE board (`--board serial:DEV`, …): one board link for the run, handed to each case's controller
 * in turn (readings go to the current case only). Nobody re-plugs the connector: between cases the tester
 * restarts the pilot instead — X1 (steady +12 V, oscillator off) while unplugged, then the next case's
 * controller starts its 5 % again, which a car takes as a new session (IEC 61851-1 Annex A; the
 * ISO 15118-3 wake-up) — or the lab re-plugs by hand.
 */
export function realTesterBoard(
  base: EvseBoardPort,
  close: () => Promise<void>,
): TesterEvseBoard & { world: null; close(): Promise<void> } {
  let current: { onReading: (r: EvseBoardEvent) => void; onLost: (d: string) => void } | null = null;
  let attached = false;
  return {
    world: null,
    port() {
      let mine = true;
      return {
        name: base.name,
        command: (c) => {
          if (mine) base.command(c);
        },
        attach(onReading, onLost) {
          current = { onReading, onLost };
          if (attached) return;
          attached = true;
          base.attach(
            (r) => current?.onReading(r),
            (d) => current?.onLost(d),
          );
        },
        close: async () => {
          mine = false;
          current = null;
        },
      };
    },
    plugIn: () => {},
    unplug: () => base.command({ kind: "duty", duty: DUTY_X1 }),
    close,
  };
}

/** Wait until the car has joined the cable (its board host said hello: plugged in). */
async function carJoined(world: DcWorld, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (world.cable.plugged) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return world.cable.plugged;
}

/** The tester SECC's certificates: DIR's, and DIR/untrusted's (another root) for the bad-certificate case. */
async function testerTls(
  o: ConformanceOptions,
): Promise<{ tls?: TlsServerConfig; untrusted?: () => Promise<TlsServerConfig> }> {
  if (!o.tls) return {};
  if (!o.testPki)
    throw new UsageError(
      "option --tls: --sut evcc needs --test-pki DIR (the tester SECC's certificate)",
      "--tls",
    );
  const dir = o.testPki;
  const pki = await testPki(dir, true);
  const keylog = o.tlsKeylog ? { keylogFile: o.tlsKeylog } : {};
  const tls: TlsServerConfig = { key: pki.key, cert: pki.cert, versions: ["1.2"], ...keylog };
  return {
    tls,
    untrusted: async () => {
      const bad = await testPki(join(dir, "untrusted"), true);
      return { key: bad.key, cert: bad.cert, versions: ["1.2"], ...keylog };
    },
  };
}

/** Run `nacs conformance --sut evcc` on the selected cases; resolves with the exit code. */
export async function runConformanceEvcc(
  o: ConformanceOptions,
  run: readonly ConformanceCase[],
  protocols: readonly ConformanceProtocol[],
  limits: SutLimits,
  log: LinkLogger,
  progress: (r: CaseResult, i: number, total: number) => void,
): Promise<{ results: CaseResult[]; durationMs: number }> {
  const { tls, untrusted } = await testerTls(o);
  const board = await openTesterEvseBoard(o.board, log);
  const { slac, mac, close: closeSlac } = slacLink(o, null);
  process.stderr.write(
    board.world
      ? `nacs conformance: tester EVSE ready, hosting the cable (${o.board}): start the car, e.g. nacs ev --iface ${o.iface}${slac ? "" : " --no-slac"} --board ${o.board} --sessions 0\n`
      : `nacs conformance: tester EVSE ready on ${o.board}: plug the car in (between cases the tester restarts the pilot)\n`,
  );
  const t0 = performance.now();
  try {
    if (board.world && !(await carJoined(board.world, EVCC_CAR_WAIT_MS)))
      throw new UsageError(
        `option --board ${o.board}: no car joined the cable within ${EVCC_CAR_WAIT_MS / 1000} s`,
        "--board",
      );
    const results = await runEvccCases(
      run,
      protocols,
      {
        iface: o.iface,
        board,
        slac,
        mac,
        sdpPort: o.sdpPort,
        v2gHost: isLoopback(o.iface) ? "::1" : "::",
        ...(tls && { tls }),
        ...(untrusted && { untrustedTls: untrusted }),
        limits,
        logger: log,
      },
      progress,
    );
    return { results, durationMs: performance.now() - t0 };
  } finally {
    board.unplug();
    closeSlac();
    await board.close();
  }
}
