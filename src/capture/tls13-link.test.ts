/**
 * A TLS 1.3 session of our own link layer, recorded and decrypted: an ISO 15118-20 TLS 1.3 SECC
 * (`startTlsServer`, mutual TLS) and EVCC (`tlsConnect`) on [::1] exchange V2GTP messages through a
 * recording TCP proxy; the recorded bytes — the real records Node/OpenSSL sent — are framed into a pcapng
 * with the packet synthesizer and decoded with the NSS key log the SECC wrote (TLS 1.3 traffic secrets,
 * RFC 8446 §7.1). Without the key log no V2G message comes out of the same capture.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { makeTestPki } from "../../tools/pki/make-test-pki.js";
import { appHandshake, iso2 } from "../codecs/index.js";
import { startTlsServer, tlsConnect } from "../link/index.js";
import { nextMessages } from "../link/test-support.js";
import type { CaptureEvent } from "./decoder.js";
import { KeyLog } from "./keylog.js";
import { decodeCaptureFile } from "./node/file.js";
import { createTlsDecryptor } from "./node/tls-decrypt.js";
import { createPacketSynthesizer, framesToPcapng, type TimedFrame } from "./synth.js";
import { type ProxyChunk as Chunk, recordingProxy } from "./testing/recording-proxy.js";

const sapReq = appHandshake.encodeDocument({
  supportedAppProtocolReq: {
    AppProtocol: [
      {
        ProtocolNamespace: "urn:iso:15118:2:2013:MsgDef",
        VersionNumberMajor: 2,
        VersionNumberMinor: 0,
        SchemaID: 1,
        Priority: 1,
      },
    ],
  },
});
const sapRes = appHandshake.encodeDocument({
  supportedAppProtocolRes: { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: 1 },
});
const setupReq = iso2.encodeDocument({
  V2G_Message: {
    Header: { SessionID: new Uint8Array(8) },
    Body: { SessionSetupReq: { EVCCID: Uint8Array.of(0x02, 0x00, 0x00, 0x00, 0x00, 0x01) } },
  },
} as never);

async function decode(file: string, keyLog: KeyLog): Promise<CaptureEvent[]> {
  const events: CaptureEvent[] = [];
  await decodeCaptureFile(file, { tls: createTlsDecryptor, keyLog }, (e) => events.push(e));
  return events;
}

test(
  "capture: a TLS 1.3 session of src/link (ISO 15118-20 profile, mutual TLS) recorded on [::1] decrypts with the SECC's key log",
  { timeout: 20_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "nacs-tls13-cap-"));
    const pki = makeTestPki();
    const keylog = join(dir, "secc.keylog");
    const chunks: Chunk[] = [];
    const secc = await startTlsServer({
      host: "::1",
      port: 0,
      tls: {
        key: pki.seccLeaf.keyPem,
        cert: pki.seccChainPem,
        versions: ["1.3"],
        keylogFile: keylog,
        tls13: {
          key: pki.iso20.seccLeaf.keyPem,
          cert: pki.iso20.seccChainPem,
          clientCa: pki.iso20.oemRoot.certPem,
        },
      },
    });
    // The SECC answers SAP, then echoes the SessionSetupReq back (enough to exercise both directions).
    secc.onConnection((c) => {
      let n = 0;
      c.onMessage((m) => c.send(m.payloadType, n++ === 0 ? sapRes : m.payload));
    });
    const proxy = await recordingProxy(secc.local.port, chunks);
    try {
      const evcc = await tlsConnect({
        host: "::1",
        port: proxy.port,
        tls: {
          ca: pki.iso20.v2gRoot.certPem,
          versions: ["1.3"],
          cert: pki.iso20.vehicleChainPem,
          key: pki.iso20.vehicleLeaf.keyPem,
        },
      });
      assert.equal(evcc.tls?.protocol, "TLSv1.3");
      for (const msg of [sapReq, setupReq]) {
        const reply = nextMessages(evcc, 1);
        evcc.send(0x8001, msg);
        await reply;
      }
      evcc.close();
      await evcc.closed;
      for (let i = 0; i < 100 && secc.connections.size > 0; i++) await new Promise((r) => setTimeout(r, 10));

      const synth = createPacketSynthesizer();
      const t0 = chunks[0]!.t;
      const frames: TimedFrame[] = synth.connect().map((data) => ({ t: t0, data }));
      for (const c of chunks) for (const data of synth.v2gtp(c.from, c.data)) frames.push({ t: c.t, data });
      for (const data of synth.close("ev")) frames.push({ t: chunks[chunks.length - 1]!.t, data });
      const file = join(dir, "tls13.pcapng");
      writeFileSync(file, framesToPcapng(frames));

      const keys = new KeyLog();
      const text = readFileSync(keylog, "utf8");
      assert.match(text, /^CLIENT_HANDSHAKE_TRAFFIC_SECRET /m);
      assert.match(text, /^SERVER_TRAFFIC_SECRET_0 /m);
      assert.equal(keys.add(text), 5);
      const events = await decode(file, keys);
      assert.deepEqual(
        events.filter((e) => e.error).map((e) => `${e.layer} ${e.type}: ${e.error?.message}`),
        [],
        "nothing undecrypted or undecodable",
      );
      const v2g = events.filter((e) => e.layer === "v2g");
      assert.deepEqual(
        v2g.map((e) => `${e.from} ${e.type}`),
        [
          "ev supportedAppProtocolReq",
          "evse supportedAppProtocolRes",
          "ev SessionSetupReq",
          "evse SessionSetupReq",
        ],
      );
      assert.ok(v2g.every((e) => e.tls));

      // Without the key log: no V2G message comes out of the encrypted records.
      const blind = await decode(file, new KeyLog());
      assert.equal(blind.filter((e) => e.layer === "v2g").length, 0);
    } finally {
      proxy.server.close();
      await secc.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
