/**
 * Our EVSE and our EV in two network namespaces joined by a veth run the whole stack —
 * SLAC over raw frames, SDP multicast and the V2G session over IPv6 link-local on the same veth — as
 * `nacs evse --iface veth-evse` and `nacs ev --iface veth-ev` (no `--no-slac`). Both run the J3400
 * controllers on the live host over one simulated cable (`--board sim:SOCKET`, a socket of this run only),
 * in DC and in AC over ISO 15118-2.
 * Namespaces and temporary files are removed afterwards, also on failure. Skipped with a printed reason
 * when not root or without the raw addon.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { before, describe, it, test } from "node:test";
import { checkIso20Row, iso20MatrixRows } from "../../src/cli/testing/iso20-matrix.js";
import type { RecordEvent } from "../../src/link/host/record.js";
import { rawAddonPath } from "../../src/link/raw/addon.js";
import { listNetns, netnsSkipReason } from "./netns.js";
import { runStackNetns, type StackNetnsResult } from "./stack.js";

const skip =
  netnsSkipReason() ??
  (existsSync(rawAddonPath()) ? undefined : `raw Ethernet addon not built (${rawAddonPath()}): run npm ci`);
if (skip) console.log(`# netns stack test skipped: ${skip}`);

const ours = (tag: string | number = process.pid) => listNetns().filter((n) => n.endsWith(`-${tag}`));
/** MAC "aa:bb:cc:dd:ee:ff" as the SLAC logs print it ("aabbccddeeff"). */
const bare = (mac: string) => mac.replaceAll(":", "").toLowerCase();
/** The controller's phase log lines of a record ("EV phase slac" → "slac"), in order. */
const controllerPhases = (events: RecordEvent[], who: string) =>
  events
    .filter((e) => e.type === "log" && typeof e.msg === "string" && e.msg.startsWith(`${who} phase `))
    .map((e) => (e.msg as string).slice(`${who} phase `.length));
const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Limit of one stack run (namespaces, both processes, the session); the test allows 15 s more. */
const RUN_TIMEOUT_MS = 60_000;

for (const [label, opts] of [
  ["DIN DC over TCP", { protocol: "din" }],
  ["ISO-2 DC over TCP", { protocol: "iso2" }],
  ["DIN DC over TLS", { protocol: "din", tls: true }],
  ["ISO-2 DC over TLS", { protocol: "iso2", tls: true }],
  ["ISO-2 AC over TCP, SDP unicast", { protocol: "iso2", mode: "ac", sdpUnicast: true }],
] as const) {
  const mode = "mode" in opts ? opts.mode : "dc";
  test(
    `netns: nacs evse ↔ nacs ev (J3400 controllers) with SLAC, SDP and a V2G session over the veth: ${label}`,
    { skip, timeout: RUN_TIMEOUT_MS + 15_000 },
    async () => {
      let r: StackNetnsResult | undefined;
      try {
        r = await runStackNetns({ ...opts, timeoutMs: RUN_TIMEOUT_MS });
      } finally {
        assert.deepEqual(ours(), [], "namespaces of this run are gone");
      }
      assert.equal(r.evExit, 0, `nacs ev exits 0 by itself: ${r.evStderr.slice(-2000)}`);
      assert.equal(r.evseExit, 0, `nacs evse exits 0 by itself: ${r.evseStderr.slice(-2000)}`);
      for (const s of [r.ev, r.evse]) {
        assert.equal(s.protocol, opts.protocol);
        assert.equal(s.mode, mode);
        assert.ok(s.energyDeliveredWh > 0, `energy ${s.energyDeliveredWh} Wh`);
        assert.deepEqual(s.safety, []);
        assert.deepEqual(
          s.phases?.map((p) => p.phase),
          mode === "ac" ? ["charging", "stopping"] : ["cable-check", "pre-charge", "charging", "stopping"],
        );
        assert.equal(s.transport, "tls" in opts ? "tls" : "tcp");
        assert.match(s.board ?? "", /^sim/);
      }
      assert.equal(r.ev.stopReason, "target SOC reached");
      assert.equal(r.evse.stopReason, "EV ended the session");
      assert.deepEqual(r.ev.messageCounts, r.evse.messageCounts);
      assert.equal(r.ev.messages, r.evse.messages);
      assert.ok((r.ev.socEnd ?? 0) >= 51, `EV SOC at the end ${r.ev.socEnd}`);

      // SLAC really ran over the raw sockets: the EVSE's SLAC machine saw CM_SLAC_PARM.REQ from the MAC of
      // the EV's veth and matched it, the EVSE controller logged "SLAC matched" (a `log` effect the live
      // host forwards to the logger), the EV's SLAC machine matched, and both controllers went through
      // their SLAC phase before SDP (a `--no-slac` run goes straight to SDP).
      const evMac = reEscape(bare(r.evMac));
      assert.match(r.evseStderr, new RegExp(`evse: slac: evse: CM_SLAC_PARM\\.REQ from ${evMac}`));
      assert.match(r.evseStderr, new RegExp(`evse: slac: evse: matched with ${evMac}`));
      assert.match(r.evseStderr, /"evse: SLAC matched"/);
      assert.match(r.evStderr, /ev: slac: ev: matched: link ready/);
      for (const [events, who] of [
        [r.evEvents, "EV"],
        [r.evseEvents, "EVSE"],
      ] as const) {
        const ph = controllerPhases(events, who);
        assert.ok(ph.indexOf("slac") >= 0 && ph.indexOf("slac") < ph.indexOf("sdp"), `${who}: ${ph}`);
      }
      // SDP answered with the EVSE's link-local address on its veth: the EV connects there, scoped to its veth.
      assert.match(r.evseLinkLocal, /^fe80:/);
      const sdpTo = "sdpUnicast" in opts ? `${reEscape(r.evseLinkLocal)}%veth-ev` : "ff02::1%veth-ev";
      assert.match(r.evStderr, new RegExp(`SDP to \\[${sdpTo}\\]`));
      assert.match(
        r.evStderr,
        new RegExp(
          `ev: V2G ${"tls" in opts ? "tls" : "tcp"} connect to \\[${reEscape(r.evseLinkLocal)}%veth-ev\\]`,
        ),
      );
      console.log(
        `# ${label}: EV process start → exit ${r.evWallMs.toFixed(0)} ms (EVSE exit ${r.evseWallMs.toFixed(0)} ms), ` +
          `session ${r.ev.durationMs?.toFixed(0)} ms, ${r.ev.messages} messages ` +
          `(CableCheck ${r.ev.messageCounts?.CableCheckReq}, CurrentDemand ${r.ev.messageCounts?.CurrentDemandReq}, ` +
          `ChargingStatus ${r.ev.messageCounts?.ChargingStatusReq}, ` +
          `WeldingDetection ${r.ev.messageCounts?.WeldingDetectionReq}), ${r.evse.energyDeliveredWh} Wh, ` +
          `SECC median ${r.evse.responseTimesMs.median} ms`,
      );
    },
  );
}

