/**
 * `nacs evse` in DC mode: the EVSE DC controller on a live host — the board of `--board` (the simulated
 * world by default), SLAC over a raw socket (or none with `--no-slac`), SDP on UDP, V2G over TCP/TLS — with
 * operator commands on stdin and the session record on `--events`. Prints one report per session.
 *
 * Exit codes: 0 when every session ended without a safety trip; 1 when one tripped (an emergency stop
 * included) or the board was lost (the EVSE then stops serving: without its board it cannot supervise
 * an output). When this process hosts the simulated cable (`--board sim`, first to arrive), it keeps
 * serving it after its last session until the EV has unlocked and left (at most
 * {@link LIVE_EVSE_EV_LEAVE_WAIT_MS}), so the EV never loses its board in the middle of its own ending.
 */
import { webcrypto } from "node:crypto";
import { dcBatteryConfig } from "../../ev/dc/index.js";
import { evseDcConfig, powerModuleConfig } from "../../evse/dc/index.js";
import { seccListenAddress } from "../../link/host/cli-support.js";
import { EV_NORMAL_STOP_REASONS } from "../../link/host/live-ev.js";
import { startLiveEvse } from "../../link/host/live-evse.js";
import type { LiveSessionSummary } from "../../link/host/live-session.js";
import { tapFramePort } from "../../link/host/wire-tap.js";
import type { TlsServerConfig } from "../../link/index.js";
import type { LinkLogger } from "../../link/logger.js";
import { RawEthernetSocket } from "../../link/raw/index.js";
import type { FramePort } from "../../slac/run/types.js";
import type { EvseOptions, HostPcapFile } from "../commands/evse.js";
import { UsageError } from "../errors.js";
import { startOperator } from "../operator.js";
import { openBoard } from "./board.js";
import { openEventsSink } from "./events.js";
import { formatLiveSummary, liveSummaryJson } from "./summary.js";

const random = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));
/** After the last session, how long the EVSE hosting the simulated cable waits for the EV to leave (ms). */
export const LIVE_EVSE_EV_LEAVE_WAIT_MS = 10_000;
/** How often it looks (ms). */
const LEAVE_POLL_MS = 20;

/** A raw-socket SLAC port on `iface` (wrapped by the pcap tap), or null with `--no-slac`. */
export function slacPort(o: { slac: boolean; iface: string }, pcap: HostPcapFile | null): FramePort | null {
  if (!o.slac) return null;
  let raw: RawEthernetSocket;
  try {
    raw = RawEthernetSocket.open({ ifname: o.iface });
  } catch (e) {
    throw new UsageError(
      `option --iface ${o.iface}: cannot open a raw socket for SLAC: ${(e as Error).message} (root or CAP_NET_RAW needed; --no-slac skips SLAC)`,
      "--iface",
      { cause: e },
    );
  }
  pcap?.recorder.learn({ localMac: Uint8Array.from(raw.mac) });
  raw.unref(); // never closed: must not keep the process alive once the session is over
  return pcap ? tapFramePort(raw, pcap.recorder.tap) : raw;
}

/**
 * A session ended normally: EVSE, no safety trip; EV, one of {@link EV_NORMAL_STOP_REASONS} (its target
 * reached, the driver or the EVSE stopped in an orderly way — not the charger's emergency shutdown).
 */
export function normalEnd(s: LiveSessionSummary): boolean {
  if (s.safety.length > 0 || s.stopReason === null) return false;
  return s.side === "secc" || EV_NORMAL_STOP_REASONS.includes(s.stopReason);
}

