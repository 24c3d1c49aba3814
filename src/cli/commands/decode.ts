/**
 * `nacs decode --schema apphand|din|iso2|iso20-common|iso20-dc|iso20-ac|iso20-acdp|iso20-wpt [--hex HEX]
 * [--format json|xml] [--fragment exi|xmldsig]`: decodes one hex stream, or hex lines from
 * stdin, printing one JSON object per line — `{"type":"CurrentDemandReq","message":{…}}` — or
 * `{"error":{"message":…,"bitOffset":…}}` for a bad line (and goes on with the next line).
 *
 * Values outside a schema facet are decoded (tolerant reader) and listed: `warnings` (messages, with the
 * padding warning) and `facetWarnings` (`{path, value, rule, bitOffset}`); the XML form gets one comment
 * per warning after the root element. `--strict` makes them errors. `paddingBytes` (outside `message`)
 * counts the zero bytes after End-Document, so that `nacs encode` gives the same bytes back.
 */
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { z } from "zod";
import { appHandshake, din, iso2, iso20 } from "../../codecs/index.js";
import { paddingOf, warningsOf } from "../../exi/decoded.js";
import { ExiDecodeError, ExiEncodeError } from "../../exi/errors.js";
import { jsonReplacer } from "../../exi/xml.js";
import { V2GTP_DEFAULT_MAX_PAYLOAD } from "../../v2g/index.js";
import { parseOptions } from "../errors.js";
import { addDecodeCaptureOptions, runDecodeCapture } from "./decode-capture.js";

/** Schema-set names accepted by `--schema`. */
export const EXI_SCHEMAS = [
  "apphand",
  "din",
  "iso2",
  "iso20-common",
  "iso20-dc",
  "iso20-ac",
  "iso20-acdp",
  "iso20-wpt",
] as const;
export type ExiSchemaName = (typeof EXI_SCHEMAS)[number];

/** The generic surface of a generated codec module used by the CLI. */
export interface CliCodec {
  decodeDocument(b: Uint8Array, o?: CliDecodeOptions): Record<string, unknown>;
  encodeDocument(d: never): Uint8Array;
  toXml(d: Record<string, unknown>): string;
  decodeFragment?: (b: Uint8Array, o?: CliDecodeOptions) => Record<string, unknown>;
  encodeFragment?: (d: Record<string, unknown>, o?: CliEncodeOptions) => Uint8Array;
  decodeXmldsigFragment?: (b: Uint8Array, o?: CliDecodeOptions) => Record<string, unknown>;
  encodeXmldsigFragment?: (d: Record<string, unknown>, o?: CliEncodeOptions) => Uint8Array;
}

/** Decode options the CLI passes to the generated codecs. */
export interface CliDecodeOptions {
  onWarning?: (w: { message: string }) => void;
  strict?: boolean;
}

/** Encode options the CLI passes to the generated codecs. */
export interface CliEncodeOptions {
  lenientLengths?: boolean;
  tolerant?: boolean;
  paddingBytes?: number;
}

/** Codec module for a `--schema` name. */
export function codecFor(schema: ExiSchemaName): CliCodec {
  const m: Record<ExiSchemaName, unknown> = {
    apphand: appHandshake,
    din,
    iso2,
    "iso20-common": iso20.common,
    "iso20-dc": iso20.dc,
    "iso20-ac": iso20.ac,
    "iso20-acdp": iso20.acdp,
    "iso20-wpt": iso20.wpt,
  };
  return m[schema] as CliCodec;
}

/** Options of `nacs decode`. */
export const decodeOptionsSchema = z.object({
  schema: z.enum(EXI_SCHEMAS),
  hex: z
    .string()
    .regex(/^\s*([0-9a-fA-F]{2})+\s*$/, "must be an even number of hex digits")
    .optional(),
  format: z.enum(["json", "xml"]).default("json"),
  fragment: z.enum(["exi", "xmldsig"]).optional(),
  strict: z.boolean().optional(),
});
export type DecodeOptions = z.infer<typeof decodeOptionsSchema>;

const hexToBytes = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16));

