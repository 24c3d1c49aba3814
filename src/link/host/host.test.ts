/**
 * EVCC ↔ SECC full sessions (DIN DC, ISO-2 DC, ISO-2 AC) over real TCP and TLS on
 * [::1], each side hosted with real timers and its own physical models; SDP unicast on ::1 finds the server.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { makeTestPki } from "../../../tools/pki/make-test-pki.js";
import type { V2gProtocol } from "../../v2g/index.js";
import { discoverAndConnect } from "./evcc-connect.js";
import { runEvccSession } from "./evcc-session.js";
import { startSeccServer } from "./secc-server.js";
import type { ChargeMode, SessionSummary } from "./summary.js";

const pki = makeTestPki();

/** Fast sessions: model time 300× real, 1 % of a 75 kWh pack, a 200 ms isolation test. */
const FAST = { timeScale: 300, isolationTestMs: 2_000 };

async function session(protocol: V2gProtocol, mode: ChargeMode, tls: boolean) {
  const server = await startSeccServer({
    host: "::1",
    port: 0,
    mode,
    config: { protocols: [protocol] },
    plant: FAST,
    ...(tls ? { tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem } } : {}),
    sdp: { port: 0, bindAddress: "::1" },
  });
  try {
    const seccDone = new Promise<SessionSummary>((r) => server.onSummary(r));
    const { conn, sdp } = await discoverAndConnect({
      sdpTarget: "::1",
      sdpPort: server.sdpPort!,
      ...(tls ? { tls: { ca: pki.v2gRoot.certPem } } : {}),
    });
    assert.equal(sdp.port, server.local.port);
    const ev = runEvccSession(conn, {
      mode,
      config: { protocols: [protocol] },
      readings: { fullSocPercent: 51 },
      plant: { socPercent: 50, timeScale: FAST.timeScale },
    });
    const [e, s] = await Promise.all([ev.done, seccDone]);
    return { e, s };
  } finally {
    await server.close();
  }
}

for (const tls of [false, true]) {
  for (const [protocol, mode] of [
    ["din", "dc"],
    ["iso2", "dc"],
    ["iso2", "ac"],
  ] as const) {
    test(`${protocol} ${mode.toUpperCase()} over ${tls ? "TLS" : "TCP"} on [::1]: full session, both sides terminated`, async () => {
      const { e, s } = await session(protocol, mode, tls);
      assert.equal(e.stopReason, "terminated", `EV: ${e.stopDetail}`);
      assert.equal(s.stopReason, "terminated", `EVSE: ${s.stopDetail}`);
      assert.equal(e.protocol, protocol);
      assert.equal(s.protocol, protocol);
      assert.equal(e.transport, tls ? "tls" : "tcp");
      assert.equal(e.messages, s.messages, "both sides saw the same number of messages");
      assert.ok(
        e.energyDeliveredWh > 0 && s.energyDeliveredWh > 0,
        `${e.energyDeliveredWh} / ${s.energyDeliveredWh} Wh`,
      );
      assert.ok(e.socEndPercent! >= 51, `SOC ${e.socEndPercent}`);
      const loop = mode === "dc" ? "CurrentDemandRes" : "ChargingStatusRes";
      assert.ok((s.samplesByMessage[loop]?.length ?? 0) > 0, `SECC answered ${loop}`);
      assert.ok(s.responseTimesMs.median > 0 && s.responseTimesMs.median < e.responseTimesMs.median);
    });
  }
}
