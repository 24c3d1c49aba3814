/**
 * Raw Ethernet on a Linux interface: an AF_PACKET SOCK_RAW socket bound to one interface and
 * one EtherType (default 0x88E1 HomePlug AV, ISO 15118-3), through the N-API addon in native/. Whole
 * Ethernet frames go out as given (the SLAC codec pads to 60 bytes) and come in with their header, without
 * FCS. Receiving runs on Node's own event loop (a uv_poll in the addon), so no thread and no polling.
 * Needs root or CAP_NET_RAW. Implements the SLAC driver's `FramePort` (src/slac/run).
 */
import { ETHERNET_HEADER_LENGTH, ETHERTYPE_HOMEPLUG_AV } from "../../slac/constants.js";
import type { FramePort } from "../../slac/run/types.js";
import { type AddonInterfaceInfo, loadRawAddon } from "./addon.js";
import { RawEthernetError } from "./errors.js";

/** Options of {@link RawEthernetSocket.open}. */
export interface RawEthernetOptions {
  /** Interface name (1–15 bytes), e.g. "eth1" or a veth end. */
  ifname: string;
  /** EtherType to bind to (default 0x88E1, HomePlug AV). */
  etherType?: number;
  /** Also deliver frames this host sent from other sockets (default false). */
  receiveOutgoing?: boolean;
}

/** Interface facts: index, MAC (6 bytes), MTU. */
export type RawInterfaceInfo = AddonInterfaceInfo;

const IFNAME_MAX_BYTES = 15;

function mapErrno(ifname: string, op: string, e: unknown): RawEthernetError {
  const code = (e as { code?: string }).code;
  const what = `raw Ethernet ${op} on "${ifname}"`;
  if (code === "EPERM" || code === "EACCES") {
    return new RawEthernetError(
      "permission-denied",
      `${what} was refused: AF_PACKET sockets need root or CAP_NET_RAW`,
      { cause: e },
    );
  }
  if (code === "ENODEV" || code === "ENXIO") {
    return new RawEthernetError("no-such-interface", `${what}: no such interface in this network namespace`, {
      cause: e,
    });
  }
  if (code === "ENOTSUP") {
    return new RawEthernetError("unsupported-platform", `${what}: AF_PACKET needs Linux`, { cause: e });
  }
  return new RawEthernetError("open-failed", `${what} failed: ${(e as Error).message}`, { cause: e });
}

function checkIfname(ifname: unknown): string {
  if (typeof ifname !== "string" || ifname.length === 0 || Buffer.byteLength(ifname) > IFNAME_MAX_BYTES) {
    throw new RawEthernetError(
      "bad-option",
      `interface name ${JSON.stringify(ifname)} is not allowed: must be 1..${IFNAME_MAX_BYTES} bytes`,
    );
  }
  return ifname;
}

/** Index, MAC and MTU of an interface (loads the addon). */
export function rawInterfaceInfo(ifname: string): RawInterfaceInfo {
  const name = checkIfname(ifname);
  const addon = loadRawAddon();
  try {
    return addon.interfaceInfo(name);
  } catch (e) {
    throw mapErrno(name, "interface lookup", e);
  }
}

/** An open AF_PACKET socket. Create with {@link RawEthernetSocket.open}; close with {@link close}. */
export class RawEthernetSocket implements FramePort {
  readonly ifname: string;
  readonly ifindex: number;
  readonly mac: Uint8Array;
  readonly mtu: number;
  readonly etherType: number;
  private handle: unknown;
  private readonly handlers = new Set<(frame: Uint8Array) => void>();
  private isClosed = false;

  private constructor(o: { ifname: string; etherType: number; info: AddonInterfaceInfo; handle: unknown }) {
    this.ifname = o.ifname;
    this.etherType = o.etherType;
    this.ifindex = o.info.ifindex;
    this.mac = Uint8Array.from(o.info.mac);
    this.mtu = o.info.mtu;
    this.handle = o.handle;
  }

  /** Open and bind a socket. Throws {@link RawEthernetError} (permission-denied, no-such-interface, …). */
  static open(o: RawEthernetOptions): RawEthernetSocket {
    const ifname = checkIfname(o.ifname);
    const etherType = o.etherType ?? ETHERTYPE_HOMEPLUG_AV;
    if (!Number.isInteger(etherType) || etherType < 0x0600 || etherType > 0xffff) {
      throw new RawEthernetError(
        "bad-option",
        `etherType ${etherType} is not allowed: must be an integer 0x0600..0xffff`,
      );
    }
    const addon = loadRawAddon();
    const keepOutgoing = o.receiveOutgoing ?? false;
    let sock: RawEthernetSocket | undefined;
    const onFrame = (frame: Uint8Array, outgoing: boolean) => {
      if (!sock || sock.isClosed || (outgoing && !keepOutgoing)) return;
      const bytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
      for (const h of sock.handlers) h(bytes);
    };
    let opened: AddonInterfaceInfo & { handle: unknown };
    try {
      opened = addon.open(ifname, etherType, onFrame);
    } catch (e) {
      throw mapErrno(ifname, "socket open", e);
    }
    sock = new RawEthernetSocket({ ifname, etherType, info: opened, handle: opened.handle });
    return sock;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Send one whole Ethernet frame (header included, no FCS). */
  send(frame: Uint8Array): void {
    if (this.isClosed)
      throw new RawEthernetError("closed", `raw Ethernet send on "${this.ifname}": socket closed`);
    if (!(frame instanceof Uint8Array) || frame.length < ETHERNET_HEADER_LENGTH) {
      throw new RawEthernetError(
        "bad-option",
        `raw Ethernet frame of ${frame?.length} bytes is not allowed: needs at least the ${ETHERNET_HEADER_LENGTH}-byte header`,
      );
    }
    try {
      loadRawAddon().send(this.handle, frame);
    } catch (e) {
      throw new RawEthernetError(
        "send-failed",
        `raw Ethernet send of ${frame.length} bytes on "${this.ifname}" failed: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }

  /** Receive every frame of the bound EtherType; returns the unsubscribe function. */
  onFrame(handler: (frame: Uint8Array) => void): () => void {
    this.handlers.add(handler);
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Let the process exit while this socket is open (like `net.Socket#unref`). */
  unref(): void {
    if (!this.isClosed) loadRawAddon().unref(this.handle);
  }

  /** Keep the process alive while this socket is open (the default). */
  ref(): void {
    if (!this.isClosed) loadRawAddon().ref(this.handle);
  }

  /** Close the socket (idempotent). */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.handlers.clear();
    loadRawAddon().close(this.handle);
    this.handle = undefined;
  }
}
