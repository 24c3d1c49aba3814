/**
 * The EVSE network port's test-only hooks (the conformance tester playing the SECC, `--sut evcc`): with
 * `wireHook` the SECC controller's responses go through the hook (which may change them) and not straight
 * to the socket; with `sdpHook` an SDP request the hook refuses never reaches the controller. Loopback.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeSdpRequest, SDP_SECURITY_NONE, SDP_TRANSPORT_TCP } from "../../../v2g/index.js";
import type { V2gWireHook } from "./shared.js";
import { connect, discover, EXI, settle, startPair } from "./test-support.js";

const T = { timeout: 10_000 };

test(
  "evse wireHook: the controller's send goes through the hook; the car receives what the hook sends",
  T,
  async () => {
    const seen: string[] = [];
    const hook: V2gWireHook = {
      send(conn, m) {
        seen.push(m.name);
        conn.send(m.payloadType, Uint8Array.of(...m.bytes, 0xee));
      },
    };
    const p = await startPair({ evse: { wireHook: hook } });
    try {
      await connect(p, await discover(p));
      const atEv = p.evEvents.next("v2g-message");
      p.evse.perform({ kind: "v2g-send", payloadType: EXI, bytes: Uint8Array.of(1, 2), name: "TestRes" });
      assert.deepEqual([...(await atEv).bytes], [1, 2, 0xee]);
      assert.deepEqual(seen, ["TestRes"]);
    } finally {
      await p.close();
    }
  },
);

test("evse sdpHook: a refused SDP request never reaches the controller; the next one does", T, async () => {
  let n = 0;
  const p = await startPair({ evse: { sdpHook: () => ++n > 1 } });
  try {
    const request = encodeSdpRequest({ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP });
    p.ev.perform({ kind: "sdp-send", datagram: request });
    await settle(200);
    assert.equal(n, 1);
    assert.equal(p.evseEvents.of("sdp-request").length, 0, "the first is dropped");
    const got = p.evseEvents.next("sdp-request");
    p.ev.perform({ kind: "sdp-send", datagram: request });
    await got;
    assert.equal(n, 2);
  } finally {
    await p.close();
  }
});
