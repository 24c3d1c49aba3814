/**
 * The EVCC's contract as installed by CertificateInstallationRes / CertificateUpdateRes: chain, private key,
 * eMAID and validity, with a tiny value-store API (pure: the store is a value kept in the EVCC state and
 * handed back to the host). When to ask for a new one: none held → Installation; held but expiring within
 * {@link EVCC_CONTRACT_RENEW_DAYS} → Update (as the RISE-V2G EVCC does; one source only).
 */
import type { DerChain } from "./cps.js";

/** A contract the EVCC holds. */
export interface InstalledContract {
  chain: DerChain;
  /** Contract private scalar (32 B). */
  privateKey: Uint8Array;
  emaid: string;
  /** Contract leaf validity, Unix seconds. */
  notAfterS: number;
  /** When it was installed (Unix s), or undefined when provisioned otherwise. */
  installedAtS?: number;
}

/** Renew a contract this many days before it expires (RISE-V2G `CERTIFICATE_EXPIRES_SOON_PERIOD`; single source, configurable). */
export const EVCC_CONTRACT_RENEW_DAYS = 21;

const DAY_S = 86_400;

/** The contracts an EVCC holds, newest last. */
export interface InstalledContracts {
  readonly contracts: readonly InstalledContract[];
}

/** An empty store, or one holding `initial`. */
export function createInstalledContracts(initial: readonly InstalledContract[] = []): InstalledContracts {
  return { contracts: [...initial] };
}

/** The store with `c` added (a contract for the same eMAID replaces the old one, as an update does). */
export function putContract(store: InstalledContracts, c: InstalledContract): InstalledContracts {
  const norm = (e: string) => e.replace(/-/g, "").toUpperCase();
  return { contracts: [...store.contracts.filter((x) => norm(x.emaid) !== norm(c.emaid)), c] };
}

/** The contract to use at `nowS`: the newest one still valid, or undefined. */
export function currentContract(store: InstalledContracts, nowS: number): InstalledContract | undefined {
  for (let i = store.contracts.length - 1; i >= 0; i--) {
    const c = store.contracts[i]!;
    if (c.notAfterS > nowS) return c;
  }
  return undefined;
}

/** What the EVCC should ask for: Installation (no valid contract), Update (one expiring soon), or nothing. */
export function contractAction(
  store: InstalledContracts,
  nowS: number,
  renewDays = EVCC_CONTRACT_RENEW_DAYS,
): "install" | "update" | null {
  const c = currentContract(store, nowS);
  if (!c) return "install";
  return c.notAfterS - nowS <= renewDays * DAY_S ? "update" : null;
}
