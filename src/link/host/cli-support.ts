/**
 * Pieces shared by `nacs evse` and `nacs ev`: where to listen / send SDP on an interface, the stderr
 * logger, and the test PKI.
 */
import { existsSync, readFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { findLinkLocalAddress, withScope } from "../iface.js";
import type { LinkLogger } from "../logger.js";

/** pino log levels the CLI accepts. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/** Called before each line a {@link stderrLogger} writes (a progress line on the terminal erases itself). */
const beforeLogLine = new Set<() => void>();

/** Run `fn` before every log line written to stderr from now on; returns the function that stops it. */
export function beforeStderrLog(fn: () => void): () => void {
  beforeLogLine.add(fn);
  return () => {
    beforeLogLine.delete(fn);
  };
}

/**
 * A pino logger writing JSON lines to stderr synchronously (nothing is lost on exit); `out` replaces
 * stderr (tests). Each line is preceded by the {@link beforeStderrLog} hooks.
 */
export function stderrLogger(
  level: (typeof LOG_LEVELS)[number],
  name: string,
  out: { write(s: string): unknown } = pino.destination({ fd: 2, sync: true }),
): LinkLogger & pino.Logger {
  return pino(
    { level, name },
    {
      write(s: string) {
        for (const f of [...beforeLogLine]) f();
        out.write(s);
      },
    },
  );
}

/** True when `iface` is a loopback interface (no link-local address, no multicast: use ::1). */
export function isLoopback(iface: string, ifs = networkInterfaces()): boolean {
  const a = ifs[iface];
  if (!a) return iface === "lo";
  return a.length > 0 && a.every((x) => x.internal);
}

/**
 * Where the SECC listens on `iface`: "::1" on loopback, else its link-local address with "%iface".
 * A freshly created interface's link-local address is tentative for a moment (DAD): retried until
 * `waitMs` has passed.
 */
export async function seccListenAddress(iface: string, waitMs = 3000): Promise<string> {
  if (isLoopback(iface)) return "::1";
  const until = performance.now() + waitMs;
  for (;;) {
    try {
      return withScope(findLinkLocalAddress(iface), iface);
    } catch (e) {
      if (performance.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** TLS material of the test PKI in `dir`, written there first when missing (EVSE side). */
export interface TestPkiFiles {
  key: string;
  cert: string;
  root: string;
}

/** ISO 15118-20 (TLS 1.3) material of the test PKI (tools/pki/make-test-pki.ts `PKI20_FILES`). */
export interface TestPki20Files {
  /** SECC -20 leaf key and chain (P-521), the -20 V2G root. */
  key: string;
  cert: string;
  root: string;
  /** OEM root (the SECC's trust for vehicle certificates), the vehicle chain and key (EV side). */
  oemRoot: string;
  vehicleCert: string;
  vehicleKey: string;
}

/** File names of tools/pki/make-test-pki.ts `writeTestPki`. */
const PKI_FILES = { key: "secc-leaf.key", cert: "secc-chain.pem", root: "v2g-root.pem" } as const;
/** File names of tools/pki/make-test-pki.ts `writeTestPki20` (PKI20_FILES there). */
const PKI20_FILES = {
  key: "iso20-secc-leaf.key",
  cert: "iso20-secc-chain.pem",
  root: "iso20-v2g-root.pem",
  oemRoot: "iso20-oem-root.pem",
  vehicleCert: "iso20-vehicle-chain.pem",
  vehicleKey: "iso20-vehicle-leaf.key",
} as const;

interface PkiTool {
  makeTestPki(): unknown;
  writeTestPki(dir: string, pki: unknown): string[];
  makeTestPki20(): unknown;
  writeTestPki20(dir: string, pki: unknown): string[];
}

/** The generator lives in the source tree (tools/), so generating needs a source checkout. */
async function pkiTool(): Promise<PkiTool> {
  const spec = new URL("../../../tools/pki/make-test-pki.js", import.meta.url).href;
  return (await import(spec)) as PkiTool;
}

/**
 * The test PKI in `dir` (tools/pki/make-test-pki.ts): reused when present, generated when `create` and
 * missing.
 */
export async function testPki(dir: string, create: boolean): Promise<TestPkiFiles> {
  const p = (f: string) => join(dir, f);
  if (!existsSync(p(PKI_FILES.root)) || !existsSync(p(PKI_FILES.cert)) || !existsSync(p(PKI_FILES.key))) {
    if (!create)
      throw new Error(`test PKI: ${p(PKI_FILES.root)} not found (start the EVSE with --test-pki first)`);
    const mod = await pkiTool();
    mod.writeTestPki(dir, mod.makeTestPki());
  }
  const read = (f: string) => readFileSync(p(f), "utf8");
  return { key: read(PKI_FILES.key), cert: read(PKI_FILES.cert), root: read(PKI_FILES.root) };
}

/**
 * The ISO 15118-20 part of the test PKI in `dir`: reused when present; when `create` and missing (a
 * directory made before TLS 1.3 support) only the -20 trees are added — they have their own roots, so the
 * ISO 15118-2 files stay valid.
 */
export async function testPki20(dir: string, create: boolean): Promise<TestPki20Files> {
  const p = (f: string) => join(dir, f);
  if (Object.values(PKI20_FILES).some((f) => !existsSync(p(f)))) {
    if (!create)
      throw new Error(
        `test PKI: ${p(PKI20_FILES.root)} not found (start the EVSE with --test-pki and --tls-version 1.3 or both first)`,
      );
    const mod = await pkiTool();
    mod.writeTestPki20(dir, mod.makeTestPki20());
  }
  const read = (f: string) => readFileSync(p(f), "utf8");
  const out = {} as Record<keyof TestPki20Files, string>;
  for (const [k, f] of Object.entries(PKI20_FILES)) out[k as keyof TestPki20Files] = read(f);
  return out;
}
