import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  CLIENT_HELLO_MAX_LENGTH,
  type ClientHello,
  ClientHelloError,
  type ClientHelloInit,
  EXT_SERVER_NAME,
  EXT_STATUS_REQUEST,
  EXT_SUPPORTED_VERSIONS,
  EXT_TRUSTED_CA_KEYS,
  encodeClientHello,
  encodeHandshakeRecords,
  encodeServerName,
  encodeStatusRequest,
  encodeSupportedVersions,
  encodeTrustedCaKeys,
  HANDSHAKE_MAX_RECORDS,
  handshakeMessage,
  readClientHello,
  TLS_MAX_RECORD_LENGTH,
  type TrustedAuthority,
} from "./client-hello.js";

const sha = (b: number) => new Uint8Array(20).fill(b);
const name = Uint8Array.from([0x30, 0x0b, 0x31, 0x09, 0x30, 0x07, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x00]);
const ALL_KINDS: TrustedAuthority[] = [
  { kind: "pre_agreed" },
  { kind: "key_sha1_hash", sha1: sha(1) },
  { kind: "x509_name", name },
  { kind: "cert_sha1_hash", sha1: sha(3) },
];

function hello(extensions: ClientHelloInit["extensions"]): ClientHelloInit {
  return {
    legacyVersion: 0x0303,
    random: new Uint8Array(32).fill(7),
    sessionId: new Uint8Array(32).fill(9),
    cipherSuites: [0xc023, 0x00ff],
    compressionMethods: Uint8Array.of(0),
    extensions,
  };
}

function read(stream: Uint8Array): ClientHello {
  const r = readClientHello(stream);
  assert.equal(r.kind, "hello");
  if (r.kind !== "hello") throw new Error("unreachable");
  assert.equal(r.consumed, stream.length);
  return r.hello;
}

function refused(stream: Uint8Array, code: string, field: RegExp): void {
  assert.throws(
    () => readClientHello(stream),
    (e: unknown) => e instanceof ClientHelloError && e.code === code && field.test(e.message),
  );
}

test("trusted_ca_keys: the four RFC 6066 §6 identifier types, SNI, status_request and supported_versions are decoded", () => {
  const h = read(
    encodeHandshakeRecords(
      encodeClientHello(
        hello([
          { type: EXT_SERVER_NAME, data: encodeServerName("secc.local") },
          { type: EXT_TRUSTED_CA_KEYS, data: encodeTrustedCaKeys(ALL_KINDS) },
          {
            type: EXT_STATUS_REQUEST,
            data: encodeStatusRequest([Uint8Array.of(0xa1, 0)], Uint8Array.of(0x30, 0)),
          },
          { type: EXT_SUPPORTED_VERSIONS, data: encodeSupportedVersions([0x0304, 0x0303]) },
          { type: 0xfe0d, data: Uint8Array.of(1, 2, 3) },
        ]),
      ),
    ),
  );
  assert.deepEqual(h.trustedCaKeys, ALL_KINDS);
  assert.equal(h.serverName, "secc.local");
  assert.deepEqual(h.supportedVersions, [0x0304, 0x0303]);
  assert.equal(h.statusRequest?.statusType, 1);
  assert.deepEqual(h.statusRequest?.responderIds, [Uint8Array.of(0xa1, 0)]);
  assert.deepEqual(h.statusRequest?.requestExtensions, Uint8Array.of(0x30, 0));
  assert.deepEqual(h.cipherSuites, [0xc023, 0x00ff]);
  assert.equal(h.extensions?.length, 5);
});

test("a ClientHello split over several records and fed byte by byte is incomplete until its last record", () => {
  const msg = encodeClientHello(hello([{ type: EXT_TRUSTED_CA_KEYS, data: encodeTrustedCaKeys(ALL_KINDS) }]));
  // 3-byte first fragment: even the handshake header spans two records.
  const stream = encodeHandshakeRecords(msg, [3, 10, 1, 50]);
  for (let n = 0; n < stream.length; n++) {
    const r = readClientHello(stream.subarray(0, n));
    assert.equal(r.kind, "incomplete");
    // `need` is the next record boundary past n (header end or record end)
    if (r.kind === "incomplete") assert.ok(r.need > n && r.need <= stream.length, `${n} → ${r.need}`);
  }
  assert.deepEqual(read(stream).trustedCaKeys, ALL_KINDS);
});

