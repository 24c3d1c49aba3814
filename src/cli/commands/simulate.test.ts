import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FAULT_NAMES, FAULTS } from "../../sim/dc/faults.js";
import { parseNdjson } from "../../sim/record/types.js";
import { defaultAppDir } from "../dashboard/static.js";
import { UsageError } from "../errors.js";
import {
  formatClock,
  formatDuration,
  formatSummary,
  parseSimulateOptions,
  progressLine,
} from "./simulate.js";

function nacs(...args: string[]) {
  return spawnSync(process.execPath, ["bin/nacs.js", "simulate", ...args], { encoding: "utf8" });
}

/** `nacs simulate ARGS` without blocking: its exit status and output. */
function nacsAsync(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/nacs.js", "simulate", ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** `nacs simulate` processes the every-fault test runs at once. */
const FAULT_RUNS_AT_ONCE = 2;

/** `f` of every item, at most `n` at a time; results in the items' order. */
async function inBatches<T, R>(items: readonly T[], n: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

test("nacs simulate --mode ac --json: target SOC reached, energy balance within 1 %", () => {
  const r = nacs("--mode", "ac", "--json");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j).sort(), [
    "batteryKwh",
    "durationS",
    "energyDeliveredWh",
    "events",
    "lossesWh",
    "mode",
    "peakPowerW",
    "socEnd",
    "socStart",
    "stopReason",
  ]);
  assert.equal(j.mode, "ac");
  assert.equal(j.stopReason, "target SOC reached");
  const battery = (j.batteryKwh * 1000 * (j.socEnd - j.socStart)) / 100;
  const err = Math.abs(j.energyDeliveredWh - j.lossesWh - battery) / battery;
  assert.ok(err < 0.01, `delivered ${j.energyDeliveredWh} − losses ${j.lossesWh} vs battery ${battery} Wh`);
  assert.deepEqual(Object.keys(j.events[1]).sort(), ["contactor", "cp", "currentA", "duty", "tS"]);
  assert.ok(j.events.some((e: { contactor: boolean; currentA: number }) => e.contactor && e.currentA > 0));
});

test("nacs simulate --mode ac --hlc --json: ISO 15118-2 AC over SLAC/SDP/V2G through the same controllers", () => {
  const r = nacs(
    "--mode",
    "ac",
    "--hlc",
    "--json",
    "--no-record",
    "--soc",
    "50",
    "--target-soc",
    "51",
    "--max-current",
    "40",
  );
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.mode, "ac");
  assert.equal(j.protocol, "iso2");
  assert.equal(j.stopReason, "target SOC reached");
  assert.ok(j.messages.ChargingStatusReq > 10, JSON.stringify(j.messages));
  assert.equal(j.messages.CableCheckReq ?? 0, 0);
  assert.equal(j.outputPeak.currentA, 40, "the EV draws what the EVSE offers");
  assert.deepEqual(j.safety, []);
  const bad = nacs("--mode", "ac", "--hlc", "--protocol", "din");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--protocol.*DIN 70121 is DC only/);
  const basic = nacs("--mode", "ac", "--protocol", "iso20");
  assert.equal(basic.status, 2);
  assert.match(basic.stderr, /--protocol.*needs --hlc/);
});

test("nacs simulate prints a summary table; --unplug-after stops by unplugging", () => {
  const r = nacs("--mode", "ac", "--battery-kwh", "20", "--soc", "40", "--target-soc", "50", "--seed", "9");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /stop reason\s+target SOC reached/);
  assert.match(r.stdout, /energy delivered\s+[\d.]+ kWh/);
  const u = nacs("--mode", "ac", "--unplug-after", "60", "--json");
  assert.equal(u.status, 0, u.stderr);
  assert.equal(JSON.parse(u.stdout).stopReason, "unplugged");
});

