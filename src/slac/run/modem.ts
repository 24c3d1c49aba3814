/**
 * Local-modem adapters of the real-time driver (`--modem none|qca`).
 *
 * "none" (default on non-PLC interfaces): nobody answers CM_SET_KEY and there is no CM_ATTEN_PROFILE.IND;
 * the EVSE measures attenuation itself, i.e. each received CM_MNBC_SOUND.IND carries a fixed profile of
 * MODEM_NONE_SOUND_ATTENUATION_DB per group (a wire has no signal loss to measure).
 *
 * "qca" (a QCA7000-family modem on the interface): `set-key` becomes CM_SET_KEY.REQ to the modem, whose
 * CM_SET_KEY.CNF and CM_ATTEN_PROFILE.IND reach the state machine as frames; after CM_SET_KEY the adapter
 * polls the vendor VS_LINK_STATUS every QCA_LINK_POLL_INTERVAL_MS and reports the link up once the modem
 * says it joined (layout status U, see constants.ts).
 */

import type { Clock } from "../../machine/index.js";
import { AAG_GROUPS, HOMEPLUG_MMV_AV_1_0 } from "../constants.js";
import type { SlacFrame } from "../frame.js";
import { setKeyReqFrame } from "../matching/messages.js";
import {
  MODEM_NONE_SOUND_ATTENUATION_DB,
  QCA_LINK_POLL_INTERVAL_MS,
  QCA_LINK_STATUS_LINKED,
  QCA_LINK_STATUS_OFFSET,
  QCA_LOCAL_MANAGEMENT_MAC,
  QCA_OUI,
  QCA_VS_LINK_STATUS,
} from "./constants.js";

/** What the driver asks of a modem adapter. */
export interface ModemAdapter {
  /** Carry out a `set-key` effect. */
  setKey(nmk: Uint8Array, nid: Uint8Array): void;
  /** Attenuation to attach to a received frame (modem "none", sounds only). */
  attenuationFor(frame: SlacFrame): number[] | undefined;
  /** Give the adapter a received frame first; true = consumed (not for the state machine). */
  onFrame(frame: SlacFrame): boolean;
  /** Stop polling. */
  stop(): void;
}

/** Modem "none": a fixed attenuation profile per received sound, `set-key` needs nothing. */
export function noneModem(soundAttenuationDb = MODEM_NONE_SOUND_ATTENUATION_DB): ModemAdapter {
  if (!Number.isFinite(soundAttenuationDb) || soundAttenuationDb < 0 || soundAttenuationDb > 255) {
    throw new RangeError(`soundAttenuationDb = ${soundAttenuationDb} is not allowed: must be 0..255 dB`);
  }
  const profile = new Array<number>(AAG_GROUPS).fill(soundAttenuationDb);
  return {
    setKey: () => {},
    attenuationFor: (f) => (f.mme.kind === "CM_MNBC_SOUND.IND" ? profile : undefined),
    onFrame: () => false,
    stop: () => {},
  };
}

/** VS_LINK_STATUS.REQ (QCA vendor MME, MMV 0x00, payload = OUI). */
export function qcaLinkStatusReq(hostMac: Uint8Array, modemMac: Uint8Array): SlacFrame {
  return {
    dst: Uint8Array.from(modemMac),
    src: Uint8Array.from(hostMac),
    mme: {
      kind: "unknown",
      mmv: HOMEPLUG_MMV_AV_1_0,
      mmtype: QCA_VS_LINK_STATUS,
      payload: Uint8Array.from(QCA_OUI),
    },
  };
}

/** Link state of a VS_LINK_STATUS.CNF, or undefined when `frame` is not one. */
export function qcaLinkStatus(frame: SlacFrame): boolean | undefined {
  const m = frame.mme;
  if (m.kind !== "unknown" || m.mmtype !== (QCA_VS_LINK_STATUS | 1)) return undefined;
  if (m.payload.length <= QCA_LINK_STATUS_OFFSET) return undefined;
  return m.payload[QCA_LINK_STATUS_OFFSET] === QCA_LINK_STATUS_LINKED;
}

/** Modem "qca": CM_SET_KEY.REQ to the modem, then link polling. */
export function qcaModem(o: {
  hostMac: Uint8Array;
  modemMac?: Uint8Array;
  send: (f: SlacFrame) => void;
  timers: Clock;
  onLinkUp: () => void;
}): ModemAdapter {
  const modemMac = o.modemMac ?? Uint8Array.from(QCA_LOCAL_MANAGEMENT_MAC);
  let poll: unknown;
  let polling = false;
  let reported = false;
  const stopPoll = () => {
    if (poll !== undefined) o.timers.clearTimeout(poll);
    poll = undefined;
    polling = false;
  };
  const tick = () => {
    poll = undefined;
    if (!polling) return;
    o.send(qcaLinkStatusReq(o.hostMac, modemMac));
    poll = o.timers.setTimeout(tick, QCA_LINK_POLL_INTERVAL_MS);
  };
  return {
    setKey(nmk, nid) {
      o.send(setKeyReqFrame(o.hostMac, modemMac, nmk, nid));
      stopPoll();
      reported = false;
      polling = true;
      poll = o.timers.setTimeout(tick, QCA_LINK_POLL_INTERVAL_MS);
    },
    attenuationFor: () => undefined,
    onFrame(frame) {
      const up = qcaLinkStatus(frame);
      if (up === undefined) return false;
      if (up && polling && !reported) {
        reported = true;
        stopPoll();
        o.onLinkUp();
      }
      return true;
    },
    stop: stopPoll,
  };
}
