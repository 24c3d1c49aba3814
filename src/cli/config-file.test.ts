/**
 * `--config FILE`: option names as keys (kebab or camel case, `no-x` for a negated switch), lists as
 * sequences, the command line winning over the file; unknown keys, test-only options and values of the
 * wrong kind refused with the file, the key and the rule. And through the real `nacs evse` option schema.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Command, Option } from "commander";
import { parseEvseOptions, registerEvseCommand } from "./commands/evse.js";
import { applyConfigFile } from "./config-file.js";
import { UsageError } from "./errors.js";

const dir = mkdtempSync(join(tmpdir(), "nacs-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (text: string) => {
  const p = join(dir, `c${++n}.yaml`);
  writeFileSync(p, text);
  return p;
};

/** Parse `argv` with a small command like ours; the raw options after the config file. */
function parse(argv: string[]): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  const program = new Command().exitOverride();
  program
    .command("evse")
    .option("--iface <name>")
    .option("--protocol <list>")
    .option("--max-power-kw <kW>")
    .option("--no-slac")
    .option("--json")
    .option("--config <file>")
    .addOption(new Option("--lab").hideHelp())
    .action((raw: Record<string, unknown>, cmd: Command) => {
      out = applyConfigFile(raw, cmd);
    });
  program.parse(["node", "nacs", "evse", ...argv]);
  return out;
}

test("config file: kebab and camel keys, lists, switches, no-x; the command line wins", () => {
  const p = file("iface: eth1\nprotocol: [iso2, din]\nmaxPowerKw: 50\nno-slac: true\njson: true\n");
  assert.deepEqual(parse(["--config", p]), {
    iface: "eth1",
    protocol: "iso2,din",
    maxPowerKw: "50",
    slac: false,
    json: true,
  });
  assert.equal(parse(["--config", p, "--iface", "lo"]).iface, "lo", "the flag given wins");
  assert.deepEqual(parse(["--iface", "lo"]), { iface: "lo", slac: true }, "no --config: as given");
  const json = join(dir, "c.json");
  writeFileSync(json, JSON.stringify({ "max-power-kw": 75, slac: false }));
  assert.deepEqual(parse(["--config", json]), { maxPowerKw: "75", slac: false });
});

test("config file: unknown key, test-only option, wrong kinds and a non-mapping are refused by name", () => {
  const refused = (text: string, re: RegExp) =>
    assert.throws(
      () => parse(["--config", file(text)]),
      (e: unknown) => e instanceof UsageError && e.option === "--config" && re.test(e.message),
    );
  refused("ifase: eth1\n", /c\d+\.yaml: unknown key "ifase": nacs evse has no option --ifase/);
  refused("lab: true\n", /"lab" cannot be set in a config file \(command line only\)/);
  refused("json: yes please\n", /"json" is a switch: true or false/);
  refused("iface: {a: 1}\n", /"iface" takes a value \(--iface <name>\)/);
  refused("- iface\n", /must be a mapping of option names to values/);
  refused("iface: [unclosed\n", /--config .*c\d+\.yaml: /);
  assert.throws(() => parse(["--config", join(dir, "missing.yaml")]), /ENOENT/);
});

test("nacs evse --config: the OCPP settings of a charger from its file, validated as flags are", () => {
  const p = file(
    "iface: lo\nno-slac: true\nocpp: ws://127.0.0.1:9220/nacs/CP9\nocpp-version: '1.6'\nocpp-meter-interval: 30\n",
  );
  let raw: Record<string, unknown> = {};
  const program = new Command().exitOverride();
  registerEvseCommand(program);
  const evse = program.commands.find((c) => c.name() === "evse")!;
  evse.action((r: Record<string, unknown>, cmd: Command) => {
    raw = applyConfigFile(r, cmd);
  });
  program.parse(["node", "nacs", "evse", "--config", p]);
  const o = parseEvseOptions(raw);
  assert.deepEqual(
    [o.iface, o.slac, o.ocpp, o.ocppVersion, o.ocppMeterInterval],
    ["lo", false, "ws://127.0.0.1:9220/nacs/CP9", "1.6", 30],
  );
  // the file's values go through the same rules as the flags
  program.parse([
    "node",
    "nacs",
    "evse",
    "--config",
    file("iface: lo\nno-slac: true\nocpp-version: '1.6'\n"),
  ]);
  assert.throws(() => parseEvseOptions(raw), /--ocpp-version.*needs --ocpp/);
});
