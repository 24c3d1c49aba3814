/**
 * `nacs connectors`: print the connector catalogue, the adapters (`--list-adapters`), or
 * answer one question: `--inlet j3400 --connector ccs1 --adapter ccs1-to-j3400 [--supply dc] [--json]`.
 * A "not possible" answer is still an answer (exit 0, `"ok": false` in JSON); bad ids exit 2.
 */
import type { Command } from "commander";
import { z } from "zod";
import {
  ADAPTER_IDS,
  ADAPTERS,
  type AdapterRow,
  CONNECTOR_IDS,
  CONNECTORS,
  type ConnectorRow,
  type Rating,
  type Resolution,
  resolve,
  UnknownIdError,
} from "../../connectors/index.js";
import { flagName, parseOptions, UsageError } from "../errors.js";

/** Options of `nacs connectors`, validated with zod (bad ids ⇒ UsageError, exit 2). */
export const connectorsOptionsSchema = z.object({
  inlet: z.enum(CONNECTOR_IDS).optional(),
  connector: z.enum(CONNECTOR_IDS).optional(),
  adapter: z.enum(ADAPTER_IDS).optional(),
  supply: z.enum(["ac", "dc"]).optional(),
  inletVariant: z.string().min(1).optional(),
  connectorVariant: z.string().min(1).optional(),
  json: z.boolean().optional(),
  listAdapters: z.boolean().optional(),
});

/** Validated options of `nacs connectors`. */
export type ConnectorsOptions = z.infer<typeof connectorsOptionsSchema>;

const num = (x: number | null, unit: string): string => (x === null ? "—" : `${x} ${unit}`);
const compact = (r: Rating): string =>
  [num(r.maxVoltageV, "V"), num(r.maxCurrentA, "A"), num(r.maxPowerKw, "kW")].join("/").replaceAll(" ", "");

/** Lay out rows as columns separated by two spaces, each column as wide as its widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`;
}

function acCell(row: ConnectorRow): string {
  const ac = row.modes.ac;
  if (!ac) return "—";
  const cell = ac.levels.map((l) => `${l.mode.replace("ac-", "").toUpperCase()} ${compact(l)}`).join("; ");
  return row.plugCarries.includes("ac") ? cell : `${cell} (inlet only)`;
}

function dcCell(row: ConnectorRow): string {
  const dc = row.modes.dc;
  if (!dc) return "—";
  return dc.variants
    .map(
      (v) =>
        `${compact(v)}${dc.variants.length > 1 ? ` [${v.id}${v.id === dc.defaultVariant ? "*" : ""}]` : ""}`,
    )
    .join("; ");
}

function sourcesCell(sources: readonly { tag: string; status: string }[], conflicts: number): string {
  const s = sources.map((x) => `${x.tag} ${x.status}`).join(", ");
  return conflicts > 0 ? `${s}; ${conflicts} conflict${conflicts > 1 ? "s" : ""}` : s;
}

/** The catalogue as an aligned text table (id, name, AC, DC, sources/status). */
export function formatCatalogue(): string {
  const rows = CONNECTOR_IDS.map((id) => CONNECTORS[id]).map((r) => [
    r.id,
    r.name,
    acCell(r),
    dcCell(r),
    sourcesCell(r.sources, r.conflicts.length),
  ]);
  const table = formatTable(["id", "name", "AC (V/A/kW)", "DC (V/A/kW)", "sources (status)"], rows);
  return `${table}\n* default DC variant; "inlet only": the plug of that id carries no AC. Status: C confirmed, D derived, U unconfirmed.\n`;
}

function adapterRatingCell(a: AdapterRow): string {
  return (["ac", "dc"] as const)
    .filter((k) => a.rating[k])
    .map((k) => `${k.toUpperCase()} ${compact(a.rating[k]!)}`)
    .join("; ");
}

/** The adapters as an aligned text table. */
export function formatAdapters(): string {
  const rows = ADAPTER_IDS.map((id) => ADAPTERS[id]).map((a) => [
    a.id,
    `${a.evseSide} → ${a.vehicleSide}`,
    a.passes.map((p) => p.toUpperCase()).join("+"),
    adapterRatingCell(a),
    a.ocppConnectorType ?? "—",
    sourcesCell(a.sources, 0),
  ]);
  const table = formatTable(["id", "EVSE plug → vehicle inlet", "passes", "rating", "OCPP", "sources"], rows);
  return `${table}\n"—" = no published rating (status U: the J3400 adapter clauses are not public): not used as a limit.\n`;
}

