/**
 * XSD reader → schema model (the subset used by DIN 70121, ISO 15118-2/-20, the AppProtocol and xmldsig
 * schemas): global/local element declarations, substitution groups, named and anonymous complex types
 * (sequence, choice, any, mixed, complexContent extension, simpleContent extension), attributes and simple
 * types with enumeration, integer-range and length facets.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseXml, resolveQName, type XmlElement } from "./xml.js";

export const XS = "http://www.w3.org/2001/XMLSchema";

/** A qualified name. */
export interface QN {
  ns: string;
  local: string;
}

/** `{ns}local` key of a qname. */
export const qkey = (q: QN): string => `{${q.ns}}${q.local}`;

/** EXI sort order of qnames: local name, then namespace URI (W3C EXI 1.0 §8.5.1). */
export function qcompare(a: QN, b: QN): number {
  if (a.local !== b.local) return a.local < b.local ? -1 : 1;
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  return 0;
}

/** Simple type after facet resolution. `builtin` is the primitive family. */
export interface SimpleType {
  kind: "simple";
  name?: QN;
  builtin: "string" | "boolean" | "hexBinary" | "base64Binary" | "integer" | "unsupported";
  /** Name of the built-in ancestor (e.g. `unsignedShort`). */
  builtinName: string;
  min?: bigint;
  max?: bigint;
  enumeration?: string[];
  minLength?: number;
  maxLength?: number;
}

/** An attribute use. */
export interface AttrUse {
  name: QN;
  type: SimpleType;
  required: boolean;
}

export type Particle =
  | { kind: "element"; decl: ElementDecl; min: number; max: number }
  | { kind: "sequence" | "choice"; items: Particle[]; min: number; max: number }
  | { kind: "any"; namespace: string; min: number; max: number };

/** A complex type (named or anonymous). */
export interface ComplexType {
  kind: "complex";
  name?: QN;
  /** Name used in generated code (XSD name, or the element name for anonymous types). */
  codeName: string;
  attributes: AttrUse[];
  content:
    | { kind: "empty" }
    | { kind: "simple"; type: SimpleType }
    | { kind: "particle"; particle: Particle };
  mixed: boolean;
  /** ur-type (element without type): not supported by the generated codecs. */
  urType?: boolean;
}

export type TypeDef = SimpleType | ComplexType;

/** An element declaration (global or local). */
export interface ElementDecl {
  name: QN;
  type: TypeDef;
  global: boolean;
  abstract: boolean;
  substitutionGroup?: QN;
}

const INT_BOUNDS: Record<string, [bigint | undefined, bigint | undefined]> = {
  integer: [undefined, undefined],
  nonNegativeInteger: [0n, undefined],
  positiveInteger: [1n, undefined],
  nonPositiveInteger: [undefined, 0n],
  negativeInteger: [undefined, -1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-32768n, 32767n],
  byte: [-128n, 127n],
  unsignedLong: [0n, 2n ** 64n - 1n],
  unsignedInt: [0n, 2n ** 32n - 1n],
  unsignedShort: [0n, 65535n],
  unsignedByte: [0n, 255n],
};
const STRINGS = new Set([
  "string",
  "normalizedString",
  "token",
  "language",
  "Name",
  "NCName",
  "ID",
  "IDREF",
  "ENTITY",
  "NMTOKEN",
  "anyURI",
  "QName",
]);

function builtinType(local: string): SimpleType {
  if (local in INT_BOUNDS) {
    const [min, max] = INT_BOUNDS[local]!;
    const t: SimpleType = { kind: "simple", builtin: "integer", builtinName: local };
    if (min !== undefined) t.min = min;
    if (max !== undefined) t.max = max;
    return t;
  }
  if (STRINGS.has(local)) return { kind: "simple", builtin: "string", builtinName: local };
  if (local === "boolean" || local === "hexBinary" || local === "base64Binary")
    return { kind: "simple", builtin: local, builtinName: local };
  return { kind: "simple", builtin: "unsupported", builtinName: local };
}

interface Ctx {
  tns: string;
  elementQualified: boolean;
  attributeQualified: boolean;
}
interface Comp {
  el: XmlElement;
  ctx: Ctx;
}

