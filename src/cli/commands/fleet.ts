/**
 * `nacs fleet merge FILE… [--json]`: the `--json` summaries of one live fleet run as several processes
 * (`nacs ev --fleet N --shard K/S`, or `nacs evse --fleet M --shard K/S`) as one summary: counts summed,
 * workers listed with their shard, percentiles from the merged histograms (±1 %, fleet/latency-histogram.ts).
 * `-` reads a summary from stdin. A file that is not a summary of the same kind, or has no histograms, is
 * refused naming the file and the field (exit 2). Notes on the shards (one given twice, one missing) go to
 * stderr.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { z } from "zod";
import { parseOptions, UsageError } from "../errors.js";
import {
  FleetMergeError,
  formatMergedSummary,
  type MergeInput,
  mergeFleetSummaries,
} from "../fleet/merge.js";

/** Options of `nacs fleet merge`. */
export const fleetMergeOptionsSchema = z.object({ json: z.boolean().optional() });

/** Read and parse each file (`-`: stdin, at most once); errors name the file. */
export function readSummaries(
  files: readonly string[],
  read = (f: string | 0) => readFileSync(f, "utf8"),
): MergeInput[] {
  if (files.filter((f) => f === "-").length > 1)
    throw new UsageError("fleet merge: - (stdin) given more than once");
  return files.map((file) => {
    let text: string;
    try {
      text = read(file === "-" ? 0 : file);
    } catch (e) {
      throw new UsageError(`fleet merge: ${file}: cannot read: ${(e as Error).message}`);
    }
    try {
      return { file, json: JSON.parse(text) as unknown };
    } catch (e) {
      throw new UsageError(
        `fleet merge: ${file}: not JSON (a --json fleet summary): ${(e as Error).message}`,
      );
    }
  });
}

/** `nacs fleet merge`: the merged summary as text or JSON, and the notes for stderr. */
export function runFleetMerge(
  inputs: readonly MergeInput[],
  o: z.infer<typeof fleetMergeOptionsSchema>,
): { out: string; notes: string[] } {
  try {
    const { summary, notes } = mergeFleetSummaries(inputs);
    return { out: o.json ? `${JSON.stringify(summary)}\n` : formatMergedSummary(summary), notes };
  } catch (e) {
    if (e instanceof FleetMergeError || e instanceof RangeError)
      throw new UsageError(`fleet merge: ${e.message}`);
    throw e;
  }
}

/** Register `nacs fleet` (merge). */
export function registerFleetCommand(program: Command): void {
  const fleet = program
    .command("fleet")
    .description("live fleets run as several processes (--shard K/S): merge their summaries");
  fleet
    .command("merge")
    .description(
      "merge the --json summaries of nacs ev --fleet (or of nacs evse --fleet) shards into one: counts summed, percentiles from the merged histograms (±1 %)",
    )
    .argument("<files...>", "the --json summaries, all of one kind (- reads one from stdin)")
    .option("--json", "print the merged summary as one JSON object")
    .action((files: string[], raw: Record<string, unknown>) => {
      const opts = parseOptions(fleetMergeOptionsSchema, raw);
      const { out, notes } = runFleetMerge(readSummaries(files), opts);
      for (const n of notes) process.stderr.write(`nacs fleet merge: note: ${n}\n`);
      process.stdout.write(out);
    });
}
