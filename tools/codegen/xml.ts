/**
 * Minimal namespace-aware XML reader for the XSDs and the vectors' `xml` field: elements, attributes, text,
 * comments, processing instructions, CDATA and a DOCTYPE with an internal subset (xmldsig-core-schema.xsd
 * has one; its entities are not used in the body, so only the five predefined ones are expanded).
 */

/** A parsed element with resolved namespace. */
export interface XmlElement {
  /** Qualified name as written (`xs:element`). */
  name: string;
  /** Namespace URI ("" for none). */
  ns: string;
  /** Local name. */
  local: string;
  /** Attributes as written (qualified names) → value; xmlns declarations excluded. */
  attrs: Record<string, string>;
  /** Attributes resolved to `{uri}local` (unprefixed → `local`). */
  attrsNs: Map<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
  /** In-scope prefix → namespace URI ("" = default namespace). */
  scope: Map<string, string>;
}

const ENT: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === "#")
      return String.fromCodePoint(e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENT[e] ?? m;
  });
}

/** Resolve a prefixed name in `scope` ("" prefix = default namespace when `useDefault`). */
export function resolveQName(
  qn: string,
  scope: Map<string, string>,
  useDefault = true,
): { ns: string; local: string } {
  const i = qn.indexOf(":");
  if (i < 0) return { ns: useDefault ? (scope.get("") ?? "") : "", local: qn };
  const p = qn.slice(0, i);
  const ns = p === "xml" ? "http://www.w3.org/XML/1998/namespace" : scope.get(p);
  if (ns === undefined) throw new Error(`undeclared namespace prefix ${p} in ${qn}`);
  return { ns, local: qn.slice(i + 1) };
}

/** Parse an XML document and return its root element. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const n = text.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (msg: string): never => {
    throw new Error(`XML parse error at ${i}: ${msg}`);
  };
  while (i < n) {
    const lt = text.indexOf("<", i);
    const chunk = text.slice(i, lt < 0 ? n : lt);
    if (chunk && stack.length > 0) stack[stack.length - 1]!.text += decodeEntities(chunk);
    if (lt < 0) break;
    i = lt;
    if (text.startsWith("<!--", i)) {
      const e = text.indexOf("-->", i);
      if (e < 0) fail("unterminated comment");
      i = e + 3;
    } else if (text.startsWith("<?", i)) {
      const e = text.indexOf("?>", i);
      if (e < 0) fail("unterminated PI");
      i = e + 2;
    } else if (text.startsWith("<![CDATA[", i)) {
      const e = text.indexOf("]]>", i);
      if (e < 0) fail("unterminated CDATA");
      if (stack.length > 0) stack[stack.length - 1]!.text += text.slice(i + 9, e);
      i = e + 3;
    } else if (text.startsWith("<!DOCTYPE", i)) {
      let depth = 0;
      let j = i + 9;
      for (; j < n; j++) {
        const c = text[j];
        if (c === "[") depth++;
        else if (c === "]") depth--;
        else if (c === ">" && depth === 0) break;
      }
      i = j + 1;
    } else if (text[i + 1] === "/") {
      const e = text.indexOf(">", i);
      const name = text.slice(i + 2, e).trim();
      const top = stack.pop();
      if (!top || top.name !== name) fail(`mismatched end tag ${name}`);
      i = e + 1;
    } else {
      const m = /^<([^\s/>]+)/.exec(text.slice(i, i + 200));
      if (!m) fail("bad start tag");
      const name = m![1]!;
      i += m![0].length;
      const raw: [string, string][] = [];
      for (;;) {
        while (/\s/.test(text[i] ?? "")) i++;
        if (text[i] === "/" || text[i] === ">") break;
        const am = /^([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/.exec(text.slice(i, i + 4000));
        if (!am) fail(`bad attribute in <${name}>`);
        raw.push([am![1]!, decodeEntities(am![3] ?? am![4] ?? "")]);
        i += am![0].length;
      }
      const selfClose = text[i] === "/";
      i += selfClose ? 2 : 1;
      const parent = stack[stack.length - 1];
      let scope = parent ? parent.scope : new Map<string, string>();
      const attrs: Record<string, string> = {};
      for (const [k, v] of raw) {
        if (k === "xmlns" || k.startsWith("xmlns:")) {
          if (scope === parent?.scope || !parent) scope = new Map(scope);
          scope.set(k === "xmlns" ? "" : k.slice(6), v);
        } else attrs[k] = v;
      }
      const q = resolveQName(name, scope);
      const attrsNs = new Map<string, string>();
      for (const [k, v] of Object.entries(attrs)) {
        const aq = resolveQName(k, scope, false);
        attrsNs.set(aq.ns ? `{${aq.ns}}${aq.local}` : aq.local, v);
      }
      const el: XmlElement = {
        name,
        ns: q.ns,
        local: q.local,
        attrs,
        attrsNs,
        children: [],
        text: "",
        scope,
      };
      if (parent) parent.children.push(el);
      else if (root) fail("more than one root element");
      else root = el;
      if (!selfClose) stack.push(el);
    }
  }
  if (!root) throw new Error("XML parse error: no root element");
  if (stack.length > 0) throw new Error(`XML parse error: unclosed <${stack[stack.length - 1]!.name}>`);
  return root;
}
