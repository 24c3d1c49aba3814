import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fleetSessionCommand, planFleetSession } from "../../sim/fleet/index.js";
import { UsageError } from "../errors.js";
import { FLEET_DEFAULT_FIDELITY, fixedFleetOptions, parseFleetMix } from "./fleet-options.js";
import { fleetSessionSimulateOptions } from "./fleet-session.js";
import { runPlannedSession } from "./fleet-worker.js";
import { runFleet } from "./simulate-fleet.js";
import { parseSimulateOptions } from "./simulate-options.js";
import { dcSessionFor } from "./simulate-session.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-fleet-"));
/** Short sessions (a few SOC points on a big charger), every protocol and profile, no faults. */
const SHORT_MIX = {
  evProfiles: { default: 3, tesla: 1 },
  protocols: { din: 1, iso2: 1, iso20: 1 },
  batteryKwh: [40, 60],
  soc: [60, 70],
  targetSoc: [72, 75],
  chargerKw: { "150": 1, "350": 1 },
};
const mixFile = join(dir, "mix.json");
writeFileSync(mixFile, JSON.stringify(SHORT_MIX));

const usage = (raw: Record<string, unknown>, re: RegExp) =>
  assert.throws(
    () => parseSimulateOptions(raw),
    (e: unknown) => e instanceof UsageError && re.test(e.message),
  );

test("fleet options: ranges, flags that need --fleet, flags a fleet cannot take", () => {
  usage({ fleet: "0" }, /option --fleet: value "0" is not allowed: must be at least 1/);
  usage({ fleet: "2.5" }, /option --fleet: .*integer/);
  usage({ workers: "2" }, /option --workers: .*needs --fleet N/);
  usage({ fleet: "4", workers: "0" }, /option --workers: .*at least 1/);
  usage({ fleet: "4", fleetBin: "7" }, /option --fleet-bin: .*multiple of 5 s/);
  usage({ fleet: "4", ui: 0 }, /option --ui: .*cannot be combined with --fleet/);
  usage({ fleet: "4", mode: "ac" }, /option --mode: .*DC sessions/);
  usage({ fleet: "4", record: "x.ndjson" }, /option --record: .*--out-dir/);
  usage({ fleet: "4", fault: "contract-expired" }, /option --fault: .*Plug & Charge/);
  const o = parseSimulateOptions({ fleet: "10", workers: "2", fleetWindow: "600", fleetBin: "30" });
  assert.deepEqual([o.fleet, o.workers, o.fleetWindow, o.fleetBin], [10, 2, 600, 30]);
});

test("fleet mix: every error names the field and the rule; defaults fill in", () => {
  const bad = (v: unknown, re: RegExp) =>
    assert.throws(
      () => parseFleetMix(v, "mix.yaml"),
      (e: unknown) => e instanceof UsageError && re.test(e.message),
    );
  bad({ faults: { "cp-opn": 1 }, faultRate: 0.1 }, /mix\.yaml: field faults\.cp-opn: not a fleet fault/);
  bad({ faults: { "contract-expired": 1 } }, /field faults\.contract-expired: not a fleet fault/);
  bad({ soc: [50, 20] }, /field soc: must be \[low, high\]/);
  bad({ protocols: { iso2: 0 } }, /field protocols: needs at least one weight above 0/);
  bad({ chargerKw: { fast: 1 } }, /field chargerKw\.fast: keys are charger power in kW/);
  bad({ faultRate: 2 }, /field faultRate: must be at most 1/);
  bad({ faultRate: 0.1 }, /field faults: faultRate above 0 needs/);
  bad({ sessions: 3 }, /mix\.yaml: field \(the mix\): .*sessions/);
  bad({ plugIn: { kind: "normal", meanS: 10 } }, /field plugIn\.sdS/);
  const m = parseFleetMix({ protocols: { din: 1 } });
  assert.deepEqual(m.protocols, { din: 1 });
  assert.deepEqual(m.soc, [10, 40]);
});

