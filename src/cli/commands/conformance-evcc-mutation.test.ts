/**
 * The mutation check of the EVCC half of the conformance harness: our own car (`nacs ev --lab --defect
 * NAME`, the TEST-ONLY defect catalogue of src/v2g/session/evcc-defects.ts) with one injected defect at a
 * time must make the EVCC case that should catch it FAIL, naming the expected field; the same cases PASS
 * against the car without the defect (they are all in CI_EVCC_CASES, checked by the live EVCC test). One
 * `nacs ev` per defect, {@link PARALLEL} at a time, the tester in this process. Prints the wall time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CaseSummary } from "../../conformance/report.js";
import { EVCC_DEFECT_NAMES, type EvccDefectName } from "../../v2g/session/evcc-defects.js";
import { UsageError } from "../errors.js";
import { CI_EVCC_CASES, type EvccRun, runConformanceAgainstEv } from "../testing/conformance-evcc-pair.js";
import { parseEvOptions } from "./ev.js";

/** Defect → the EVCC case that must catch it, and the verdict field the failing case names. */
export const EVCC_CATCHES: Readonly<Record<EvccDefectName, { case: string; field: RegExp }>> = {
  "ignore-failed-response": { case: "evcc-din-value-007", field: /^message$/ },
  "no-message-timeout": { case: "evcc-iso2-timing-001", field: /^connection$/ },
  "accept-wrong-session-id": { case: "evcc-din-seq-001", field: /^message$/ },
  "ignore-emergency-shutdown": { case: "evcc-iso2-value-008", field: /^message$/ },
  "no-sdp-retry": { case: "evcc-din-transport-006", field: /^SDP$/ },
};

/** Car processes at a time. */
const PARALLEL = 2;

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

const field = (c: CaseSummary): string => String((c.details as Record<string, unknown> | null)?.field ?? "");

test("nacs ev --defect is test-only: refused without --lab, a name outside the catalogue refused", () => {
  assert.throws(
    () => parseEvOptions({ iface: "lo", defect: "no-sdp-retry" }),
    (e: Error) => e instanceof UsageError && /--defect.*refused without --lab/s.test(e.message),
  );
  assert.throws(
    () => parseEvOptions({ iface: "lo", defect: "bogus", lab: true }),
    (e: Error) => e instanceof UsageError && /--defect.*no-sdp-retry/s.test(e.message),
  );
  assert.equal(parseEvOptions({ iface: "lo", defect: "no-sdp-retry", lab: true }).defect, "no-sdp-retry");
  assert.equal(parseEvOptions({ iface: "lo" }).sessions, 1);
  assert.equal(parseEvOptions({ iface: "lo", sessions: "0" }).sessions, 0);
});

test(`EVCC mutation check: each of the ${EVCC_DEFECT_NAMES.length} car defects is caught by a failing EVCC case`, async (t) => {
  assert.deepEqual(Object.keys(EVCC_CATCHES).sort(), [...EVCC_DEFECT_NAMES].sort());
  assert.ok(EVCC_DEFECT_NAMES.length >= 5);
  for (const { case: id } of Object.values(EVCC_CATCHES))
    assert.ok(CI_EVCC_CASES.includes(id), `${id} passes without the defect (the live EVCC test)`);
  const t0 = Date.now();
  const runs = await pool(
    EVCC_DEFECT_NAMES.map(
      (d) => async () =>
        [
          d,
          await runConformanceAgainstEv({
            cases: [EVCC_CATCHES[d].case],
            evArgs: ["--lab", "--defect", d],
            timeoutMs: 60_000,
          }),
        ] as [EvccDefectName, EvccRun],
    ),
    PARALLEL,
  );
  t.diagnostic(
    `${runs.length} defects, ${PARALLEL} at a time: ${((Date.now() - t0) / 1000).toFixed(1)} s wall`,
  );
  const missed: string[] = [];
  for (const [d, r] of runs) {
    assert.match(r.evErr, new RegExp(`TEST-ONLY defect ${d}`), `${d}: the car runs with the defect`);
    const c = r.summary.cases[0];
    const caught = c?.verdict === "fail" && EVCC_CATCHES[d].field.test(field(c));
    t.diagnostic(`${d}: ${caught ? `caught by ${c?.id} (${field(c as CaseSummary)})` : "NOT caught"}`);
    if (!caught) missed.push(`${d}: ${JSON.stringify(c)} ${r.progress}`);
  }
  assert.deepEqual(missed, [], "every defect is caught");
});
