/**
 * Constants of the capture file formats and link types.
 * pcap: https://www.tcpdump.org/manpages/pcap-savefile.5.html (and draft-ietf-opsawg-pcap);
 * pcapng: draft-ietf-opsawg-pcapng (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-01.html);
 * link types: https://www.tcpdump.org/linktypes.html.
 */

/** pcap magic, microsecond timestamps (as read little-endian from a little-endian file). pcap-savefile(5). */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
/** pcap magic, nanosecond timestamps. pcap-savefile(5). */
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** pcap global header length. pcap-savefile(5). */
export const PCAP_HEADER_LENGTH = 24;
/** pcap per-record header length. pcap-savefile(5). */
export const PCAP_RECORD_HEADER_LENGTH = 16;

/** pcapng Section Header Block type (palindromic). pcapng §4.1. */
export const PCAPNG_SHB = 0x0a0d0d0a;
/** pcapng Interface Description Block type. pcapng §4.2. */
export const PCAPNG_IDB = 0x00000001;
/** pcapng obsolete Packet Block type. pcapng Appendix A. */
export const PCAPNG_PB = 0x00000002;
/** pcapng Simple Packet Block type. pcapng §4.4. */
export const PCAPNG_SPB = 0x00000003;
/** pcapng Name Resolution Block type. pcapng §4.5. */
export const PCAPNG_NRB = 0x00000004;
/** pcapng Interface Statistics Block type. pcapng §4.6. */
export const PCAPNG_ISB = 0x00000005;
/** pcapng Enhanced Packet Block type. pcapng §4.3. */
export const PCAPNG_EPB = 0x00000006;
/** pcapng Decryption Secrets Block type. pcapng §4.7. */
export const PCAPNG_DSB = 0x0000000a;
/** pcapng byte-order magic in the SHB. pcapng §4.1. */
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** DSB secrets type "TLSK": an NSS key log. pcapng §4.7. */
export const PCAPNG_SECRETS_TLS_KEYLOG = 0x544c534b;
/** IDB option if_name. pcapng §4.2. */
export const PCAPNG_OPT_IF_NAME = 2;
/** IDB option if_tsresol. pcapng §4.2. */
export const PCAPNG_OPT_IF_TSRESOL = 9;
/** IDB option if_fcslen. pcapng §4.2. */
export const PCAPNG_OPT_IF_FCSLEN = 13;
/** IDB option if_tsoffset (seconds added to every timestamp). pcapng §4.2. */
export const PCAPNG_OPT_IF_TSOFFSET = 14;
/** Largest block / record the reader accepts (bounds memory of a corrupt length field). */
export const CAPTURE_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** LINKTYPE_NULL (BSD loopback, 4-byte host-order family). linktypes.html. */
export const LINKTYPE_NULL = 0;
/** LINKTYPE_ETHERNET. linktypes.html. */
export const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_RAW (raw IPv4/IPv6). linktypes.html. */
export const LINKTYPE_RAW = 101;
/** LINKTYPE_LOOP (OpenBSD loopback, 4-byte network-order family). linktypes.html. */
export const LINKTYPE_LOOP = 108;
/** LINKTYPE_LINUX_SLL (16-byte cooked header). linktypes.html. */
export const LINKTYPE_LINUX_SLL = 113;
/** LINKTYPE_IPV4. linktypes.html. */
export const LINKTYPE_IPV4 = 228;
/** LINKTYPE_IPV6. linktypes.html. */
export const LINKTYPE_IPV6 = 229;
/** LINKTYPE_LINUX_SLL2 (20-byte cooked header). linktypes.html. */
export const LINKTYPE_LINUX_SLL2 = 276;

/** EtherType IPv4. IEEE 802 numbers. */
export const ETHERTYPE_IPV4 = 0x0800;
/** EtherType IPv6. IEEE 802 numbers. */
export const ETHERTYPE_IPV6 = 0x86dd;
/** EtherType 802.1Q VLAN tag. */
export const ETHERTYPE_VLAN = 0x8100;
/** EtherType 802.1ad (QinQ) service tag. */
export const ETHERTYPE_QINQ = 0x88a8;
/** EtherType of the legacy 802.1QinQ tag some switches use. */
export const ETHERTYPE_QINQ_OLD = 0x9100;
/** EtherType HomePlug AV (SLAC MMEs). ISO 15118-3. */
export const ETHERTYPE_HOMEPLUG_AV = 0x88e1;