test(
  "a fleet of 20 on 2 workers: the aggregate is the sum of the same 20 sessions run one by one",
  { timeout: 120_000 },
  async () => {
    const o = parseSimulateOptions({
      fleet: "20",
      workers: "2",
      seed: "7",
      fleetMix: mixFile,
      fleetWindow: "300",
    });
    const r = await runFleet(o, { outDir: join(dir, "out") });
    assert.equal(r.sessions, 20);
    assert.equal(r.completed, 20);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.fidelity, { ...FLEET_DEFAULT_FIDELITY }, "the report names the fidelity it ran");
    // the fleet's default fidelity (--time-scale, --charge-loop-ms) is in every session's own flags
    const plan = { seed: 7, windowS: 300, mix: parseFleetMix(SHORT_MIX), fixed: FLEET_DEFAULT_FIDELITY };
    let total = 0;
    const reasons: Record<string, number> = {};
    const protocols = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const spec = planFleetSession(plan, i);
      // alone, as `nacs simulate` with the session's flags builds it, and run straight to the end
      const s = dcSessionFor(fleetSessionSimulateOptions(spec)).run();
      total += s.energyDeliveredWh;
      reasons[s.stopReason] = (reasons[s.stopReason] ?? 0) + 1;
      protocols.add(s.protocol);
    }
    assert.ok(protocols.size >= 3, `the mix ran every protocol: ${[...protocols].join(", ")}`);
    assert.ok(Math.abs(r.energyWh.total - total) < 1e-6 * total, `${r.energyWh.total} vs ${total}`);
    assert.deepEqual(r.stopReasons, reasons);
    // the load curve holds the same energy, nothing lost or doubled between bins
    const curveWh = (r.loadCurve.kw.reduce((a, b) => a + b, 0) * 1000 * r.loadCurve.binS) / 3600;
    assert.ok(Math.abs(curveWh - total) < 0.01 * 20 + 1e-6 * total, `${curveWh} vs ${total}`);
    assert.ok(r.loadCurve.peakKw > 0 && r.loadCurve.peakKw >= Math.max(...r.loadCurve.kw));
    const csv = readFileSync(join(dir, "out", "fleet-load.csv"), "utf8")
      .trim()
      .split("\n");
    assert.equal(csv[0], "start_s,end_s,power_kw");
    assert.equal(csv.length - 1, r.loadCurve.kw.length);
    assert.match(readFileSync(join(dir, "out", "fleet-load.html"), "utf8"), /<svg[^>]*>.*peak/s);
  },
);

test(
  "a worker that dies is reported: its session listed as failed with the error, the rest still run",
  { timeout: 60_000 },
  async () => {
    const o = parseSimulateOptions({ fleet: "6", workers: "2", seed: "3", fleetMix: mixFile });
    const r = await runFleet(o, { crashAtIndex: 2 });
    assert.equal(r.sessions, 6);
    assert.equal(r.completed, 5);
    assert.equal(r.failures.length, 1);
    const f = r.failures[0];
    assert.equal(f?.index, 2);
    assert.match(f?.reason ?? "", /worker crashed: injected worker crash at session 2/);
    assert.match(f?.command ?? "", /^nacs simulate --seed \d+ /);
    assert.equal(r.stopReasons.crashed, 1);
  },
);

async function rerun(spec: ReturnType<typeof planFleetSession>) {
  const args = fleetSessionCommand(spec).split(" ").slice(2);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/nacs.js", "simulate", ...args, "--json", "--no-record"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let s = "";
    child.stdout.on("data", (d: Buffer) => {
      s += d.toString();
    });
    child.on("error", reject);
    child.on("close", () => resolve(s));
  });
  return JSON.parse(out) as {
    energyDeliveredWh: number;
    durationS: number;
    stopReason: string;
    peakPowerW: number;
  };
}

test("one fleet session, re-run alone with `nacs simulate --seed S …`, gives the same figures", async () => {
  const plan = { seed: 11, windowS: 600, mix: parseFleetMix({ ...SHORT_MIX, evProfiles: { default: 1 } }) };
  const spec = planFleetSession(plan, 5);
  const fleet = runPlannedSession(spec, 60);
  const alone = await rerun(spec);
  assert.deepEqual(
    [alone.energyDeliveredWh, alone.durationS, alone.stopReason, alone.peakPowerW],
    [fleet.energyWh, fleet.durationS, fleet.stopReason, fleet.peakPowerW],
  );
  // at the fleet's default fidelity: the flags are in the command; the run's virtual time is the lone run's
  const fast = planFleetSession({ ...plan, fixed: FLEET_DEFAULT_FIDELITY }, 5);
  assert.match(fleetSessionCommand(fast), / --charge-loop-ms 400 --time-scale 100 --measure-ms 50$/);
  const f = runPlannedSession(fast, 60);
  const a = await rerun(fast);
  assert.deepEqual(
    [a.energyDeliveredWh, a.durationS, a.stopReason, a.peakPowerW],
    [f.energyWh, f.virtualS, f.stopReason, f.peakPowerW],
  );
  assert.ok(f.durationS > (f.virtualS ?? 0), "the fleet's duration is the charge stretched back");
});

test("--time-scale (1–100) and --measure-ms (1–100): DC only; with --fleet each fixes every session's", () => {
  usage({ timeScale: "0.5" }, /option --time-scale: .*at least 1/);
  usage({ timeScale: "101" }, /option --time-scale: .*at most 100/);
  usage({ measureMs: "0" }, /option --measure-ms: .*at least 1/);
  usage({ measureMs: "101" }, /option --measure-ms: .*at most 100/);
  usage({ measureMs: "2.5" }, /option --measure-ms: .*integer/);
  usage({ measureMs: "20", mode: "ac" }, /option --measure-ms: .*needs --mode dc/);
  usage({ timeScale: "fast" }, /option --time-scale: /);
  usage({ timeScale: "4", mode: "ac" }, /option --time-scale: .*needs --mode dc/);
  assert.equal(parseSimulateOptions({ timeScale: "12.5" }).timeScale, 12.5);
  const raw = { fleet: "3", timeScale: "1", measureMs: "10" };
  const o = parseSimulateOptions(raw);
  const plan = { seed: 1, windowS: 60, mix: parseFleetMix({}), fixed: fixedFleetOptions(raw, o) };
  assert.match(
    fleetSessionCommand(planFleetSession(plan, 0)),
    / --charge-loop-ms 400 --time-scale 1 --measure-ms 10$/,
  );
});