/** All components of one schema set (an entry XSD and its transitive imports). */
export class SchemaSet {
  readonly files: string[] = [];
  private elements = new Map<string, Comp>();
  private types = new Map<string, Comp>();
  private resolvedTypes = new Map<string, TypeDef>();
  private resolvedElements = new Map<XmlElement, ElementDecl>();
  /** Every element declaration met while resolving, global and local, in discovery order. */
  readonly allDecls: ElementDecl[] = [];
  /** Every complex type met while resolving. */
  readonly complexTypes: ComplexType[] = [];
  private anonCount = new Map<string, number>();

  constructor(entries: string[]) {
    for (const e of entries) this.load(resolve(e));
    // resolve every global element (and, through them, every reachable type and local element)
    for (const c of this.elements.values()) this.elementDecl(c.el, c.ctx, true);
    for (const [k, c] of this.types) if (!this.resolvedTypes.has(k)) this.typeByName(this.qnameOf(c));
  }

  private qnameOf(c: Comp): QN {
    return { ns: c.ctx.tns, local: c.el.attrs.name! };
  }

  private load(file: string): void {
    if (this.files.includes(file)) return;
    this.files.push(file);
    const root = parseXml(readFileSync(file, "utf8"));
    if (root.ns !== XS || root.local !== "schema") throw new Error(`${file}: not an XML Schema`);
    const ctx: Ctx = {
      tns: root.attrs.targetNamespace ?? "",
      elementQualified: root.attrs.elementFormDefault === "qualified",
      attributeQualified: root.attrs.attributeFormDefault === "qualified",
    };
    for (const c of root.children) {
      if (c.ns !== XS) continue;
      if (c.local === "import" || c.local === "include") {
        if (c.attrs.schemaLocation) this.load(resolve(dirname(file), c.attrs.schemaLocation));
      } else if (c.local === "element")
        this.elements.set(qkey({ ns: ctx.tns, local: c.attrs.name! }), { el: c, ctx });
      else if (c.local === "complexType" || c.local === "simpleType")
        this.types.set(qkey({ ns: ctx.tns, local: c.attrs.name! }), { el: c, ctx });
      else if (c.local === "annotation") continue;
      else throw new Error(`${file}: unsupported top-level <xs:${c.local}>`);
    }
  }

  /** Global element declarations, sorted by (local name, uri) as the EXI document grammar wants. */
  globals(): ElementDecl[] {
    return [...this.elements.values()]
      .map((c) => this.elementDecl(c.el, c.ctx, true))
      .sort((a, b) => qcompare(a.name, b.name));
  }

  /** A global element by qname. */
  globalElement(q: QN): ElementDecl {
    const c = this.elements.get(qkey(q));
    if (!c) throw new Error(`unknown global element ${qkey(q)}`);
    return this.elementDecl(c.el, c.ctx, true);
  }

  /**
   * Substitution-group members of `head` (transitively) plus the head itself, sorted by qname. The head is
   * included even when abstract: the ISO-2 vectors (EXIficient and cbv2g alike) encode SessionSetupReq as
   * body code 29, which needs the abstract `BodyElement` in the list (leaving the abstract head out does not reproduce them; the bits win).
   */
  substitutes(head: ElementDecl): ElementDecl[] {
    const out: ElementDecl[] = [head];
    const all = this.globals();
    const visit = (h: ElementDecl) => {
      for (const d of all) {
        if (d.substitutionGroup && qkey(d.substitutionGroup) === qkey(h.name)) {
          if (!d.abstract) out.push(d);
          visit(d);
        }
      }
    };
    visit(head);
    return out.sort((a, b) => qcompare(a.name, b.name));
  }

