/**
 * A signed SalesTariff from a `nacs pki init` directory: a flat tariff signed with DIR's MO Sub-CA 2 key — the
 * stand-in for the mobility operator's backend, which signs SalesTariffs with the CA that issued the contract
 * leaf (ISO 15118-2 §7.9.2.4.2); the SECC forwards it unchanged in ChargeParameterDiscoveryRes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { flatSalesTariff, type SignedSalesTariff, signSalesTariff } from "../../v2g/pnc/sales-tariff.js";
import { PkiError } from "./errors.js";
import { pncFileNames } from "./files.js";
import { pemPrivateScalar } from "./pnc-load.js";

/** A one-level tariff over `durationS`, signed with DIR/mo-sub-ca-2.key.pem; PkiError naming the file when absent. */
export function loadSignedSalesTariff(dir: string, durationS: number): SignedSalesTariff {
  const file = join(dir, pncFileNames("mo-sub-ca-2").key);
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (err) {
    throw new PkiError(
      "io",
      `${file}: cannot read the MO Sub-CA 2 key that signs SalesTariffs (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  return signSalesTariff(flatSalesTariff(durationS), pemPrivateScalar(pem, file));
}
