/**
 * The published entries: `nacs`, `nacs/core` and `nacs/codecs` resolve through package.json "exports" to
 * the built dist/, carry the public API, and `nacs/core` reaches no Node built-in. Builds first when dist/
 * is missing or older than the sources.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, { types: string; import: string }>;
};

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ""}` };
}

/** Newest modification time (ms) of the build inputs: non-test sources, tsconfigs, package.json. */
function newestInput(dir = join(root, "src")): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestInput(p));
    else if (p.endsWith(".ts") && !p.endsWith(".test.ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  if (dir !== join(root, "src")) return t;
  for (const f of ["package.json", "tsconfig.json", "tsconfig.build.json"])
    t = Math.max(t, statSync(join(root, f)).mtimeMs);
  return t;
}

/** Every file statically or dynamically imported from `entry` (relative specifiers followed), and the rest. */
function importGraph(entry: string): { files: string[]; external: Set<string> } {
  const seen = new Set<string>();
  const external = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const { fileName } of ts.preProcessFile(readFileSync(f, "utf8"), true, true).importedFiles) {
      if (fileName.startsWith(".")) todo.push(resolve(dirname(f), fileName));
      else external.add(fileName);
    }
  }
  return { files: [...seen], external };
}

const isBuiltin = (s: string) => s.startsWith("node:") || builtinModules.includes(s.split("/")[0]!);

before(() => {
  const built = Object.values(pkg.exports).flatMap((e) => [join(root, e.import), join(root, e.types)]);
  const oldest = Math.min(...built.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  if (oldest > newestInput()) return;
  const r = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `npm run build failed:\n${r.stdout}${r.stderr}`);
  for (const f of built) assert.ok(existsSync(f), `${f} missing after the build`);
});

test("import 'nacs', 'nacs/core' and 'nacs/codecs' resolve through package.json exports", () => {
  const script = `
    import * as n from "nacs";
    import * as core from "nacs/core";
    import * as codecs from "nacs/codecs";
    const sap = n.codecs.appHandshake.encodeDocument({ supportedAppProtocolReq: n.buildAppProtocolReq(["iso2"]) });
    const frame = n.decodeSlacFrame(n.encodeSlacFrame(n.slacParmReq(new Uint8Array(6).fill(2), new Uint8Array(8))));
    console.log(JSON.stringify({
      functions: Object.fromEntries(["stepEvseDc", "initialEvseDc", "evseDcConfig", "stepEvDc", "initialEvDc",
        "evDcConfig", "stepEvseAc", "stepEvAc", "dutyToCurrent", "resolve", "evseSlacStep", "createSecc", "stepEvcc",
        "encodeSdpRequest", "decodeV2gtpMessage", "dcBatteryConfig", "tcpConnect", "startSdpServer"]
        .map((k) => [k, typeof n[k]])),
      captureReader: typeof n.capture.createCaptureReader,
      dinDecode: typeof n.codecs.din.decode,
      subpathDinDecode: typeof codecs.din.decode,
      sameStepInCore: core.stepEvseDc === n.stepEvseDc,
      coreHasTcp: "tcpConnect" in core,
      duty5: n.dutyToCurrent(n.DUTY_DIGITAL_COMM).kind,
      sdp: n.decodeSdpRequest(n.encodeSdpRequest({ security: n.SDP_SECURITY_NONE, transport: n.SDP_TRANSPORT_TCP })),
      sapNamespace: codecs.appHandshake.decodeDocument(sap).supportedAppProtocolReq.AppProtocol[0].ProtocolNamespace,
      slacKind: frame.mme.kind,
    }));`;
  const r = run(["--input-type=module", "-e", script]);
  assert.equal(r.status, 0, r.out);
  const { functions, ...got } = JSON.parse(r.out);
  for (const [name, type] of Object.entries(functions)) assert.equal(type, "function", `nacs.${name}`);
  assert.deepEqual(got, {
    captureReader: "function",
    dinDecode: "function",
    subpathDinDecode: "function",
    sameStepInCore: true,
    coreHasTcp: false,
    duty5: "digital",
    sdp: { security: 0x10, transport: 0x00 },
    sapNamespace: "urn:iso:15118:2:2013:MsgDef",
    slacKind: "CM_SLAC_PARM.REQ",
  });
});

test("nacs/core reaches no Node built-in module (nacs does, through src/link)", () => {
  const core = importGraph(join(root, pkg.exports["./core"]!.import));
  assert.ok(core.files.length > 50, `only ${core.files.length} files reached from nacs/core`);
  assert.deepEqual([...core.external].filter(isBuiltin), [], "Node built-ins imported below nacs/core");
  // The same walk does see the Node transports from the Node entry, so the check above can fail.
  const node = importGraph(join(root, pkg.exports["."]!.import));
  assert.ok([...node.external].some(isBuiltin), "no Node built-in found from nacs: the walk is broken");
});

test("examples/embed-evse.ts type-checks against dist/*.d.ts and shows the 5 % duty and SLAC start", () => {
  const tsc = run([
    join(root, "node_modules/typescript/bin/tsc"),
    ...["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--lib", "es2022,dom"],
    ...[
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--types",
      "node",
      "examples/embed-evse.ts",
    ],
  ]);
  assert.equal(tsc.status, 0, tsc.out);
  const r = run(["--import", "tsx", "examples/embed-evse.ts"]);
  assert.equal(r.status, 0, r.out);
  // IEC 61851-1 Annex A: 5 % duty = digital communication required; ISO 15118-3: EVSE answers PARM.REQ.
  assert.match(r.out, /\{"kind":"duty","duty":5\}/);
  assert.match(r.out, /\{"kind":"phase","phase":"slac"\}/);
  assert.match(r.out, /slac-send CM_SLAC_PARM\.CNF/);
});

test("Plug & Charge from the entries: nacs.pki issues a PKI, nacs/core's pnc signs and verifies with it", () => {
  const script = `
    import * as n from "nacs";
    import * as core from "nacs/core";
    const pki = await n.pki.issuePncPki({ now: new Date("2026-12-01T00:00:00Z") });
    const m = await n.pki.materialFromPki(pki);
    const body = { AuthorizationReq: { Id: "ID1", GenChallenge: new Uint8Array(16).fill(7) } };
    const sig = core.pnc.signFragments([body], m.contractKey);
    const msg = { Header: { SessionID: new Uint8Array(8), Signature: sig }, Body: body };
    const ok = core.pnc.verifySignature(msg, m.contractChain[0]).ok;
    body.AuthorizationReq.GenChallenge[0] ^= 1;
    const flipped = core.pnc.verifySignature(msg, m.contractChain[0]);
    console.log(JSON.stringify({
      ok, flipped: flipped.ok ? "accepted" : flipped.error.code,
      emaid: core.pnc.createContract(m.contractChain, m.contractKey).emaid.length > 0,
      sameInNode: n.pnc === core.pnc, coreHasPki: "pki" in core,
    }));`;
  const r = run(["--input-type=module", "-e", script]);
  assert.equal(r.status, 0, r.out);
  assert.deepEqual(JSON.parse(r.out), {
    ok: true,
    flipped: "SIG_DIGEST",
    emaid: true,
    sameInNode: true,
    coreHasPki: false,
  });
});
