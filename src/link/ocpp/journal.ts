/**
 * The station's offline queue on disk: an append-only NDJSON journal of its transaction-related CALLs
 * (OCPP 2.0.1 E11 / E12 "queued while offline, sent in order"), so that a crash of the station loses
 * nothing that was queued. Each `call` line is written and fsynced before the call is handed to the
 * socket; a `done` line (also fsynced) follows its CALLRESULT or CALLERROR. On start, the calls without a
 * `done` line are the pending ones, in the order they were written. When every call is done the journal is
 * compacted (emptied); a torn last line (a write cut by the crash) is ignored with a warning.
 *
 * OCPP 1.6J: a transaction's later calls (MeterValues, StopTransaction) name the transactionId that the CSMS
 * gave in StartTransaction.conf (OCPP 1.6 §4.8). A `txid` line keeps that number for the station's own
 * transaction number, for as long as a pending call of that transaction needs it.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { OcppCall } from "../../ocpp/index.js";
import { OcppLinkError } from "./errors.js";

/** The journal file inside `--ocpp-queue DIR`. */
export const OCPP_JOURNAL_FILE = "ocpp-queue.ndjson";

/** Done lines tolerated before a journal that never empties is rewritten. Design choice. */
export const OCPP_JOURNAL_SLACK = 256;

type Line =
  | { op: "call"; call: OcppCall }
  | { op: "done"; id: string }
  | { op: "txid"; local: number; transactionId: number };

/** The journal of one station. */
export interface OcppJournal {
  /** The calls written and not done, in order (as read at open, then kept up to date). */
  pending(): OcppCall[];
  /** 1.6: the CSMS's transactionId of each transaction number a pending call refers to. */
  txIds(): Record<number, number>;
  /** 1.6: note (fsync) the CSMS's transactionId of transaction number `local`; again the same: nothing. */
  noteTxId(local: number, transactionId: number): void;
  /** Write a call (fsync) before it is sent. A call already pending is not written twice. */
  append(call: OcppCall): void;
  /** Mark a call done (fsync); compacts the file when nothing is pending. Unknown ids are ignored. */
  done(id: string): void;
  close(): void;
}

function isCall(v: unknown): v is OcppCall {
  const c = v as OcppCall;
  return (
    typeof c === "object" &&
    c !== null &&
    typeof c.id === "string" &&
    typeof c.action === "string" &&
    typeof c.payload === "object" &&
    c.payload !== null &&
    typeof c.txRelated === "boolean"
  );
}

/** Parse a journal's text: the pending calls in order, and warnings for the lines skipped. */
export function readOcppJournal(text: string): {
  pending: OcppCall[];
  txIds: Record<number, number>;
  warnings: string[];
} {
  const pending = new Map<string, OcppCall>();
  const txIds: Record<number, number> = {};
  const warnings: string[] = [];
  const lines = text.split("\n");
  // a file written whole ends with "\n": the last element is "" then
  lines.forEach((raw, i) => {
    if (raw.length === 0) return;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      const torn = i === lines.length - 1;
      warnings.push(
        torn
          ? `ocpp journal line ${i + 1}: torn last line (a write cut short) ignored`
          : `ocpp journal line ${i + 1}: not JSON, ignored`,
      );
      return;
    }
    if (line?.op === "call" && isCall(line.call)) pending.set(line.call.id, line.call);
    else if (line?.op === "done" && typeof line.id === "string") pending.delete(line.id);
    else if (line?.op === "txid" && Number.isInteger(line.local) && Number.isInteger(line.transactionId))
      txIds[line.local] = line.transactionId;
    else
      warnings.push(
        `ocpp journal line ${i + 1}: op must be "call" (with a call), "done" (with an id) or "txid" (local, transactionId)`,
      );
  });
  return { pending: [...pending.values()], txIds: neededTxIds(pending.values(), txIds), warnings };
}

