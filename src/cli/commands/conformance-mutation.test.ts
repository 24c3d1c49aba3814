/**
 * The mutation check of the conformance harness: our own SECC (`nacs evse --lab --defect NAME`, the
 * TEST-ONLY defect catalogue of src/v2g/session/defects.ts) with one injected defect at a time must make at
 * least one of the conformance cases that should catch it FAIL, naming the expected field; the same cases
 * PASS against the SECC without the defect (those in CI_CONFORMANCE_CASES in the live conformance test,
 * the others here). One `nacs evse` per defect, {@link PARALLEL} at a time, the harness in this process;
 * only the catching cases per defect. Prints the wall time. `NACS_MUTATION_DEFECTS=a,b`: only these.
 *
 * `NACS_CONFORMANCE_FULL=1`: the whole catalogue per defect, and a defect × case matrix on the diagnostics
 * (long: about five minutes per defect).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CaseSummary } from "../../conformance/report.js";
import { SECC_DEFECT_NAMES, type SeccDefectName } from "../../v2g/session/defects.js";
import { UsageError } from "../errors.js";
import {
  CI_CONFORMANCE_CASES,
  type ConformanceRun,
  runConformanceAgainstEvse,
} from "../testing/conformance-pair.js";
import { parseEvseOptions } from "./evse.js";

/** The cases that catch a defect, and the verdict field a failing one names. */
interface Catch {
  cases: string[];
  field: RegExp;
}

/** Defect → the conformance cases that must catch it (README "Mutation check of the harness"). */
export const CATCHES: Readonly<Record<SeccDefectName, Catch>> = {
  "ok-on-sequence-error": { cases: ["secc-din-seq-003"], field: /^ResponseCode$/ },
  "accept-unknown-session": { cases: ["secc-din-seq-007"], field: /^ResponseCode$/ },
  "no-sequence-timeout": { cases: ["secc-din-timing-001"], field: /^connection$/ },
  "early-sequence-timeout": { cases: ["secc-din-timing-001"], field: /^connection$/ },
  "slow-current-demand": { cases: ["secc-din-normal-005"], field: /^(responseTime|message)$/ },
  "no-charge-loop-watchdog": { cases: ["secc-din-timing-003"], field: /^inletCurrent$/ },
  "ignore-connection-loss": { cases: ["secc-din-transport-007"], field: /^inletCurrent$/ },
  "ignore-ev-stop-cp": { cases: ["secc-din-j3400-001"], field: /^inletCurrent$/ },
  "ignore-pp-unlatch": { cases: ["secc-din-j3400-003"], field: /^inletCurrent$/ },
  "accept-wrong-payload-type": { cases: ["secc-din-transport-006"], field: /^message$/ },
  "ok-for-unoffered-service-id": { cases: ["secc-din-value-006"], field: /^ResponseCode$/ },
  "ok-for-unoffered-service-selection": { cases: ["secc-din-value-007"], field: /^ResponseCode$/ },
  "ok-for-unoffered-energy-transfer": { cases: ["secc-din-value-001"], field: /^ResponseCode$/ },
  "ok-for-contract-payment": { cases: ["secc-din-value-008"], field: /^ResponseCode$/ },
  "refuse-over-max-current": { cases: ["secc-din-value-003"], field: /^ResponseCode$/ },
  "no-current-limit-achieved": { cases: ["secc-din-value-003"], field: /^EVSECurrentLimitAchieved$/ },
  "no-voltage-limit-achieved": { cases: ["secc-din-value-004"], field: /^EVSEVoltageLimitAchieved$/ },
  "old-session-joined": { cases: ["secc-din-normal-002"], field: /^ResponseCode$/ },
  "wrong-response-type": { cases: ["secc-din-normal-001"], field: /^message$/ },
  "iso20-ok-for-unoffered-service": { cases: ["secc-iso20-value-002"], field: /^ResponseCode$/ },
  "iso20-accept-unknown-session": { cases: ["secc-iso20-seq-007"], field: /^ResponseCode$/ },
  "iso20-slow-charge-loop": { cases: ["secc-iso20-normal-013"], field: /^responseTime$/ },
  "iso20-no-charge-loop-timeout": { cases: ["secc-iso20-timing-003"], field: /^connection$/ },
  "iso20-new-session-on-resume": { cases: ["secc-iso20-j3400-003"], field: /^ResponseCode$/ },
};

/** SECC processes at a time (each with its harness run in this process). */
const PARALLEL = 3;
/** Baseline cases per SECC run. */
const BASELINE_CHUNK = 4;
const FULL = process.env.NACS_CONFORMANCE_FULL === "1";
/** `NACS_MUTATION_DEFECTS=a,b`: only these defects (while working on one). */
const ONLY = process.env.NACS_MUTATION_DEFECTS?.split(",").filter(Boolean);
const DEFECTS = SECC_DEFECT_NAMES.filter((d) => !ONLY || ONLY.includes(d));

/** Run `jobs` with at most `n` at a time, results in order. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
}

/** A field of a case's verdict details ("" when absent). */
const detail = (c: CaseSummary, k: "rule" | "field"): string =>
  String((c.details as Record<string, unknown> | null)?.[k] ?? "");

