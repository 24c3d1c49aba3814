/**
 * `nacs ev --payment contract`: where the EV's ISO 15118-2 contract comes from and where it goes. At start,
 * the contract store (`--contract-store`) when it holds a valid contract, else the contract of the `nacs pki
 * init` DIR (`--pki`), else none with `--install-contract` (CertificateInstallation first). The EVCC asks for
 * a CertificateUpdate when the contract expires within `--renew-days` (RISE-V2G practice,
 * `CERTIFICATE_EXPIRES_SOON_PERIOD`). As soon as the EVCC holds a contract other than the one it started with
 * (installed or updated), it is written to the store — not only at the end, so a host killed mid-session
 * keeps it.
 */
import { createHash } from "node:crypto";
import type { LinkLogger } from "../../link/logger.js";
import { type StoredContract, writeContractStore } from "../../link/pki/contract-store-file.js";
import {
  currentContract,
  EVCC_CONTRACT_RENEW_DAYS,
  type InstalledContract,
} from "../../v2g/pnc/installed-contract.js";
import type { EvccPncConfig, EvccState } from "../../v2g/session/evcc-state.js";

/** Where the contract the EV paid with (or would pay with) came from. */
export type EvContractSource = "store" | "pki" | "installed" | "updated";

/** The `contract` object of the EV's `--json` summary. */
export interface EvContractSummary {
  source: EvContractSource;
  /** eMAID without separators. */
  emaid: string;
  /** Leaf notAfter, ISO 8601. */
  notAfter: string;
  /** SHA-256 of the leaf (DER), hex: the certificate PaymentDetailsReq carried. */
  leafSha256: string;
  /** The store file written with it (absent: not written). */
  stored?: string;
  /** An update: the contract it replaced. */
  previous?: { emaid: string; notAfter: string };
}

/** What {@link planEvContract} decided. */
export interface EvContractPlan {
  pnc: EvccPncConfig;
  /** The contract held at start and where from (null: none; the EV installs one). */
  initial: { contract: InstalledContract; source: "store" | "pki" } | null;
  /** The store file, with what it held at start. */
  store?: { path: string; entries: StoredContract[] };
  /** Store path and leaf SHA-256 last written by {@link persistNewContract} (mutable). */
  written?: string;
}

/** The options this needs. */
export interface EvContractOptions {
  pki: string;
  installContract: boolean;
  contractStore?: string | undefined;
  renewDays?: number | undefined;
}

/** SHA-256 of DER bytes, hex (the `leafSha256` of the summaries). */
export const sha256Hex = (der: Uint8Array): string => createHash("sha256").update(der).digest("hex");

const iso = (s: number) => new Date(s * 1000).toISOString();

/** Decide the EV's contract at `nowS` (Unix s). Throws PkiError for a store or DIR that does not read. */
export async function planEvContract(
  o: EvContractOptions,
  nowS: number,
  log: LinkLogger,
): Promise<EvContractPlan> {
  const pki = await import("../../link/pki/index.js");
  const oem = pki.loadEvccPnc(o.pki);
  const renewDays = o.renewDays ?? EVCC_CONTRACT_RENEW_DAYS;
  const store = o.contractStore
    ? (() => {
        const path = pki.contractStorePath(o.contractStore);
        return { path, entries: pki.readContractStore(path) };
      })()
    : undefined;
  const fromStore = store
    ? currentContract({ contracts: store.entries.map((e) => e.contract) }, nowS)
    : undefined;
  let initial: EvContractPlan["initial"] = null;
  if (fromStore) {
    initial = { contract: fromStore, source: "store" };
    if (o.installContract)
      log.info(
        { store: store?.path, emaid: fromStore.emaid },
        `ev: --install-contract: ${store?.path} holds a valid contract (eMAID ${fromStore.emaid}, until ${iso(fromStore.notAfterS)}): using it, not installing`,
      );
  } else if (!o.installContract) {
    const m = await pki.loadPncMaterial(o.pki);
    const { createContract } = await import("../../v2g/pnc/contract-store.js");
    const c = createContract(m.contractChain, m.contractKey);
    initial = {
      contract: {
        chain: { leaf: c.chain[0]!, subCas: c.chain.slice(1) },
        privateKey: c.privateKey,
        emaid: c.emaid,
        notAfterS: Math.floor(c.notAfterMs / 1000),
      },
      source: "pki",
    };
  }
  return {
    pnc: { ...oem, contracts: { contracts: initial ? [initial.contract] : [] }, renewDays },
    initial,
    ...(store && { store }),
  };
}

