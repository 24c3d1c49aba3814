/**
 * Replay of the ISO 15118-20 captures (TLS 1.3, decrypted with the secrets the captures disclose): every -20 car
 * request sent to our SECC gets a response of the right type and payload type whose OK-ness is the charger's;
 * every -20 charger response sent to our EVCC gives a next request the -20 sequence table allows. The DC
 * captures (TLS 1.3) and the AC_BPT capture (Scheduled, plain TCP, dSPACE DS5366 charger / Josev car) are
 * replayed. The rules of an honest replay are in src/v2g/session/testing/replay-iso20.ts. Lives in src/capture
 * because the TLS decryption belongs to this layer.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { sharedSkip } from "../../tools/codegen/vectors.js";
import { replayIso20ToEvcc, replayIso20ToSecc } from "../v2g/session/testing/replay-iso20.js";
import type { Conversation } from "../v2g/session/testing/tcp-streams.js";
import type { CaptureEvent } from "./events.js";
import { decodeCaptureFile } from "./node/file.js";
import { createTlsDecryptor } from "./node/tls-decrypt.js";

const dir = fileURLToPath(new URL("../../../shared/captures/dsV2Gshark/", import.meta.url));
const DC = ["ISO-20_TLS13_DC_DS5366_Josev.pcapng", "ISO-20_mTLS_DC_DS5366_Josev.pcapng"];

/** The V2G conversations of a capture (one per TCP connection), decrypted. */
async function conversations(path: string): Promise<Conversation[]> {
  const byConn = new Map<number, Conversation>();
  await decodeCaptureFile(path, { tls: createTlsDecryptor, hex: true }, (e: CaptureEvent) => {
    if (e.layer !== "v2g" || !e.hex || e.conn === undefined || e.payloadType === undefined) return;
    const c = byConn.get(e.conn) ?? { record: e.frame, client: [], server: [] };
    byConn.set(e.conn, c);
    const m = {
      payloadType: e.payloadType,
      payload: Uint8Array.from(Buffer.from(e.hex, "hex")),
      record: e.frame,
    };
    (e.from === "ev" ? c.client : c.server).push(m);
  });
  return [...byConn.values()].filter((c) => c.client.length > 0 && c.server.length > 0);
}

for (const f of DC) {
  test(
    `replay ${f}: car requests → our SECC, charger responses → our EVCC`,
    { skip: sharedSkip(`captures/dsV2Gshark/${f}`) },
    async (t) => {
      const convs = await conversations(dir + f);
      assert.ok(convs.length > 0, "no decrypted V2G conversation");
      for (const c of convs) {
        const s = replayIso20ToSecc(c);
        assert.ok(s.negotiated, "the capture negotiated -20");
        assert.deepEqual(s.problems, [], "SECC replay problems");
        assert.equal(s.matched, s.requests);
        const e = replayIso20ToEvcc(c);
        assert.deepEqual(e.problems, [], "EVCC replay problems");
        assert.ok(e.requestsValid >= 10, `EVCC requests valid: ${e.requestsValid}`);
        assert.equal(e.endReason, "terminated", `our EVCC ended at ${e.lastRequest}`);
        t.diagnostic(
          `${f}: SECC ${s.matched}/${s.requests} matched, EVSEProcessing equal ${s.processingEqual}/${s.processingCompared}, end ${s.endReason}; EVCC fed ${e.fed}, valid ${e.requestsValid}, skipped ${e.skipped}, last ${e.lastRequest}, end ${e.endReason ?? "-"}`,
        );
      }
    },
  );
}

const AC_BPT = "ISO-20_BPT_AC_DS5366_Josev.pcapng";

test(
  `replay ${AC_BPT}: AC_BPT (Scheduled, plain TCP) car requests → our SECC, charger responses → our EVCC`,
  { skip: sharedSkip(`captures/dsV2Gshark/${AC_BPT}`) },
  async (t) => {
    const convs = await conversations(dir + AC_BPT);
    assert.equal(convs.length, 1, "one V2G conversation");
    const c = convs[0]!;
    // the capture runs on plain TCP: our SECC takes -20 there only with its lab switch
    const s = replayIso20ToSecc(c, { tls: false });
    assert.ok(s.negotiated, "the capture negotiated -20");
    assert.deepEqual(s.problems, [], "SECC replay problems");
    assert.equal(s.matched, s.requests);
    assert.equal(s.endReason, "terminated");
    const e = replayIso20ToEvcc(c);
    // dSPACE sends its discharge limits negative (EVSEMaximumDischargePower −2990 W): read as magnitudes
    assert.deepEqual(e.problems, [], "EVCC replay problems");
    assert.ok(e.requestsValid >= 10, `EVCC requests valid: ${e.requestsValid}`);
    assert.equal(e.endReason, "terminated", `our EVCC ended at ${e.lastRequest}`);
    t.diagnostic(
      `${AC_BPT}: SECC ${s.matched}/${s.requests} matched, EVSEProcessing equal ${s.processingEqual}/${s.processingCompared}, end ${s.endReason}; EVCC fed ${e.fed}, valid ${e.requestsValid}, skipped ${e.skipped}, last ${e.lastRequest}, end ${e.endReason ?? "-"}`,
    );
  },
);
