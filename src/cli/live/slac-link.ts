/** The SLAC side of a live host: a raw socket on `--iface` (or none with `--no-slac`) and the host MAC. */
import { webcrypto } from "node:crypto";
import { networkInterfaces } from "node:os";
import { RawEthernetSocket } from "../../link/raw/index.js";
import type { FramePort } from "../../slac/run/types.js";
import type { HostPcapFile } from "../commands/evse.js";
import { UsageError } from "../errors.js";

/** Random bytes for NMKs, run ids and session ids (Web Crypto). */
export const random = (n: number): Uint8Array => webcrypto.getRandomValues(new Uint8Array(n));

/**
 * The raw-socket SLAC port on `iface` and its MAC; with `--no-slac` no port, and the interface's own MAC
 * (a random locally administered one where it has none, as on loopback): the EV's EVCCID. The network port taps the frames for `--pcap` itself, so the socket is returned bare;
 * `close` closes it once the host is done with it.
 */
export function slacLink(
  o: { slac: boolean; iface: string },
  pcap: HostPcapFile | null,
): { slac: FramePort | null; mac: Uint8Array; close(): void } {
  if (!o.slac)
    return { slac: null, mac: interfaceMac(o.iface) ?? Uint8Array.of(0x02, ...random(5)), close() {} };
  let raw: RawEthernetSocket;
  try {
    raw = RawEthernetSocket.open({ ifname: o.iface });
  } catch (e) {
    throw new UsageError(
      `option --iface ${o.iface}: cannot open a raw socket for SLAC: ${(e as Error).message} (root or CAP_NET_RAW needed; --no-slac skips SLAC)`,
      "--iface",
      { cause: e },
    );
  }
  const mac = Uint8Array.from(raw.mac);
  pcap?.recorder.learn({ localMac: mac });
  raw.unref(); // the process may leave while it is open (a host that exits on a signal)
  return { slac: raw, mac, close: () => raw.close() };
}

/** The hardware address of `iface`, or null (unknown interface, or none such as loopback's 00:…:00). */
export function interfaceMac(iface: string, ifs = networkInterfaces()): Uint8Array | null {
  const mac = ifs[iface]?.find((a) => a.mac && a.mac !== "00:00:00:00:00:00")?.mac;
  if (!mac) return null;
  return Uint8Array.from(mac.split(":").map((x) => Number.parseInt(x, 16)));
}
