import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { test } from "node:test";
import {
  encodeSdpRequest,
  formatIpv6,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
  SDP_TRANSPORT_UDP,
} from "../v2g/index.js";
import { LinkError, SdpTimeoutError } from "./errors.js";
import { createCaptureLogger } from "./logger.js";
import { sdpDiscover } from "./sdp-client.js";
import { chooseSdpSecurity, startSdpServer } from "./sdp-server.js";
import { LOOPBACK } from "./test-support.js";

const SECC = "fe80::1234:5678";

test("chooseSdpSecurity: requested security when offered, else the one offered", () => {
  const both = { tls: 50001, tcp: 50000 };
  assert.deepEqual(chooseSdpSecurity(SDP_SECURITY_TLS, both), { security: SDP_SECURITY_TLS, port: 50001 });
  assert.deepEqual(chooseSdpSecurity(SDP_SECURITY_NONE, both), { security: SDP_SECURITY_NONE, port: 50000 });
  assert.deepEqual(chooseSdpSecurity(SDP_SECURITY_TLS, { tcp: 50000 }), {
    security: SDP_SECURITY_NONE,
    port: 50000,
  });
  assert.deepEqual(chooseSdpSecurity(SDP_SECURITY_NONE, { tls: 50001 }), {
    security: SDP_SECURITY_TLS,
    port: 50001,
  });
});

test("sdp: server on [::1] answers per security byte; client (unicast target ::1) gets address and port", async () => {
  const log = createCaptureLogger();
  const server = await startSdpServer({
    address: SECC,
    ports: { tls: 50001, tcp: 50000 },
    port: 0,
    bindAddress: LOOPBACK,
    logger: log,
  });
  try {
    const base = { target: LOOPBACK, port: server.port, bindAddress: LOOPBACK, tryTimeoutMs: 100, tries: 5 };
    const tls = await sdpDiscover({ ...base, security: SDP_SECURITY_TLS });
    assert.equal(formatIpv6(tls.address), SECC);
    assert.equal(tls.host, SECC);
    assert.equal(tls.port, 50001);
    assert.equal(tls.security, SDP_SECURITY_TLS);
    assert.equal(tls.transport, SDP_TRANSPORT_TCP);
    assert.equal(tls.tries, 1);
    const plain = await sdpDiscover({ ...base, security: SDP_SECURITY_NONE, iface: "lo" });
    assert.equal(plain.port, 50000);
    assert.equal(plain.security, SDP_SECURITY_NONE);
    assert.equal(plain.host, `${SECC}%lo`, "link-local answer is scoped with the interface");
    const udp = await sdpDiscover({ ...base, security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_UDP });
    assert.equal(udp.transport, SDP_TRANSPORT_TCP);
    assert.equal(server.stats.answered, 3);
    assert.ok(log.records.some((r) => /UDP transport/.test(r.msg)));
  } finally {
    await server.close();
  }
});

test("sdp: server ignores garbage datagrams and keeps answering", async () => {
  const log = createCaptureLogger();
  const server = await startSdpServer({
    address: SECC,
    ports: { tcp: 50000 },
    port: 0,
    bindAddress: LOOPBACK,
    logger: log,
  });
  try {
    const s = createSocket("udp6");
    await new Promise<void>((r) => s.send(Uint8Array.of(1, 2, 3), server.port, LOOPBACK, () => r()));
    await new Promise<void>((r) =>
      s.send(encodeSdpRequest({ security: 0x10, transport: 0 }).subarray(0, 9), server.port, LOOPBACK, () =>
        r(),
      ),
    );
    s.close();
    const r = await sdpDiscover({
      security: SDP_SECURITY_NONE,
      target: LOOPBACK,
      port: server.port,
      bindAddress: LOOPBACK,
      tries: 5,
      tryTimeoutMs: 100,
    });
    assert.equal(r.port, 50000);
    assert.equal(server.stats.ignored, 2);
    assert.ok(log.records.some((x) => x.level === "warn" && /ignoring datagram/.test(x.msg)));
  } finally {
    await server.close();
  }
});

test("sdp: no server → SdpTimeoutError after tries × tryTimeoutMs (measured); invalid replies are ignored", async () => {
  // A fake "SECC" that answers every request with garbage: the client must keep waiting and then time out.
  const fake = createSocket({ type: "udp6", ipv6Only: true });
  fake.on("message", (_m, rinfo) =>
    fake.send(Uint8Array.of(0x01, 0xfe, 0x90, 0x01, 0, 0, 0, 0), rinfo.port, rinfo.address),
  );
  await new Promise<void>((r) => fake.bind(0, LOOPBACK, () => r()));
  const log = createCaptureLogger();
  try {
    const t0 = performance.now();
    const tries = 4;
    const tryTimeoutMs = 60;
    const err = await sdpDiscover({
      security: SDP_SECURITY_TLS,
      target: LOOPBACK,
      port: fake.address().port,
      bindAddress: LOOPBACK,
      tries,
      tryTimeoutMs,
      logger: log,
    }).then(
      () => assert.fail("expected a timeout"),
      (e: unknown) => e,
    );
    const elapsed = performance.now() - t0;
    assert.ok(err instanceof SdpTimeoutError);
    assert.equal(err.code, "sdp-timeout");
    assert.equal(err.tries, tries);
    assert.ok(elapsed >= tries * tryTimeoutMs - 5, `timed out after ${elapsed.toFixed(0)} ms`);
    assert.ok(elapsed < tries * tryTimeoutMs + 1000, `timed out only after ${elapsed.toFixed(0)} ms`);
    assert.equal(log.records.filter((r) => /ignoring datagram/.test(r.msg)).length, tries);
  } finally {
    fake.close();
  }
});

test("sdp: options are checked; abort signal stops discovery", async () => {
  await assert.rejects(
    sdpDiscover({ security: SDP_SECURITY_TLS }),
    (e: unknown) => e instanceof LinkError && e.code === "bad-option",
  );
  await assert.rejects(
    sdpDiscover({ security: SDP_SECURITY_TLS, target: LOOPBACK, tries: 0 }),
    /tries: 0, must be an integer ≥ 1/,
  );
  await assert.rejects(startSdpServer({ address: SECC, ports: {} }), /at least one of tls, tcp/);
  const ac = new AbortController();
  const p = sdpDiscover({
    security: SDP_SECURITY_TLS,
    target: LOOPBACK,
    port: 9,
    bindAddress: LOOPBACK,
    signal: ac.signal,
  });
  setTimeout(() => ac.abort(new Error("stop")), 30);
  await assert.rejects(p, /stop/);
});
