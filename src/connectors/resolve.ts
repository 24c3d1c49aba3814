/**
 * `resolve(inlet, connector, adapter?)`: which charging modes a vehicle inlet and an EVSE connector
 * (optionally through an adapter) allow, with voltage/current/power limits = min(connector, adapter,
 * inlet), or why not. Mating and adapter rules: our engineering view of SAE J3400 / J1772 / CCS1 coupling.
 */
import { ADAPTER_IDS, ADAPTERS } from "./adapters.js";
import { CONNECTOR_IDS, CONNECTORS } from "./catalogue.js";
import { UnknownIdError } from "./errors.js";
import type {
  AdapterId,
  AdapterRow,
  ChargeMode,
  ConnectorId,
  ConnectorRow,
  DcVariant,
  ModeResult,
  PowerKind,
  Rating,
  Resolution,
  ResolveOptions,
} from "./types.js";

/** Look up a connector row; throws {@link UnknownIdError} naming `field` and the valid ids. */
export function getConnector(id: string, field = "connector"): ConnectorRow {
  if (!Object.hasOwn(CONNECTORS, id)) throw new UnknownIdError(field, id, CONNECTOR_IDS);
  return CONNECTORS[id as ConnectorId];
}

/** Look up an adapter row; throws {@link UnknownIdError} naming the valid adapter ids. */
export function getAdapter(id: string, field = "adapter"): AdapterRow {
  if (!Object.hasOwn(ADAPTERS, id)) throw new UnknownIdError(field, id, ADAPTER_IDS);
  return ADAPTERS[id as AdapterId];
}

/** The DC variant of a row (its default when `variant` is undefined); throws on unknown variant ids. */
export function getDcVariant(
  row: ConnectorRow,
  variant: string | undefined,
  field: string,
): DcVariant | null {
  const dc = row.modes.dc;
  if (!dc) {
    if (variant !== undefined) throw new UnknownIdError(field, variant, []);
    return null;
  }
  const id = variant ?? dc.defaultVariant;
  const v = dc.variants.find((x) => x.id === id);
  if (!v)
    throw new UnknownIdError(
      field,
      id,
      dc.variants.map((x) => x.id),
    );
  return v;
}

/** Power paths a row's vehicle inlet takes. */
export function inletKinds(row: ConnectorRow): PowerKind[] {
  const kinds: PowerKind[] = [];
  if (row.modes.ac) kinds.push("ac");
  if (row.modes.dc) kinds.push("dc");
  return kinds;
}

/** Whether a plug of row `connector` mates with the vehicle inlet of row `inlet` (see each row's `inletAccepts`). */
export function mates(connector: ConnectorId, inlet: ConnectorId): boolean {
  return CONNECTORS[inlet].inletAccepts.includes(connector);
}

/** Adapters that take plug `connector` and whose vehicle-side plug mates with inlet `inlet`. */
export function adaptersFor(connector: ConnectorId, inlet: ConnectorId): AdapterRow[] {
  return ADAPTER_IDS.map((id) => ADAPTERS[id]).filter(
    (a) => a.evseSide === connector && mates(a.vehicleSide, inlet),
  );
}

/** How the adapter question could be fixed: another adapter, or none. */
function fixFor(connector: ConnectorId, inlet: ConnectorId): { text: string; suggestion?: string } {
  if (mates(connector, inlet)) return { text: "no adapter is needed", suggestion: "(no adapter)" };
  // an adapter whose vehicle side is exactly the inlet's system first (e.g. j3400-to-ccs1 for a CCS1 inlet)
  const fits = adaptersFor(connector, inlet)
    .sort((a, b) => Number(b.vehicleSide === inlet) - Number(a.vehicleSide === inlet))
    .map((a) => a.id);
  if (fits.length === 0) return { text: `no adapter in the catalogue joins ${connector} to ${inlet}` };
  return { text: `adapter ${fits.join(" or ")} would make it possible`, suggestion: fits[0]! };
}

const intersect = (a: readonly PowerKind[], b: readonly PowerKind[]): PowerKind[] =>
  a.filter((k) => b.includes(k));

const fmtKinds = (k: readonly PowerKind[]): string =>
  k.length === 0 ? "nothing" : k.map((x) => x.toUpperCase()).join("+");

interface Limit {
  readonly label: string;
  readonly rating: Rating;
}

