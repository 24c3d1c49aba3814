import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { appHandshake, din } from "../codecs/index.js";
import {
  encodeSdpRequest,
  encodeSdpResponse,
  encodeV2gtpMessage,
  SDP_SECURITY_NONE,
  SDP_TRANSPORT_TCP,
} from "../v2g/index.js";
import { type CaptureEvent, createCaptureDecoder } from "./decoder.js";
import { ipv6UpperChecksum } from "./ip.js";
import { decodeLink } from "./link.js";
import { type CapturedPacket, createCaptureReader } from "./reader.js";
import { createPacketSynthesizer, framesToPcapng, type TimedFrame } from "./synth.js";
import { findTshark, tsharkV2gtpCount } from "./testing/tshark.js";

const SESSION_ID = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

/** A short DIN session framed into packets; `mss` 7 forces every V2GTP message over several segments. */
function session(mss: number): { frames: TimedFrame[]; expected: string[] } {
  const s = createPacketSynthesizer({}, { mss });
  const ep = s.endpoints;
  const frames: TimedFrame[] = [];
  let t = 1_700_000_000.000001;
  const add = (...f: Uint8Array[]) => {
    for (const d of f) {
      t += 0.001;
      frames.push({ t, data: d });
    }
  };
  add(
    s.slac("ev", {
      kind: "CM_SLAC_PARM.REQ",
      applicationType: 0,
      securityType: 0,
      runId: new Uint8Array(8).fill(7),
    }),
  );
  add(s.sdp("ev", encodeSdpRequest({ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP })));
  add(
    s.sdp(
      "evse",
      encodeSdpResponse({
        address: ep.evseIp,
        port: ep.evsePort,
        security: SDP_SECURITY_NONE,
        transport: SDP_TRANSPORT_TCP,
      }),
    ),
  );
  add(...s.connect());
  const v2g = (from: "ev" | "evse", exi: Uint8Array) =>
    add(...s.v2gtp(from, encodeV2gtpMessage(0x8001, exi)));
  v2g(
    "ev",
    appHandshake.encodeDocument({
      supportedAppProtocolReq: {
        AppProtocol: [
          {
            ProtocolNamespace: "urn:din:70121:2012:MsgDef",
            VersionNumberMajor: 2,
            VersionNumberMinor: 0,
            SchemaID: 1,
            Priority: 1,
          },
        ],
      },
    }),
  );
  v2g(
    "evse",
    appHandshake.encodeDocument({
      supportedAppProtocolRes: { ResponseCode: "OK_SuccessfulNegotiation", SchemaID: 1 },
    }),
  );
  v2g(
    "ev",
    din.encodeDocument({
      V2G_Message: {
        Header: { SessionID: Uint8Array.of(0) },
        Body: { SessionSetupReq: { EVCCID: ep.evMac } },
      },
    } as never),
  );
  v2g(
    "evse",
    din.encodeDocument({
      V2G_Message: {
        Header: { SessionID: SESSION_ID },
        Body: { SessionSetupRes: { ResponseCode: "OK_NewSessionEstablished", EVSEID: Uint8Array.of(0) } },
      },
    } as never),
  );
  add(...s.close("ev"));
  return {
    frames,
    expected: [
      "slac ev CM_SLAC_PARM.REQ",
      "sdp ev SdpReq",
      "sdp evse SdpRes",
      "tcp ev TcpConnect",
      "v2g ev supportedAppProtocolReq",
      "v2g evse supportedAppProtocolRes",
      "v2g ev SessionSetupReq",
      "v2g evse SessionSetupRes",
      "tcp ev TcpClose",
      "tcp evse TcpClose",
    ],
  };
}

function decode(file: Uint8Array): CaptureEvent[] {
  const r = createCaptureReader();
  const d = createCaptureDecoder();
  const ev: CaptureEvent[] = [];
  for (const rec of r.push(file)) ev.push(...d.push(rec));
  assert.equal(r.end(), 0);
  ev.push(...d.end());
  return ev;
}

for (const mss of [1440, 7]) {
  test(`synth + pcapng writer (mss ${mss}): our decoder reads the session back; checksums verify`, () => {
    const { frames, expected } = session(mss);
    const file = framesToPcapng(frames);
    const ev = decode(file);
    assert.deepEqual(
      ev.map((e) => `${e.layer} ${e.from} ${e.type}`),
      expected,
    );
    assert.ok(
      ev.every((e) => !e.error),
      JSON.stringify(ev.filter((e) => e.error)),
    );
    const setup = ev.find((e) => e.type === "SessionSetupRes");
    assert.equal(setup?.schema, "din");
    assert.deepEqual(
      (setup?.message as { Header: { SessionID: Uint8Array } } | undefined)?.Header.SessionID,
      SESSION_ID,
    );
    assert.ok(Math.abs(ev[0]!.t) < 1e-9 && Math.abs(ev[1]!.t - 0.001) < 1e-6, "relative ns timestamps");
    for (const rec of createCaptureReader().push(file)) {
      const l = decodeLink((rec as CapturedPacket).linkType, (rec as CapturedPacket).data);
      if (l?.etherType !== 0x86dd) continue;
      const ip = l.payload;
      assert.equal(
        ipv6UpperChecksum(ip.subarray(8, 24), ip.subarray(24, 40), ip[6]!, ip.subarray(40)),
        0,
        "checksum",
      );
    }
  });
}

test("a recorded session opens in tshark without errors, with good checksums and the same V2GTP count", async (t) => {
  const tshark = findTshark();
  if (!tshark) {
    t.skip("tshark not installed (CI installs it)");
    return;
  }
  const path = join(mkdtempSync(join(tmpdir(), "nacs-synth-")), "session.pcapng");
  writeFileSync(path, framesToPcapng(session(7).frames));
  const out = execFileSync(
    tshark,
    [
      "-r",
      path,
      "-o",
      "tcp.check_checksum:TRUE",
      "-o",
      "udp.check_checksum:TRUE",
      "-T",
      "fields",
      "-e",
      "tcp.checksum.status",
      "-e",
      "udp.checksum.status",
      "-e",
      "_ws.expert.message",
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  const rows = out
    .trim()
    .split("\n")
    .map((r) => r.split("\t"));
  assert.ok(rows.length >= 20);
  for (const [tcp, udp] of rows)
    assert.ok(tcp === "1" || udp === "1" || (tcp === "" && udp === ""), `checksum status ${tcp}/${udp}`);
  assert.ok(!/malformed|bad checksum/i.test(out), out);
  assert.equal(await tsharkV2gtpCount(tshark, path), 4);
});
