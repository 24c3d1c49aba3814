/**
 * `nacs decode FILE --tls-keylog K` on a capture of nacs's own TLS session: `nacs evse --tls --tls-keylog K`
 * and `nacs ev --tls` run on loopback; the EV reaches the EVSE through a recording TCP proxy (a small SDP
 * responder here announces the proxy's port), so the file holds the real encrypted records as Node/OpenSSL
 * sent them — TLS 1.2 CBC with encrypt_then_mac negotiated (RFC 7366), or TLS 1.3 with the ISO 15118-20
 * profile (AES-256-GCM, RFC 8446 §7 traffic secrets). The recorded bytes are framed into
 * a pcapng with the capture module's packet synthesizer and decoded with the key log the EVSE wrote.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createPacketSynthesizer, framesToPcapng, type TimedFrame } from "../../capture/index.js";
import { type ProxyChunk as Chunk, recordingProxy } from "../../capture/testing/recording-proxy.js";
import { encodeSdpResponse, parseIpv6, SDP_SECURITY_TLS, SDP_TRANSPORT_TCP } from "../../v2g/index.js";
import { randomSdpPort } from "../testing/live-pair.js";
import { spawnNacs, waitForStderr } from "../testing/spawn-nacs.js";

for (const [version, what] of [
  ["1.2", "TLS 1.2 CBC with encrypt_then_mac"],
  ["1.3", "TLS 1.3, ISO 15118-20 profile with mutual TLS: CLIENT/SERVER_*_TRAFFIC_SECRET key-log lines"],
] as const)
  test(
    `nacs decode --tls-keylog decrypts a capture of nacs evse --tls --tls-version ${version} (${what})`,
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "nacs-tls-etm-"));
      const keylog = join(dir, "keys.log");
      const pki = join(dir, "pki");
      const sdpEvse = randomSdpPort();
      const sdpProxy = String(Number(sdpEvse) + 1);
      const common = ["--iface", "lo", "--no-slac", "--json", "--time-scale", "300", "--mode", "ac"];
      const board = ["--board", `sim:${join(dir, "world.sock")}`];
      const tls = ["--tls", "--tls-version", version, "--test-pki", pki];
      const evse = spawnNacs([
        "evse",
        ...common,
        ...board,
        ...tls,
        "--tls-keylog",
        keylog,
        "--sdp-port",
        sdpEvse,
        "--sessions",
        "1",
        "--log-level",
        "info",
      ]);
      const chunks: Chunk[] = [];
      const sdp = createSocket("udp6");
      let proxy: Server | undefined;
      try {
        const ready = await waitForStderr(evse, /evse ready: \w+ on \[[^\]]+\]:(\d+)/, 15_000);
        const p = await recordingProxy(Number(ready[1]), chunks);
        proxy = p.server;
        sdp.on("message", (_m, from) => {
          const res = encodeSdpResponse({
            address: parseIpv6("::1"),
            port: p.port,
            security: SDP_SECURITY_TLS,
            transport: SDP_TRANSPORT_TCP,
          });
          sdp.send(res, from.port, from.address);
        });
        await new Promise<void>((r) => sdp.bind(Number(sdpProxy), "::1", () => r()));
        const ev = spawnNacs([
          "ev",
          ...common,
          ...board,
          ...tls,
          "--sdp-port",
          sdpProxy,
          "--soc",
          "50",
          "--target-soc",
          "51",
        ]);
        const [evCode, evseCode] = await Promise.all([ev.exit, evse.exit]);
        assert.equal(evCode, 0, ev.err);
        assert.equal(evseCode, 0, evse.err);
        const messages = (JSON.parse(ev.out) as { messages: number }).messages;
        assert.ok(messages > 10 && chunks.length > 10, `${messages} messages in ${chunks.length} chunks`);

        const synth = createPacketSynthesizer();
        const t0 = chunks[0]!.t;
        const frames: TimedFrame[] = synth.connect().map((data) => ({ t: t0, data }));
        for (const c of chunks) for (const data of synth.v2gtp(c.from, c.data)) frames.push({ t: c.t, data });
        for (const data of synth.close("ev")) frames.push({ t: chunks[chunks.length - 1]!.t, data });
        const file = join(dir, "tls.pcapng");
        writeFileSync(file, framesToPcapng(frames));

        const d = spawnSync(
          process.execPath,
          ["bin/nacs.js", "decode", file, "--tls-keylog", keylog, "--json", "--no-progress"],
          { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
        );
        assert.equal(d.status, 0, d.stderr);
        const lines = d.stdout
          .trim()
          .split("\n")
          .map(
            (l) =>
              JSON.parse(l) as { layer: string; type: string; tls?: boolean; error?: { message: string } },
          );
        assert.deepEqual(
          lines.filter((l) => l.error).map((l) => `${l.type}: ${l.error?.message}`),
          [],
          "nothing undecrypted or undecodable",
        );
        const v2g = lines.filter((l) => l.layer === "v2g");
        assert.equal(v2g.length, messages, "every message of the EV's session, decrypted");
        assert.ok(v2g.every((l) => l.tls));
        assert.equal(v2g[0]?.type, "supportedAppProtocolReq");
        const keys = readFileSync(keylog, "utf8");
        assert.match(keys, version === "1.3" ? /^CLIENT_HANDSHAKE_TRAFFIC_SECRET /m : /^CLIENT_RANDOM /m);
      } finally {
        evse.child.kill();
        proxy?.close();
        sdp.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