test("no extensions block (RFC 5246 §7.4.1.2) and an empty trusted_authorities_list are accepted", () => {
  assert.equal(read(encodeHandshakeRecords(encodeClientHello(hello(undefined)))).extensions, undefined);
  const h = read(
    encodeHandshakeRecords(encodeClientHello(hello([{ type: 3, data: encodeTrustedCaKeys([]) }]))),
  );
  assert.deepEqual(h.trustedCaKeys, []);
});

test("bad input is refused with ClientHelloError naming the field", () => {
  const rec = (payload: Uint8Array) => encodeHandshakeRecords(payload);
  // identifier_type 4 does not exist (its length is unknown)
  const ext = (data: Uint8Array) => rec(encodeClientHello(hello([{ type: EXT_TRUSTED_CA_KEYS, data }])));
  refused(ext(Uint8Array.of(0, 1, 4)), "malformed", /trusted_authorities_list\[0\]\.identifier_type: 4/);
  // key_sha1_hash with 19 bytes
  refused(
    ext(Uint8Array.of(0, 20, 1, ...sha(1).subarray(1))),
    "malformed",
    /\[0\]\.key_sha1_hash: needs 20 bytes/,
  );
  // list length beyond the extension
  refused(ext(Uint8Array.of(0, 9, 0)), "malformed", /trusted_authorities_list: needs 9 bytes/);
  // x509_name of length 0 (DistinguishedName<1..2^16-1>)
  refused(ext(Uint8Array.of(0, 3, 2, 0, 0)), "malformed", /\[0\]\.x509_name: length 0/);
  // the same extension twice
  refused(
    rec(
      encodeClientHello(
        hello([
          { type: 3, data: encodeTrustedCaKeys([]) },
          { type: 3, data: encodeTrustedCaKeys([]) },
        ]),
      ),
    ),
    "malformed",
    /type 3 sent twice/,
  );
  // not a handshake record, not a ClientHello, empty record, oversized record and message
  refused(Uint8Array.of(0x17, 3, 3, 0, 1, 0), "not-client-hello", /record\[0\]\.content_type: 23/);
  refused(rec(handshakeMessage(2, new Uint8Array(40))), "not-client-hello", /handshake\.msg_type: 2/);
  refused(Uint8Array.of(22, 3, 1, 0, 0), "malformed", /record\[0\]\.length: 0/);
  refused(Uint8Array.of(22, 3, 1, 0x40, 0x01), "oversized", /record\[0\]\.length: 16385/);
  refused(Uint8Array.of(22, 3, 1, 0, 4, 1, 0x02, 0x01, 0x45), "oversized", /handshake\.length: 131397/);
  // a second message in the ClientHello's last record
  const two = encodeClientHello(hello(undefined));
  refused(rec(Uint8Array.of(...two, 1)), "malformed", /1 bytes after the first handshake message/);
  // truncated body (the handshake length says less than the ClientHello needs)
  refused(
    rec(handshakeMessage(1, Uint8Array.of(3, 3, 1))),
    "malformed",
    /client_hello\.random: needs 32 bytes/,
  );
  // a ClientHello cut into more records than HANDSHAKE_MAX_RECORDS
  const tiny = encodeHandshakeRecords(encodeClientHello(hello(undefined)), new Array(80).fill(1));
  refused(tiny, "oversized", /record\[64\]: the handshake message spans more than 64 records/);
  assert.equal(HANDSHAKE_MAX_RECORDS, 64);
  assert.equal(CLIENT_HELLO_MAX_LENGTH, 131_396);
  assert.equal(TLS_MAX_RECORD_LENGTH, 16_384);
});

