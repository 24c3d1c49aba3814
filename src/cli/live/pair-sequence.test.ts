/**
 * The simulator and the live pair run the same J3400 controllers, so with the same seed and options they
 * must exchange the same V2G messages in the same order: `nacs simulate --seed S --record FILE` against
 * `nacs evse` + `nacs ev` (two processes on loopback, one simulated cable through `--board sim:SOCKET`)
 * with `--seed S --events FILE`. Compared: the `msg` events of each side's record in order, each
 * request paired with its response into one exchange (requests and responses alternate, so the names
 * themselves never repeat back to back), consecutive repeats collapsed — how often CableCheck, PreCharge,
 * CurrentDemand or WeldingDetection loop depends on timing (virtual time and 1× energy in the simulator,
 * the wall clock and `--time-scale 300` live), the order of the exchanges does not. Both live sides must
 * list exactly the same messages.
 *
 * The live pair runs with `--no-slac`: loopback has no Ethernet framing a raw SLAC socket could use, so
 * the controllers go from CP B at 5 % straight to SDP (tools/netns/stack-netns.test.ts covers SLAC over a
 * veth). SLAC comes before the first V2G message, so it changes no message of the sequence.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type NacsProc, spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

/** The options both runs share. */
interface Case {
  protocol: "din" | "iso2" | "iso20";
  /** "ac": ISO 15118-2 / -20 AC (`--mode ac`, the simulator with `--hlc`). */
  mode: "dc" | "ac";
  seed: number;
  soc: number;
  targetSoc: number;
  batteryKwh: number;
  chargerKw: number;
}

/** Whole-run limits (ms): the live pair takes about 6 s, the simulator about 1 s. */
const LIVE_TIMEOUT_MS = 45_000;
const SIM_TIMEOUT_MS = 30_000;
/** An SDP port per run so parallel test files never meet another EVSE (below the ephemeral range). */
const sdpPort = () => String(20000 + Math.floor(Math.random() * 12000));

/** Message names of the `msg` events of an NDJSON record, in order (one side: `side` when given). */
function messageNames(ndjson: string, side?: string): string[] {
  return ndjson
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { type: string; name?: string; side?: string })
    .filter((e) => e.type === "msg" && (side === undefined || e.side === side))
    .map((e) => e.name ?? "?");
}

/** The `bytes` (hex EXI payload) of the `msg` events of one side's record, in order ("" when absent). */
function messageBytes(ndjson: string, side: string): string[] {
  return ndjson
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { type: string; side?: string; bytes?: string })
    .filter((e) => e.type === "msg" && e.side === side)
    .map((e) => e.bytes ?? "");
}

/**
 * The exchanges of a message list: each request with the response right after it becomes one entry
 * ("CableCheckReq", "CableCheckRes" → "CableCheck"); a message without its partner stays as it is.
 */
function exchanges(names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    const base = n.slice(0, -3);
    if (n.endsWith("Req") && names[i + 1] === `${base}Res`) {
      out.push(base);
      i++;
    } else out.push(n);
  }
  return out;
}

/** Consecutive repeats collapsed: [A, B, B, A] → [A, B, A]. */
function collapse(names: string[]): string[] {
  return names.filter((n, i) => i === 0 || n !== names[i - 1]);
}

/** The sequence compared: the exchanges in order, each loop (CableCheck, CurrentDemand, …) once. */
const sequence = (names: string[]) => collapse(exchanges(names));

/** How often each looping request was sent, for the log ("CableCheck 12, …"). */
const loops = (names: string[]) =>
  ["CableCheck", "PreCharge", "CurrentDemand", "ChargingStatus", "AC_ChargeLoop", "WeldingDetection"]
    .map((x) => `${x} ${names.filter((n) => n === `${x}Req`).length}`)
    .join(", ");

/** `nacs simulate` with the case's options; the record's message names. */
function simulate(c: Case, dir: string): string[] {
  const record = join(dir, "sim.ndjson");
  const r = spawnSync(
    process.execPath,
    [
      "bin/nacs.js",
      "simulate",
      "--seed",
      String(c.seed),
      "--protocol",
      c.protocol,
      "--soc",
      String(c.soc),
      "--target-soc",
      String(c.targetSoc),
      "--battery-kwh",
      String(c.batteryKwh),
      "--charger-kw",
      String(c.chargerKw),
      ...(c.mode === "ac" ? ["--mode", "ac", "--hlc", "--max-current", "48"] : []),
      "--record",
      record,
      "--json",
    ],
    { encoding: "utf8", timeout: SIM_TIMEOUT_MS, killSignal: "SIGKILL" },
  );
  assert.equal(r.status, 0, `nacs simulate: ${r.stderr}`);
  const summary = JSON.parse(r.stdout) as { protocol: string; stopReason: string };
  assert.equal(summary.protocol, c.protocol);
  assert.equal(summary.stopReason, "target SOC reached");
  return messageNames(readFileSync(record, "utf8"));
}

/** Kill a process we started (by its PID) if it is still running, and wait for it. */
async function stop(p: NacsProc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const t = setTimeout(() => p.child.kill("SIGKILL"), 2000);
  await p.exit;
  clearTimeout(t);
}

