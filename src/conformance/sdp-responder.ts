/**
 * `nacs conformance --secc ADDR:PORT`: the SECC's address is known, so SDP (ISO 15118-2 §7.10.1) is answered
 * on this host for it — a UDP socket on [::1] that answers every SDP request with ADDR and PORT — and the
 * tester's EV, which always starts with SDP, is pointed at it. The EV controller runs unchanged. Node-only.
 */
import { createSocket } from "node:dgram";
import {
  decodeSdpRequest,
  encodeSdpResponse,
  parseIpv6,
  SDP_SECURITY_NONE,
  SDP_SECURITY_TLS,
  SDP_TRANSPORT_TCP,
} from "../v2g/index.js";
import { ConformanceError } from "./errors.js";

/** A running local SDP responder. */
export interface SdpResponder {
  /** Where the EV sends its SDP requests. */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Parse `ADDR:PORT` / `[ADDR]:PORT` (IPv6, optionally with a %zone). */
export function parseSeccAddress(text: string): { address: string; port: number } {
  const m = /^\[?([0-9a-fA-F:.]+(?:%[\w.-]+)?)\]?:(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m?.[1] || !(port >= 1 && port <= 65535))
    throw new ConformanceError("bad-selection", `--secc ${text}: must be [IPV6]:PORT, e.g. [fe80::1]:50000`);
  return { address: m[1], port };
}

/** Answer SDP for the SECC at `secc`, with the security the EV asks for when `tls` matches. */
export async function startSdpResponder(
  secc: { address: string; port: number },
  tls: boolean,
): Promise<SdpResponder> {
  const address = parseIpv6(secc.address.split("%")[0] ?? secc.address);
  const sock = createSocket({ type: "udp6", ipv6Only: true });
  sock.on("message", (msg, rinfo) => {
    try {
      decodeSdpRequest(Uint8Array.from(msg));
    } catch {
      return; // not an SDP request: ignored
    }
    const reply = encodeSdpResponse(
      {
        address,
        port: secc.port,
        security: tls ? SDP_SECURITY_TLS : SDP_SECURITY_NONE,
        transport: SDP_TRANSPORT_TCP,
      },
      { allowAnyPort: true },
    );
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once("error", reject);
    sock.bind(0, "::1", () => {
      sock.removeAllListeners("error");
      resolve();
    });
  });
  return {
    address: "::1",
    port: sock.address().port,
    close: () => new Promise<void>((r) => sock.close(() => r())),
  };
}
