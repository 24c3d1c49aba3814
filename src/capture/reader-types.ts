/** Records, interfaces and counters of the capture reader (reader.ts). Pure types. */

/** One capture interface (pcap: the single one from the file header). */
export interface CaptureInterface {
  /** Link type (LINKTYPE_*). */
  linkType: number;
  /** Snapshot length (0 = unlimited). */
  snapLen: number;
  /** Timestamp units per second as a power: `base ** exp` (decimal 10^6 by default). */
  tsBase: 2 | 10;
  tsExp: number;
  /** Seconds added to every timestamp (pcapng if_tsoffset). */
  tsOffset: number;
  /** Number of FCS bytes at the end of each frame (0 if none). */
  fcsLen: number;
  name?: string;
}

/** One captured packet. `data` may be a view into a pushed chunk: do not mutate pushed chunks. */
export interface CapturedPacket {
  kind: "packet";
  /** 0-based index among the packets of the file (the frame number Wireshark shows, minus 1). */
  index: number;
  /** Index into {@link CaptureReader.interfaces} (pcapng: per section, made global here). */
  interfaceId: number;
  linkType: number;
  /** Whole seconds since the epoch (offset applied). */
  tsSec: number;
  /** Nanoseconds within the second. */
  tsNsec: number;
  /** Captured bytes (FCS removed when the interface says there is one). */
  data: Uint8Array;
  /** Length of the packet on the wire. */
  origLen: number;
}

/** Decryption secrets from a pcapng DSB (e.g. an NSS TLS key log). */
export interface CapturedSecrets {
  kind: "secrets";
  secretsType: number;
  /** The key-log text for TLS key logs; undefined for other types. */
  text?: string;
  data: Uint8Array;
}

/**
 * Bytes of the file skipped because they are not a plausible record (damage): the reader resynchronised at
 * the next plausible record/block, or the file ended. Also reported for a file cut short inside a record.
 */
export interface CapturedDamage {
  kind: "damage";
  /** File offset of the first skipped byte. */
  offset: number;
  /** Number of bytes skipped. */
  skipped: number;
  /** What was wrong at `offset`: the field and the rule. */
  reason: string;
  /** Index of the packet after the damage (the number of packets read before it). */
  beforePacket: number;
  /** The file ends inside this record (cut short); nothing after it. */
  truncated?: boolean;
}

/** What {@link CaptureReader.push} returns. */
export type CaptureRecord = CapturedPacket | CapturedSecrets | CapturedDamage;

/** Counters of the reader. */
export interface CaptureReaderStats {
  bytes: number;
  packets: number;
  blocks: number;
  skippedBlocks: number;
  /** Damaged stretches skipped (resynchronisations, unusable blocks, a cut-short end). */
  damaged: number;
  /** Bytes in them. */
  skippedBytes: number;
}

/** Incremental reader; see {@link createCaptureReader}. */
export interface CaptureReader {
  /**
   * Feed the next chunk; returns the records completed by it. Damage after the file header is not thrown:
   * it comes back as a {@link CapturedDamage} record and reading goes on at the next plausible record.
   * Throws {@link CaptureError} only for a file header that is not pcap or pcapng ("bad-magic").
   */
  push(chunk: Uint8Array): CaptureRecord[];
  /**
   * No more chunks: returns the records still held (resynchronising within the last bytes) and the
   * damage record of a cut-short end. Call it before {@link end} to keep them.
   */
  finish(): CaptureRecord[];
  /**
   * Signal the end of the file (runs {@link finish} if not yet done, dropping its records). Returns the
   * number of bytes of a partial last record (a capture cut short, e.g. by a full disk or a still-running
   * capture: 0 for a clean file). Throws {@link CaptureError} "truncated" only when not even the file header
   * arrived.
   */
  end(): number;
  readonly format: "pcap" | "pcapng" | undefined;
  readonly interfaces: readonly CaptureInterface[];
  readonly stats: Readonly<CaptureReaderStats>;
  /** Bytes held for an incomplete record. */
  readonly buffered: number;
}
