/**
 * `nacs encode --schema … [--fragment exi|xmldsig]`: reads the JSON lines printed by
 * `nacs decode` from stdin (or `--json`) and prints hex lines, so `decode | encode` round-trips. A bad line
 * prints `{"error":{"message":…,"path":…}}` and the command goes on. A line with `facetWarnings` (values outside
 * a schema facet, from `nacs decode`) is encoded tolerantly, as is every line with `--tolerant`; a line's
 * `paddingBytes` zero bytes are appended after End-Document.
 */
import type { Command } from "commander";
import { z } from "zod";
import { ExiEncodeError } from "../../exi/errors.js";
import { parseOptions } from "../errors.js";
import { type CliEncodeOptions, codecFor, EXI_SCHEMAS, eachLine, errorInfo } from "./decode.js";

/** Options of `nacs encode`. */
export const encodeOptionsSchema = z.object({
  schema: z.enum(EXI_SCHEMAS),
  json: z.string().optional(),
  fragment: z.enum(["exi", "xmldsig"]).optional(),
  lenientLengths: z.boolean().optional(),
  tolerant: z.boolean().optional(),
});
export type EncodeCliOptions = z.infer<typeof encodeOptionsSchema>;

const HEX = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** Encode one JSON line (`{"type":…,"message":…}`) to a hex line, or an error object line. */
export function encodeLine(opts: EncodeCliOptions, line: string): string {
  try {
    let obj: {
      type?: unknown;
      root?: unknown;
      message?: unknown;
      facetWarnings?: unknown;
      paddingBytes?: unknown;
    };
    try {
      obj = JSON.parse(line) as typeof obj;
    } catch (e) {
      throw new ExiEncodeError("EXI_TYPE", "", `not JSON: ${(e as Error).message}`);
    }
    if (typeof obj !== "object" || obj === null || typeof obj.type !== "string" || obj.message === undefined)
      throw new ExiEncodeError("EXI_STRUCTURE", "", 'expected {"type": …, "message": …}');
    const c = codecFor(opts.schema) as ReturnType<typeof codecFor> & {
      encodeDocument(d: Record<string, unknown>, o?: CliEncodeOptions): Uint8Array;
    };
    const pad = obj.paddingBytes;
    if (pad !== undefined && !(Number.isInteger(pad) && (pad as number) >= 0 && (pad as number) <= 65536))
      throw new ExiEncodeError("EXI_TYPE", "paddingBytes", "expected a count of zero bytes (0…65536)");
    const eopts: CliEncodeOptions = {
      lenientLengths: opts.lenientLengths === true,
      tolerant: opts.tolerant === true || (Array.isArray(obj.facetWarnings) && obj.facetWarnings.length > 0),
      paddingBytes: (pad as number | undefined) ?? 0,
    };
    let out: Uint8Array;
    if (opts.fragment) {
      const f = opts.fragment === "exi" ? c.encodeFragment : c.encodeXmldsigFragment;
      if (!f)
        throw new ExiEncodeError(
          "EXI_STRUCTURE",
          "",
          `schema ${opts.schema} has no ${opts.fragment} fragment grammar`,
        );
      out = f({ [obj.type]: obj.message }, eopts);
    } else {
      const root =
        typeof obj.root === "string"
          ? obj.root
          : opts.schema === "din" || opts.schema === "iso2"
            ? "V2G_Message"
            : obj.type;
      out = c.encodeDocument({ [root]: obj.message }, eopts);
    }
    return HEX(out);
  } catch (e) {
    return JSON.stringify({ error: errorInfo(e) });
  }
}

/** Register `nacs encode`. */
export function registerEncodeCommand(program: Command): void {
  program
    .command("encode")
    .description("encode JSON lines (as printed by nacs decode, from stdin or --json) to EXI hex lines")
    .requiredOption("--schema <set>", `schema set: ${EXI_SCHEMAS.join("|")}`)
    .option("--json <json>", "one message as JSON (default: read JSON lines from stdin)")
    .option("--fragment <kind>", "encode an EXI fragment: exi or xmldsig")
    .option("--lenient-lengths", "allow strings longer than their maxLength facet (up to 64 characters)")
    .option("--tolerant", "encode values outside a schema facet that their EXI coding can carry")
    .action(async (raw: Record<string, unknown>) => {
      const opts = parseOptions(encodeOptionsSchema, raw);
      await eachLine(opts.json, (l) => encodeLine(opts, l));
    });
}
