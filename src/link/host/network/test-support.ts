/** Helpers for the network port tests (not exported from the package). Everything runs on loopback. */
import type { EvDcEvent } from "../../../ev/dc/index.js";
import type { EvseDcEvent } from "../../../evse/dc/index.js";
import {
  decodeSdpResponse,
  encodeSdpRequest,
  encodeSdpResponse,
  SDP_SECURITY_NONE,
  SDP_TRANSPORT_TCP,
} from "../../../v2g/index.js";
import type { HostWireEvent } from "../wire-tap.js";
import { type EvNetwork, type EvNetworkOptions, startEvNetwork } from "./ev-network.js";
import { type EvseNetwork, type EvseNetworkOptions, startEvseNetwork } from "./evse-network.js";

/** The payload type the tests send (V2GTP 0x8001: EXI-encoded V2G message, ISO 15118-2 §7.8). */
export const EXI = 0x8001;
/** Bound for every wait in these tests. */
export const WAIT_MS = 3000;

/** A recording `push`: every event in order, and waits for one that matches. */
export class Recorder<E extends { kind: string; tMs: number }> {
  readonly events: E[] = [];
  private waiters: { pred: (e: E) => boolean; resolve: (e: E) => void }[] = [];
  readonly push = (e: E): void => {
    this.events.push(e);
    for (const w of [...this.waiters]) {
      if (w.pred(e)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  };
  /** Events of `kind` so far. */
  of<K extends E["kind"]>(kind: K): Extract<E, { kind: K }>[] {
    return this.events.filter((e) => e.kind === kind) as Extract<E, { kind: K }>[];
  }
  /** The next event of `kind` after the `skip` already seen of that kind (default: all seen so far). */
  next<K extends E["kind"]>(kind: K, skip = this.of(kind).length): Promise<Extract<E, { kind: K }>> {
    const seen = this.of(kind);
    if (seen.length > skip) return Promise.resolve(seen[skip]!);
    let count = seen.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timeout waiting for ${kind} #${skip + 1}`));
      }, WAIT_MS);
      const done = (e: E) => {
        clearTimeout(timer);
        resolve(e as Extract<E, { kind: K }>);
      };
      this.waiters.push({ pred: (e) => e.kind === kind && count++ === skip, resolve: done });
    });
  }
}

/** Let sockets deliver whatever is in flight. */
export function settle(ms = 100): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** An EVSE and an EV network port on `lo`, wired to recorders. */
export interface Pair {
  evse: EvseNetwork;
  ev: EvNetwork;
  evseEvents: Recorder<EvseDcEvent>;
  evEvents: Recorder<EvDcEvent>;
  tap: { evse: HostWireEvent[]; ev: HostWireEvent[] };
  close(): Promise<void>;
}

/** Start both ports on loopback; `evse`/`ev` override options. */
export async function startPair(
  o: { evse?: Partial<EvseNetworkOptions>; ev?: Partial<EvNetworkOptions> } = {},
): Promise<Pair> {
  const evseEvents = new Recorder<EvseDcEvent>();
  const evEvents = new Recorder<EvDcEvent>();
  const tap = { evse: [] as HostWireEvent[], ev: [] as HostWireEvent[] };
  const now = () => performance.now();
  const evse = await startEvseNetwork({
    iface: "lo",
    slac: null,
    sdpPort: 0,
    v2g: { host: "::1" },
    push: evseEvents.push,
    now,
    tap: (_t, e) => tap.evse.push(e),
    ...o.evse,
  });
  const ev = await startEvNetwork({
    iface: "lo",
    slac: null,
    sdpServerPort: evse.sdpPort,
    push: evEvents.push,
    now,
    tap: (_t, e) => tap.ev.push(e),
    ...o.ev,
  }).catch(async (e) => {
    await evse.close();
    throw e;
  });
  return {
    evse,
    ev,
    evseEvents,
    evEvents,
    tap,
    close: async () => {
      await Promise.all([ev.close(), evse.close()]);
    },
  };
}

/** SDP request from the EV, reply from the EVSE (its advertised address and port); the decoded reply. */
export async function discover(p: Pair): Promise<{ address: Uint8Array; port: number }> {
  const request = encodeSdpRequest({ security: SDP_SECURITY_NONE, transport: SDP_TRANSPORT_TCP });
  const got = p.evseEvents.next("sdp-request");
  p.ev.perform({ kind: "sdp-send", datagram: request });
  await got;
  const reply = encodeSdpResponse({
    address: p.evse.sdpAddress,
    port: p.evse.v2gPort,
    security: SDP_SECURITY_NONE,
    transport: SDP_TRANSPORT_TCP,
  });
  const res = p.evEvents.next("sdp-response");
  p.evse.perform({ kind: "sdp-reply", datagram: reply });
  const d = decodeSdpResponse((await res).datagram);
  return { address: d.address, port: d.port };
}

/** `v2g-connect` from the EV; resolves once both sides reported `v2g-connected`. */
export async function connect(p: Pair, to: { address: Uint8Array; port: number }): Promise<void> {
  const a = p.evseEvents.next("v2g-connected");
  const b = p.evEvents.next("v2g-connected");
  p.ev.perform({ kind: "v2g-connect", address: to.address, port: to.port });
  await Promise.all([a, b]);
}
