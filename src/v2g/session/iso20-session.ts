/**
 * ISO 15118-20 session facts both machines keep besides the DIN/ISO-2 ones (ISO 15118-20 ServiceSelection):
 * the energy service and parameter set chosen at ServiceSelection, which fix the control mode for the session.
 */

/** -20 control mode (ControlMode parameter: 1 Scheduled, 2 Dynamic; EcoG-io/iso15118 enums.py). */
export type Iso20ControlMode = "scheduled" | "dynamic";

/** ServiceIDs of the energy transfer services (ISO 15118-20 Table 204, as EcoG-io/iso15118 cites it). */
export const ISO20_SERVICE = { AC: 1, DC: 2, AC_BPT: 5, DC_BPT: 6 } as const;
/** ServiceID of the DC energy transfer service. */
export const ISO20_SERVICE_DC = ISO20_SERVICE.DC;

/** The -20 energy services nacs runs, by their CLI names. */
export type Iso20ServiceName = "dc" | "dc-bpt" | "ac" | "ac-bpt";

/** ServiceID of a service name. */
export const ISO20_SERVICE_ID: Readonly<Record<Iso20ServiceName, number>> = {
  dc: ISO20_SERVICE.DC,
  "dc-bpt": ISO20_SERVICE.DC_BPT,
  ac: ISO20_SERVICE.AC,
  "ac-bpt": ISO20_SERVICE.AC_BPT,
};

/** True for the bidirectional power transfer services AC_BPT (5) and DC_BPT (6). */
export function isBptService(id: number | null | undefined): boolean {
  return id === ISO20_SERVICE.AC_BPT || id === ISO20_SERVICE.DC_BPT;
}

/** True for the AC services AC (1) and AC_BPT (5). */
export function isAcService(id: number | null | undefined): boolean {
  return id === ISO20_SERVICE.AC || id === ISO20_SERVICE.AC_BPT;
}

/**
 * The service an EV asks for: AC or DC by its energy transfer mode, the BPT variant when it is bidirectional
 * and the EVSE offers it (else the unidirectional one).
 */
export function wantedIso20Service(ac: boolean, bidirectional: boolean, offered: readonly number[]): number {
  const plain = ac ? ISO20_SERVICE.AC : ISO20_SERVICE.DC;
  const bpt = ac ? ISO20_SERVICE.AC_BPT : ISO20_SERVICE.DC_BPT;
  return bidirectional && offered.includes(bpt) ? bpt : plain;
}

/** BPTChannel parameter: 1 Unified (EcoG-io/iso15118 enums.py, EVerest libiso15118). */
export const ISO20_BPT_CHANNEL_UNIFIED = 1;
/** GeneratorMode parameter: 1 GridFollowing (EcoG-io/iso15118 enums.py, EVerest libiso15118). */
export const ISO20_GENERATOR_MODE_GRID_FOLLOWING = 1;
/** ControlMode parameter values (EcoG-io/iso15118 enums.py, EVerest libiso15118). */
export const ISO20_CONTROL_MODE_VALUE: Readonly<Record<Iso20ControlMode, number>> = {
  scheduled: 1,
  dynamic: 2,
};
/**
 * Connector parameter of the DC service: 2 = Extended (ISO 15118-20 Table 207 per EcoG-io/iso15118; CCS/J3400
 * DC pins).
 */
export const ISO20_DC_CONNECTOR_EXTENDED = 2;
/** MobilityNeedsMode 1: provided by the EVCC (EcoG-io/iso15118 enums.py; forced to 1 in Scheduled mode). */
export const ISO20_MOBILITY_NEEDS_EVCC = 1;
/** Pricing 0: none (EcoG-io/iso15118 enums.py). */
export const ISO20_PRICING_NONE = 0;

/** What a -20 session has agreed so far. */
export interface Iso20Session {
  /** Authorization answered Finished + OK. */
  authorized: boolean;
  /** When the first Authorization answered Ongoing was answered (EIM budget), or null. */
  authOngoingSinceMs: number | null;
  /** Energy services offered in ServiceDiscoveryRes. */
  offeredServices: number[];
  /** Chosen at ServiceSelection. */
  serviceId: number | null;
  parameterSetId: number | null;
  controlMode: Iso20ControlMode | null;
  /**
   * SessionSetupRes was OK_OldSessionJoined: the next request is DC_ChargeParameterDiscovery ([V2G20-1032],
   * [V2G20-1844]).
   */
  resumed: boolean;
  /** EVCCID of the SessionSetupReq (hex): a resumed session must come from the same EVCC ([V2G20-2545]). */
  evccId: string;
  /**
   * SHA-512 (hex) of the vehicle certificate of the connection that set the session up (mutual TLS), else
   * null: a resuming EVCC must present the same certificate ([V2G20-2545]).
   */
  vehicleCert: string | null;
  /**
   * BPT services: the direction the EV chose at PowerDelivery(Start) (BPT_ChannelSelection of the -20
   * schema); Charge until it chooses.
   */
  bptChannel: Iso20BptChannel;
  /** AC_BPT: the EV's maximum discharge power from BPT_AC_CPDReqEnergyTransferMode (W, magnitude). */
  evMaxDischargePowerW: number;
  /** AuthorizationServices offered in AuthorizationSetupRes (EIM; PnC only on TLS with a PKI). */
  authServices: Iso20AuthService[];
  /** PnC: the GenChallenge of AuthorizationSetupRes until the first PnC AuthorizationReq uses it. */
  pncChallenge: Uint8Array | null;
  /** PnC: the contract passed the checks (eMAID of its leaf); repeats while Ongoing are not re-checked. */
  pncContract: { emaid: string } | null;
  /** The authorization service of the AuthorizationReq answered Finished + OK (null before). */
  authService: Iso20AuthService | null;
}

/** -20 authorization services (authorizationType). */
export type Iso20AuthService = "EIM" | "PnC";

/** BPT_ChannelSelection of PowerDeliveryReq (ISO 15118-20 CommonMessages schema). */
export type Iso20BptChannel = "Charge" | "Discharge";

/** A fresh -20 session. */
export function emptyIso20Session(): Iso20Session {
  return {
    authorized: false,
    authOngoingSinceMs: null,
    offeredServices: [],
    serviceId: null,
    parameterSetId: null,
    controlMode: null,
    resumed: false,
    evccId: "",
    vehicleCert: null,
    bptChannel: "Charge",
    evMaxDischargePowerW: 0,
    authServices: ["EIM"],
    pncChallenge: null,
    pncContract: null,
    authService: null,
  };
}