/** min over the non-null figures of one quantity; returns the value and every participant at that value. */
function minOf(limits: readonly Limit[], key: keyof Rating): { value: number | null; by: string[] } {
  let value: number | null = null;
  let by: string[] = [];
  for (const l of limits) {
    const v = l.rating[key];
    if (v === null || v === undefined) continue;
    if (value === null || v < value) {
      value = v;
      by = [l.label];
    } else if (v === value) by.push(l.label);
  }
  return { value, by };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Combine the participants' ratings of one mode: min per quantity, power also ≤ V × I (√3 for 3-phase). */
export function combine(mode: ChargeMode, limits: readonly Limit[]): ModeResult {
  const v = minOf(limits, "maxVoltageV");
  const i = minOf(limits, "maxCurrentA");
  const p = minOf(limits, "maxPowerKw");
  const limitedBy: string[] = [];
  if (v.value !== null) limitedBy.push(`voltage: ${v.by.join(", ")}`);
  if (i.value !== null) limitedBy.push(`current: ${i.by.join(", ")}`);
  let power = p.value;
  let powerBy = p.by.join(", ");
  if (v.value !== null && i.value !== null) {
    const vi = round3(((mode === "ac-3ph" ? Math.sqrt(3) : 1) * v.value * i.value) / 1000);
    if (power === null || vi < power) {
      power = vi;
      powerBy = mode === "ac-3ph" ? "√3 × voltage × current" : "voltage × current";
    }
  }
  if (power !== null) limitedBy.push(`power: ${powerBy}`);
  return { mode, maxVoltageV: v.value, maxCurrentA: i.value, maxPowerKw: power, limitedBy };
}

/** Apply caller overrides to an adapter's rating. */
function adapterRating(base: Rating | undefined, override: Partial<Rating> | undefined): Rating | undefined {
  if (!base && !override) return undefined;
  return {
    maxVoltageV: override?.maxVoltageV ?? base?.maxVoltageV ?? null,
    maxCurrentA: override?.maxCurrentA ?? base?.maxCurrentA ?? null,
    maxPowerKw: override?.maxPowerKw ?? base?.maxPowerKw ?? null,
  };
}

const isUnrated = (r: Rating | undefined): boolean =>
  r === undefined || (r.maxVoltageV === null && r.maxCurrentA === null && r.maxPowerKw === null);

/**
 * Which modes a vehicle `inlet` can charge with from an EVSE `connector`, optionally through `adapter`.
 * Limits are min(connector, adapter, inlet) per quantity, power also capped at V × I. Throws
 * {@link UnknownIdError} for ids not in the catalogue. Sources: the catalogue and adapter rows.
 */
export function resolve(
  inlet: string,
  connector: string,
  adapter?: string,
  options: ResolveOptions = {},
): Resolution {
  const inRow = getConnector(inlet, "inlet");
  const coRow = getConnector(connector, "connector");
  const adRow = adapter === undefined ? undefined : getAdapter(adapter);
  const coVariant = getDcVariant(coRow, options.connectorVariant, "connectorVariant");
  const inVariant = getDcVariant(inRow, options.inletVariant, "inletVariant");
  const notes: string[] = [];

  let carried: PowerKind[];
  if (!adRow) {
    if (!mates(coRow.id, inRow.id)) {
      const fix = fixFor(coRow.id, inRow.id);
      const reason = `connector ${coRow.id} does not mate with inlet ${inRow.id}; ${fix.text}`;
      return fix.suggestion ? { ok: false, reason, suggestion: fix.suggestion } : { ok: false, reason };
    }
    carried = intersect(coRow.plugCarries, inletKinds(inRow));
    for (const k of coRow.plugCarries) {
      if (!carried.includes(k))
        notes.push(`${k.toUpperCase()} not possible: inlet ${inRow.id} does not take it`);
    }
  } else {
    if (adRow.evseSide !== coRow.id) {
      const reversed = adRow.vehicleSide === coRow.id && mates(adRow.evseSide, inRow.id);
      const fix = fixFor(coRow.id, inRow.id);
      const reason = reversed
        ? `adapter ${adRow.id} is in the wrong direction: it takes a ${adRow.evseSide} connector and presents a ${adRow.vehicleSide} plug to the vehicle, but the connector is ${coRow.id} and the inlet ${inRow.id}; ${fix.text}`
        : `adapter ${adRow.id} takes a ${adRow.evseSide} connector, not ${coRow.id}; ${fix.text}`;
      return fix.suggestion ? { ok: false, reason, suggestion: fix.suggestion } : { ok: false, reason };
    }
    if (!mates(adRow.vehicleSide, inRow.id)) {
      const fix = fixFor(coRow.id, inRow.id);
      const reason = `adapter ${adRow.id} presents a ${adRow.vehicleSide} plug to the vehicle, which does not mate with inlet ${inRow.id}; ${fix.text}`;
      return fix.suggestion ? { ok: false, reason, suggestion: fix.suggestion } : { ok: false, reason };
    }
    if (mates(coRow.id, inRow.id))
      notes.push(`connector ${coRow.id} mates with inlet ${inRow.id} without an adapter`);
    const vehiclePlug = CONNECTORS[adRow.vehicleSide].plugCarries;
    carried = intersect(
      intersect(intersect(coRow.plugCarries, adRow.passes), vehiclePlug),
      inletKinds(inRow),
    );
    for (const k of coRow.plugCarries) {
      if (carried.includes(k)) continue;
      const why = !adRow.passes.includes(k)
        ? `adapter ${adRow.id} passes ${fmtKinds(adRow.passes)} only`
        : `inlet ${inRow.id} does not take it through adapter ${adRow.id}`;
      notes.push(`${k.toUpperCase()} not possible: ${why}`);
    }
  }

  const path = adRow ? `connector ${coRow.id} → adapter ${adRow.id} → inlet ${inRow.id}` : "";
  if (carried.length === 0) {
    return {
      ok: false,
      reason: `no power path: connector ${coRow.id} carries ${fmtKinds(coRow.plugCarries)}, ${
        adRow ? `adapter ${adRow.id} passes ${fmtKinds(adRow.passes)}, ` : ""
      }inlet ${inRow.id} takes ${fmtKinds(inletKinds(inRow))}`,
    };
  }
  if (options.supply) {
    const s = options.supply;
    if (!carried.includes(s)) {
      const S = s.toUpperCase();
      let why: string;
      if (!coRow.plugCarries.includes(s)) why = `connector ${coRow.id} does not carry ${S}`;
      else if (adRow && !adRow.passes.includes(s))
        why = `adapter ${adRow.id} passes ${fmtKinds(adRow.passes)} only and must not pass ${S}`;
      else why = `inlet ${inRow.id} does not take ${S}${adRow ? ` through adapter ${adRow.id}` : ""}`;
      return {
        ok: false,
        reason: `a ${S} supply cannot charge: ${why}${path ? ` (${path})` : ""}; possible: ${fmtKinds(carried)}`,
      };
    }
    carried = [s];
  }

  const modes: ModeResult[] = [];
  const coLabel = `connector ${coRow.id}`;
  const inLabel = `inlet ${inRow.id}`;
  const adLabel = adRow ? `adapter ${adRow.id}` : "";
  if (carried.includes("ac")) {
    const coLevels = coRow.modes.ac?.levels ?? [];
    const adAc = adRow ? adapterRating(adRow.rating.ac, options.adapterRating?.ac) : undefined;
    if (adRow && isUnrated(adAc)) notes.push(`${adLabel}: no AC rating published (U); not a limit`);
    for (const inLevel of inRow.modes.ac?.levels ?? []) {
      const coLevel = coLevels.find((l) => l.mode === inLevel.mode);
      if (!coLevel) continue;
      const limits: Limit[] = [{ label: coLabel, rating: coLevel }];
      if (adAc) limits.push({ label: adLabel, rating: adAc });
      limits.push({ label: inLabel, rating: inLevel });
      modes.push(combine(inLevel.mode, limits));
    }
  }
  if (carried.includes("dc") && coVariant && inVariant) {
    const adDc = adRow ? adapterRating(adRow.rating.dc, options.adapterRating?.dc) : undefined;
    if (adRow && isUnrated(adDc)) notes.push(`${adLabel}: no DC rating published (U); not a limit`);
    const limits: Limit[] = [{ label: `${coLabel} (dc ${coVariant.id})`, rating: coVariant }];
    if (adDc) limits.push({ label: adLabel, rating: adDc });
    limits.push({ label: `${inLabel} (dc ${inVariant.id})`, rating: inVariant });
    modes.push(combine("dc", limits));
    notes.push(`DC variants: connector ${coRow.id} ${coVariant.label}, inlet ${inRow.id} ${inVariant.label}`);
  }

  const used = [
    { row: coRow, variant: coVariant?.id },
    { row: inRow, variant: inVariant?.id },
  ];
  const seen = new Set<string>();
  for (const { row } of used) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    const variants = used.filter((u) => u.row.id === row.id).map((u) => u.variant);
    for (const c of row.conflicts) {
      if (!carried.some((k) => c.field.startsWith(`${k}.`))) continue;
      const v = /^dc\.variants\.([^.]+)\./.exec(c.field)?.[1];
      if (v !== undefined && !variants.includes(v)) continue;
      const vals = c.values.map((x) => `${x.value} (${x.source.tag})`).join(" vs ");
      notes.push(`conflict ${row.id} ${c.field}: ${vals}; ${c.note}`);
    }
  }
  if (adRow) notes.push(...adRow.notes.map((n) => `${adLabel}: ${n}`));
  return { ok: true, modes, notes };
}
