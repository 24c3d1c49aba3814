/**
 * Acceptance of `nacs conformance --sut evcc` over a veth: the harness as the EVSE (`--iface veth-evse`,
 * hosting the simulated cable) in one network namespace, our `nacs ev --sessions 0 --iface veth-ev` in the
 * other; SDP over multicast on the veth, the V2G sessions over IPv6 link-local (no SLAC: the car half of
 * the harness has none yet). In CI: a subset of the car cases (a whole session of each protocol, a SessionID
 * error, a held-back response, SDP requests left unanswered); `NACS_CONFORMANCE_FULL=1`: the whole car
 * catalogue. Every case must pass. Skipped with a printed reason when not root.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CaptureEvent, createCaptureDecoder, createCaptureReader } from "../../src/capture/index.js";
import { notPassed } from "../../src/conformance/report.js";
import { runConformanceNetns } from "./conformance-netns.js";
import { listNetns, netnsSkipReason } from "./netns.js";

const skip = netnsSkipReason();
if (skip) console.log(`# netns EVCC conformance test skipped: ${skip}`);

const FULL = process.env.NACS_CONFORMANCE_FULL === "1";

/** The car cases CI runs on the veth. */
export const VETH_EVCC_CI_CASES: readonly string[] = [
  "evcc-din-normal-001",
  "evcc-iso2-normal-001",
  "evcc-din-seq-001",
  "evcc-iso2-timing-001",
  "evcc-din-transport-006",
];

test(
  `netns: nacs conformance --sut evcc over a veth against nacs ev (${FULL ? "the whole car catalogue" : `${VETH_EVCC_CI_CASES.length} cases, NACS_CONFORMANCE_FULL=1 for all`}): every case passes`,
  { skip, timeout: FULL ? 3_600_000 : 180_000 },
  async (t) => {
    const tag = `e${process.pid}`;
    const report = mkdtempSync(join(tmpdir(), "nacs-evcc-netns-report-"));
    let r: Awaited<ReturnType<typeof runConformanceNetns>> | undefined;
    try {
      r = await runConformanceNetns({
        sut: "evcc",
        cases: FULL ? ["evcc-*"] : VETH_EVCC_CI_CASES,
        confArgs: ["--report", report],
        tag,
        timeoutMs: FULL ? 3_500_000 : 150_000,
      });
      // the capture of a whole session: the car's SLAC on the veth, then its V2G session
      const reader = createCaptureReader();
      const decoder = createCaptureDecoder();
      const ev: CaptureEvent[] = [];
      for (const x of reader.push(readFileSync(join(report, "cases", "evcc-din-normal-001.pcapng"))))
        if (x.kind === "packet") ev.push(...decoder.push(x));
      ev.push(...decoder.end());
      const slac = ev.filter((e) => e.layer === "slac").map((e) => e.type);
      assert.ok(slac.includes("CM_SLAC_PARM.REQ") && slac.includes("CM_SLAC_MATCH.CNF"), slac.join(", "));
      const v2g = ev.filter((e) => e.layer === "v2g").map((e) => `${e.from} ${e.type}`);
      assert.ok(v2g.includes("ev CurrentDemandReq") && v2g.includes("evse CurrentDemandRes"), v2g.join(", "));
    } finally {
      rmSync(report, { recursive: true, force: true });
      assert.deepEqual(
        listNetns().filter((n) => n.endsWith(`-${tag}`)),
        [],
        "namespaces of this run are gone",
      );
    }
    const s = r.summary;
    t.diagnostic(
      `${s.total} car cases (${s.passed} passed, ${s.failed} failed, ${s.inconclusive} inconclusive) in ${(r.wallMs / 1000).toFixed(1)} s wall`,
    );
    assert.equal(s.sut, "evcc");
    assert.deepEqual(notPassed(s), [], r.confErr.slice(-3000));
    assert.equal(s.total, FULL ? s.total : VETH_EVCC_CI_CASES.length);
    assert.equal(r.code, 0);
  },
);