/** Decode one hex line to the output line (never throws for bad input: returns an error object line). */
export function decodeLine(opts: DecodeOptions, line: string): string {
  const hex = line.trim().replace(/^0x/i, "");
  try {
    // Checked without a repeated group: a multi-megabyte line must not exhaust the regex engine's stack.
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex))
      throw new ExiDecodeError("EXI_HEADER", "input is not an even number of hex digits", 0);
    if (hex.length / 2 > V2GTP_DEFAULT_MAX_PAYLOAD)
      throw new ExiDecodeError(
        "EXI_LIMIT",
        `input is ${hex.length / 2} bytes: more than a V2GTP message can carry (${V2GTP_DEFAULT_MAX_PAYLOAD} bytes)`,
        0,
      );
    const c = codecFor(opts.schema);
    const bytes = hexToBytes(hex);
    const warnings: string[] = [];
    const dopts: CliDecodeOptions = {
      onWarning: (w) => warnings.push(w.message),
      strict: opts.strict === true,
    };
    let doc: Record<string, unknown>;
    if (opts.fragment) {
      const f = opts.fragment === "exi" ? c.decodeFragment : c.decodeXmldsigFragment;
      if (!f)
        throw new ExiDecodeError(
          "EXI_UNSUPPORTED",
          `schema ${opts.schema} has no ${opts.fragment} fragment grammar`,
          0,
        );
      doc = f(bytes, dopts);
    } else doc = c.decodeDocument(bytes, dopts);
    if (opts.format === "xml")
      return c.toXml(doc) + warnings.map((w) => `<!-- warning: ${w.replace(/--/g, "- -")} -->`).join("");
    const [root, value] = Object.entries(doc)[0]!;
    const out: Record<string, unknown> = {};
    if (!opts.fragment && root === "V2G_Message") {
      const body = (value as { Body?: Record<string, unknown> }).Body ?? {};
      out.type = Object.keys(body)[0] ?? "V2G_Message";
    } else {
      out.type = root;
      if (opts.schema === "din" || opts.schema === "iso2") out.root = root;
    }
    out.message = value;
    if (warnings.length > 0) out.warnings = warnings;
    const facets = warningsOf(doc);
    if (facets.length > 0)
      out.facetWarnings = facets.map(({ path, value, rule, bitOffset }) => ({
        path,
        value,
        rule,
        bitOffset,
      }));
    const pad = paddingOf(doc);
    if (pad > 0) out.paddingBytes = pad;
    return JSON.stringify(out, jsonReplacer);
  } catch (e) {
    return JSON.stringify({ error: errorInfo(e) });
  }
}

/** The `error` object printed for a bad line. */
export function errorInfo(e: unknown): Record<string, unknown> {
  if (e instanceof ExiDecodeError) return { message: e.message, code: e.code, bitOffset: e.bitOffset };
  if (e instanceof ExiEncodeError) return { message: e.message, code: e.code, path: e.path.join(".") };
  return { message: (e as Error)?.message ?? String(e) };
}

/** Apply `fn` to `--hex` or to each non-empty stdin line, printing each result line. */
export async function eachLine(single: string | undefined, fn: (line: string) => string): Promise<void> {
  if (single !== undefined) {
    process.stdout.write(`${fn(single)}\n`);
    return;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) if (line.trim() !== "") process.stdout.write(`${fn(line)}\n`);
}

/** Register `nacs decode`. */
export function registerDecodeCommand(program: Command): void {
  const cmd = program
    .command("decode")
    .description("decode EXI hex (from --hex or stdin lines) to JSON lines or XML, or a pcap/pcapng FILE")
    .argument("[file]", "pcap/pcapng capture to decode: a timeline, or --json / --check")
    .option("--schema <set>", `schema set: ${EXI_SCHEMAS.join("|")} (required without FILE)`)
    .option("--hex <hex>", "one EXI stream as hex (default: read hex lines from stdin)")
    .option("--format <format>", "json (default) or xml")
    .option("--fragment <kind>", "decode an EXI fragment: exi (whole-set fragment grammar) or xmldsig")
    .option("--strict", "values outside a schema facet are errors (default: decoded and listed as warnings)")
    .action(async (file: string | undefined, raw: Record<string, unknown>) => {
      if (file) {
        // --check gates CI: status 1 when the report has errors (warnings and notes keep 0)
        if ((await runDecodeCapture(file, raw)) !== 0) process.exitCode = 1;
        return;
      }
      const opts = parseOptions(decodeOptionsSchema, raw);
      await eachLine(opts.hex, (l) => decodeLine(opts, l));
    });
  addDecodeCaptureOptions(cmd);
}
