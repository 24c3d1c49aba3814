/**
 * TLS options of `nacs evse` and `nacs ev`: `--tls-version 1.2|1.3|both` (default 1.2, ISO 15118-2 /
 * DIN 70121 as before), the ISO 15118-20 TLS 1.3 credentials (`--tls13-*` on the EVSE, `--vehicle-*` on
 * the EV) and the TLS configuration built from them and from `--test-pki DIR`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { testPki, testPki20 } from "../../link/host/cli-support.js";
import type { TlsClientConfig, TlsServerConfig, TlsVersion } from "../../link/index.js";
import { UsageError } from "../errors.js";

/** Values of `--tls-version`. */
export const TLS_VERSION_CHOICES = ["1.2", "1.3", "both"] as const;
export type TlsVersionChoice = (typeof TLS_VERSION_CHOICES)[number];

/** Schema of `--tls-version` (optional: its absence means 1.2, and it needs `--tls`). */
export const tlsVersionSchema = z
  .enum(TLS_VERSION_CHOICES, { error: "must be 1.2 (ISO 15118-2/DIN), 1.3 (ISO 15118-20) or both" })
  .optional();

/** The link-layer version list of a `--tls-version` value. */
export function tlsVersionsOf(v: TlsVersionChoice | undefined): TlsVersion[] {
  return v === "both" ? ["1.2", "1.3"] : [v ?? "1.2"];
}

/** How the start line names the TLS versions served: "TLS 1.2", "TLS 1.3", "TLS 1.2 + 1.3". */
export function tlsVersionLabel(v: TlsVersionChoice | undefined): string {
  return `TLS ${tlsVersionsOf(v).join(" + ")}`;
}

/** `--tls-version` without `--tls` is refused, naming the flag. */
export function checkTlsVersionFlag(
  o: { tls: boolean; tlsVersion?: TlsVersionChoice | undefined },
  ctx: z.RefinementCtx,
): void {
  if (o.tlsVersion !== undefined && !o.tls)
    ctx.addIssue({ code: "custom", path: ["tlsVersion"], message: "--tls-version needs --tls" });
}

function readFlag(flag: string, f: string): string {
  try {
    return readFileSync(f, "utf8");
  } catch (e) {
    throw new UsageError(`option ${flag}: cannot read ${f}: ${(e as Error).message}`, flag);
  }
}

/** EVSE options this module reads. */
export interface EvseTlsOptions {
  tls: boolean;
  tlsVersion?: TlsVersionChoice | undefined;
  testPki?: string | undefined;
  tlsKeylog?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  chain?: string | undefined;
  tls13Cert?: string | undefined;
  tls13Key?: string | undefined;
  tls13Chain?: string | undefined;
  tls13ClientCa?: string | undefined;
  tls13ClientCert: "required" | "optional";
}

/** EVSE option rules: the credentials each version needs, named by flag. */
export function checkEvseTlsOptions(o: EvseTlsOptions, ctx: z.RefinementCtx): void {
  checkTlsVersionFlag(o, ctx);
  if (!o.tls || o.testPki) return;
  const versions = tlsVersionsOf(o.tlsVersion);
  if (versions.includes("1.2") && !(o.cert && o.key))
    ctx.addIssue({
      code: "custom",
      path: ["tls"],
      message: "--tls needs --cert and --key (and --chain for the sub-CAs), or --test-pki DIR",
    });
  if (versions.includes("1.3") && !(o.tls13Cert && o.tls13Key))
    ctx.addIssue({
      code: "custom",
      path: ["tlsVersion"],
      message: `--tls-version ${o.tlsVersion} needs --tls13-cert and --tls13-key (and --tls13-chain), or --test-pki DIR`,
    });
  if (versions.includes("1.3") && o.tls13ClientCert === "required" && !o.tls13ClientCa)
    ctx.addIssue({
      code: "custom",
      path: ["tls13ClientCa"],
      message: "mutual TLS (--tls13-client-cert required, the default) needs --tls13-client-ca ROOTS.pem",
    });
}

