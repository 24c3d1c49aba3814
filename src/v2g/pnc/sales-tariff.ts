/**
 * Signed SalesTariffs of ISO 15118-2 ChargeParameterDiscoveryRes (Plug & Charge): the secondary actor (the
 * mobility operator) signs each SalesTariff with the key of the MO Sub-CA 2 that issued the EV's contract
 * leaf; the SECC forwards tariff and signature unchanged in the header Signature, one Reference per
 * SalesTariff `Id` (ISO 15118-2 §7.9.2.4.2, xmldsig profile [V2G2-909]). The EVCC verifies with the MO Sub-CA 2
 * certificate of its own contract chain; when the signature is absent or does not verify it ignores the
 * tariffs and goes on charging (RISE-V2G `verifySalesTariffs`, Josev's EVCC: the same).
 *
 * Platform-neutral.
 */
import type * as iso2 from "../../codecs/iso2/index.js";
import { signFragments, verifySignature } from "./xmldsig.js";

/** A SalesTariff with the signature of its secondary actor, as the backend hands it to the SECC. */
export interface SignedSalesTariff {
  tariff: iso2.SalesTariffType;
  /** Header Signature with one Reference to `#tariff.Id`. */
  signature: iso2.SignatureType;
}

/** What the EVCC made of the SalesTariffs of a ChargeParameterDiscoveryRes. */
export interface SalesTariffCheck {
  /**
   * `verified`: the signature covers every SalesTariff and verifies with the MO Sub-CA 2; `ignored`: it is
   * missing or does not verify, the tariffs are not used; `unchecked`: ExternalPayment, no contract to check with.
   */
  kind: "verified" | "ignored" | "unchecked";
  /** How many SalesTariff elements the response carried. */
  tariffs: number;
  detail: string;
}

/** Sign `tariff` (it must have an `Id`) with the MO Sub-CA 2 private scalar (P-256, 32 B). */
export function signSalesTariff(tariff: iso2.SalesTariffType, moSubCa2Key: Uint8Array): SignedSalesTariff {
  return { tariff, signature: signFragments([{ SalesTariff: tariff }], moSubCa2Key) };
}

/** A one-level tariff over `durationS` seconds (price level 1 of 1) with Id `id`: what a local backend offers. */
export function flatSalesTariff(durationS: number, id = "tariff1"): iso2.SalesTariffType {
  return {
    Id: id,
    SalesTariffID: 1,
    NumEPriceLevels: 1,
    SalesTariffEntry: [{ RelativeTimeInterval: { start: 0, duration: durationS }, EPriceLevel: 1 }],
  };
}

/**
 * Check the SalesTariffs of a ChargeParameterDiscoveryRes (the whole V2G_Message) against the contract chain
 * the EV pays with (leaf first, then MO Sub-CA 2). Never throws: a bad tariff signature is no reason to stop
 * charging, only to ignore the tariffs. Undefined when the response carries no SalesTariff.
 */
export function checkSalesTariffs(
  message: iso2.V2G_Message,
  payment: "ExternalPayment" | "Contract" | null,
  contractChain: readonly Uint8Array[] | undefined,
): SalesTariffCheck | undefined {
  const tuples = message.Body?.ChargeParameterDiscoveryRes?.SAScheduleList?.SAScheduleTuple ?? [];
  const tariffs = tuples.filter((t) => t.SalesTariff).length;
  if (tariffs === 0) return undefined;
  const out = (kind: SalesTariffCheck["kind"], detail: string): SalesTariffCheck => ({
    kind,
    tariffs,
    detail,
  });
  if (payment !== "Contract")
    return out("unchecked", `${payment ?? "no payment"}: no contract chain to verify the SalesTariff with`);
  if (!message.Header?.Signature)
    return out(
      "ignored",
      "ChargeParameterDiscoveryRes: SalesTariff without a header Signature (MO-signed tariffs only)",
    );
  const subCa2 = contractChain?.[1];
  if (!subCa2)
    return out("ignored", "contract chain: no MO Sub-CA 2 to verify the SalesTariff signature with");
  const v = verifySignature(message, subCa2);
  if (!v.ok) return out("ignored", `SalesTariff signature: ${v.error.message} (${v.error.code})`);
  const covered = v.references.filter((r) => r.element === "SalesTariff").length;
  return out("verified", `${covered} SalesTariff signed by the contract's MO Sub-CA 2`);
}
