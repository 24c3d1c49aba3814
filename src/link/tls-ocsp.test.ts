import assert from "node:assert/strict";
import { before, test } from "node:test";
import { makeTestPki, type TestPki } from "../../tools/pki/make-test-pki.js";
import { TlsTrustError } from "./errors.js";
import { createCaptureLogger } from "./logger.js";
import { issueOcspResponse } from "./pki/ocsp.js";
import { LOOPBACK } from "./test-support.js";
import { startTlsServer, type TlsClientConfig, type TlsServerConfig, tlsConnect } from "./tls.js";

const DAY = 86_400_000;
let pki: TestPki;
before(() => {
  pki = makeTestPki({ seccId: "ZZOCSP" });
});

/** The leaf's OCSP response signed by CPO Sub-CA 2 (-2 tree) or the -20 Sub-CA 2 (`iso20`). */
function staple(status: "good" | "revoked" = "good", iso20 = false): Uint8Array {
  const t = iso20 ? pki.iso20 : pki;
  return issueOcspResponse({
    cert: t.seccLeaf.certDer,
    issuer: t.cpoSubCa2.certDer,
    signerKey: t.cpoSubCa2.keyPem,
    status,
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 7 * DAY),
  });
}

async function session(server: Partial<TlsServerConfig>, client: Partial<TlsClientConfig>) {
  const s = await startTlsServer({
    host: LOOPBACK,
    port: 0,
    logger: createCaptureLogger(),
    tls: { key: pki.seccLeaf.keyPem, cert: pki.seccChainPem, ...server },
  });
  try {
    const c = await tlsConnect({
      host: LOOPBACK,
      port: s.local.port,
      tls: { ca: pki.v2gRoot.certPem, ...client },
    });
    c.close();
    return c.tls;
  } finally {
    await s.close();
  }
}

function refusedWith(code: string, msg: RegExp) {
  return (e: unknown) => e instanceof TlsTrustError && e.code === code && msg.test(e.message);
}

test("TLS 1.2: the SECC staples the leaf's OCSP response; an EVCC requiring it checks it good", async () => {
  const tls = await session({ ocsp: staple() }, { ocsp: "require" });
  assert.equal(tls?.ocsp, "good");
  // A function is asked on each status_request (a refreshed response).
  let asked = 0;
  const again = await session(
    {
      ocsp: () => {
        asked++;
        return staple();
      },
    },
    { ocsp: "prefer" },
  );
  assert.equal(again?.ocsp, "good");
  assert.equal(asked, 1);
});

test("no staple: 'require' aborts naming [V2G2-873], 'prefer' goes on, 'off' asks nothing", async () => {
  await assert.rejects(
    session({}, { ocsp: "require" }),
    refusedWith("OCSP_MISSING", /stapled no OCSP response.*\[V2G2-873\]/),
  );
  assert.equal((await session({}, { ocsp: "prefer" }))?.ocsp, "absent");
  assert.equal((await session({ ocsp: staple() }, {}))?.ocsp, undefined);
});

test("a revoked, expired or foreign staple aborts in 'require' and in 'prefer' mode", async () => {
  for (const ocsp of ["require", "prefer"] as const)
    await assert.rejects(
      session({ ocsp: staple("revoked") }, { ocsp }),
      refusedWith("OCSP_REVOKED", /certStatus revoked .*\[V2G2-873\]/),
    );
  await assert.rejects(
    session({ ocsp: staple() }, { ocsp: "require", now: () => Date.now() + 30 * DAY }),
    refusedWith("OCSP_EXPIRED", /nextUpdate .* has passed/),
  );
  // the -20 leaf's response stapled on the -2 chain: another certificate
  await assert.rejects(
    session({ ocsp: staple("good", true) }, { ocsp: "require" }),
    refusedWith("OCSP_CERT_ID", /CertID/),
  );
});

test("TLS 1.3 (ISO 15118-20 chain): the staple rides in the Certificate entry and is checked too", async () => {
  const tls = await session(
    {
      versions: ["1.3"],
      tls13: {
        key: pki.iso20.seccLeaf.keyPem,
        cert: pki.iso20.seccChainPem,
        clientCa: pki.iso20.oemRoot.certPem,
        ocsp: staple("good", true),
      },
    },
    {
      ca: pki.iso20.v2gRoot.certPem,
      versions: ["1.3"],
      cert: pki.iso20.vehicleChainPem,
      key: pki.iso20.vehicleLeaf.keyPem,
      ocsp: "require",
    },
  );
  assert.equal(tls?.protocol, "TLSv1.3");
  assert.equal(tls?.ocsp, "good");
});

test("tls.ocsp must be one of the modes", async () => {
  await assert.rejects(
    tlsConnect({ host: LOOPBACK, port: 1, tls: { ca: "", ocsp: "always" as never } }),
    /tls\.ocsp: "always", must be require, prefer, off/,
  );
});