for (const [args, option] of [
  [["--soc", "150"], "--soc"],
  [["--battery-kwh", "abc"], "--battery-kwh"],
  [["--mode", "hydrogen"], "--mode"],
  [["--fault", "meteor"], "--fault"],
  [["--protocol", "iso15118"], "--protocol"],
  [["--protocol", "iso20", "--control", "smart"], "--control"],
  [["--mode", "ac", "--fault", "cp-short"], "--fault"],
  [["--soc", "50", "--target-soc", "40"], "--target-soc"],
] as const) {
  test(`bad option ${args.join(" ")} ⇒ exit 2 naming ${option}, no stack trace`, () => {
    const r = nacs(...args);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(option));
    assert.match(r.stderr, new RegExp(args[args.length - 1] ?? ""));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}

test("option validation (in process): every option is range-checked and named", () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ maxCurrent: "5" }, "--max-current"],
    [{ maxCurrent: "81" }, "--max-current"],
    [{ batteryKwh: "9" }, "--battery-kwh"],
    [{ batteryKwh: "301" }, "--battery-kwh"],
    [{ targetSoc: "101" }, "--target-soc"],
    [{ soc: "-1" }, "--soc"],
    [{ supplyVoltage: "20" }, "--supply-voltage"],
    [{ seed: "1.5" }, "--seed"],
    [{ seed: "-3" }, "--seed"],
    [{ unplugAfter: "0" }, "--unplug-after"],
    [{ unplugAfter: "x" }, "--unplug-after"],
    [{ soc: "90" }, "--target-soc"],
    [{ hlc: true }, "--hlc"],
    [{ s2Delay: "-1" }, "--s2-delay"],
    [{ s2Delay: "11" }, "--s2-delay"],
    [{ mode: "ac", hlc: true, protocol: "din" }, "--protocol"],
  ];
  for (const [raw, flag] of bad) {
    assert.throws(
      () => parseSimulateOptions(raw),
      (e: unknown) => e instanceof UsageError && e.message.includes(flag),
      `${JSON.stringify(raw)} should name ${flag}`,
    );
  }
  const ok = parseSimulateOptions({});
  assert.deepEqual(
    { ...ok },
    {
      mode: "dc",
      hlc: false,
      installContract: false,
      batteryKwh: 75,
      soc: 20,
      targetSoc: 80,
      maxCurrent: 32,
      supplyVoltage: 240,
      seed: 1,
      evProfile: "default",
      realtime: false,
      transport: "memory",
      json: false,
      chargerKw: 250,
      protocol: "iso2",
      chargerClass: "1000v",
      evClass: "800v",
      listFaults: false,
      record: true,
      outDir: "nacs-out",
    },
  );
});

test("duration and clock formatting", () => {
  assert.equal(formatDuration(3723), "1 h 02 min 03 s");
  assert.equal(formatDuration(65), "1 min 05 s");
  assert.equal(formatClock(3723.456), "1:02:03.46");
});

test("progress line and summary table", () => {
  const line = progressLine({ tMs: 3_600_000, soc: 50, powerW: 7680, phase: "charging" }, 20, 80, 10);
  assert.match(line, /^█████░░░░░ SOC 50\.0 %\s+7\.68 kW\s+charging/);
  const o = parseSimulateOptions({});
  const text = formatSummary(
    {
      mode: "ac",
      batteryKwh: 75,
      energyDeliveredWh: 47_632,
      lossesWh: 2_630,
      durationS: 22_399,
      socStart: 20,
      socEnd: 80,
      peakPowerW: 7694,
      stopReason: "target SOC reached",
      events: [{ tS: 1.09, cp: "C", duty: 53.33, contactor: true, currentA: 31.9 }],
    },
    o,
  );
  assert.match(text, /energy to battery\s+45\.00 kWh/);
  assert.match(text, /0:00:01\.09\s+C\s+53\.33 %\s+closed\s+31\.9 A/);
});

