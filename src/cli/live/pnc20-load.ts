/**
 * ISO 15118-20 Plug & Charge material of `--pki DIR` for `nacs evse` / `nacs ev` (`nacs pki init DIR --iso20`
 * wrote it to DIR/iso20): the SECC's -20 trust anchors and GenChallenge CSPRNG, the EV's -20 contract. Used only
 * with iso20 in --protocol; a DIR without the -20 set is an error naming `--pki` when -20 is the only protocol,
 * else -20 runs EIM (the ISO-2 set still serves ISO-2).
 */
import type { Contract } from "../../v2g/pnc/contract-store.js";
import type { SeccPnc20Config } from "../../v2g/session/secc-state.js";
import { UsageError } from "../errors.js";

const loadPki = () => import("../../link/pki/index.js");

/** Whether DIR has the -20 set; throws UsageError (--pki) when iso20 is the only PnC protocol and it has not. */
async function has20(dir: string, protocols: readonly string[]): Promise<boolean> {
  const { hasPnc20, pnc20Dir } = await loadPki();
  if (hasPnc20(dir)) return true;
  if (!protocols.includes("iso2"))
    throw new UsageError(
      `option --pki: ${pnc20Dir(dir)} holds no ISO 15118-20 Plug & Charge material (make it with: nacs pki init ${dir} --iso20)`,
      "--pki",
    );
  return false;
}

/** The SECC's -20 PnC configuration, or undefined (no --pki, no iso20, or no -20 set beside ISO-2). */
export async function seccPnc20(
  o: { pki?: string | undefined; protocol: readonly string[]; pncWithoutTls?: boolean | undefined },
  randomBytes: (n: number) => Uint8Array,
): Promise<SeccPnc20Config | undefined> {
  if (o.pki === undefined || !o.protocol.includes("iso20") || !(await has20(o.pki, o.protocol)))
    return undefined;
  const m = await (await loadPki()).loadPnc20Material(o.pki);
  return {
    moRoots: m.moRoots,
    v2gRoots: m.v2gRoots,
    randomBytes,
    ...(o.pncWithoutTls && { withoutTls: true }),
  };
}

/** The EV's -20 contract (`--payment contract --pki DIR`), or undefined. */
export async function evContract20(o: {
  pki?: string | undefined;
  protocol: readonly string[];
  payment: string;
  installContract?: boolean | undefined;
}): Promise<Contract | undefined> {
  if (o.payment !== "contract" || o.installContract || o.pki === undefined || !o.protocol.includes("iso20"))
    return undefined;
  if (!(await has20(o.pki, o.protocol))) return undefined;
  const m = await (await loadPki()).loadPnc20Material(o.pki);
  const { createContract20 } = await import("../../v2g/pnc/contract20.js");
  return createContract20(m.contractChain, m.contractKey);
}