const line = (c: CaseSummary) => `${c.id} ${c.verdict}${c.details ? `: ${JSON.stringify(c.details)}` : ""}`;

test("nacs evse --defect is test-only: refused without --lab, a name outside the catalogue refused", () => {
  assert.throws(
    () => parseEvseOptions({ iface: "lo", defect: "no-sequence-timeout" }),
    (e: Error) => e instanceof UsageError && /--defect.*refused without --lab/s.test(e.message),
  );
  assert.throws(
    () => parseEvseOptions({ iface: "lo", defect: "bogus", lab: true }),
    (e: Error) => e instanceof UsageError && /--defect.*no-sequence-timeout/s.test(e.message),
  );
  assert.equal(
    parseEvseOptions({ iface: "lo", defect: "no-sequence-timeout", lab: true }).defect,
    "no-sequence-timeout",
  );
  assert.equal(parseEvseOptions({ iface: "lo" }).defect, undefined);
});

test(`mutation check: each of the ${DEFECTS.length} SECC defects is caught by a failing conformance case, the same cases pass without it`, async (t) => {
  assert.deepEqual(Object.keys(CATCHES).sort(), [...SECC_DEFECT_NAMES].sort(), "a catching case per defect");
  assert.ok(SECC_DEFECT_NAMES.length >= 15);
  // without a defect: the catching cases pass; those the live conformance test runs in `npm test` are
  // checked there (conformance-live.test.ts), the others here
  const baselineCases = [...new Set(DEFECTS.flatMap((d) => CATCHES[d].cases))]
    .filter((id) => !CI_CONFORMANCE_CASES.includes(id))
    .sort();
  const t0 = Date.now();
  // the baseline in chunks of BASELINE_CHUNK cases, so that it is not the critical path
  const chunks = FULL
    ? [undefined]
    : Array.from({ length: Math.ceil(baselineCases.length / BASELINE_CHUNK) }, (_, i) =>
        baselineCases.slice(i * BASELINE_CHUNK, (i + 1) * BASELINE_CHUNK),
      );
  const jobs: (() => Promise<[string, ConformanceRun]>)[] = [
    ...chunks.map(
      (cases) => async () =>
        ["(none)", await runConformanceAgainstEvse({ ...(cases && { cases }), inProcess: true })] as [
          string,
          ConformanceRun,
        ],
    ),
    ...DEFECTS.map(
      (d) => async () =>
        [
          d,
          await runConformanceAgainstEvse({
            evseArgs: ["--lab", "--defect", d],
            ...(!FULL && { cases: CATCHES[d].cases }),
            timeoutMs: FULL ? 1_800_000 : 120_000,
            inProcess: true,
          }),
        ] as [string, ConformanceRun],
    ),
  ];
  const runs = await pool(jobs, PARALLEL);
  const wallS = (Date.now() - t0) / 1000;
  t.diagnostic(
    `${DEFECTS.length} defects + baseline, ${runs.reduce((n, [, r]) => n + r.summary.total, 0)} case runs, ${PARALLEL} at a time: ${wallS.toFixed(1)} s wall`,
  );
  const baseRuns = runs.filter(([d]) => d === "(none)").map(([, r]) => r);
  const defectRuns = runs.filter(([d]) => d !== "(none)");
  const baseCases = baseRuns.flatMap((r) => r.summary.cases);
  assert.deepEqual(
    baseCases.map((c) => c.id).sort(),
    FULL ? baseCases.map((c) => c.id).sort() : baselineCases,
  );
  const baseBad = baseCases.filter((c) => c.verdict !== "pass" && !c.knownDeviation);
  assert.deepEqual(
    baseBad.map(line),
    [],
    `without a defect every catching case passes\n${baseRuns.map((r) => r.confErr).join("")}`,
  );
  const missed: string[] = [];
  for (const [d, r] of defectRuns) {
    const want = CATCHES[d as SeccDefectName];
    assert.match(r.evseErr, new RegExp(`TEST-ONLY defect ${d}`), `${d}: the SECC runs with the defect`);
    const caught = r.summary.cases.filter(
      (c) => want.cases.includes(c.id) && c.verdict === "fail" && want.field.test(detail(c, "field")),
    );
    t.diagnostic(
      `${d}: ${caught.length > 0 ? `caught by ${caught.map((c) => `${c.id} (${detail(c, "rule")}: ${detail(c, "field")})`).join(", ")}` : "NOT caught"}`,
    );
    if (caught.length === 0) missed.push(`${d}: ${r.summary.cases.map(line).join("; ")}`);
  }
  if (FULL) {
    const ids = baseCases.map((c) => c.id);
    t.diagnostic(`defect × case (F fail, I inconclusive, . pass): ${ids.join(" ")}`);
    for (const [d, r] of defectRuns) {
      const v = new Map(r.summary.cases.map((c) => [c.id, c.verdict]));
      t.diagnostic(
        `${d.padEnd(36)} ${ids.map((id) => ({ pass: ".", fail: "F", inconclusive: "I" })[v.get(id) ?? "inconclusive"]).join("")}`,
      );
    }
  }
  assert.deepEqual(missed, [], "every defect is caught");
});