/** One answer of `resolve()` as text. */
export function formatResolution(q: ConnectorsOptions, r: Resolution): string {
  const head = `inlet ${q.inlet} ← connector ${q.connector}${q.adapter ? ` via adapter ${q.adapter}` : ""}${
    q.supply ? ` (${q.supply.toUpperCase()} supply)` : ""
  }`;
  if (!r.ok) {
    const hint = r.suggestion
      ? r.suggestion.startsWith("(")
        ? "\n  try: without --adapter\n"
        : `\n  try: --adapter ${r.suggestion}\n`
      : "\n";
    return `${head}: not possible\n  reason: ${r.reason}${hint}`;
  }
  const rows = r.modes.map((m) => [
    m.mode,
    num(m.maxVoltageV, "V"),
    num(m.maxCurrentA, "A"),
    num(m.maxPowerKw, "kW"),
    m.limitedBy.join("; "),
  ]);
  const table = formatTable(["mode", "voltage", "current", "power", "limited by"], rows)
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
  const notes = r.notes.length ? `notes:\n${r.notes.map((n) => `  - ${n}`).join("\n")}\n` : "";
  return `${head}: possible\n${table}${notes}`;
}

/** Run `nacs connectors` with validated options; returns the text to print. Throws UsageError. */
export function runConnectors(opts: ConnectorsOptions): string {
  const asked = opts.inlet !== undefined || opts.connector !== undefined || opts.adapter !== undefined;
  if (!asked) {
    for (const k of ["supply", "inletVariant", "connectorVariant"] as const) {
      if (opts[k] !== undefined)
        throw new UsageError(
          `option ${flagName(k)}: value ${JSON.stringify(opts[k])} is not allowed: needs --inlet and --connector`,
          flagName(k),
        );
    }
    if (opts.json) {
      const data = opts.listAdapters
        ? { adapters: ADAPTER_IDS.map((id) => ADAPTERS[id]) }
        : {
            connectors: CONNECTOR_IDS.map((id) => CONNECTORS[id]),
            adapters: ADAPTER_IDS.map((id) => ADAPTERS[id]),
          };
      return `${JSON.stringify(data, null, 2)}\n`;
    }
    return opts.listAdapters ? formatAdapters() : formatCatalogue();
  }
  for (const k of ["inlet", "connector"] as const) {
    if (opts[k] === undefined)
      throw new UsageError(
        `option ${flagName(k)}: value (missing) is not allowed: required when asking a question (--inlet and --connector)`,
        flagName(k),
      );
  }
  let r: Resolution;
  try {
    r = resolve(opts.inlet!, opts.connector!, opts.adapter, {
      ...(opts.supply && { supply: opts.supply }),
      ...(opts.inletVariant && { inletVariant: opts.inletVariant }),
      ...(opts.connectorVariant && { connectorVariant: opts.connectorVariant }),
    });
  } catch (err) {
    if (err instanceof UnknownIdError) {
      const rule = err.allowed.length
        ? `expected one of ${err.allowed.join(", ")}`
        : `${err.field.replace("Variant", "")} ${err.field === "inletVariant" ? opts.inlet : opts.connector} has no DC variants`;
      throw new UsageError(
        `option ${flagName(err.field)}: value ${JSON.stringify(err.value)} is not allowed: ${rule}`,
        flagName(err.field),
        { cause: err },
      );
    }
    throw err;
  }
  if (opts.json) {
    const q = { inlet: opts.inlet, connector: opts.connector, adapter: opts.adapter ?? null };
    return `${JSON.stringify({ query: { ...q, supply: opts.supply ?? null }, ...r }, null, 2)}\n`;
  }
  return formatResolution(opts, r);
}

/** Register `nacs connectors` on the program. */
export function registerConnectorsCommand(program: Command): void {
  program
    .command("connectors")
    .description(
      "connector catalogue (J3400, J1772, CCS1/2, Type 2, CHAdeMO, MCS, GB/T) and adapters; with --inlet and --connector: which modes work and their limits",
    )
    .option("--inlet <id>", `vehicle inlet: ${CONNECTOR_IDS.join(", ")}`)
    .option("--connector <id>", `EVSE connector: ${CONNECTOR_IDS.join(", ")}`)
    .option("--adapter <id>", `adapter: ${ADAPTER_IDS.join(", ")}`)
    .option("--supply <kind>", "what the EVSE supplies: ac or dc (e.g. a J3400 DC charger)")
    .option("--inlet-variant <id>", "DC variant of the inlet (e.g. j3400: 1000, legacy500)")
    .option("--connector-variant <id>", "DC variant of the connector (e.g. chademo: 1.x, 2.0, 3.0)")
    .option("--list-adapters", "print the adapters instead of the connectors")
    .option("--json", "print JSON")
    .action((raw: Record<string, unknown>) => {
      const opts = parseOptions(connectorsOptionsSchema, raw);
      process.stdout.write(runConnectors(opts));
    });
}