/**
 * ISO 15118-20 over the veth with SLAC: the matrix rows (src/cli/testing/iso20-matrix.ts) on TLS 1.3 with
 * mutual TLS (the -20 profile, a test PKI of the run) — every service in scheduled and dynamic control mode
 * plus pause and resume — and one scheduled row over plain TCP (`--iso20-without-tls`). Rows run
 * {@link VETH_CONCURRENCY} at a time, each in its own namespace pair (`nacs-ev-<pid>-<row>`).
 */
const ISO20_VETH_ROWS = [
  ...iso20MatrixRows(["tls13"]),
  ...iso20MatrixRows(["tcp"]).filter((r) => r.control === "scheduled" && !r.pauseResume),
];
/** -20 veth rows at once, each in its own namespace pair (`NACS_VETH_CONCURRENCY`, default 2). */
const VETH_CONCURRENCY = Number(process.env.NACS_VETH_CONCURRENCY) || 2;
let matrixStarted = 0;
let matrixDone = 0;
describe(
  "netns: ISO 15118-20 with SLAC, SDP and the session over the veth",
  { skip, concurrency: VETH_CONCURRENCY },
  () => {
    before(() => {
      matrixStarted = performance.now();
    });
    ISO20_VETH_ROWS.forEach((row, i) => {
      it(row.label, { timeout: RUN_TIMEOUT_MS + 15_000 }, async () => {
        const t0 = performance.now();
        const tag = `${process.pid}-${i}`;
        let r: StackNetnsResult | undefined;
        try {
          r = await runStackNetns({ iso20: row, timeoutMs: RUN_TIMEOUT_MS, tag });
        } finally {
          assert.deepEqual(ours(tag), [], "namespaces of this run are gone");
        }
        try {
          checkIso20Row(row, r);
        } catch (e) {
          throw new Error(
            `${(e as Error).message}\nEV stderr: ${r.evStderr.slice(-2000)}\nEVSE stderr: ${r.evseStderr.slice(-2000)}`,
            { cause: e },
          );
        }
        // SLAC ran on the veth before SDP, in both controllers (a --no-slac run goes straight to SDP).
        for (const [events, who] of [
          [r.evEvents, "EV"],
          [r.evseEvents, "EVSE"],
        ] as const) {
          const ph = controllerPhases(events, who);
          assert.ok(ph.indexOf("slac") >= 0 && ph.indexOf("slac") < ph.indexOf("sdp"), `${who}: ${ph}`);
        }
        assert.match(r.evseStderr, new RegExp(`evse: slac: evse: matched with ${reEscape(bare(r.evMac))}`));
        const transport = row.transport === "tcp" ? "tcp" : "tls";
        assert.match(
          r.evStderr,
          new RegExp(`ev: V2G ${transport} connect to \\[${reEscape(r.evseLinkLocal)}%veth-ev\\]`),
        );
        if (row.transport === "tls13") assert.match(r.evseStderr, /TLSv1\.3/);
        matrixDone++;
        console.log(
          `# ${row.label} (veth, SLAC): ${((performance.now() - t0) / 1000).toFixed(1)} s wall ` +
            `(EV process ${(r.evWallMs / 1000).toFixed(1)} s), session ${((r.ev.durationMs ?? 0) / 1000).toFixed(1)} s, ` +
            `${r.ev.messages} messages, ${r.evse.energyDeliveredWh} Wh; ` +
            `-20 veth rows so far ${matrixDone}/${ISO20_VETH_ROWS.length} in ${((performance.now() - matrixStarted) / 1000).toFixed(1)} s ` +
            `(${VETH_CONCURRENCY} at a time)`,
        );
      });
    });
  },
);

test("netns: a stack run that cannot finish still removes its namespaces", { skip }, async () => {
  await assert.rejects(runStackNetns({ timeoutMs: 1 }), /timed out|exited first/);
  assert.deepEqual(ours(), []);
});