const sameLeaf = (a: InstalledContract | undefined, b: InstalledContract | undefined) =>
  !!a &&
  !!b &&
  a.chain.leaf.length === b.chain.leaf.length &&
  a.chain.leaf.every((x, i) => x === b.chain.leaf[i]);

/**
 * After the session: what happened to the contract (the `contract` summary object, null when the EV holds
 * none), and the store written when the EVCC installed or updated one. A store that cannot be written is
 * logged and reported without `stored`: the session itself is over.
 */
export async function settleEvContract(
  plan: EvContractPlan,
  evcc: EvccState | undefined,
  nowS: number,
  log: LinkLogger,
): Promise<EvContractSummary | null> {
  const held = evcc?.contracts ? currentContract(evcc.contracts, nowS) : undefined;
  const start = plan.initial?.contract;
  if (!held) return null;
  if (sameLeaf(held, start))
    return {
      source: plan.initial?.source ?? "pki",
      emaid: held.emaid.replaceAll("-", ""),
      notAfter: iso(held.notAfterS),
      leafSha256: sha256Hex(held.chain.leaf),
    };
  const source: EvContractSource = evcc?.pnc?.action === "update" && start ? "updated" : "installed";
  const out: EvContractSummary = {
    source,
    emaid: held.emaid.replaceAll("-", ""),
    notAfter: iso(held.notAfterS),
    leafSha256: sha256Hex(held.chain.leaf),
    ...(source === "updated" &&
      start && { previous: { emaid: start.emaid, notAfter: iso(start.notAfterS) } }),
  };
  const stored = persistNewContract(plan, evcc, nowS, log);
  return stored ? { ...out, stored } : out;
}

/**
 * Write the contract the EVCC holds to the store when it is new (installed or updated this session) and not
 * written yet; returns the store path once written. Called on every session phase and at the end. A store that
 * cannot be written is logged (once per contract) and the session goes on.
 */
export function persistNewContract(
  plan: EvContractPlan,
  evcc: EvccState | undefined,
  nowS: number,
  log: LinkLogger,
): string | undefined {
  if (!plan.store) return undefined;
  const held = evcc?.contracts ? currentContract(evcc.contracts, nowS) : undefined;
  if (!held || sameLeaf(held, plan.initial?.contract)) return undefined;
  const leaf = `${plan.store.path}\n${sha256Hex(held.chain.leaf)}`;
  if (plan.written === leaf) return plan.store.path;
  if (plan.written === `failed\n${leaf}`) return undefined;
  const origin: EvContractSource = evcc?.pnc?.action === "update" && plan.initial ? "updated" : "installed";
  const norm = (e: string) => e.replaceAll("-", "").toUpperCase();
  const entries: StoredContract[] = [
    ...plan.store.entries.filter((e) => norm(e.contract.emaid) !== norm(held.emaid)),
    { contract: held, origin },
  ];
  try {
    writeContractStore(plan.store.path, entries);
    plan.written = leaf;
    log.info(
      { store: plan.store.path, emaid: held.emaid },
      `ev: contract ${origin}, written to ${plan.store.path}`,
    );
    return plan.store.path;
  } catch (err) {
    plan.written = `failed\n${leaf}`;
    log.error({ store: plan.store.path }, `ev: ${(err as Error).message}`);
    return undefined;
  }
}

/** The human report's contract line. */
export function formatEvContract(c: EvContractSummary): string {
  const prev = c.previous ? `, replaces the one until ${c.previous.notAfter}` : "";
  const stored = c.stored ? `, written to ${c.stored}` : "";
  return `  contract  ${c.source}: eMAID ${c.emaid}, valid until ${c.notAfter}${prev}${stored}\n`;
}
