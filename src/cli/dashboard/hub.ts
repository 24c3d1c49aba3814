/**
 * The dashboard's live event hub (Node side): keeps the whole session record of this host (bounded by a
 * generous cap, with a "history truncated" marker event instead of silent loss) and fans new events out to
 * subscribers in batches at most {@link HUB_BATCH_MS} apart, in the order they were published.
 *
 * A subscriber first gets the history as it is when it subscribes (in frames of at most
 * {@link HUB_HISTORY_FRAME} events), then every later event exactly once, then `end` once the host's
 * session(s) are over. Timers are injected (tests drive them by hand).
 */
import type { RecordEvent } from "../../link/host/record.js";

/** Live batches go out at most this often (ms): the dashboard contract's 50 ms. */
export const HUB_BATCH_MS = 50;
/** History kept for subscribers that join late (events: hours of a charge loop); beyond it the oldest are dropped, with a marker. */
export const HUB_HISTORY_CAP = 200_000;
/** Events per history frame sent to a new subscriber. */
export const HUB_HISTORY_FRAME = 5_000;

/** What a subscriber receives. */
export interface HubSink {
  /** A non-empty batch, in publication order. */
  events(batch: readonly RecordEvent[]): void;
  /** The host's session(s) are over (at most once, after every event). */
  end(): void;
}

/** Timer functions (default the global ones). */
export interface HubTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Hub options. */
export interface HubOptions {
  cap?: number;
  batchMs?: number;
  historyFrame?: number;
  timers?: HubTimers;
}

/** A live event hub. */
export interface EventHub {
  publish(e: RecordEvent): void;
  /** Subscribe: the history now, then live batches. Returns the unsubscribe function. */
  subscribe(sink: HubSink): () => void;
  /** Everything kept so far (with the truncation marker first when events were dropped). */
  history(): RecordEvent[];
  /** The session(s) are over: flush and tell every subscriber (now and later). Idempotent. */
  end(): void;
  readonly ended: boolean;
  /** Events published so far (including dropped ones). */
  readonly published: number;
  /** Events dropped from the history (never from a live subscriber's stream). */
  readonly dropped: number;
  /** Stop the batch timer (no more deliveries). */
  close(): void;
}

const defaultTimers: HubTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** The marker event that stands for the dropped start of the history (a `log` event, kept in time order). */
export function truncationMarker(dropped: number, t: number): RecordEvent {
  return {
    t,
    type: "log",
    side: "dashboard",
    level: "warn",
    msg: `history truncated: the ${dropped} earliest events are not kept (cap ${HUB_HISTORY_CAP}); the record file has them all`,
    truncated: dropped,
  };
}

/** Create a hub. */
export function createEventHub(opts: HubOptions = {}): EventHub {
  const cap = opts.cap ?? HUB_HISTORY_CAP;
  const batchMs = opts.batchMs ?? HUB_BATCH_MS;
  const frame = opts.historyFrame ?? HUB_HISTORY_FRAME;
  const timers = opts.timers ?? defaultTimers;
  let kept: RecordEvent[] = [];
  let dropped = 0;
  let published = 0;
  /** Events published since the last flush, with their sequence numbers starting at `pendingFrom`. */
  let pending: RecordEvent[] = [];
  let pendingFrom = 0;
  let timer: unknown = null;
  let ended = false;
  let closed = false;
  const subs = new Set<{ sink: HubSink; next: number }>();

  const history = (): RecordEvent[] =>
    dropped > 0 ? [truncationMarker(dropped, kept[0]?.t ?? 0), ...kept] : kept.slice();

  const flush = () => {
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    const from = pendingFrom;
    pending = [];
    pendingFrom = published;
    for (const s of subs) {
      const part = s.next > from ? batch.slice(s.next - from) : batch;
      s.next = from + batch.length;
      if (part.length > 0) s.sink.events(part);
    }
  };

  return {
    publish(e) {
      if (ended || closed) return;
      kept.push(e);
      pending.push(e);
      published++;
      if (kept.length > cap) {
        // drop a tenth at once (amortised), never the events still pending for live subscribers
        const n = Math.max(1, Math.floor(cap / 10));
        kept = kept.slice(n);
        dropped += n;
      }
      if (timer === null) timer = timers.setTimeout(flush, batchMs);
    },
    subscribe(sink) {
      const h = history();
      for (let k = 0; k < h.length; k += frame) sink.events(h.slice(k, k + frame));
      const s = { sink, next: published };
      subs.add(s);
      if (ended) sink.end();
      return () => {
        subs.delete(s);
      };
    },
    history,
    end() {
      if (ended) return;
      if (timer !== null) timers.clearTimeout(timer);
      flush();
      ended = true;
      for (const s of subs) s.sink.end();
    },
    get ended() {
      return ended;
    },
    get published() {
      return published;
    },
    get dropped() {
      return dropped;
    },
    close() {
      closed = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      subs.clear();
    },
  };
}
