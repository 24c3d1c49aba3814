/**
 * The station's offline queue on disk: an append-only NDJSON journal of its transaction-related CALLs
 * (OCPP 2.0.1 E11 / E12 "queued while offline, sent in order"), so that a crash of the station loses
 * nothing that was queued. Each `call` line is written and fsynced before the call is handed to the
 * socket; a `done` line (also fsynced) follows its CALLRESULT or CALLERROR. On start, the calls without a
 * `done` line are the pending ones, in the order they were written. When every call is done the journal is
 * compacted (emptied); a torn last line (a write cut by the crash) is ignored with a warning.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { OcppCall } from "../../ocpp/index.js";
import { OcppLinkError } from "./errors.js";

/** The journal file inside `--ocpp-queue DIR`. */
export const OCPP_JOURNAL_FILE = "ocpp-queue.ndjson";

/** Done lines tolerated before a journal that never empties is rewritten. Design choice. */
export const OCPP_JOURNAL_SLACK = 256;

type Line = { op: "call"; call: OcppCall } | { op: "done"; id: string };

/** The journal of one station. */
export interface OcppJournal {
  /** The calls written and not done, in order (as read at open, then kept up to date). */
  pending(): OcppCall[];
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
export function readOcppJournal(text: string): { pending: OcppCall[]; warnings: string[] } {
  const pending = new Map<string, OcppCall>();
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
    else warnings.push(`ocpp journal line ${i + 1}: op must be "call" (with a call) or "done" (with an id)`);
  });
  return { pending: [...pending.values()], warnings };
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
  const { pending: restored, warnings } = readOcppJournal(text);
  for (const w of warnings) onWarn(w);
  const pending = new Map(restored.map((c) => [c.id, c]));
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
    try {
      const text = [...pending.values()].map((call) => `${JSON.stringify({ op: "call", call })}\n`).join("");
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
    lines = pending.size;
  };
  try {
    rewrite();
  } catch (err) {
    throw new OcppLinkError("queue-failed", `--ocpp-queue ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return {
    pending: () => [...pending.values()],
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
