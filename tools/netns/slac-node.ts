/**
 * One SLAC station over raw Ethernet, for namespace tests: runs the EV or the EVSE SLAC
 * machine on an interface until matched (or failed / timed out) and prints JSON lines on stdout:
 *   {"event":"ready","role":…,"ifname":…,"mac":…}                  once the socket is open and listening
 *   {"event":"result","role":…,"outcome":"matched"|"failed"|"timeout",…}  at the end
 * Exit code 0 when matched, 1 otherwise, 2 on bad arguments. The EVSE uses an ideal CP loop (plug-in seen
 * at start) and lingers `--linger-ms` after its match to answer a repeated CM_SLAC_MATCH.REQ.
 *
 *   ip netns exec NS node --import tsx tools/netns/slac-node.ts --role ev|evse --ifname IF
 *       [--modem none|qca] [--timeout-ms 15000] [--linger-ms 300]
 */
import { webcrypto } from "node:crypto";
import { parseArgs } from "node:util";
import { RawEthernetSocket } from "../../src/link/raw/index.js";
import { type SlacRunOutcome, startEvSlac, startEvseSlac } from "../../src/slac/run/index.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const macText = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(":");
const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

function usage(msg: string): never {
  process.stderr.write(`slac-node: ${msg}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    role: { type: "string" },
    ifname: { type: "string" },
    modem: { type: "string", default: "none" },
    "timeout-ms": { type: "string", default: "15000" },
    "linger-ms": { type: "string", default: "300" },
    verbose: { type: "boolean", default: false },
  },
});
const role = values.role;
if (role !== "ev" && role !== "evse") usage(`--role ${String(role)} is not allowed: must be ev or evse`);
const ifname = values.ifname ?? usage("--ifname is required");
const modem = values.modem;
if (modem !== "none" && modem !== "qca") usage(`--modem ${modem} is not allowed: must be none or qca`);
const timeoutMs = Number(values["timeout-ms"]);
const lingerMs = Number(values["linger-ms"]);
if (!(timeoutMs > 0)) usage(`--timeout-ms ${values["timeout-ms"]} is not allowed: must be > 0`);
if (!(lingerMs >= 0)) usage(`--linger-ms ${values["linger-ms"]} is not allowed: must be >= 0`);

const random = (n: number) => webcrypto.getRandomValues(new Uint8Array(n));
const sock = RawEthernetSocket.open({ ifname });
const onLog = values.verbose
  ? (level: string, msg: string) => process.stderr.write(`[${role}] ${level} ${msg}\n`)
  : undefined;
const common = { port: sock, modem, ...(onLog ? { onLog } : {}) } as const;
const evRun = role === "ev" ? startEvSlac({ ...common, config: { random }, autoStart: false }) : undefined;
const run = evRun ?? startEvseSlac({ ...common, config: { random }, emulateCp: true });
print({ event: "ready", role, ifname, mac: macText(sock.mac), pid: process.pid });
evRun?.push({ kind: "start" }); // plug-in: the EV starts SLAC at once (Tesla order)

const timer = setTimeout(() => run.stop(), timeoutMs);
const outcome: SlacRunOutcome = await run.outcome;
clearTimeout(timer);
if (outcome.kind === "matched" && role === "evse" && lingerMs > 0) {
  await new Promise((r) => setTimeout(r, lingerMs));
}
run.stop();
sock.close();
print({
  event: "result",
  role,
  outcome: outcome.kind === "stopped" ? "timeout" : outcome.kind,
  atMs: Math.round(outcome.atMs * 1000) / 1000,
  ...(outcome.kind === "matched"
    ? {
        nid: hex(outcome.nid),
        nmk: hex(outcome.nmk),
        peerMac: macText(outcome.peerMac),
        runId: hex(outcome.runId),
      }
    : {}),
  ...(outcome.kind === "failed" ? { reason: outcome.reason } : {}),
  mac: macText(sock.mac),
  framesSent: run.stats.framesSent,
  framesReceived: run.stats.framesReceived,
  undecodable: run.stats.undecodable,
  frames: run.stats.frames,
});
process.exitCode = outcome.kind === "matched" ? 0 : 1;
