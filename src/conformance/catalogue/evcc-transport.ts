/**
 * Car under test, DIN 70121 and ISO 15118-2 DC: transport. The connection lost mid-charge, malformed V2GTP
 * from the SECC (version, payload type, length, a truncated message): the car stops charging and ends the
 * session. SDP requests left unanswered: the car repeats them. TLS with a certificate that does not chain
 * to the car's trusted root: the car refuses the connection (ISO 15118-2, with `--tls`).
 */
import type { ConformanceCase } from "../types.js";
import { DIN_EVCC, type EvccVocabulary, evccCase, evEnds, ISO2_EVCC } from "./evcc-shape.js";
import { at } from "./shape.js";

function transportCases(v: EvccVocabulary): ConformanceCase[] {
  const c = (x: Parameters<typeof evccCase>[2]) => evccCase(v.protocol, "transport", x);
  const id = (n: number) => `evcc-${v.protocol}-transport-${String(n).padStart(3, "0")}`;
  const V2GTP = `${v.v2gtpClause} (V2GTP header)`;
  const cases = [
    c({
      id: id(1),
      title: "connection lost in the charge loop: the car stops drawing current and opens S2",
      requirement: [v.tcpClause, "IEC 61851-23 CC.4.1 (loss of communication)"],
      tester: { kind: "drop", at: at("CurrentDemandRes", 2) },
      expect: evEnds(),
    }),
    c({
      id: id(2),
      title: "CurrentDemandRes with V2GTP version 0x02: the car ends the session",
      requirement: [V2GTP],
      tester: { kind: "header-version", at: at("CurrentDemandRes", 2), version: 0x02, inverse: 0xfd },
      expect: evEnds(v.currentDemandTimeoutMs + 1_000, []),
    }),
    c({
      id: id(3),
      title: "SessionSetupRes with payload type 0x9000: the car ends the session",
      requirement: [V2GTP],
      tester: { kind: "payload-type", at: at("SessionSetupRes"), payloadType: 0x9000 },
      expect: evEnds(),
    }),
    c({
      id: id(4),
      title: "SessionSetupRes cut short after 10 bytes: the car gives up",
      requirement: [V2GTP, `${v.standard} V2G_EVCC_Msg_Timeout`],
      tester: { kind: "truncate", at: at("SessionSetupRes"), bytes: 10 },
      expect: evEnds(),
    }),
    c({
      id: id(5),
      title: "ServiceDiscoveryRes announcing 100 bytes more than sent: the car gives up",
      requirement: [V2GTP, `${v.standard} V2G_EVCC_Msg_Timeout`],
      tester: { kind: "length", at: at("ServiceDiscoveryRes"), length: { extra: 100 } },
      expect: evEnds(),
    }),
    c({
      id: id(6),
      title: "the first two SDP requests unanswered: the car repeats SDP and starts its session",
      requirement: [
        `${v.standard} ${v.protocol === "iso2" ? "§7.10.1 " : ""}SDP (the EVCC repeats an unanswered request)`,
      ],
      tester: { kind: "sdp-drop", at: at("SDP"), count: 2 },
      expect: { kind: "ev-sdp-retry", minRequests: 3 },
    }),
  ];
  if (v.protocol === "iso2")
    cases.push(
      c({
        id: id(7),
        title: "TLS with a SECC certificate that does not chain to the car's V2G root: the car refuses",
        requirement: [
          "ISO 15118-2 TLS (the EVCC authenticates the SECC certificate chain by its V2G root)",
          "[V2G2-878]",
        ],
        tester: { kind: "tls-untrusted", at: at("SDP") },
        expect: { kind: "ev-refuses-tls" },
        transport: "tls",
      }),
    );
  return cases;
}

export const DIN_EVCC_TRANSPORT = transportCases(DIN_EVCC);
export const ISO2_EVCC_TRANSPORT = transportCases(ISO2_EVCC);