  private elementDecl(el: XmlElement, ctx: Ctx, global: boolean): ElementDecl {
    const done = this.resolvedElements.get(el);
    if (done) return done;
    const name: QN = {
      ns: global || ctx.elementQualified || el.attrs.form === "qualified" ? ctx.tns : "",
      local: el.attrs.name!,
    };
    if (el.attrs.form === "unqualified") name.ns = "";
    const decl: ElementDecl = {
      name,
      type: undefined as unknown as TypeDef,
      global,
      abstract: el.attrs.abstract === "true",
    };
    if (el.attrs.substitutionGroup)
      decl.substitutionGroup = resolveQName(el.attrs.substitutionGroup, el.scope);
    this.resolvedElements.set(el, decl);
    this.allDecls.push(decl);
    const inline = el.children.find(
      (c) => c.ns === XS && (c.local === "complexType" || c.local === "simpleType"),
    );
    if (el.attrs.type) decl.type = this.typeByName(resolveQName(el.attrs.type, el.scope));
    else if (inline)
      decl.type =
        inline.local === "complexType"
          ? this.complexType(inline, ctx, undefined, name.local)
          : this.simpleType(inline, ctx);
    else if (decl.substitutionGroup) decl.type = this.globalElement(decl.substitutionGroup).type;
    else
      decl.type = {
        kind: "complex",
        codeName: "anyType",
        attributes: [],
        content: { kind: "empty" },
        mixed: true,
        urType: true,
      };
    return decl;
  }

  /** Resolve a named type (built-in or declared). */
  typeByName(q: QN): TypeDef {
    if (q.ns === XS) {
      if (q.local === "anyType")
        return {
          kind: "complex",
          codeName: "anyType",
          attributes: [],
          content: { kind: "empty" },
          mixed: true,
          urType: true,
        };
      return builtinType(q.local);
    }
    const k = qkey(q);
    const done = this.resolvedTypes.get(k);
    if (done) return done;
    const c = this.types.get(k);
    if (!c) throw new Error(`unknown type ${k}`);
    return c.el.local === "complexType" ? this.complexType(c.el, c.ctx, q) : this.simpleType(c.el, c.ctx, q);
  }

  private simpleType(el: XmlElement, ctx: Ctx, name?: QN): SimpleType {
    const r = el.children.find((c) => c.ns === XS && c.local !== "annotation");
    if (r?.local !== "restriction")
      throw new Error(`simpleType ${name?.local ?? "(anonymous)"}: only restriction is supported`);
    let base: TypeDef;
    if (r.attrs.base) base = this.typeByName(resolveQName(r.attrs.base, r.scope));
    else {
      const inner = r.children.find((c) => c.ns === XS && c.local === "simpleType");
      if (!inner) throw new Error("restriction without base");
      base = this.simpleType(inner, ctx);
    }
    if (base.kind !== "simple") throw new Error(`simpleType ${name?.local}: complex base`);
    const t: SimpleType = { ...base, kind: "simple" };
    if (name) t.name = name;
    else delete t.name;
    const enums: string[] = [];
    for (const f of r.children) {
      if (f.ns !== XS) continue;
      const v = f.attrs.value ?? "";
      switch (f.local) {
        case "enumeration":
          enums.push(v);
          break;
        case "minInclusive":
          t.min = BigInt(v);
          break;
        case "maxInclusive":
          t.max = BigInt(v);
          break;
        case "minExclusive":
          t.min = BigInt(v) + 1n;
          break;
        case "maxExclusive":
          t.max = BigInt(v) - 1n;
          break;
        case "maxLength":
          t.maxLength = Number(v);
          break;
        case "minLength":
          t.minLength = Number(v);
          break;
        case "length":
          t.maxLength = Number(v);
          t.minLength = Number(v);
          break;
        case "annotation":
        case "simpleType":
          break;
        default:
          throw new Error(`simpleType ${name?.local}: unsupported facet ${f.local}`);
      }
    }
    if (enums.length > 0) t.enumeration = enums;
    if (name) this.resolvedTypes.set(qkey(name), t);
    return t;
  }

  private codeNameFor(name: QN | undefined, owner: string | undefined): string {
    if (name) return name.local;
    const base = owner ?? "Anonymous";
    const n = (this.anonCount.get(base) ?? 0) + 1;
    this.anonCount.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  }

