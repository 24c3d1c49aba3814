/**
 * Decoding a recorded V2G message on click with the core codecs. `bytes` is the hex of the EXI payload or
 * of the whole V2GTP message (ISO 15118-2 §7.8.3: 8-byte header, version 0x01 / inverse 0xFE, payload type,
 * length). The schema is the one the session negotiated: the SAP handshake for `supportedAppProtocol…`,
 * the ISO 15118-20 schema set by the V2GTP payload type (ISO 15118-20 Table 10), else the session's protocol
 * first and the others after it; the schema whose document is the named message wins.
 */
import { codecOf, familyOfNamespace, type V2gSchemaName } from "../../../src/capture/v2g-schema.js";
import { jsonReplacer } from "../../../src/codecs/index.js";
import { hexToBytes } from "../../../src/exi/hex.js";

export type MsgDecodeResult =
  | { ok: true; schema: V2gSchemaName; type: string; message: unknown; warnings: string[] }
  | { ok: false; error: string };

const ISO20_SETS: readonly V2gSchemaName[] = [
  "iso20-common",
  "iso20-dc",
  "iso20-ac",
  "iso20-acdp",
  "iso20-wpt",
];
const SET_BY_PAYLOAD_TYPE: Readonly<Record<number, V2gSchemaName>> = {
  32770: "iso20-common",
  32771: "iso20-ac",
  32772: "iso20-dc",
  32773: "iso20-acdp",
  32774: "iso20-wpt",
};

/** Split a V2GTP message into payload type and payload; raw EXI is returned as is. */
export function v2gtpPayload(b: Uint8Array): { payloadType?: number; payload: Uint8Array } {
  if (b.length >= 8 && b[0] === 0x01 && b[1] === 0xfe) {
    const len = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
    return { payloadType: (b[2]! << 8) | b[3]!, payload: b.subarray(8, 8 + Math.min(len, b.length - 8)) };
  }
  return { payload: b };
}

/** Candidate schemas, most likely first. */
export function schemaCandidates(name: string, protocol: string | undefined, payloadType?: number) {
  // 0x8001 carries every DIN / ISO-2 message (and the SAP handshake of all): the name tells the SAP apart
  if (/^supportedAppProtocol/i.test(name)) return ["apphand"] as V2gSchemaName[];
  const bySet = payloadType !== undefined ? SET_BY_PAYLOAD_TYPE[payloadType] : undefined;
  if (bySet) return [bySet];
  const all: V2gSchemaName[] = ["din", "iso2", ...ISO20_SETS];
  const first: V2gSchemaName[] =
    protocol === "din"
      ? ["din"]
      : protocol === "iso2"
        ? ["iso2"]
        : protocol === "iso20"
          ? [...ISO20_SETS]
          : [];
  return [...first, ...all.filter((s) => !first.includes(s))];
}

function typeOf(doc: Record<string, unknown>): { type: string; value: unknown } {
  const [root, value] = Object.entries(doc)[0] ?? ["?", undefined];
  if (root === "V2G_Message") {
    const body = (value as { Body?: Record<string, unknown> }).Body ?? {};
    return { type: Object.keys(body)[0] ?? root, value };
  }
  return { type: root, value };
}

/** Decode the hex of a recorded message named `name`; never throws. */
export function decodeMsgHex(hex: string, name: string, protocol?: string): MsgDecodeResult {
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(hex.replace(/\s+/g, ""), "bytes");
  } catch (e) {
    return { ok: false, error: `field bytes: ${(e as Error).message}` };
  }
  const { payloadType, payload } = v2gtpPayload(bytes);
  let fallback: MsgDecodeResult | undefined;
  const errors: string[] = [];
  for (const schema of schemaCandidates(name, protocol, payloadType)) {
    try {
      const warnings: string[] = [];
      const doc = codecOf(schema).decodeDocument(payload, { onWarning: (w) => warnings.push(w.message) });
      const { type, value } = typeOf(doc);
      const r: MsgDecodeResult = { ok: true, schema, type, message: value, warnings };
      if (!name || type === name) return r;
      fallback ??= r;
    } catch (e) {
      errors.push(`${schema}: ${(e as Error).message}`);
    }
  }
  return fallback ?? { ok: false, error: `no schema decodes it (${errors.join("; ")})` };
}

/** Pretty JSON of a decoded message (bytes as hex, bigints as numbers, as `nacs decode --json` prints). */
export function messageJson(message: unknown): string {
  return JSON.stringify(message, jsonReplacer, 2);
}

/**
 * The protocol family a session negotiated, from its recorded supportedAppProtocol handshake (the request's
 * AppProtocol list and the SchemaID of the response, ISO 15118-2 §8.2 / DIN 70121 §8.3), when both carry
 * bytes; undefined otherwise.
 */
export function negotiatedFamily(msgs: readonly { name: string; bytes?: string }[]): string | undefined {
  const req = msgs.find((m) => m.name === "supportedAppProtocolReq" && m.bytes);
  const res = msgs.find((m) => m.name === "supportedAppProtocolRes" && m.bytes);
  if (!req?.bytes || !res?.bytes) return undefined;
  const q = decodeMsgHex(req.bytes, req.name);
  const r = decodeMsgHex(res.bytes, res.name);
  if (!q.ok || !r.ok) return undefined;
  const id = (r.message as { SchemaID?: number }).SchemaID;
  const offer = (q.message as { AppProtocol?: { ProtocolNamespace: string; SchemaID: number }[] })
    .AppProtocol;
  const ns = offer?.find((a) => a.SchemaID === id)?.ProtocolNamespace;
  return ns === undefined ? undefined : familyOfNamespace(ns);
}
