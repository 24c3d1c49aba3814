/**
 * What ties a charger to its OCPP station, on every host (`nacs simulate --ocpp`, `nacs evse --ocpp`): after
 * each step of the EVSE the host hands over a view of it (cable, meter, charging state, the end of the
 * session) and the glue turns the changes into station events — plug-in and the driver's token (OCPP 2.0.1
 * C01 / 1.6 Authorize) or the EV's contract (C07), the EV's certificate request (M01 / M02), TransactionEvent / Start-StopTransaction through the station machine, periodic meter
 * values, the stop cause. The station's commands go back to the EVSE through the host (`toEvse`).
 * Platform-neutral but for the certificate hashing (contract-hash.ts).
 */
import type { IdToken, StationEvent, StopCause } from "../../ocpp/index.js";
import { contractHashData } from "./contract-hash.js";
import type { OcppStation } from "./station-client.js";

/** The charger as the glue sees it after a step. */
export interface OcppEvseView {
  /** An EV is plugged in. */
  plugged: boolean;
  /** The meter (Wh, cumulative on this host) and the output power (W). */
  energyWh: number;
  powerW: number;
  /** The EV's state of charge, when it reported one. */
  socPercent?: number | undefined;
  /** Energy is being transferred (PowerDelivery Start, the session on). */
  charging: boolean;
  /** The session is over and the output de-energised. */
  over: boolean;
  /** Why the session ended (asked once it is over). */
  stopCause(): StopCause;
  /** ISO 15118 Plug & Charge: the contract the EV presented and the SECC validated (PaymentDetails). */
  contract?: { emaid: string; leaf: Uint8Array; subCas?: readonly Uint8Array[] } | undefined;
  /** ISO 15118-2: the payment the EV selected (PaymentServiceSelection), once it did. */
  payment?: "ExternalPayment" | "Contract" | undefined;
  /**
   * ISO 15118-2 Plug & Charge with the CPS behind the CSMS: the EV's certificate request the SECC holds
   * (its `certForward`), forwarded once per `id` (M01 / M02 Get15118EVCertificate).
   */
  certificateRequest?:
    | { id: number; action: "Install" | "Update"; schema: string; exi: Uint8Array }
    | null
    | undefined;
}

/** Options of {@link createOcppEvseGlue}. */
export interface OcppEvseGlueOptions {
  /** The driver starts from an app (the CSMS's RequestStartTransaction) and presents no token. */
  remoteStart: boolean;
  /**
   * Plug & Charge offered: nothing is presented at plug-in; the contract the EV presents is authorised with
   * the CSMS (OCPP 2.0.1 C07: Authorize with the eMAID and the OCSP hash data of the contract chain), and
   * the driver's token only when the EV selected ExternalPayment (EIM).
   */
  pnc?: boolean;
  /** The driver's token presented at plug-in (C01). */
  idToken: IdToken;
  /** A plug-in that has no authorisation yet: the EVSE waits for the CSMS (its SECC answers Ongoing). */
  authorizationPending(): void;
}

/** The glue of one station. */
export interface OcppEvseGlue {
  /** Observe the charger (and tell the station the time `tMs`, OCPP clock). */
  observe(view: OcppEvseView, tMs: number): void;
  /** The last observation: a transaction still open is ended with the view's stop cause. */
  finish(view: OcppEvseView, tMs: number): void;
  /** Transaction IDs seen (1.6: the CSMS's, once StartTransaction.conf gave them). */
  readonly transactions: ReadonlySet<string>;
}

/** Create the glue between a charger and `station`. */
export function createOcppEvseGlue(station: OcppStation, o: OcppEvseGlueOptions): OcppEvseGlue {
  let plugged = false;
  let charging = false;
  let ended = false;
  let tokenSent = false;
  let certificateId: number | null = null;
  const transactions = new Set<string>();
  const push = (ev: StationEvent) => station.push(ev);
  const observe = (v: OcppEvseView, t: number) => {
    if (v.plugged !== plugged) {
      plugged = v.plugged;
      // each plug-in waits for its own authorisation, unless a remote start already gave it (F02)
      if (plugged && !station.state.tx?.authorized) o.authorizationPending();
      push({ kind: plugged ? "plugged" : "unplugged", tMs: t });
      // the driver presents the card at plug-in (C01); the SECC answers Ongoing until the CSMS accepted it.
      // With a remote start the driver starts from an app instead: the CSMS's RequestStartTransaction.
      if (plugged) {
        ended = false;
        tokenSent = false;
        if (!o.remoteStart && !o.pnc) push({ kind: "id-token", idToken: o.idToken, tMs: t });
      }
    }
    if (o.pnc && plugged && !tokenSent) {
      if (v.contract) {
        tokenSent = true;
        push({
          kind: "id-token",
          idToken: { idToken: v.contract.emaid, type: "eMAID" },
          hashData: contractHashData(v.contract.leaf, v.contract.subCas ?? []),
          tMs: t,
        });
      } else if (v.payment === "ExternalPayment" && !o.remoteStart) {
        tokenSent = true;
        push({ kind: "id-token", idToken: o.idToken, tMs: t });
      }
    }
    const cr = v.certificateRequest;
    if (!cr) certificateId = null;
    else if (cr.id !== certificateId) {
      certificateId = cr.id;
      push({
        kind: "ev-certificate-request",
        id: cr.id,
        action: cr.action,
        schemaVersion: cr.schema,
        exi: cr.exi,
        tMs: t,
      });
    }
    push({
      kind: "meter",
      reading: {
        energyWh: v.energyWh,
        powerW: v.powerW,
        ...(v.socPercent !== undefined && { socPercent: v.socPercent }),
      },
      tMs: t,
    });
    if (v.charging !== charging && !ended) {
      charging = v.charging;
      push({ kind: "charging", state: charging ? "Charging" : "EVConnected", tMs: t });
    }
    const tx = station.state.tx;
    if (tx && tx.transactionId !== null) transactions.add(String(tx.transactionId));
    if (!ended && v.over && station.state.tx) {
      ended = true;
      charging = false;
      push({ kind: "session-end", cause: v.stopCause(), tMs: t });
    }
    push({ kind: "tick", tMs: t });
  };
  return {
    observe,
    finish(v, t) {
      observe(v, t);
      if (station.state.tx) push({ kind: "session-end", cause: v.stopCause(), tMs: t });
    },
    transactions,
  };
}