/** Resolves with `p`'s value, or rejects after `ms`. */
async function within<T>(what: string, p: Promise<T>, ms: number, more: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms${more()}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `nacs evse` + `nacs ev` on loopback with the case's options; each side's record message names. */
async function livePair(c: Case, dir: string) {
  const common = [
    "--iface",
    "lo",
    "--no-slac",
    "--json",
    "--sdp-port",
    sdpPort(),
    "--time-scale",
    "300",
    "--board",
    `sim:${join(dir, "world.sock")}`,
    "--protocol",
    c.protocol,
    "--mode",
    c.mode,
    "--seed",
    String(c.seed),
  ];
  const files = { ev: join(dir, "ev.ndjson"), evse: join(dir, "evse.ndjson") };
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
      "--max-power-kw",
      String(c.chargerKw),
      "--events",
      files.evse,
      // the live pair runs on plain TCP: -20 there only with the lab switch
      ...(c.protocol === "iso20" ? ["--iso20-without-tls"] : []),
    ]);
    await waitForStderr(evse, /evse ready/, 15_000);
    const t0 = performance.now();
    ev = spawnNacs([
      "ev",
      ...common,
      "--soc",
      String(c.soc),
      "--target-soc",
      String(c.targetSoc),
      "--battery-kwh",
      String(c.batteryKwh),
      "--events",
      files.ev,
      "--log-level",
      "info",
    ]);
    const evP = ev;
    const evseP = evse;
    const [evCode, evseCode] = await within(
      "live pair",
      Promise.all([ev.exit, evse.exit]),
      LIVE_TIMEOUT_MS,
      () => `\nEV stderr: ${evP.err.slice(-3000)}\nEVSE stderr: ${evseP.err.slice(-3000)}`,
    );
    const wallMs = performance.now() - t0;
    assert.equal(evCode, 0, ev.err);
    assert.equal(evseCode, 0, evse.err);
    const summary = {
      ev: JSON.parse(ev.out) as { protocol: string; stopReason: string; messages: number },
      evse: JSON.parse(evse.out) as { protocol: string; stopReason: string; messages: number },
    };
    return {
      summary,
      wallMs,
      ev: messageNames(readFileSync(files.ev, "utf8"), "ev"),
      evse: messageNames(readFileSync(files.evse, "utf8"), "evse"),
      evBytes: messageBytes(readFileSync(files.ev, "utf8"), "ev"),
      evseBytes: messageBytes(readFileSync(files.evse, "utf8"), "evse"),
    };
  } finally {
    await Promise.all([stop(ev), stop(evse)]);
  }
}

for (const c of [
  { protocol: "din", mode: "dc", seed: 7, soc: 50, targetSoc: 51, batteryKwh: 75, chargerKw: 150 },
  { protocol: "iso2", mode: "dc", seed: 11, soc: 50, targetSoc: 51, batteryKwh: 75, chargerKw: 150 },
  { protocol: "iso2", mode: "ac", seed: 13, soc: 50, targetSoc: 50.5, batteryKwh: 60, chargerKw: 150 },
  { protocol: "iso20", mode: "ac", seed: 17, soc: 50, targetSoc: 50.5, batteryKwh: 60, chargerKw: 150 },
] as const satisfies readonly Case[]) {
  test(
    `${c.protocol} ${c.mode}: nacs simulate --seed ${c.seed} and the live pair exchange the same V2G message types in the same order`,
    { timeout: LIVE_TIMEOUT_MS + SIM_TIMEOUT_MS + 20_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "nacs-pair-seq-"));
      try {
        const sim = simulate(c, dir);
        const live = await livePair(c, dir);
        assert.equal(live.summary.ev.protocol, c.protocol);
        assert.equal(live.summary.evse.protocol, c.protocol);
        assert.equal(live.summary.ev.stopReason, "target SOC reached");
        assert.equal(live.summary.evse.stopReason, "EV ended the session");
        // Both live sides saw the very same messages (not only the same types).
        assert.deepEqual(live.ev, live.evse, "EV and EVSE records list the same messages");
        // … with the same bytes: every message's EXI payload, as sent by one side and received by the other
        assert.ok(
          live.evBytes.every((b) => /^[0-9A-F]+$/i.test(b)),
          "every msg event carries its bytes",
        );
        assert.deepEqual(live.evBytes, live.evseBytes, "EV and EVSE records carry the same message bytes");
        const expected = sequence(sim);
        const loop =
          c.mode === "ac" ? (c.protocol === "iso20" ? "AC_ChargeLoop" : "ChargingStatus") : "CurrentDemand";
        assert.ok(expected.includes(loop) && expected.at(-1) === "SessionStop", `${expected}`);
        assert.deepEqual(sequence(live.evse), expected);
        assert.deepEqual(sequence(live.ev), expected);
        console.log(
          `# ${c.protocol} ${c.mode}: simulator ${sim.length} messages (${loops(sim)}), live ${live.ev.length} messages ` +
            `(${loops(live.ev)}) in ${live.wallMs.toFixed(0)} ms (EV start → both exited); ` +
            `${expected.length} exchanges: ${expected.join(" → ")}`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
