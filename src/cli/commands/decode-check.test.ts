/**
 * `nacs decode FILE` on damaged captures (the gap in the timeline, in `--json` and in `--check`) and the
 * `--check` exit status (1 on errors, 0 on warnings and notes), with the verdicts on real sessions pinned:
 * each error kept there was reviewed against the decoded messages and the standard.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../../tools/codegen/vectors.js";
import type { CheckReport } from "../../capture/check.js";

const dir = fileURLToPath(new URL("../../../../shared/captures/", import.meta.url));
const noShared = sharedSkip("captures");
const EV = `${dir}EVerest-logfiles/`;
const DS = `${dir}dsV2Gshark/`;

function nacs(args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ["bin/nacs.js", ...args, "--no-progress"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** The 298 KB ISO-2 DC capture with the length of the block at 10 % of the file overwritten. */
function damaged(tmp: string): { file: string; at: number } {
  const f = new Uint8Array(readFileSync(`${DS}ISO-2_DC_DS5366.pcapng`));
  const dv = new DataView(f.buffer);
  let at = 0;
  while (at < f.length * 0.1) at += dv.getUint32(at + 4, true);
  dv.setUint32(at + 4, 0x7fffffff, true);
  const file = join(tmp, "damaged.pcapng");
  writeFileSync(file, f);
  return { file, at };
}

test(
  "nacs decode on a damaged capture: what was decoded is output, the gap is reported in text, --json and --check",
  {
    skip: noShared,
    timeout: 60_000,
  },
  () => {
    const tmp = mkdtempSync(join(tmpdir(), "nacs-damaged-"));
    try {
      const { file, at } = damaged(tmp);
      const text = nacs(["decode", file]);
      assert.equal(text.status, 0, text.err);
      const lines = text.out.trim().split("\n");
      assert.ok(lines.length > 1000, `${lines.length} lines`);
      const gap = lines.find((l) => / CaptureDamage /.test(l));
      assert.match(
        gap ?? "",
        new RegExp(
          `capture +CaptureDamage offset=${at} skipped=\\d+ .*!! bytes ${at}–\\d+ \\(\\d+ bytes\\) skipped: pcapng block at byte ${at} \\(type 0x6\\): block length 2147483647`,
        ),
      );
      assert.match(
        lines.at(-1)!,
        /973 V2G messages .*, 1 capture gaps, 1 damaged stretches of the file skipped \(\d+ bytes\)$/,
      );
      assert.match(text.err, /warning: the capture is damaged: \d+ bytes in 1 places skipped/);

      const json = nacs(["decode", file, "--json"]);
      assert.equal(json.status, 0);
      const objs = json.out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const d = objs.find((o) => o.type === "CaptureDamage") as {
        layer: string;
        message: { offset: number; skipped: number };
        error: { code: string };
      };
      assert.equal(d.layer, "capture");
      assert.equal(d.message.offset, at);
      assert.ok(d.message.skipped > 0);
      assert.equal(d.error.code, "CAPTURE_DAMAGED");
      assert.equal(objs.filter((o) => o.layer === "v2g").length, 973, "one message was in the damaged block");

      const check = nacs(["decode", file, "--check", "--json"]);
      const report = JSON.parse(check.out) as CheckReport;
      const f = report.findings.find((x) => x.code === "CAPTURE_DAMAGED");
      assert.equal(f?.severity, "warning");
      assert.match(f?.message ?? "", new RegExp(`^bytes ${at}–`));
      assert.equal(check.status, 0, "damage the reader recovered from is not an error of the session");
      assert.deepEqual(
        report.findings.map((x) => `${x.severity} ${x.code}`),
        ["warning CAPTURE_DAMAGED", "info UNEXPECTED_RESPONSE", "warning SLOW_RESPONSE"],
        "the request lost in the damage is a note; the stream goes on in step after it",
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
);

test(
  "nacs decode FILE --check exits 1 when it reports errors, 0 for warnings and notes only",
  { skip: noShared, timeout: 60_000 },
  () => {
    const bad = nacs(["decode", `${EV}Hyundai__Kona_2017__din_spec_70121__kona1.dump`, "--check"]);
    assert.equal(bad.status, 1);
    assert.match(bad.out, /Findings: 375 errors/);
    const ok = nacs(["decode", `${DS}ISO-2_DC_DS5366.pcapng`, "--check"]);
    assert.equal(ok.status, 0);
    assert.match(ok.out, /Findings: 0 errors, 1 warnings/);
    const plain = nacs(["decode", `${EV}Hyundai__Kona_2017__din_spec_70121__kona1.dump`]);
    assert.equal(plain.status, 0, "without --check the status stays 0");
  },
);

/** [file, "severity CODE ×count", …] as reviewed (see the report of this change). */
const VERDICTS: [string, string[]][] = [
  // SECC answers every CurrentDemandReq in 300–560 ms (EV timeout 0.25 s); cable check 55.7 s > 40 s
  [
    `${EV}Hyundai__Kona_2017__din_spec_70121__kona1.dump`,
    ["error CABLECHECK_TIMEOUT ×1", "error RESPONSE_TIMEOUT ×374"],
  ],
  // a stale connection from before the capture: its FAILED_SequenceError answers a request we never saw
  [
    `${EV}Opel__Ampera-E__2023-01-13-din_spec_70121__session__ampera_dc_din_2.dump`,
    ["info UNEXPECTED_RESPONSE ×1", "info FAILED ×1", "error RESPONSE_TIMEOUT ×43"],
  ],
  // the EV offers only DIN 70121, the SECC only ISO 15118-2: its Failed_NoNegotiation is the right answer
  [
    `${EV}Mercedes-Benz__EQC__iso-15118-2-DC__2023-04-12T09-01-48.230Z-eqc-iso15118-2-DC_not_supported__ethernet-traffic.dump`,
    ["warning NO_COMMON_PROTOCOL ×1", "warning NO_COMMON_PROTOCOL ×1"],
  ],
  // present current 69.2 / 82.7 A against a 30 A maximum; CurrentDemandRes 2.55 s late, the EV had closed
  [
    `${EV}MG__MG4_electric__iso-2-DC.dump`,
    [
      "warning SLOW_RESPONSE ×1",
      "error OVER_LIMIT ×1",
      "error RESPONSE_TIMEOUT ×1",
      "warning SLOW_RESPONSE ×1",
      "error OVER_LIMIT ×1",
      "error RESPONSE_TIMEOUT ×1",
    ],
  ],
  // the SECC refuses the EV's SessionStopReq(Pause) with FAILED
  [
    `${EV}Mercedes-Benz__EQE__2023-04-18T15-19-14.023Z-2_config-dc-iso2__ethernet-traffic.dump`,
    ["warning SLOW_RESPONSE ×119", "error FAILED ×1"],
  ],
];

test(
  "nacs decode --check: the reviewed verdicts on real sessions",
  { skip: noShared, timeout: 120_000 },
  () => {
    for (const [file, want] of VERDICTS) {
      const r = nacs(["decode", file, "--check", "--json"]);
      const report = JSON.parse(r.out) as CheckReport;
      assert.deepEqual(
        report.findings.map((f) => `${f.severity} ${f.code} ×${f.count ?? 1}`),
        want,
        file,
      );
      assert.equal(r.status, want.some((w) => w.startsWith("error")) ? 1 : 0, file);
    }
  },
);
