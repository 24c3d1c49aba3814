/** `--events FILE|-`: the NDJSON session record of a live host, one line written per event. */
import { closeSync, openSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import type { RecordEvent } from "../../link/host/record.js";
import { UsageError } from "../errors.js";

/** An open events sink. */
export interface EventsSink {
  write(e: RecordEvent): void;
  close(): void;
}

/** Open `--events` (`-` = stdout); null without it. A file that cannot be written is a usage error. */
export function openEventsSink(spec: string | undefined): EventsSink | null {
  if (spec === undefined) return null;
  if (spec === "-") return { write: (e) => process.stdout.write(`${JSON.stringify(e)}\n`), close() {} };
  let fd: number;
  try {
    fd = openSync(resolve(spec), "w");
  } catch (e) {
    throw new UsageError(
      `option --events: cannot write ${JSON.stringify(spec)}: ${(e as Error).message}`,
      "--events",
    );
  }
  let open = true;
  return {
    write(e) {
      if (open) writeSync(fd, `${JSON.stringify(e)}\n`);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}