/** Run `nacs evse --mode dc`; resolves with the exit code. */
export async function runEvseDc(
  o: EvseOptions,
  log: LinkLogger,
  tls: TlsServerConfig | undefined,
  pcap: HostPcapFile | null,
): Promise<number> {
  const module = powerModuleConfig(
    o.chargerClass,
    o.maxPowerKw * 1000,
    o.maxCurrent ? { maxCurrentA: o.maxCurrent } : {},
  );
  const board = await openBoard(
    "evse",
    o.board,
    {
      module,
      battery: dcBatteryConfig(),
      socPercent: 30,
      seed: o.seed ?? null,
      energyTimeScale: o.timeScale,
    },
    log,
  );
  const events = openEventsSink(o.events);
  const slac = slacPort(o, pcap);
  const mac = slac ? Uint8Array.from(slac.mac) : Uint8Array.of(0x02, ...random(5));
  const summaries: LiveSessionSummary[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  let boardLost = false;
  let signalled = false;
  let live: Awaited<ReturnType<typeof startLiveEvse>>;
  let host: string;
  try {
    host = await seccListenAddress(o.iface);
    pcap?.recorder.learn({ localIp: host });
    live = await startLiveEvse({
      config: (sdp) =>
        evseDcConfig({
          module,
          slac: { mac, random },
          sdp,
          matching: o.slac ? "slac" : "none",
          secc: {
            protocols: o.protocol,
            epochS: Math.floor(Date.now() / 1000),
            seed: random(4).reduce((a, b) => a * 256 + b, 0) >>> 0 || 1,
          },
        }),
      board: board.port,
      network: {
        iface: o.iface,
        slac,
        sdpPort: o.sdpPort,
        v2g: {
          host,
          ...(o.port !== undefined ? { port: o.port, allowAnyPort: true } : {}),
          ...(tls ? { tls } : {}),
        },
        ...(pcap ? { tap: pcap.recorder.tap } : {}),
        logger: log,
      },
      ...(events ? { onRecord: (e) => events.write(e) } : {}),
      onSession(s) {
        summaries.push(s);
        process.stdout.write(o.json ? `${JSON.stringify(liveSummaryJson(s))}\n` : formatLiveSummary(s));
        if (o.sessions > 0 && summaries.length >= o.sessions) done();
      },
      onBoardLost(detail) {
        boardLost = true;
        process.stderr.write(`nacs evse: board lost (${detail}): no more sessions\n`);
        done();
      },
      logger: log,
    });
  } catch (e) {
    await board.close();
    events?.close();
    throw e instanceof UsageError
      ? e
      : new UsageError(`option --iface ${o.iface}: cannot serve: ${(e as Error).message}`, "--iface", {
          cause: e,
        });
  }
  log.info(
    { host, port: live.network.v2gPort, sdpPort: live.network.sdpPort, board: board.port.name },
    `evse ready: ${live.network.transport} on [${host}]:${live.network.v2gPort}, SDP on UDP ${live.network.sdpPort}, board ${board.port.name}`,
  );
  const stopOperator = startOperator(
    process.stdin,
    {
      role: "evse",
      push: (ev, at) => live.push(ev as never, at),
      now: () => live.now(),
      world: board.world,
    },
    (line, r, at) => {
      if (r.ok) log.info({ line, receivedAtMs: at }, `evse: ${r.did}`);
      else process.stderr.write(`nacs evse: ${r.error}\n`);
    },
  );
  const stop = () => {
    signalled = true;
    done();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await finished;
  stopOperator();
  if (board.world && !boardLost && !signalled) await evLeft(board.world, () => signalled);
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  await live.close();
  await board.close();
  events?.close();
  return !boardLost && summaries.every(normalEnd) ? 0 : 1;
}

/**
 * The simulated cable hosted here: resolves once no EV is plugged in (its host left or was lost), or after
 * {@link LIVE_EVSE_EV_LEAVE_WAIT_MS}, or when `interrupted()`.
 */
async function evLeft(world: { cable: { plugged: boolean } }, interrupted: () => boolean): Promise<void> {
  for (let waited = 0; world.cable.plugged && !interrupted() && waited < LIVE_EVSE_EV_LEAVE_WAIT_MS; ) {
    await new Promise((r) => setTimeout(r, LEAVE_POLL_MS));
    waited += LEAVE_POLL_MS;
  }
}