/** The transactionIds of the transaction numbers that pending calls refer to. */
function neededTxIds(calls: Iterable<OcppCall>, txIds: Record<number, number>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const c of calls) {
    const id = c.txLocal === undefined ? undefined : txIds[c.txLocal];
    if (c.txLocal !== undefined && id !== undefined) out[c.txLocal] = id;
  }
  return out;
}

/** Open (or create) the journal in `dir`. Throws OcppLinkError when the directory cannot be used. */
export function openOcppJournal(dir: string, onWarn: (msg: string) => void = () => {}): OcppJournal {
  const file = join(dir, OCPP_JOURNAL_FILE);
  let text = "";
  try {
    mkdirSync(dir, { recursive: true });
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT")
      throw new OcppLinkError("queue-failed", `--ocpp-queue ${dir}: ${(err as Error).message}`, {
        cause: err,
      });
  }
  const { pending: restored, txIds: restoredTxIds, warnings } = readOcppJournal(text);
  for (const w of warnings) onWarn(w);
  const pending = new Map(restored.map((c) => [c.id, c]));
  let txIds: Record<number, number> = { ...restoredTxIds };
  const noted = new Map(Object.entries(restoredTxIds).map(([k, v]) => [Number(k), v]));
  let fd = -1;
  /** Lines in the file since the last rewrite (done pairs included). */
  let lines = 0;
  const write = (ls: Line[]) => {
    writeSync(fd, ls.map((l) => `${JSON.stringify(l)}\n`).join(""));
    fsyncSync(fd);
    lines += ls.length;
  };
  // rewrite the file with the pending calls only (drops done pairs and a torn tail): written whole to a
  // temporary file, fsynced, renamed over the journal, the directory fsynced (POSIX rename is atomic), so a
  // crash at any point leaves either the old journal or the new one
  const rewrite = () => {
    if (fd >= 0) closeSync(fd);
    fd = -1;
    const tmp = `${file}.tmp`;
    const tfd = openSync(tmp, "w");
    // the numbers pending calls refer to, and the newest (its transaction may still be running)
    const newest = Math.max(-1, ...Object.keys(txIds).map(Number));
    txIds = { ...neededTxIds(pending.values(), txIds), ...(newest >= 0 && { [newest]: txIds[newest]! }) };
    try {
      const text = [
        ...Object.entries(txIds).map(([local, transactionId]) => ({
          op: "txid",
          local: Number(local),
          transactionId,
        })),
        ...[...pending.values()].map((call) => ({ op: "call", call })),
      ]
        .map((l) => `${JSON.stringify(l)}\n`)
        .join("");
      if (text.length > 0) writeSync(tfd, text);
      fsyncSync(tfd);
    } finally {
      closeSync(tfd);
    }
    renameSync(tmp, file);
    const dfd = openSync(dir, "r");
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
    fd = openSync(file, "a");
    lines = pending.size + Object.keys(txIds).length;
  };
  try {
    rewrite();
  } catch (err) {
    throw new OcppLinkError("queue-failed", `--ocpp-queue ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return {
    pending: () => [...pending.values()],
    txIds: () => ({ ...txIds }),
    noteTxId(local, transactionId) {
      // once per number and run: a rewrite may drop it from the file once no pending call needs it
      if (noted.get(local) === transactionId) return;
      noted.set(local, transactionId);
      txIds[local] = transactionId;
      write([{ op: "txid", local, transactionId }]);
    },
    append(call) {
      if (pending.has(call.id)) return;
      pending.set(call.id, call);
      write([{ op: "call", call }]);
    },
    done(id) {
      if (!pending.delete(id)) return;
      // compaction: when nothing is pending, or when done lines outnumber the pending calls (a queue that
      // never empties keeps the file within twice its pending calls plus OCPP_JOURNAL_SLACK lines)
      if (pending.size === 0 || lines > 2 * pending.size + OCPP_JOURNAL_SLACK) rewrite();
      else write([{ op: "done", id }]);
    },
    close() {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  };
}
