/**
 * `npm run codegen`: generates the schema-informed EXI codecs into `src/codecs/<set>/` from the XSDs in
 * `../shared/schemas` (or the folder given as the first argument; the output folder as the second).
 * The official XSDs are downloadable from https://standards.iso.org/iso/15118/ (ISO 15118-2, -20) and
 * DIN 70121 from its publisher; xmldsig-core-schema.xsd from https://www.w3.org/TR/xmldsig-core/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { emitSet, type SetConfig } from "./emit.js";
import { REPO_ROOT, SHARED } from "./vectors.js";
import { SchemaSet } from "./xsd.js";

/** The schema sets: DIN 70121, ISO 15118-2, ISO 15118-20 (common, AC, DC, WPT, ACDP), the AppProtocol and xmldsig XSDs. */
export const SETS: (SetConfig & { xmldsig?: string })[] = [
  {
    name: "apphand",
    title: "SAP supportedAppProtocol (urn:iso:15118:2:2010:AppProtocol)",
    entries: ["apphand/V2G_CI_AppProtocol.xsd"],
  },
  {
    name: "din",
    title: "DIN SPEC 70121:2012",
    entries: ["din/V2G_CI_MsgDef.xsd"],
    messageRoot: "V2G_Message",
  },
  {
    name: "iso2",
    title: "ISO 15118-2:2014",
    entries: ["iso2/V2G_CI_MsgDef.xsd"],
    messageRoot: "V2G_Message",
    exiFragment: true,
    xmldsigFragment: true,
    xmldsig: "iso2/xmldsig-core-schema.xsd",
  },
  ...(["CommonMessages", "DC", "AC", "ACDP", "WPT"] as const).map((s) => ({
    name: `iso20${s === "CommonMessages" ? "" : `_${s.toLowerCase()}`}`.replace(/^iso20$/, "iso20_common"),
    title: `ISO 15118-20 ${s}`,
    entries: [`iso20/V2G_CI_${s}.xsd`],
    exiFragment: s === "CommonMessages" || s === "DC" || s === "AC",
    xmldsigFragment: s === "CommonMessages" || s === "DC" || s === "AC",
    xmldsig: "iso20/xmldsig-core-schema.xsd",
  })),
];

/** Generate every set into `outDir` (returns the files written, relative to outDir). */
export function generate(schemasDir: string, outDir: string): string[] {
  const written: string[] = [];
  for (const cfg of SETS) {
    const set = new SchemaSet(cfg.entries.map((e) => join(schemasDir, e)));
    const ds = cfg.xmldsig ? new SchemaSet([join(schemasDir, cfg.xmldsig)]) : undefined;
    const files = emitSet(cfg, set, ds);
    mkdirSync(join(outDir, cfg.name), { recursive: true });
    for (const [f, text] of Object.entries(files)) {
      writeFileSync(join(outDir, cfg.name, f), text);
      written.push(`${cfg.name}/${f}`);
    }
  }
  return written;
}

const isMain = process.argv[1] && /codegen[/\\]main\.ts$/.test(process.argv[1]);
if (isMain) {
  const schemas = resolve(process.argv[2] ?? join(SHARED, "schemas"));
  const out = resolve(process.argv[3] ?? join(REPO_ROOT, "src/codecs"));
  const files = generate(schemas, out);
  process.stdout.write(`codegen: wrote ${files.length} files to ${out}\n`);
}
