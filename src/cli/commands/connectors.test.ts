import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { ADAPTER_IDS, CONNECTOR_IDS, CONNECTORS } from "../../connectors/index.js";
import { EXIT_USAGE, UsageError } from "../errors.js";
import { connectorsOptionsSchema, formatTable, runConnectors } from "./connectors.js";

const nacs = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/nacs.js", "connectors", ...args], { encoding: "utf8" });

test("formatTable aligns columns to the widest cell", () => {
  const out = formatTable(
    ["id", "name", "x"],
    [
      ["a", "long name", "1"],
      ["bbbb", "n", "2"],
    ],
  );
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 4);
  const col = (l: string) => l.indexOf(l.trim().split(/\s{2,}/)[1]!);
  for (const l of lines) assert.equal(col(l), col(lines[0]!), `misaligned: ${l}`);
});

test("catalogue table lists every connector id with AC, DC and sources", () => {
  const out = runConnectors({});
  for (const id of CONNECTOR_IDS) assert.match(out, new RegExp(`^${id}\\s{2,}`, "m"), id);
  assert.match(out, /^id\s+name\s+AC .*DC .*sources/m);
  assert.match(out, /\[legacy500\]/);
  assert.match(out, /W-NACS C/);
  const adapters = runConnectors({ listAdapters: true });
  for (const id of ADAPTER_IDS) assert.match(adapters, new RegExp(`^${id}\\s`, "m"), id);
  assert.match(adapters, /cNACS-CCS1/);
});

test("question without --connector, or a variant without a question, is a UsageError naming the option", () => {
  assert.throws(
    () => runConnectors({ inlet: "j3400" }),
    (e: unknown) => e instanceof UsageError && e.message.startsWith("option --connector:"),
  );
  assert.throws(
    () => runConnectors({ inletVariant: "legacy500" }),
    (e: unknown) => e instanceof UsageError && /--inlet-variant.*"legacy500"/.test(e.message),
  );
  assert.throws(
    () => runConnectors({ inlet: "j3400", connector: "j3400", inletVariant: "9" }),
    (e: unknown) => e instanceof UsageError && /--inlet-variant: value "9".*1000, legacy500/.test(e.message),
  );
  assert.equal(connectorsOptionsSchema.safeParse({ adapter: "ccs1-to-j3400" }).success, true);
  assert.equal(connectorsOptionsSchema.safeParse({ supply: "both" }).success, false);
});

test("text answer shows modes with limits, or the reason and the adapter to try", () => {
  const yes = runConnectors({ inlet: "j3400", connector: "ccs1", adapter: "ccs1-to-j3400" });
  assert.match(yes, /possible\n/);
  assert.match(yes, /^\s+dc\s+1000 V\s+400 A\s+350 kW/m);
  const no = runConnectors({ inlet: "j3400", connector: "ccs1" });
  assert.match(no, /not possible\n\s+reason: connector ccs1 does not mate with inlet j3400/);
  assert.match(no, /try: --adapter ccs1-to-j3400/);
});

test("CLI: nacs connectors prints the table (exit 0)", () => {
  const r = nacs();
  assert.equal(r.status, 0, r.stderr);
  for (const id of CONNECTOR_IDS) assert.match(r.stdout, new RegExp(`^${id}\\s`, "m"));
});

test("CLI: --json answers one question; impossible is exit 0 with ok:false", () => {
  const r = nacs("--inlet", "j3400", "--connector", "ccs1", "--adapter", "ccs1-to-j3400", "--json");
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.ok, true);
  assert.deepEqual(j.query, { inlet: "j3400", connector: "ccs1", adapter: "ccs1-to-j3400", supply: null });
  assert.deepEqual(
    j.modes.map((m: { mode: string }) => m.mode),
    ["dc"],
  );
  assert.equal(j.modes[0].maxVoltageV, CONNECTORS.j3400.modes.dc!.variants[0]!.maxVoltageV);

  const n = nacs(
    "--inlet",
    "j1772",
    "--connector",
    "j3400",
    "--adapter",
    "j3400-to-j1772",
    "--supply",
    "dc",
    "--json",
  );
  assert.equal(n.status, 0, n.stderr);
  const k = JSON.parse(n.stdout);
  assert.equal(k.ok, false);
  assert.match(k.reason, /j3400-to-j1772 passes AC only/);
});

test("CLI: unknown id exits 2 naming the option, the value and the allowed ids, no stack", () => {
  const r = nacs("--inlet", "nacs", "--connector", "ccs1");
  assert.equal(r.status, EXIT_USAGE);
  assert.match(r.stderr, /option --inlet: value "nacs" is not allowed/);
  for (const id of CONNECTOR_IDS) assert.ok(r.stderr.includes(id), `${id} missing from: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const a = nacs("--inlet", "j3400", "--connector", "ccs1", "--adapter", "magic-dock");
  assert.equal(a.status, EXIT_USAGE);
  assert.match(a.stderr, /--adapter: value "magic-dock"/);
  for (const id of ADAPTER_IDS) assert.ok(a.stderr.includes(id));
  assert.equal(a.stdout, "");
});
