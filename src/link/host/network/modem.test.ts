/**
 * `--modem qca` on the controllers' network ports: `slac-set-key` becomes CM_SET_KEY.REQ to the local QCA
 * modem, the port polls the modem's link status and tells the controller `modem-link` once it has joined;
 * the modem's vendor frames never reach the controller, its CM_SET_KEY.CNF does (the SLAC machine waits
 * for it). The other end of the port pair plays the modem.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeSlacFrame, encodeSlacFrame, type SlacFrame, setKeyCnfFrame } from "../../../slac/index.js";
import {
  createPortPair,
  QCA_LINK_POLL_INTERVAL_MS,
  QCA_LOCAL_MANAGEMENT_MAC,
  QCA_VS_LINK_STATUS,
} from "../../../slac/run/index.js";
import { type Recorder, settle, startPair } from "./test-support.js";

type PortEvent =
  | { kind: "slac-frame"; frame: SlacFrame; tMs: number }
  | { kind: "modem-link"; up: boolean; tMs: number };

const T = { timeout: 10_000 };
const HOST_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x05);
const MODEM = Uint8Array.from(QCA_LOCAL_MANAGEMENT_MAC);

const linkStatusCnf = (linked: boolean): SlacFrame => ({
  dst: HOST_MAC,
  src: MODEM,
  mme: {
    kind: "unknown",
    mmv: 0,
    mmtype: QCA_VS_LINK_STATUS | 1,
    payload: Uint8Array.from([0, 0xb0, 0x52, 0, linked ? 1 : 0]),
  },
});

for (const side of ["evse", "ev"] as const) {
  test(
    `${side} network port, modem qca: CM_SET_KEY.REQ to the modem, link polled, modem-link once joined`,
    T,
    async () => {
      const wire = createPortPair({ macA: HOST_MAC, macB: MODEM });
      const fromHost: SlacFrame[] = [];
      wire.b.onFrame((bytes) => fromHost.push(decodeSlacFrame(bytes)));
      const p = await startPair({ [side]: { slac: wire.a, modem: "qca", hostMac: HOST_MAC } });
      const port = side === "evse" ? p.evse : p.ev;
      // Both recorders share the two event kinds looked at here.
      const events = (side === "evse" ? p.evseEvents : p.evEvents) as unknown as Recorder<PortEvent>;
      try {
        const nmk = new Uint8Array(16).fill(0x42);
        const nid = new Uint8Array(7).fill(0x17);
        port.perform({ kind: "slac-set-key", nmk, nid });
        await settle(20);
        const req = fromHost[0];
        assert.equal(req?.mme.kind, "CM_SET_KEY.REQ");
        assert.deepEqual([...req!.dst], [...MODEM], "to the modem's local management address");
        if (req?.mme.kind === "CM_SET_KEY.REQ") assert.deepEqual([...req.mme.newKey], [...nmk]);

        // The modem confirms the key: the SLAC machine needs that frame.
        const cnf = events.next("slac-frame");
        wire.b.send(encodeSlacFrame(setKeyCnfFrame(MODEM, HOST_MAC)));
        assert.equal((await cnf).frame.mme.kind, "CM_SET_KEY.CNF");

        // Polling: not joined yet, then joined → one modem-link event; the vendor frames stay in the port.
        await settle(QCA_LINK_POLL_INTERVAL_MS + 100);
        const polls = fromHost.filter((f) => f.mme.kind === "unknown" && f.mme.mmtype === QCA_VS_LINK_STATUS);
        assert.ok(polls.length >= 1, `VS_LINK_STATUS.REQ polled (${polls.length})`);
        wire.b.send(encodeSlacFrame(linkStatusCnf(false)));
        await settle(20);
        assert.equal(events.of("modem-link").length, 0);
        const up = events.next("modem-link");
        wire.b.send(encodeSlacFrame(linkStatusCnf(true)));
        assert.equal((await up).up, true);
        assert.equal(events.of("slac-frame").length, 1, "only CM_SET_KEY.CNF reached the controller");
      } finally {
        await p.close();
      }
    },
  );
}
