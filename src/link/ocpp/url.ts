/**
 * The CSMS address of a charging station: `ws[s]://HOST[:PORT]/PATH/IDENTITY` — the station's identity is
 * the last path segment (OCPP 2.0.1 Part 4, OCPP-J: the connection URL), what comes before it the endpoint.
 */
import { OcppLinkError } from "./errors.js";

/** The RPC endpoint and the station identity of a CSMS URL. Throws OcppLinkError("bad-url"). */
export function splitCsmsUrl(url: string): { endpoint: string; identity: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch (err) {
    throw new OcppLinkError("bad-url", `--ocpp ${JSON.stringify(url)}: not a URL`, { cause: err });
  }
  if (u.protocol !== "ws:" && u.protocol !== "wss:")
    throw new OcppLinkError("bad-url", `--ocpp ${JSON.stringify(url)}: the scheme must be ws or wss`);
  const parts = u.pathname.split("/").filter((x) => x.length > 0);
  const last = parts.pop();
  if (last === undefined)
    throw new OcppLinkError(
      "bad-url",
      `--ocpp ${JSON.stringify(url)}: the path must end with the station identity`,
    );
  const identity = decodeURIComponent(last);
  if (!/^[\x21-\x7e]{1,48}$/.test(identity) || identity.includes(":"))
    throw new OcppLinkError(
      "bad-url",
      `--ocpp: identity ${JSON.stringify(identity)} must be 1–48 printable ASCII characters without ":"`,
    );
  return { endpoint: `${u.protocol}//${u.host}${parts.length ? `/${parts.join("/")}` : ""}`, identity };
}
