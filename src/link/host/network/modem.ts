/**
 * The local PLC modem of a network port (`--modem none|qca`), between the raw SLAC frame port and the
 * controller. "none" (a plain Ethernet link, a veth, a lab switch): each received CM_MNBC_SOUND.IND
 * carries the fixed attenuation of `noneModem`, and a `slac-set-key` needs nothing. "qca" (a
 * QCA7000-family modem): `slac-set-key` becomes CM_SET_KEY.REQ to the modem (ISO 15118-3 §A.9.5), the
 * vendor link status is polled until the modem has joined the logical network and then reported as a
 * `modem-link` event; the modem's own frames (VS_LINK_STATUS.CNF) never reach the controller.
 */

import { realClock } from "../../../machine/index.js";
import type { SlacFrame } from "../../../slac/index.js";
import { type ModemAdapter, noneModem, qcaModem } from "../../../slac/run/index.js";

/** The local modem of a network port. */
export type ModemKind = "none" | "qca";

/** A modem between the frame port and the controller. */
export interface PortModem {
  /** A received frame: null when the modem consumed it, else the attenuation to attach (sounds, "none"). */
  receive(frame: SlacFrame): { attenuationDb?: number[] } | null;
  /** Carry out `slac-set-key`. */
  setKey(nmk: Uint8Array, nid: Uint8Array): void;
  stop(): void;
}

/** The modem adapter of `kind` for a port whose host MAC is `hostMac`. */
export function createPortModem(o: {
  kind: ModemKind;
  hostMac: Uint8Array;
  soundAttenuationDb?: number;
  send(frame: SlacFrame): void;
  onLinkUp(): void;
}): PortModem {
  const m: ModemAdapter =
    o.kind === "qca"
      ? qcaModem({ hostMac: o.hostMac, send: o.send, timers: realClock, onLinkUp: o.onLinkUp })
      : noneModem(o.soundAttenuationDb);
  return {
    receive(frame) {
      if (m.onFrame(frame)) return null;
      const atten = m.attenuationFor(frame);
      return atten ? { attenuationDb: atten } : {};
    },
    setKey: (nmk, nid) => m.setKey(nmk, nid),
    stop: () => m.stop(),
  };
}
