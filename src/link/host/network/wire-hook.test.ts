/**
 * The test-only wire hook of a network port's V2G slot (the conformance tester's interceptor): with a hook,
 * the controller's sends go to the hook instead of the socket, a received message the hook refuses never
 * reaches the controller (the wire tap still sees it), and a connection the hook keeps is not closed when
 * the controller closes it; a close the hook hides does not reach the controller. Without a hook nothing
 * changes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { silentLogger } from "../../logger.js";
import { createMemoryLink } from "../../memory.js";
import type { V2gConnection } from "../../types.js";
import type { HostWireEvent } from "../wire-tap.js";
import { type CommonNetworkEvent, emptyNetworkStats, V2gSlot, type V2gWireHook } from "./shared.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

function slotWith(hook: V2gWireHook | undefined) {
  const pushed: CommonNetworkEvent[] = [];
  const tapped: HostWireEvent[] = [];
  const slot = new V2gSlot({
    push: (e) => pushed.push(e),
    now: () => 0,
    tap: (_t, e) => tapped.push(e),
    log: silentLogger,
    stats: emptyNetworkStats(),
    side: "ev",
    hook,
  });
  const [ours, peer] = createMemoryLink();
  const atPeer: number[][] = [];
  peer.onMessage((m) => atPeer.push([...m.payload]));
  slot.adopt(ours, slot.next("test"));
  return { slot, ours, peer, pushed, tapped, atPeer };
}

test("the hook carries the controller's send: changed bytes reach the peer, not the controller's", async () => {
  const seen: string[] = [];
  const hook: V2gWireHook = {
    send(conn, m) {
      seen.push(m.name);
      conn.send(m.payloadType, Uint8Array.of(9, 9));
    },
  };
  const { slot, atPeer } = slotWith(hook);
  slot.send(0x8001, Uint8Array.of(1, 2, 3), "SessionSetupReq");
  await tick();
  assert.deepEqual(seen, ["SessionSetupReq"]);
  assert.deepEqual(atPeer, [[9, 9]]);
});

test("a message the hook refuses is tapped but not pushed to the controller", async () => {
  let n = 0;
  const { peer, pushed, tapped } = slotWith({ send: () => {}, receive: () => n++ > 0 });
  peer.send(0x8001, Uint8Array.of(1));
  peer.send(0x8001, Uint8Array.of(2));
  await tick();
  const msgs = pushed.filter((e) => e.kind === "v2g-message");
  assert.deepEqual(
    msgs.map((e) => e.kind === "v2g-message" && [...e.bytes]),
    [[2]],
  );
  assert.equal(tapped.filter((e) => e.kind === "v2gtp" && e.dir === "rx").length, 2);
});

test("a connection the hook keeps stays open when the controller closes it; otherwise it closes", async () => {
  let kept: V2gConnection | null = null;
  const a = slotWith({
    send: () => {},
    close(conn) {
      kept = conn;
      return true;
    },
  });
  a.slot.close("controller done");
  await tick();
  assert.equal(a.ours.isClosed, false);
  assert.equal(kept, a.ours);
  const b = slotWith(undefined);
  b.slot.close("controller done");
  await tick();
  assert.equal(b.ours.isClosed, true);
});

test("without a hook the controller's bytes go to the peer as they are", async () => {
  const { slot, atPeer } = slotWith(undefined);
  slot.send(0x8001, Uint8Array.of(1, 2, 3), "SessionSetupReq");
  await tick();
  assert.deepEqual(atPeer, [[1, 2, 3]]);
});

test("a close the hook hides is tapped but not pushed to the controller (v2g-closed); otherwise it is", async () => {
  const a = slotWith({ send: () => {}, closed: () => false });
  a.ours.close("dropped by the tester");
  await tick();
  assert.equal(a.pushed.filter((e) => e.kind === "v2g-closed").length, 0);
  assert.ok(a.tapped.some((e) => e.kind === "tcp-close"));
  const b = slotWith({ send: () => {}, closed: () => true });
  b.ours.close("closed by the peer");
  await tick();
  assert.equal(b.pushed.filter((e) => e.kind === "v2g-closed").length, 1);
});
