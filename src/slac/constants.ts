/**
 * HomePlug AV / ISO 15118-3 SLAC wire constants. Sources: EVerest libslac
 * (`lib/everest/slac/include/slac/slac.hpp`), pyslac (`enums.py`, `messages.py`), pyPLC, and public
 * EVerest/dsV2Gshark captures (checked by `captures.test.ts`).
 */

/** EtherType of HomePlug AV management messages. EVerest libslac `ETH_P_HOMEPLUG_GREENPHY`. */
export const ETHERTYPE_HOMEPLUG_AV = 0x88e1;
/** IEEE 802.1Q VLAN tag protocol identifier (optional tag accepted on decode). IEEE 802.1Q, status C. */
export const ETHERTYPE_VLAN = 0x8100;
/** IEEE 802.1ad service tag (QinQ outer tag) protocol identifier, also accepted on decode. IEEE 802.1ad. */
export const ETHERTYPE_QINQ = 0x88a8;
/** Minimum Ethernet frame length without FCS; shorter MMEs are padded. EVerest libslac, pyslac (60-byte minimum MME frame). */
export const ETHERNET_MIN_FRAME_LENGTH = 60;
/** Ethernet II header length (dst 6, src 6, EtherType 2). IEEE 802.3. */
export const ETHERNET_HEADER_LENGTH = 14;
/** Length of an 802.1Q tag (TPID 2 + TCI 2). IEEE 802.1Q. */
export const VLAN_TAG_LENGTH = 4;
/** MAC address length. */
export const MAC_LENGTH = 6;
/** Broadcast MAC ff:ff:ff:ff:ff:ff (CM_SLAC_PARM.REQ destination, M-SOUND_TARGET). EVerest libslac, pyslac. */
export const BROADCAST_MAC: readonly number[] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/** MMV 0x00: HomePlug AV 1.0 — no fragmentation bytes. HomePlug AV spec via EVerest libslac. */
export const HOMEPLUG_MMV_AV_1_0 = 0x00;
/** MMV 0x01: HomePlug AV 1.1 — used by ISO 15118-3. pyslac `HOMEPLUG_MMV`, EVerest libslac. */
export const HOMEPLUG_MMV_AV_1_1 = 0x01;
/** MMV 0x02: HomePlug AV 2.0 — EVerest libslac notes CM_AMP_MAP must use it (unconfirmed). */
export const HOMEPLUG_MMV_AV_2_0 = 0x02;
/** MME header length with MMV ≥ 1: MMV 1 + MMTYPE 2 + FMI 1 + FMSN 1 (EVerest libslac, pyslac). */
export const MME_HEADER_LENGTH = 5;
/** MME header length with MMV 0 (no fragmentation bytes). */
export const MME_HEADER_LENGTH_AV_1_0 = 3;

/** MMTYPE low two bits: request. pyslac, EVerest libslac. */
export const MMTYPE_REQ = 0b00;
/** MMTYPE low two bits: confirmation. */
export const MMTYPE_CNF = 0b01;
/** MMTYPE low two bits: indication. */
export const MMTYPE_IND = 0b10;
/** MMTYPE low two bits: response. */
export const MMTYPE_RSP = 0b11;

/** CM_SET_KEY base MMTYPE (EVerest libslac, pyslac). */
export const CM_SET_KEY = 0x6008;
/** CM_AMP_MAP base MMTYPE (pyPLC; layout unconfirmed). */
export const CM_AMP_MAP = 0x601c;
/** CM_SLAC_PARM base MMTYPE. */
export const CM_SLAC_PARM = 0x6064;
/** CM_START_ATTEN_CHAR base MMTYPE. */
export const CM_START_ATTEN_CHAR = 0x6068;
/** CM_ATTEN_CHAR base MMTYPE. */
export const CM_ATTEN_CHAR = 0x606c;
/** CM_MNBC_SOUND base MMTYPE. */
export const CM_MNBC_SOUND = 0x6074;
/** CM_VALIDATE base MMTYPE. */
export const CM_VALIDATE = 0x6078;
/** CM_SLAC_MATCH base MMTYPE. */
export const CM_SLAC_MATCH = 0x607c;
/** CM_ATTEN_PROFILE base MMTYPE. */
export const CM_ATTEN_PROFILE = 0x6084;

/** RunID length (CM_SLAC_PARM…CM_SLAC_MATCH). EVerest libslac `RUN_ID_LEN = 8`. */
export const RUN_ID_LENGTH = 8;
/** Station ID length (SenderID, SourceID, RespID, PEV_ID, EVSE_ID). EVerest libslac `STATION_ID_LEN = 17`. */
export const STATION_ID_LENGTH = 17;
/** Number of attenuation groups (AAG entries) in ISO 15118-3 profiles. EVerest libslac `AAG_LIST_LEN = 58`. */
export const AAG_GROUPS = 58;
/** CM_MNBC_SOUND random field length. pyslac. */
export const MNBC_RND_LENGTH = 16;

/** APPLICATION_TYPE 0x00: PEV–EVSE matching. EVerest libslac, pyslac. */
export const SLAC_APPLICATION_TYPE_PEV_EVSE = 0x00;
/** SECURITY_TYPE 0x00: no security. EVerest libslac, pyslac. */
export const SLAC_SECURITY_TYPE_NONE = 0x00;
/** RESP_TYPE 0x01: results sent to another GP station (the EV). EVerest libslac (CM_SLAC_PARM.CNF RespType 0x01). */
export const SLAC_RESP_TYPE_OTHER_STATION = 0x01;
/** CM_SLAC_PARM.CNF NumSounds = C_EV_match_MNBC = 10. EVerest libslac. */
export const SLAC_NUM_SOUNDS = 10;
/** CM_SLAC_PARM.CNF TimeOut = 6 × 100 ms = TT_EVSE_match_MNBC. EVerest libslac. */
export const SLAC_TIMEOUT_100MS = 6;
/** CM_SLAC_MATCH.REQ MVFLength 0x3E = 62, little-endian on the wire (captures). EVerest libslac. */
export const SLAC_MATCH_REQ_MVF_LENGTH = 0x3e;
/** CM_SLAC_MATCH.CNF MVFLength 0x56 = 86. EVerest libslac. */
export const SLAC_MATCH_CNF_MVF_LENGTH = 0x56;
/** CM_ATTEN_CHAR.RSP Result 0x00 = success. EVerest libslac. */
export const ATTEN_CHAR_RESULT_SUCCESS = 0x00;

/** CM_SET_KEY.REQ KeyType 0x01 = NMK (AES-128). EVerest libslac. */
export const SET_KEY_TYPE_NMK = 0x01;
/** CM_SET_KEY.REQ PID 0x04 = HLE protocol. EVerest libslac. */
export const SET_KEY_PID_HLE = 0x04;
/** CM_SET_KEY.REQ NewEKS 0x01. EVerest libslac. */
export const SET_KEY_NEW_EKS = 0x01;
/** CM_SET_KEY.CNF Result 0x00 = success (some QCA firmware reports 0x01). EVerest libslac, pyslac. */
export const SET_KEY_RESULT_SUCCESS = 0x00;

/** CM_VALIDATE SignalType 0x00: PEV S2 toggles on the CP. EVerest libslac. */
export const VALIDATE_SIGNAL_TYPE_S2_TOGGLE = 0x00;
/** CM_VALIDATE Result codes: 0 not ready, 1 ready, 2 success, 3 failure, 4 not required. EVerest libslac. */
export const VALIDATE_RESULT = {
  notReady: 0x00,
  ready: 0x01,
  success: 0x02,
  failure: 0x03,
  notRequired: 0x04,
} as const;