  private complexType(el: XmlElement, ctx: Ctx, name?: QN, owner?: string): ComplexType {
    const t: ComplexType = {
      kind: "complex",
      codeName: this.codeNameFor(name, owner),
      attributes: [],
      content: { kind: "empty" },
      mixed: el.attrs.mixed === "true",
    };
    if (name) {
      t.name = name;
      this.resolvedTypes.set(qkey(name), t);
    }
    this.complexTypes.push(t);
    let particle: Particle | undefined;
    for (const c of el.children) {
      if (c.ns !== XS || c.local === "annotation") continue;
      if (c.local === "sequence" || c.local === "choice") particle = this.particle(c, ctx);
      else if (c.local === "attribute") t.attributes.push(this.attribute(c, ctx));
      else if (c.local === "complexContent") {
        if (c.attrs.mixed === "true") t.mixed = true;
        const ext = c.children.find((x) => x.ns === XS && x.local !== "annotation")!;
        if (ext.local !== "extension")
          throw new Error(`${t.codeName}: complexContent ${ext.local} not supported`);
        const base = this.typeByName(resolveQName(ext.attrs.base!, ext.scope));
        if (base.kind !== "complex") throw new Error(`${t.codeName}: complexContent over a simple type`);
        t.attributes.push(...base.attributes);
        const parts: Particle[] = [];
        if (base.content.kind === "particle") parts.push(base.content.particle);
        for (const x of ext.children) {
          if (x.ns !== XS) continue;
          if (x.local === "sequence" || x.local === "choice") parts.push(this.particle(x, ctx));
          else if (x.local === "attribute") t.attributes.push(this.attribute(x, ctx));
        }
        if (parts.length === 1) particle = parts[0];
        else if (parts.length > 1) particle = { kind: "sequence", items: parts, min: 1, max: 1 };
      } else if (c.local === "simpleContent") {
        const ext = c.children.find((x) => x.ns === XS && x.local !== "annotation")!;
        if (ext.local !== "extension")
          throw new Error(`${t.codeName}: simpleContent ${ext.local} not supported`);
        const base = this.typeByName(resolveQName(ext.attrs.base!, ext.scope));
        if (base.kind === "simple") t.content = { kind: "simple", type: base };
        else {
          t.content = base.content;
          t.attributes.push(...base.attributes);
        }
        for (const x of ext.children)
          if (x.ns === XS && x.local === "attribute") t.attributes.push(this.attribute(x, ctx));
      } else throw new Error(`${t.codeName}: unsupported <xs:${c.local}>`);
    }
    if (particle) t.content = { kind: "particle", particle };
    t.attributes.sort((a, b) => qcompare(a.name, b.name));
    return t;
  }

  private attribute(el: XmlElement, ctx: Ctx): AttrUse {
    if (el.attrs.ref) throw new Error("attribute ref not supported");
    const qualified = el.attrs.form ? el.attrs.form === "qualified" : ctx.attributeQualified;
    let type: TypeDef;
    const inline = el.children.find((c) => c.ns === XS && c.local === "simpleType");
    if (el.attrs.type) type = this.typeByName(resolveQName(el.attrs.type, el.scope));
    else if (inline) type = this.simpleType(inline, ctx);
    else type = builtinType("string");
    if (type.kind !== "simple") throw new Error("attribute of complex type");
    return {
      name: { ns: qualified ? ctx.tns : "", local: el.attrs.name! },
      type,
      required: el.attrs.use === "required",
    };
  }

  private occurs(el: XmlElement): { min: number; max: number } {
    const min = el.attrs.minOccurs === undefined ? 1 : Number(el.attrs.minOccurs);
    const mx = el.attrs.maxOccurs;
    const max = mx === undefined ? 1 : mx === "unbounded" ? Number.POSITIVE_INFINITY : Number(mx);
    return { min, max };
  }

  private particle(el: XmlElement, ctx: Ctx): Particle {
    const { min, max } = this.occurs(el);
    switch (el.local) {
      case "sequence":
      case "choice": {
        const items: Particle[] = [];
        for (const c of el.children)
          if (c.ns === XS && c.local !== "annotation") items.push(this.particle(c, ctx));
        return { kind: el.local, items, min, max };
      }
      case "element": {
        const decl = el.attrs.ref
          ? this.globalElement(resolveQName(el.attrs.ref, el.scope))
          : this.elementDecl(el, ctx, false);
        return { kind: "element", decl, min, max };
      }
      case "any":
        return { kind: "any", namespace: el.attrs.namespace ?? "##any", min, max };
      default:
        throw new Error(`unsupported particle <xs:${el.local}>`);
    }
  }
}
