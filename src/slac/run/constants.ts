/**
 * Figures of the real-time SLAC driver, one named constant each with its source and status
 * (C confirmed, D derived by us, U unconfirmed).
 */
import { TT_LINK_STATUS_RESPONSE_MS } from "../matching/constants.js";

/**
 * Modem "none" (plain Ethernet: veth, lab switch): the EVSE has no PHY to measure attenuation, so every
 * received CM_MNBC_SOUND.IND counts as this attenuation in each of the 58 AAG groups. A wire has no
 * signal loss to report, hence 0 dB; any EVSE heard this way is within C_EV_match_signalattn_direct.
 * Our choice (status D); the driver option `soundAttenuationDb` overrides it.
 */
export const MODEM_NONE_SOUND_ATTENUATION_DB = 0;

/**
 * QCA7000-family modems answer host management MMEs addressed to this "local management" MAC
 * (00:B0:52 is Qualcomm Atheros' OUI). Used as the CM_SET_KEY.REQ / link-status destination when no modem
 * MAC is configured. Open-plc-utils / EVerest practice; status U.
 */
export const QCA_LOCAL_MANAGEMENT_MAC: readonly number[] = [0x00, 0xb0, 0x52, 0x00, 0x00, 0x01];

/** Qualcomm Atheros OUI, first 3 payload bytes of every QCA vendor MME. Status C (IEEE OUI registry). */
export const QCA_OUI: readonly number[] = [0x00, 0xb0, 0x52];

/** QCA vendor MME VS_LINK_STATUS base MMTYPE (.REQ 0xA0B8, .CNF 0xA0B9). EVerest libslac defs; status U. */
export const QCA_VS_LINK_STATUS = 0xa0b8;

/** Byte of the VS_LINK_STATUS.CNF payload (after MMV/MMTYPE: OUI 3, reserved 1) holding the link state. Status U. */
export const QCA_LINK_STATUS_OFFSET = 4;

/** VS_LINK_STATUS.CNF link state value meaning "joined an AVLN". EVerest libslac `D_LINK_STATUS_LINKED`; status U. */
export const QCA_LINK_STATUS_LINKED = 0x01;

/**
 * Modem "qca": ask the modem for its link state this often after CM_SET_KEY, until it reports the link
 * (the state machines bound the wait by TT_match_join). One tenth of TT_link_status_response; status D.
 */
export const QCA_LINK_POLL_INTERVAL_MS = TT_LINK_STATUS_RESPONSE_MS / 10;

/** At most this many frame records are kept in a run's stats (older ones are dropped first). Status D. */
export const SLAC_RUN_RECORD_LIMIT = 1000;
