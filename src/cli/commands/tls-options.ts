/**
 * TLS options of `nacs evse` and `nacs ev`: `--tls-version 1.2|1.3|both` (default 1.2, ISO 15118-2 /
 * DIN 70121 as before), the ISO 15118-20 TLS 1.3 credentials (`--tls13-*` on the EVSE, `--vehicle-*` on
 * the EV) and the TLS configuration built from them and from `--test-pki DIR`.
 *
 * Several SECC chains, one per V2G root ([V2G2-871]): `nacs evse --secc-chain DIR` (repeatable) adds the
 * chain of DIR — a `nacs pki init` DIR (secc-leaf.chain.pem, secc-leaf.key.pem) or a `--test-pki` DIR
 * (secc-chain.pem, secc-leaf.key), anchored at DIR/v2g-root.pem, with DIR/secc-leaf.ocsp.der stapled when
 * present (read on each request: `nacs pki ocsp DIR` refreshes it). The EVCC's trusted_ca_keys picks one;
 * `--cert`/`--test-pki` (else the first `--secc-chain`) is the default chain ([V2G2-923]).
 * `--ocsp-staple FILE` staples FILE for the default chain. `nacs ev --ocsp require|prefer|off` asks for
 * and checks the staple (link/tls-ocsp.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { testPki, testPki20 } from "../../link/host/cli-support.js";
import type { TlsClientConfig, TlsServerConfig, TlsVersion } from "../../link/index.js";
import type { OcspStaple, SeccChain } from "../../link/tls-config.js";
import { OCSP_MODES, type OcspMode } from "../../link/tls-ocsp.js";
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

/** Schema of `nacs ev --ocsp` (optional: absent = off). */
export const ocspModeSchema = z
  .enum(OCSP_MODES as [OcspMode, ...OcspMode[]], { error: "must be require, prefer or off" })
  .optional();

/** The OCSP response in `file`, read on each status_request (undefined while it is missing or empty). */
export function ocspFromFile(file: string): OcspStaple {
  return () => {
    try {
      const b = readFileSync(file);
      return b.length > 0 ? new Uint8Array(b) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** File layouts a `--secc-chain DIR` may have: `nacs pki init`, then `--test-pki`. */
const CHAIN_LAYOUTS = [
  { cert: "secc-leaf.chain.pem", key: "secc-leaf.key.pem" },
  { cert: "secc-chain.pem", key: "secc-leaf.key" },
] as const;

/** The TLS 1.2 chain of a `--secc-chain DIR` (and its -20 chain, when DIR has the iso20 files). */
export function seccChainFromDir(dir: string): { chain: SeccChain; tls13?: SeccChain } {
  const p = (f: string) => join(dir, f);
  const layout = CHAIN_LAYOUTS.find((l) => existsSync(p(l.cert)) && existsSync(p(l.key)));
  if (!layout)
    throw new UsageError(
      `option --secc-chain: ${dir} holds neither secc-leaf.chain.pem + secc-leaf.key.pem (nacs pki init) nor secc-chain.pem + secc-leaf.key (--test-pki)`,
      "--secc-chain",
    );
  const read = (f: string) => readFlag("--secc-chain", p(f));
  const chain: SeccChain = {
    key: read(layout.key),
    cert: read(layout.cert),
    root: read("v2g-root.pem"),
    ocsp: ocspFromFile(p("secc-leaf.ocsp.der")),
  };
  const i20 = ["iso20-secc-chain.pem", "iso20-secc-leaf.key", "iso20-v2g-root.pem"];
  if (!i20.every((f) => existsSync(p(f)))) return { chain };
  return {
    chain,
    tls13: {
      key: read(i20[1]!),
      cert: read(i20[0]!),
      root: read(i20[2]!),
      ocsp: ocspFromFile(p("iso20-secc-leaf.ocsp.der")),
    },
  };
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
  seccChain?: string[] | undefined;
  ocspStaple?: string | undefined;
  /** `--ocpp-v2g-pki DIR`: the default TLS 1.2 chain comes from DIR's store (cli/commands/ocpp-secc.ts). */
  ocppV2gPki?: string | undefined;
}

/** EVSE option rules: the credentials each version needs, named by flag. */
export function checkEvseTlsOptions(o: EvseTlsOptions, ctx: z.RefinementCtx): void {
  checkTlsVersionFlag(o, ctx);
  for (const [key, flag] of [
    ["seccChain", "--secc-chain"],
    ["ocspStaple", "--ocsp-staple"],
  ] as const)
    if (!o.tls && o[key] !== undefined && o[key].length > 0)
      ctx.addIssue({ code: "custom", path: [key], message: `${flag} needs --tls` });
  if (!o.tls || o.testPki) return;
  const versions = tlsVersionsOf(o.tlsVersion);
  if (versions.includes("1.2") && !(o.cert && o.key) && !o.seccChain?.length && !o.ocppV2gPki)
    ctx.addIssue({
      code: "custom",
      path: ["tls"],
      message:
        "--tls needs --cert and --key (and --chain for the sub-CAs), --test-pki DIR, --secc-chain DIR or --ocpp-v2g-pki DIR",
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
  let testRoot: string | undefined;
  let tls13: TlsServerConfig["tls13"];
  if (o.testPki) {
    const pki = await testPki(o.testPki, true);
    base = { key: pki.key, cert: pki.cert };
    testRoot = pki.root;
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
  return withChains({ ...base, versions, ...(tls13 ? { tls13 } : {}), ...keylog }, o, testRoot);
}

/**
 * Add the `--secc-chain` chains (the first becomes the default when there is no `--cert`/`--test-pki`)
 * and the `--ocsp-staple` file; the default chain's root is known with `--test-pki`.
 */
function withChains(c: TlsServerConfig, o: EvseTlsOptions, testPkiRoot: string | undefined): TlsServerConfig {
  const dirs = (o.seccChain ?? []).map(seccChainFromDir);
  if (o.ocspStaple) c.ocsp = ocspFromFile(o.ocspStaple);
  if (dirs.length === 0) return c;
  let chains = dirs.map((d) => d.chain);
  if (!c.key) {
    const first = chains[0]!;
    Object.assign(
      c,
      { key: first.key, cert: first.cert, root: first.root },
      c.ocsp ? {} : { ocsp: first.ocsp },
    );
    chains = chains.slice(1);
  } else if (testPkiRoot) c.root = testPkiRoot;
  c.chains = chains;
  const chains13 = dirs.flatMap((d) => (d.tls13 ? [d.tls13] : []));
  if (c.tls13 && chains13.length > 0) c.tls13 = { ...c.tls13, chains: chains13 };
  return c;
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
  ocsp?: OcspMode | undefined;
}

/** EV option rules. */
export function checkEvTlsOptions(o: EvTlsOptions, ctx: z.RefinementCtx): void {
  checkTlsVersionFlag(o, ctx);
  if (o.ocsp !== undefined && !o.tls)
    ctx.addIssue({ code: "custom", path: ["ocsp"], message: "--ocsp needs --tls" });
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
  const keylog = { ...(o.tlsKeylog ? { keylogFile: o.tlsKeylog } : {}), ...(o.ocsp ? { ocsp: o.ocsp } : {}) };
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
