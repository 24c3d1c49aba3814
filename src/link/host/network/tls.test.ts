import assert from "node:assert/strict";
import { before, test } from "node:test";
import { makeTestPki, type TestPki } from "../../../../tools/pki/make-test-pki.js";
import { connect, discover, EXI, startPair } from "./test-support.js";

const T = { timeout: 15_000 };
let pki: TestPki;

before(() => {
  pki = makeTestPki({ seccId: "ZZNACS1" });
});

test("tls: SDP, TLS 1.2 connect with the test PKI, messages both ways, close", T, async () => {
  const p = await startPair({
    evse: { v2g: { host: "::1", tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem } } },
    ev: { tls: { ca: pki.v2gRoot.certPem } },
  });
  try {
    assert.equal(p.evse.transport, "tls");
    assert.equal(p.ev.transport, "tls");
    await connect(p, await discover(p));
    const atEvse = p.evseEvents.next("v2g-message");
    p.ev.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(0x80, 1), name: "TestReq" });
    assert.deepEqual([...(await atEvse).bytes], [0x80, 1]);
    const atEv = p.evEvents.next("v2g-message");
    p.evse.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(0x80, 2), name: "TestRes" });
    assert.deepEqual([...(await atEv).bytes], [0x80, 2]);
    const open = p.tap.ev.find((e) => e.kind === "tcp-open");
    assert.ok(open?.kind === "tcp-open" && open.transport === "tls");

    const closed = p.evEvents.next("v2g-closed");
    p.evse.perform({ kind: "v2g-close", reason: "done" });
    assert.match((await closed).reason, /peer-closed/);
  } finally {
    await p.close();
  }
});

test("tls: an SECC chain the EV does not trust → v2g-closed with the certificate error", T, async () => {
  const p = await startPair({
    evse: { v2g: { host: "::1", tls: { key: pki.rogueSeccLeaf.keyPem, cert: pki.rogueChainPem } } },
    ev: { tls: { ca: pki.v2gRoot.certPem } },
  });
  try {
    const to = await discover(p);
    const closed = p.evEvents.next("v2g-closed");
    p.ev.perform({ kind: "v2g-connect", address: to.address, port: to.port });
    assert.match((await closed).reason, /connect failed: .*certificate refused/);
    assert.equal(p.evEvents.of("v2g-connected").length, 0);
    // Node verifies the chain once the TLS 1.2 handshake is done, so the SECC may have seen the connection
    // complete; then it also sees it close.
    if (p.evseEvents.of("v2g-connected").length > 0) await p.evseEvents.next("v2g-closed", 0);
  } finally {
    await p.close();
  }
});