test("nacs simulate --json (DC default): target SOC reached, energy balance within 1 %, record + plot written", () => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-sim-"));
  const r = nacs("--json", "--out-dir", dir);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  for (const k of [
    "batteryKwh",
    "durationS",
    "energyDeliveredWh",
    "events",
    "lossesWh",
    "mode",
    "peakPowerW",
    "socEnd",
    "socStart",
    "stopReason",
    "protocol",
    "messages",
    "responseTimesMs",
  ])
    assert.ok(k in j, `field ${k}`);
  assert.equal(j.mode, "dc");
  assert.equal(j.stopReason, "target SOC reached");
  const battery = (j.batteryKwh * 1000 * (j.socEnd - j.socStart)) / 100;
  assert.ok(Math.abs(j.energyDeliveredWh - j.lossesWh - battery) / battery < 0.01);
  assert.ok(j.messages.CurrentDemandReq > 100);
  assert.ok(existsSync(j.files.record) && existsSync(j.files.plot));
  const rec = parseNdjson(readFileSync(j.files.record, "utf8"));
  assert.equal(rec[0]?.type, "start");
  assert.equal(rec[rec.length - 1]?.type, "summary");
  assert.ok(rec.some((e) => e.type === "sample"));
  const plot = readFileSync(j.files.plot, "utf8");
  if (existsSync(join(defaultAppDir(), "offline.html"))) {
    // the dashboard's one-file report with the whole record in it (messages included)
    const m = /<script id="nacs-record" type="application\/x-ndjson">([\s\S]*?)<\/script>/.exec(plot);
    assert.ok(m, "the report's record element");
    const inReport = parseNdjson(m[1]!.replace(/<\\\//g, "</"));
    assert.equal(inReport.length, rec.length, "every event of the record is in the report");
    assert.ok(inReport.some((e) => e.type === "msg" && e.name === "CurrentDemandReq" && e.bytes));
  } else assert.match(plot, /<svg[^>]*>.*Voltage.*Current.*Power.*SOC.*CP state/s);
});

test("nacs simulate --fault NAME --json ends with the fault's stop reason; --list-faults; --no-record", () => {
  const r = nacs("--fault", "emergency-stop", "--json", "--no-record");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.stopReason, FAULTS["emergency-stop"].stopReason);
  assert.equal(j.files, undefined);
  assert.ok(j.safety[0].offAtMs - j.safety[0].detectedAtMs <= 10);
  const l = nacs("--list-faults");
  assert.equal(l.status, 0);
  for (const n of Object.keys(FAULTS)) assert.match(l.stdout, new RegExp(`^${n} `, "m"));
});

test("nacs simulate --fault NAME --json ends with that fault's stop reason, for every fault in --list-faults", async () => {
  const list = nacs("--list-faults", "--json");
  assert.equal(list.status, 0, list.stderr);
  const names = (JSON.parse(list.stdout) as { name: string }[]).map((f) => f.name);
  assert.deepEqual(names, [...FAULT_NAMES]);
  // CPU-bound processes of about a second each: FAULT_RUNS_AT_ONCE at a time (2 cores), checked in order.
  const runs = await inBatches(names, FAULT_RUNS_AT_ONCE, (name) =>
    nacsAsync("--fault", name, "--json", "--no-record", "--soc", "50", "--target-soc", "60"),
  );
  for (const [i, name] of names.entries()) {
    const r = runs[i]!;
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    const j = JSON.parse(r.stdout);
    const spec = FAULTS[name as keyof typeof FAULTS];
    assert.equal(j.stopReason, spec.stopReason, name);
    if (spec.trips) assert.ok(j.safety[0].offAtMs - j.safety[0].detectedAtMs <= 10, `${name}: off ≤ 10 ms`);
  }
});

test("responseTimesMs: SECC processing time {median, p99, perMessage} on the host clock", () => {
  const r = nacs("--json", "--no-record", "--soc", "50", "--target-soc", "52");
  assert.equal(r.status, 0, r.stderr);
  const rt = JSON.parse(r.stdout).responseTimesMs;
  assert.deepEqual(Object.keys(rt).sort(), ["median", "p99", "perMessage"]);
  const cd = rt.perMessage.CurrentDemand;
  assert.ok(cd.n > 10 && cd.median > 0 && cd.median <= cd.p99 && cd.p99 <= cd.max, JSON.stringify(cd));
  assert.notEqual(cd.median, 4, "not the old constant virtual round trip");
});

