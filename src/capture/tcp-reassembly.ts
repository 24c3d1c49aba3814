/**
 * One direction of a TCP byte stream rebuilt from captured segments (RFC 9293 sequence arithmetic):
 * in-order data is passed through (as views, no copy), retransmitted and overlapping bytes are dropped,
 * out-of-order segments are held until the hole is filled. When more than `maxHeldBytes` wait behind a
 * hole (a segment the capture missed), or once the peer acknowledges data beyond the hole, the hole is
 * declared a gap and skipped. Pure code.
 */

/** Default bound on bytes held behind a hole before it is declared a gap (per direction). */
export const TCP_MAX_HELD_BYTES = 1024 * 1024;

/** What {@link TcpReassembler.push} returns, in stream order. */
export type TcpStreamPiece = { kind: "data"; data: Uint8Array } | { kind: "gap"; bytes: number };

/** Counters of one direction. */
export interface TcpReassemblyStats {
  segments: number;
  bytes: number;
  retransmittedBytes: number;
  outOfOrderSegments: number;
  gaps: number;
  gapBytes: number;
}

/** One direction; see {@link createTcpReassembler}. */
export interface TcpReassembler {
  /** Feed a segment (its sequence number, SYN/FIN flags and payload). */
  push(seq: number, syn: boolean, payload: Uint8Array): TcpStreamPiece[];
  /**
   * The peer acknowledged up to `ack` (RFC 9293 §3.4): bytes it acknowledged were delivered, so a hole
   * below `ack` is data the capture missed — declared a gap at once, and the held data behind it released.
   */
  acked(ack: number): TcpStreamPiece[];
  /** End of capture: skip any holes and return the held data. */
  flush(): TcpStreamPiece[];
  /** Next expected sequence number (undefined before the first SYN or data). */
  readonly next: number | undefined;
  /** True once a SYN was seen (the stream start is known). */
  readonly sawSyn: boolean;
  readonly held: number;
  readonly stats: Readonly<TcpReassemblyStats>;
}

interface Held {
  seq: number;
  data: Uint8Array;
}

/** Signed distance a − b in 32-bit sequence space. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Create the reassembler of one direction. */
export function createTcpReassembler(opts?: { maxHeldBytes?: number }): TcpReassembler {
  const maxHeld = opts?.maxHeldBytes ?? TCP_MAX_HELD_BYTES;
  let next: number | undefined;
  let sawSyn = false;
  let held: Held[] = [];
  let heldBytes = 0;
  const stats: TcpReassemblyStats = {
    segments: 0,
    bytes: 0,
    retransmittedBytes: 0,
    outOfOrderSegments: 0,
    gaps: 0,
    gapBytes: 0,
  };

  /** Emit `data` starting at `seq` if it reaches `next`; returns false when it lies in the future. */
  function take(seq: number, data: Uint8Array, out: TcpStreamPiece[]): boolean {
    const d = seqDiff(seq, next!);
    if (d > 0) return false;
    if (d + data.length <= 0) {
      stats.retransmittedBytes += data.length;
      return true;
    }
    if (d < 0) stats.retransmittedBytes += -d;
    const fresh = d < 0 ? data.subarray(-d) : data;
    out.push({ kind: "data", data: fresh });
    stats.bytes += fresh.length;
    next = (next! + fresh.length) >>> 0;
    return true;
  }

  function drain(out: TcpStreamPiece[]): void {
    let progressed = true;
    while (progressed && held.length > 0) {
      progressed = false;
      for (let i = 0; i < held.length; i++) {
        const h = held[i]!;
        if (take(h.seq, h.data, out)) {
          held.splice(i, 1);
          heldBytes -= h.data.length;
          progressed = true;
          break;
        }
      }
    }
  }

  function skipToEarliest(out: TcpStreamPiece[]): void {
    let min = held[0]!;
    for (const h of held) if (seqDiff(h.seq, min.seq) < 0) min = h;
    const gap = seqDiff(min.seq, next!);
    out.push({ kind: "gap", bytes: gap });
    stats.gaps++;
    stats.gapBytes += gap;
    next = min.seq;
    drain(out);
  }

  return {
    push(seq, syn, payload) {
      stats.segments++;
      const out: TcpStreamPiece[] = [];
      let s = seq;
      if (syn) {
        s = (seq + 1) >>> 0;
        if (!sawSyn || next === undefined) {
          sawSyn = true;
          next = s;
        }
      }
      if (payload.length === 0) return out;
      if (next === undefined) next = s;
      if (!take(s, payload, out)) {
        stats.outOfOrderSegments++;
        // keep a copy only if the caller may reuse its buffer: captured data is never reused, keep the view
        held.push({ seq: s, data: payload });
        heldBytes += payload.length;
        if (heldBytes > maxHeld) skipToEarliest(out);
        return out;
      }
      if (held.length > 0) drain(out);
      return out;
    },
    acked(ack) {
      const out: TcpStreamPiece[] = [];
      while (held.length > 0 && next !== undefined) {
        let min = held[0]!;
        for (const h of held) if (seqDiff(h.seq, min.seq) < 0) min = h;
        if (seqDiff(ack, min.seq) < 0) break; // the hole itself may still be in flight
        skipToEarliest(out);
      }
      return out;
    },
    flush() {
      const out: TcpStreamPiece[] = [];
      while (held.length > 0) skipToEarliest(out);
      held = [];
      heldBytes = 0;
      return out;
    },
    get next() {
      return next;
    },
    get sawSyn() {
      return sawSyn;
    },
    get held() {
      return heldBytes;
    },
    stats,
  };
}
