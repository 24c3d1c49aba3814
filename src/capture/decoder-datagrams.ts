/**
 * SLAC MMEs (EtherType 0x88E1) and SDP datagrams (UDP 15118) as capture events, for the capture decoder:
 * who sent each (an EV-only or EVSE-only MME kind, else the MAC seen with one before; an SDP request comes
 * from the EV), the decoded message, or the error with the bytes as `hex`. Pure code.
 */
import { decodeMme, type Mme } from "../slac/index.js";
import {
  decodeSdpRequest,
  decodeSdpResponse,
  formatIpv6,
  SDP_SERVER_PORT,
  V2gtpPayloadType,
} from "../v2g/index.js";
import type { CaptureEvent } from "./events.js";
import type { UdpDatagram } from "./ip.js";
import { bytesToHex } from "./keylog.js";
import type { CapturedDamage, CapturedPacket } from "./reader-types.js";

const SLAC_EV_KINDS = new Set([
  "CM_SLAC_PARM.REQ",
  "CM_START_ATTEN_CHAR.IND",
  "CM_MNBC_SOUND.IND",
  "CM_ATTEN_CHAR.RSP",
  "CM_VALIDATE.REQ",
  "CM_SLAC_MATCH.REQ",
]);
const SLAC_EVSE_KINDS = new Set([
  "CM_SLAC_PARM.CNF",
  "CM_ATTEN_PROFILE.IND",
  "CM_ATTEN_CHAR.IND",
  "CM_VALIDATE.CNF",
  "CM_SLAC_MATCH.CNF",
]);

const MAX_HEX_BYTES = 4096;

/** The bytes of an event's `hex` (at most the first 4096). */
export function hexOf(b: Uint8Array): string {
  return bytesToHex(b.length > MAX_HEX_BYTES ? b.subarray(0, MAX_HEX_BYTES) : b);
}

/** MACs (hex) seen sending EV-only or EVSE-only MMEs, to tell who sent an MME both sides use. */
export interface SlacMacs {
  readonly ev: Set<string>;
  readonly evse: Set<string>;
}

/** One SLAC MME (the Ethernet payload, `src` its source MAC) as an event; learns the sender into `macs`. */
export function slacEvent(
  payload: Uint8Array,
  src: Uint8Array | undefined,
  t: number,
  frame: number,
  macs: SlacMacs,
  hex: boolean | undefined,
): CaptureEvent {
  const mac = src ? bytesToHex(src) : "";
  const ev: CaptureEvent = { t, frame, layer: "slac", from: "unknown", schema: "homeplug", type: "MME" };
  try {
    const { mme } = decodeMme(payload);
    ev.type = mme.kind === "unknown" ? `MME 0x${mme.mmtype.toString(16).padStart(4, "0")}` : mme.kind;
    if (SLAC_EV_KINDS.has(mme.kind)) {
      ev.from = "ev";
      if (mac) macs.ev.add(mac);
    } else if (SLAC_EVSE_KINDS.has(mme.kind)) {
      ev.from = "evse";
      if (mac) macs.evse.add(mac);
    } else if (macs.ev.has(mac)) ev.from = "ev";
    else if (macs.evse.has(mac)) ev.from = "evse";
    ev.message = slacMessage(mme, src);
    if (hex) ev.hex = hexOf(payload);
  } catch (e) {
    ev.error = { message: (e as Error).message, code: (e as { code?: string }).code ?? "SLAC" };
    ev.hex = hexOf(payload);
  }
  return ev;
}

function slacMessage(mme: Mme, src: Uint8Array | undefined): Record<string, unknown> {
  const m: Record<string, unknown> = { ...mme };
  if (src && src.length === 6) m.src = Array.from(src, (b) => b.toString(16).padStart(2, "0")).join(":");
  return m;
}

/** True for an SDP datagram: to or from UDP port 15118, with a V2GTP header (version 0x01, 0xFE). */
export function isSdpDatagram(udp: UdpDatagram): boolean {
  const p = udp.payload;
  return (
    (udp.dstPort === SDP_SERVER_PORT || udp.srcPort === SDP_SERVER_PORT) && p[0] === 0x01 && p[1] === 0xfe
  );
}

/** One SDP datagram as an event; the port of an SDP response goes into `seccPorts` (the SECC's TCP port). */
export function sdpEvent(
  udp: UdpDatagram,
  t: number,
  frame: number,
  seccPorts: Set<number>,
  hex: boolean | undefined,
): CaptureEvent {
  const p = udp.payload;
  const pt = (p[2]! << 8) | p[3]!;
  const isReq =
    pt === V2gtpPayloadType.sdpRequest ||
    (pt !== V2gtpPayloadType.sdpResponse && udp.dstPort === SDP_SERVER_PORT);
  const ev: CaptureEvent = {
    t,
    frame,
    layer: "sdp",
    from: isReq ? "ev" : "evse",
    schema: "sdp",
    type: isReq ? "SdpReq" : "SdpRes",
    payloadType: pt,
  };
  try {
    if (isReq) ev.message = decodeSdpRequest(p);
    else {
      const r = decodeSdpResponse(p);
      seccPorts.add(r.port);
      const { warnings, ...rest } = r;
      ev.message = { ...rest, address: formatIpv6(r.address) };
      if (warnings.length > 0) ev.warnings = warnings;
    }
    if (hex) ev.hex = hexOf(p);
  } catch (e) {
    const x = e as { message?: string; code?: string };
    ev.error = { message: x.message ?? String(e), ...(x.code ? { code: x.code } : {}) };
    ev.hex = hexOf(p);
  }
  return ev;
}

/** The event of a damaged stretch of the capture file the reader skipped (layer `capture`). */
export function damageEvent(rec: CapturedDamage, t: number, frame: number): CaptureEvent {
  const last = rec.offset + rec.skipped - 1;
  return {
    t,
    frame,
    layer: "capture",
    from: "unknown",
    type: rec.truncated ? "CaptureTruncated" : "CaptureDamage",
    message: { offset: rec.offset, skipped: rec.skipped, afterFrame: frame },
    error: {
      message: rec.truncated
        ? `bytes ${rec.offset}–${last} (${rec.skipped} bytes) ignored: ${rec.reason}`
        : `bytes ${rec.offset}–${last} (${rec.skipped} bytes) skipped: ${rec.reason}; resynchronised at byte ${last + 1}`,
      code: rec.truncated ? "CAPTURE_TRUNCATED" : "CAPTURE_DAMAGED",
    },
  };
}

/** The warning event for the first packet of an interface whose link type is not supported. */
export function unknownLinkEvent(rec: CapturedPacket, t: number, frame: number): CaptureEvent {
  return {
    t,
    frame,
    layer: "capture",
    from: "unknown",
    type: "UnknownLinkType",
    message: { interface: rec.interfaceId, linkType: rec.linkType },
    warnings: [
      `interface ${rec.interfaceId}: link type ${rec.linkType} is not supported (Ethernet 1, Linux cooked 113/276, raw IP 101/228/229, loopback 0/108): its packets are not decoded`,
    ],
  };
}