test(
  "the fleet's default fidelity (--time-scale 100 --charge-loop-ms 400 --measure-ms 50) against full fidelity on a sample: energy within 0.5 %, the same stop reasons, the duration stretched back within 3 %",
  { timeout: 120_000 },
  () => {
    const plan = { seed: 1, windowS: 600, mix: parseFleetMix({}) };
    const full = { timeScale: 1, chargeLoopMs: 200, measureMs: 10 };
    for (let i = 0; i < 4; i++) {
      const a = runPlannedSession(planFleetSession({ ...plan, fixed: full }, i), 60);
      const b = runPlannedSession(planFleetSession({ ...plan, fixed: FLEET_DEFAULT_FIDELITY }, i), 60);
      const what = `session ${i} (${a.protocol}, ${a.evProfile})`;
      assert.equal(b.stopReason, a.stopReason, what);
      const rel = Math.abs(b.energyWh - a.energyWh) / a.energyWh;
      assert.ok(rel < 0.005, `${what}: ${b.energyWh} vs ${a.energyWh} Wh`);
      assert.ok(
        Math.abs(b.durationS - a.durationS) < 0.03 * a.durationS,
        `${what}: ${b.durationS} vs ${a.durationS} s`,
      );
      assert.ok((b.virtualS ?? 0) < a.durationS / 5, `${what}: ran ${b.virtualS} s of virtual time`);
      const curve = (r: typeof a) => r.binWh.reduce((x, y) => x + y, 0);
      assert.ok(
        Math.abs(curve(b) - b.energyWh) < 1e-6 * b.energyWh,
        `${what}: the load curve holds the energy`,
      );
    }
  },
);

test("--charge-loop-ms 400: half the charge-loop messages, energy within 0.5 % of the 200 ms default on a sample", () => {
  usage({ chargeLoopMs: "500" }, /option --charge-loop-ms: .*at most 450/);
  usage({ chargeLoopMs: "10" }, /option --charge-loop-ms: .*at least 20/);
  const plan = { seed: 5, windowS: 600, mix: parseFleetMix({ soc: [30, 50], targetSoc: [60, 70] }) };
  for (let i = 0; i < 4; i++) {
    const spec = planFleetSession(plan, i);
    const fast = planFleetSession({ ...plan, fixed: { chargeLoopMs: 400 } }, i);
    assert.match(fleetSessionCommand(fast), / --charge-loop-ms 400$/);
    const a = dcSessionFor(fleetSessionSimulateOptions(spec), undefined, { timeline: false }).run();
    const b = dcSessionFor(fleetSessionSimulateOptions(fast), undefined, { timeline: false }).run();
    assert.equal(b.stopReason, a.stopReason);
    const loop = (m: Record<string, number>) => (m.CurrentDemandReq ?? 0) + (m.DC_ChargeLoopReq ?? 0);
    assert.ok(loop(b.messages) < 0.6 * loop(a.messages), `${loop(b.messages)} vs ${loop(a.messages)}`);
    const rel = Math.abs(b.energyDeliveredWh - a.energyDeliveredWh) / a.energyDeliveredWh;
    assert.ok(
      rel < 0.005,
      `session ${i} (${spec.options.protocol}): ${b.energyDeliveredWh} vs ${a.energyDeliveredWh} Wh`,
    );
  }
});

test("faults at the fleet's default fidelity: a charging fault comes after the same charge (1/K of its virtual time), with the stop reason of full fidelity", () => {
  const faults = [
    "over-current",
    "comm-loss",
    "isolation-charging",
    "welded-contactor",
    "cp-open",
    "lock-opened",
  ];
  const mix = parseFleetMix({ faultRate: 1, faults: Object.fromEntries(faults.map((f) => [f, 1])) });
  const full = { timeScale: 1, chargeLoopMs: 200, measureMs: 10 };
  const seen = new Set<string>();
  for (let i = 0; i < 8; i++) {
    const plan = { seed: 3, windowS: 600, mix };
    const a = runPlannedSession(planFleetSession({ ...plan, fixed: full }, i), 60);
    const b = runPlannedSession(planFleetSession({ ...plan, fixed: FLEET_DEFAULT_FIDELITY }, i), 60);
    seen.add(a.fault ?? "");
    assert.equal(a.ok, true, `${i} ${a.fault}: ${a.failure}`);
    assert.equal(b.stopReason, a.stopReason, `session ${i} (${a.fault})`);
    assert.equal(b.ok, true, `${i} ${b.fault}: ${b.failure}`);
  }
  assert.ok(seen.size >= 4, `faults run: ${[...seen].join(", ")}`);
});