test("--scenario-string (EVerest) and --scenario FILE (.yaml/.json/.txt); bad command ⇒ exit 2 naming it", () => {
  const s = nacs(
    "--json",
    "--no-record",
    "--scenario-string",
    "sleep 1;iso_wait_slac_matched;iso_start_v2g_session DC;iso_wait_pwr_ready;sleep 20;iso_stop_charging;iso_wait_v2g_session_stopped;unplug",
  );
  assert.equal(s.status, 0, s.stderr);
  assert.equal(JSON.parse(s.stdout).stopReason, "stopped by the driver");
  const dir = new URL("../../../examples/scenarios/", import.meta.url).pathname;
  for (const [f, reason] of [
    ["pause-resume.yaml", "stopped by the driver"],
    ["isolation-leak.json", "isolation fault"],
    ["everest-dc.txt", "stopped by the driver"],
  ]) {
    const r = nacs("--json", "--no-record", "--scenario", join(dir, f!));
    assert.equal(r.status, 0, `${f}: ${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).stopReason, reason, f);
  }
  const bad = nacs("--scenario-string", "sleep 1;iso_wait_slacmatched");
  assert.equal(bad.status, 2);
  assert.match(
    bad.stderr,
    /--scenario-string.*command 2 "iso_wait_slacmatched".*known commands: .*iso_wait_slac_matched/,
  );
  const ext = nacs("--scenario", "x.xml");
  assert.equal(ext.status, 2);
  assert.match(ext.stderr, /--scenario.*\.yaml/);
});

test("--pcap: nacs decode counts the same V2G messages; tshark reads it", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "nacs-pcap-"));
  const file = join(dir, "out.pcapng");
  const r = nacs("--json", "--no-record", "--soc", "50", "--target-soc", "51", "--pcap", file);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.files.pcap, file);
  const total = Object.values(j.messages as Record<string, number>).reduce((a, b) => a + b, 0);
  const d = spawnSync(process.execPath, ["bin/nacs.js", "decode", file, "--json", "--no-progress"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(d.status, 0, d.stderr);
  const lines = d.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { layer: string });
  assert.equal(lines.filter((l) => l.layer === "v2g").length, total);
  assert.ok(lines.some((l) => l.layer === "slac") && lines.some((l) => l.layer === "sdp"));
  const ts = spawnSync("tshark", ["-r", file], { encoding: "utf8" });
  if (ts.error) {
    t.skip("tshark not installed");
    return;
  }
  assert.equal(ts.status, 0, ts.stderr);
  const complaints = ts.stderr.split("\n").filter((l) => l.trim() !== "" && !/Running as user/.test(l));
  assert.deepEqual(complaints, []);
  assert.doesNotMatch(ts.stdout, /Malformed|Bad checksum/i);
  assert.ok(ts.stdout.split("\n").length > total);
});

test("nacs simulate --s2-delay 3: the legacy S2 delay reaches the EV, the DC session charges", () => {
  const r = nacs("--s2-delay", "3", "--soc", "20", "--target-soc", "21", "--no-record", "--json");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.stopReason, "target SOC reached");
  const c = j.events.find((e: { cp: string }) => e.cp === "C");
  assert.ok(c && c.tS >= 3, `S2 closed at ${c?.tS} s`);
});

test("nacs simulate --ev-profile tesla: a DIN session with the Tesla car's offer; AC refused naming the flag", () => {
  const r = nacs("--ev-profile", "tesla", "--soc", "20", "--target-soc", "21", "--no-record", "--json");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.protocol, "din");
  assert.equal(j.stopReason, "target SOC reached");
  assert.equal(j.messages.WeldingDetectionReq ?? 0, 0);
  const bad = nacs("--ev-profile", "tesla", "--mode", "ac", "--hlc");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--ev-profile/);
});