test("property: arbitrary bytes give a result or a ClientHelloError, never another exception", () => {
  const valid = encodeHandshakeRecords(
    encodeClientHello(hello([{ type: EXT_TRUSTED_CA_KEYS, data: encodeTrustedCaKeys(ALL_KINDS) }])),
    [40, 60],
  );
  const check = (b: Uint8Array) => {
    try {
      readClientHello(b);
    } catch (e) {
      if (!(e instanceof ClientHelloError)) throw e;
    }
  };
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), check), { numRuns: 3000 });
  // Mutations of a valid stream reach deep into the parser.
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      fc.nat(valid.length),
      (flips, cut) => {
        const b = valid.slice(0, cut);
        for (const [i, v] of flips) if (i < b.length) b[i] = v;
        check(b);
      },
    ),
    { numRuns: 5000 },
  );
});

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const authority: fc.Arbitrary<TrustedAuthority> = fc.oneof(
  fc.constant({ kind: "pre_agreed" as const }),
  bytes(20, 20).map((sha1) => ({ kind: "key_sha1_hash" as const, sha1 })),
  bytes(1, 80).map((n) => ({ kind: "x509_name" as const, name: n })),
  bytes(20, 20).map((sha1) => ({ kind: "cert_sha1_hash" as const, sha1 })),
);
const KNOWN = new Set([EXT_SERVER_NAME, EXT_STATUS_REQUEST, EXT_TRUSTED_CA_KEYS, EXT_SUPPORTED_VERSIONS]);

test("property: encode → split into records and TCP segments → parse gives back the ClientHello", () => {
  fc.assert(
    fc.property(
      fc.record({
        legacyVersion: fc.integer({ min: 0, max: 0xffff }),
        random: bytes(32, 32),
        sessionId: bytes(0, 32),
        cipherSuites: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 40 }),
        compressionMethods: bytes(1, 4),
      }),
      fc.option(
        fc.record({
          trusted: fc.option(fc.array(authority, { maxLength: 6 }), { nil: undefined }),
          sni: fc.option(fc.stringMatching(/^[a-z0-9.-]{1,40}$/), { nil: undefined }),
          versions: fc.option(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 8 }), {
            nil: undefined,
          }),
          ocsp: fc.option(fc.array(bytes(1, 10), { maxLength: 3 }), { nil: undefined }),
          other: fc.uniqueArray(
            fc.record({ type: fc.integer({ min: 0, max: 0xffff }), data: bytes(0, 30) }),
            {
              selector: (x) => x.type,
              maxLength: 5,
            },
          ),
        }),
        { nil: undefined },
      ),
      fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 10 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (base, ext, recordSizes, cuts) => {
        const extensions = ext && [
          ...(ext.sni !== undefined ? [{ type: EXT_SERVER_NAME, data: encodeServerName(ext.sni) }] : []),
          ...(ext.trusted ? [{ type: EXT_TRUSTED_CA_KEYS, data: encodeTrustedCaKeys(ext.trusted) }] : []),
          ...(ext.versions
            ? [{ type: EXT_SUPPORTED_VERSIONS, data: encodeSupportedVersions(ext.versions) }]
            : []),
          ...(ext.ocsp ? [{ type: EXT_STATUS_REQUEST, data: encodeStatusRequest(ext.ocsp) }] : []),
          ...ext.other.filter((x) => !KNOWN.has(x.type)).map(({ type, data }) => ({ type, data })),
        ];
        const stream = encodeHandshakeRecords(encodeClientHello({ ...base, extensions }), recordSizes);
        for (const c of cuts) {
          const n = c % stream.length; // any strict prefix is incomplete
          assert.equal(readClientHello(stream.subarray(0, n)).kind, "incomplete");
        }
        const h = read(stream);
        assert.equal(h.legacyVersion, base.legacyVersion);
        assert.deepEqual(h.random, base.random);
        assert.deepEqual(h.sessionId, base.sessionId);
        assert.deepEqual(h.cipherSuites, base.cipherSuites);
        assert.deepEqual(h.compressionMethods, base.compressionMethods);
        assert.deepEqual(h.extensions, extensions);
        assert.deepEqual(h.trustedCaKeys, ext?.trusted);
        assert.equal(h.serverName, ext?.sni);
        assert.deepEqual(h.supportedVersions, ext?.versions);
        assert.deepEqual(h.statusRequest?.responderIds, ext?.ocsp);
      },
    ),
    { numRuns: 500 },
  );
});