/** The SECC's TLS configuration, or undefined without `--tls`. */
export async function evseTlsConfig(o: EvseTlsOptions): Promise<TlsServerConfig | undefined> {
  if (!o.tls) return undefined;
  const versions = tlsVersionsOf(o.tlsVersion);
  const keylog = o.tlsKeylog ? { keylogFile: o.tlsKeylog } : {};
  const requireClientCert = o.tls13ClientCert === "required";
  let base: { key: string; cert: string };
  let tls13: TlsServerConfig["tls13"];
  if (o.testPki) {
    const pki = await testPki(o.testPki, true);
    base = { key: pki.key, cert: pki.cert };
    if (versions.includes("1.3")) {
      const p20 = await testPki20(o.testPki, true);
      tls13 = { key: p20.key, cert: p20.cert, clientCa: p20.oemRoot, requireClientCert };
    }
  } else {
    // TLS 1.3 only: the TLS 1.2 material is not used; the -20 material stands in for it.
    base =
      o.cert && o.key
        ? {
            key: readFlag("--key", o.key),
            cert: readFlag("--cert", o.cert) + (o.chain ? readFlag("--chain", o.chain) : ""),
          }
        : { key: "", cert: "" };
    if (versions.includes("1.3")) {
      tls13 = {
        key: readFlag("--tls13-key", o.tls13Key!),
        cert:
          readFlag("--tls13-cert", o.tls13Cert!) +
          (o.tls13Chain ? readFlag("--tls13-chain", o.tls13Chain) : ""),
        requireClientCert,
        ...(o.tls13ClientCa ? { clientCa: readFlag("--tls13-client-ca", o.tls13ClientCa) } : {}),
      };
    }
  }
  return { ...base, versions, ...(tls13 ? { tls13 } : {}), ...keylog };
}

/** EV options this module reads. */
export interface EvTlsOptions {
  tls: boolean;
  tlsVersion?: TlsVersionChoice | undefined;
  testPki?: string | undefined;
  tlsKeylog?: string | undefined;
  trust?: string | undefined;
  vehicleCert?: string | undefined;
  vehicleKey?: string | undefined;
}

/** EV option rules. */
export function checkEvTlsOptions(o: EvTlsOptions, ctx: z.RefinementCtx): void {
  checkTlsVersionFlag(o, ctx);
  if (o.tls && !o.trust && !o.testPki)
    ctx.addIssue({
      code: "custom",
      path: ["tls"],
      message: "--tls needs --trust ROOT.pem or --test-pki DIR",
    });
  if ((o.vehicleCert === undefined) !== (o.vehicleKey === undefined))
    ctx.addIssue({
      code: "custom",
      path: [o.vehicleCert === undefined ? "vehicleCert" : "vehicleKey"],
      message: "--vehicle-cert and --vehicle-key go together",
    });
}

/**
 * The EVCC's TLS configuration, or undefined without `--tls`. With `--test-pki DIR` it trusts the V2G
 * root(s) of the versions offered and presents the -20 vehicle certificate on TLS 1.3.
 */
export async function evTlsConfig(o: EvTlsOptions): Promise<TlsClientConfig | undefined> {
  if (!o.tls) return undefined;
  const versions = tlsVersionsOf(o.tlsVersion);
  const keylog = o.tlsKeylog ? { keylogFile: o.tlsKeylog } : {};
  const vehicle =
    o.vehicleCert && o.vehicleKey
      ? { cert: readFlag("--vehicle-cert", o.vehicleCert), key: readFlag("--vehicle-key", o.vehicleKey) }
      : {};
  if (o.trust) return { ca: readFlag("--trust", o.trust), versions, ...vehicle, ...keylog };
  try {
    const ca: string[] = [];
    if (versions.includes("1.2")) ca.push((await testPki(o.testPki!, false)).root);
    if (versions.includes("1.3")) {
      const p20 = await testPki20(o.testPki!, false);
      ca.push(p20.root);
      if (!vehicle.cert) Object.assign(vehicle, { cert: p20.vehicleCert, key: p20.vehicleKey });
    }
    return { ca, versions, ...vehicle, ...keylog };
  } catch (e) {
    throw new UsageError(`option --test-pki: ${(e as Error).message}`, "--test-pki");
  }
}
