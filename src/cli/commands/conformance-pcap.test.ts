/**
 * The pcapng of a conformance case: what the runner recorded on the tester's sockets (the tester's sends as
 * they went out, a malformed deviation included, and the SUT's answers) reads back with our capture reader
 * as the same V2G messages, from the right sides, in order.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createCaptureDecoder, createCaptureReader } from "../../capture/index.js";
import type { CaseResult } from "../../conformance/runner.js";
import type { WireRecord } from "../../conformance/types.js";
import { encodeWire } from "../../conformance/wire-codec.js";
import { encodeV2gtpMessage } from "../../v2g/index.js";
import { casePcapng } from "./conformance-pcap.js";

const local = { address: "::1", port: 50123 };
const remote = { address: "::1", port: 61234 };
const sid = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
const v2g = (dir: "tx" | "rx", atMs: number, message: Uint8Array): WireRecord => ({
  atMs,
  event: { kind: "v2gtp", conn: "c1", dir, message, local, remote },
});

test("a case's pcapng holds its V2G messages in order, the tester's as the EV's", () => {
  const req = encodeWire("din", sid, "SessionStopReq", {});
  const res = encodeWire("din", sid, "SessionStopRes", { ResponseCode: "OK" });
  const wire: WireRecord[] = [
    { atMs: 1000, event: { kind: "tcp-open", conn: "c1", transport: "tcp", local, remote } },
    v2g("tx", 1001, encodeV2gtpMessage(0x8001, req)),
    v2g("rx", 1002, encodeV2gtpMessage(0x8001, res)),
    // a malformed deviation: a V2GTP header with a wrong inverse version byte
    v2g("tx", 1003, Uint8Array.of(0x01, 0x00, 0x80, 0x01, 0, 0, 0, 0)),
    { atMs: 1004, event: { kind: "tcp-close", conn: "c1", by: "remote" } },
  ];
  const r = {
    id: "secc-din-x",
    title: "t",
    verdict: { verdict: "pass" },
    trace: { protocol: "din", events: [], deviationAtMs: null, durationMs: 4, wire },
  } as unknown as CaseResult;
  const pcap = casePcapng(r, { role: "ev", iface: "lo", tls: false });
  assert.ok(pcap);
  const reader = createCaptureReader();
  const decoder = createCaptureDecoder({ schema: "din" });
  const events = [];
  const payloads: Uint8Array[] = [];
  for (const rec of reader.push(pcap))
    if (rec.kind === "packet") {
      payloads.push(rec.data);
      events.push(...decoder.push(rec));
    }
  events.push(...decoder.end());
  assert.deepEqual(
    events.filter((e) => e.layer === "v2g").map((e) => `${e.from} ${e.type}`),
    ["ev SessionStopReq", "evse SessionStopRes"],
  );
  // the malformed header went out as it was (the decoder skips what is not V2GTP)
  const tail = (b: Uint8Array) => [...b.subarray(b.length - 8)].join(",");
  assert.ok(
    payloads.some((b) => tail(b) === "1,0,128,1,0,0,0,0"),
    "the malformed message is in the capture",
  );
  assert.equal(
    casePcapng({ ...r, trace: { ...r.trace, wire: [] } }, { role: "ev", iface: "lo", tls: false }),
    undefined,
  );
});
