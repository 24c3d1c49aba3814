/**
 * The conformance harness's data model (`nacs conformance`): a test case (what it checks, the requirement
 * it cites, how the tester deviates from a normal EV at the wire, what the system under test must be seen
 * to do), the trace observed while it ran, the verdict, and the SUT profile. Platform-neutral data.
 */

import type { HostWireEvent } from "../link/host/wire-tap.js";

/** The protocols this slice of the harness tests (ISO 15118-20: `iso20`). */
export type ConformanceProtocol = "din" | "iso2" | "iso20";

/** The energy transfer of a case: DC (default) or AC (ISO 15118-2 AC, ISO 15118-20 AC / AC_BPT). */
export type CaseEnergy = "dc" | "ac";

/** ISO 15118-20 energy services (ISO 15118-20 Table 204: 1 AC, 2 DC, 5 AC_BPT, 6 DC_BPT). */
export type Iso20Service = "dc" | "dc-bpt" | "ac" | "ac-bpt";

/** ISO 15118-20 control modes (ISO 15118-20 ServiceDetail parameter ControlMode: 1 Scheduled, 2 Dynamic). */
export type Iso20Control = "scheduled" | "dynamic";

/**
 * What the tester's EV runs in a case, when not the default DC EIM session: the energy transfer (ISO-2
 * AC: the EV's AC controller), and for ISO 15118-20 the service it selects and its control mode.
 */
export interface CaseEv {
  energy?: CaseEnergy;
  service?: Iso20Service;
  control?: Iso20Control;
}

/** Which side is the system under test. */
export type SutRole = "secc" | "evcc";

/** Case groups, one catalogue file each per protocol. */
export type CaseGroup = "normal" | "sequence" | "value" | "timing" | "transport" | "j3400" | "slac" | "sdp";

/**
 * What the tester does on its own board (the EV side of the cable) instead of on the wire: `s2-open` opens
 * S2 (CP state C→B, IEC 61851-1 Annex A) without a PowerDelivery Stop; `unlatch` presses the connector
 * handle's release button (PP latched → unlatched, SAE J3400 / SAE J1772 proximity circuit): the tester's EV
 * controller is not told (it goes on as if latched), so what is observed is the SUT's own reaction.
 */
export type BoardAction = "s2-open" | "unlatch";

/** The tester's request the deviation applies to: its name and which occurrence (1-based, default 1). */
export interface MessageRef {
  message: string;
  occurrence?: number;
}

/** A field value in a mutation: plain JSON, or a PhysicalValue written as number + unit. */
export type FieldValue = string | number | boolean | null | { [k: string]: FieldValue } | FieldValue[];

/**
 * How the tester deviates from a normal EV (or, testing a car, from a normal SECC), applied by the wire
 * interceptor to the controller's outgoing V2G bytes (the controller itself runs unchanged).
 */
export type TesterBehaviour =
  /** A normal session: the tester stops after a few charge-loop messages. */
  | { kind: "normal" }
  /** A normal session; the request is marked so its response can be checked. */
  | { kind: "observe"; at: MessageRef }
  /**
   * Decode the request, set the fields at the dotted paths (below the message body), re-encode. A null
   * value removes the field (to swap one choice element for another).
   */
  | { kind: "mutate"; at: MessageRef; set: Record<string, FieldValue> }
  /** Send the request with another SessionID (hex). */
  | { kind: "session-id"; at: MessageRef; sessionIdHex: string }
  /** Send the request twice; the SECC's answer to the copy is kept from the controller. */
  | { kind: "repeat"; at: MessageRef }
  /**
   * Before the request, send request `message` with `body` (the SECC's answer is kept from the controller),
   * then, once answered, the request itself.
   */
  | { kind: "inject"; at: MessageRef; message: string; body: Record<string, FieldValue> }
  /** Send, in place of the request, the earlier request `message` again (with the current SessionID). */
  | { kind: "replay"; at: MessageRef; message: string }
  /** Send the request with another V2GTP payload type. */
  | { kind: "payload-type"; at: MessageRef; payloadType: number }
  /** Send the request with another V2GTP protocol version / inverse version byte. */
  | { kind: "header-version"; at: MessageRef; version: number; inverse: number }
  /** Send the V2GTP header with this payload length (or the actual one plus `extra`), then the payload as it is. */
  | { kind: "length"; at: MessageRef; length: number | { extra: number } }
  /** Send only the first `bytes` bytes of the message, then nothing. */
  | { kind: "truncate"; at: MessageRef; bytes: number }
  /** Hold the request back: the tester falls silent with the connection open. */
  | { kind: "silent"; at: MessageRef }
  /** Close the TCP connection instead of sending the request. */
  | { kind: "drop"; at: MessageRef }
  /**
   * ISO 15118-2 pause and resume: the tester's EV ends the charge loop with SessionStop (Pause), then
   * reconnects (SDP again) and presents the paused SessionID; the request `at` (of the resumed session,
   * counted over the whole case) is marked so its response can be checked.
   */
  | { kind: "pause-resume"; at: MessageRef }
  /** Just before the request goes out (unchanged), act on the tester's board port. */
  | { kind: "board"; at: MessageRef; action: BoardAction }
  // --- the tester plays the SECC (`--sut evcc`): `at` names the tester's outgoing response
  /** Send the response this long later than the SECC controller wrote it. */
  | { kind: "delay"; at: MessageRef; ms: number }
  /** Like `mutate`, on this response and every later one of the same name. */
  | { kind: "mutate-from"; at: MessageRef; set: Record<string, FieldValue> }
  /** Leave the car's first `count` SDP requests unanswered (`at`: `{ message: "SDP" }`). */
  | { kind: "sdp-drop"; at: MessageRef; count: number }
  /** Serve TLS with a certificate that does not chain to the car's trusted root (`at`: `{ message: "SDP" }`). */
  | { kind: "tls-untrusted"; at: MessageRef }
  /** Just before the response goes out (unchanged), an operator input on the tester's EVSE. */
  | { kind: "evse-input"; at: MessageRef; input: EvseTesterInput };

/**
 * Operator inputs of the tester's EVSE (`--sut evcc`): `emergency-stop` (the charger's emergency stop: pilot
 * to F, output off; IEC 61851-23), `stop-charging` (EVSENotification StopCharging).
 */
export type EvseTesterInput = "emergency-stop" | "stop-charging";

/**
 * A named limit of the SUT profile, or a figure in ms. `iso20ChargeLoopSequenceTimeout`: ISO 15118-20
 * V2G_SECC_Sequence_Timeout after a DC/AC_ChargeLoopRes ([V2G20-1500], [V2G20-1502]: 0.5 s).
 */
export type LimitRef =
  | "sequenceTimeout"
  | "chargeLoopTimeout"
  | "connectionLossOff"
  | "iso20ChargeLoopSequenceTimeout"
  | number;

/** Check on a field of a response body (dotted path below the message body). */
export interface FieldCheck {
  path: string;
  /** The value must be one of these (compared as JSON). */
  oneOf?: FieldValue[];
  /** The numeric (PhysicalValue: Value × 10^Multiplier) value must be at most this. */
  atMost?: number;
}

/** What the system under test must be seen to do. */
export type Expectation =
  /** The whole session runs: every response OK and within its performance time, through SessionStop. */
  | { kind: "session-ok" }
  /**
   * The response to the deviated request: a ResponseCode among `codes`, within its performance time; then
   * (optionally) the SECC ends the session: it closes the connection within `closeWithinMs`, and no charge
   * loop follows.
   */
  | {
      kind: "response";
      response: string;
      codes: string[];
      fields?: FieldCheck[];
      thenClose?: { withinMs: LimitRef };
      /** The session may go on (a code that is not an error); no close needed. */
      continues?: boolean;
    }
  /** No response to the deviated request; the SECC closes the connection within the limit. */
  | { kind: "closes"; withinMs: LimitRef; notBeforeMs?: LimitRef }
  /** The SECC switches its output off (inlet current below 1 A) within the limit. */
  | { kind: "output-off"; withinMs: LimitRef }
  // --- the car under test (`--sut evcc`); its messages are the trace's `rx` events
  /** The whole session runs: the car charges (CurrentDemandReq / ChargingStatusReq) and ends with SessionStopReq. */
  | { kind: "ev-session-ok" }
  /** The car's next request after the deviation is one of `requests` (its fields as checked). */
  | { kind: "ev-request"; requests: string[]; fields?: FieldCheck[] }
  /**
   * The car ends the session: after the deviation it sends no request but those of `allow` (default:
   * SessionStopReq), and closes the connection within `withinMs` (not before `notBeforeMs`) of its last
   * request before the deviation; S2 open (CP not C) and the current below 1 A by then.
   */
  | {
      kind: "ev-ends";
      withinMs: LimitRef;
      notBeforeMs?: LimitRef;
      allow?: string[];
      /** The SECC may close first (it ends the session itself, e.g. after its emergency stop). */
      anyClose?: boolean;
    }
  /** The car repeats SDP: at least `minRequests` SDP requests, then its V2G session (supportedAppProtocolReq). */
  | { kind: "ev-sdp-retry"; minRequests: number }
  /** The car refuses the tester's TLS server certificate: no V2G message over that connection. */
  | { kind: "ev-refuses-tls" }
  /**
   * The SECC refuses the TLS handshake (the tester presented a credential it must not accept): no V2G
   * message is answered on the connection.
   */
  | { kind: "tls-refused" }
  /** Checks on the SUT's SLAC frames (ISO 15118-3), judged by slac-verdict.ts. */
  | { kind: "slac"; checks: SlacCheck[] }
  /** What the SUT answers to the tester's SDP probes (sdp-verdict.ts). */
  | { kind: "sdp"; answers: SdpAnswer[] };

/** The EV's SLAC frames the tester can deviate on (ISO 15118-3 SLAC messages). */
export type SlacFrameName =
  | "CM_SLAC_PARM.REQ"
  | "CM_START_ATTEN_CHAR.IND"
  | "CM_MNBC_SOUND.IND"
  | "CM_ATTEN_CHAR.RSP"
  | "CM_SLAC_MATCH.REQ";

/**
 * How the tester deviates from a normal EV in SLAC, applied by the SLAC frame interceptor
 * (slac-interceptor.ts) to the EV controller's outgoing frames (the controller itself runs unchanged).
 * Byte fields are written as lowercase hex.
 */
export type SlacTesterBehaviour =
  /** SLAC as the EV runs it; the SUT's frames are checked. */
  | { kind: "observe" }
  /** Set fields of the EV's `occurrence`-th frame `frame` (1-based, default 1). */
  | { kind: "mutate"; frame: SlacFrameName; occurrence?: number; set: Record<string, FieldValue> }
  /** Hold back the EV's frames `frame` number `from` to `from + count - 1` (default: to the last one). */
  | { kind: "withhold"; frame: SlacFrameName; from: number; count?: number }
  /** Send the EV's `occurrence`-th frame `frame` twice. */
  | { kind: "repeat"; frame: SlacFrameName; occurrence?: number }
  /**
   * From the EV's `occurrence`-th frame `frame` on, send nothing of this matching attempt: every EV frame
   * is held back until the EV starts its next attempt (its next CM_SLAC_PARM.REQ with a new RunID).
   */
  | { kind: "silent-from"; frame: SlacFrameName; occurrence?: number }
  /**
   * A second EV: right after the tester's `occurrence`-th frame `after`, a CM_SLAC_PARM.REQ from another
   * MAC (`mac`, hex) with its own RunID (`runIdHex`) goes on the wire. It does nothing more.
   */
  | { kind: "second-ev"; after: SlacFrameName; occurrence?: number; mac: string; runIdHex: string };

/** Whose frames a SLAC check looks at: those to the tester's EV (default) or to the second EV. */
export type SlacPeer = "tester" | "second-ev";

/** A frame of the tester's, by name and occurrence (1-based, default 1) among those put on the wire. */
export interface SlacFrameRef {
  frame: string;
  occurrence?: number;
}

/**
 * One check on the SUT's SLAC frames. `frame` + `occurrence` (1-based, default 1) name the SUT's frame among
 * those of that name sent to `to`; `path` a field of the MME ("runId", "numSounds", …) or of the Ethernet
 * header ("src", "dst"); byte fields compare as lowercase hex.
 */
export type SlacCheck =
  | { kind: "field"; frame: string; occurrence?: number; to?: SlacPeer; path: string; oneOf: FieldValue[] }
  /** The field equals field `of.path` of the tester's (or the second EV's) last frame `of.frame` before it. */
  | {
      kind: "echo";
      frame: string;
      occurrence?: number;
      to?: SlacPeer;
      path: string;
      of: { frame: string; path: string };
    }
  /** The (byte) field is `length` bytes long. */
  | { kind: "length"; frame: string; occurrence?: number; to?: SlacPeer; path: string; length: number }
  /** The frame comes at most `withinMs` after the tester's frame `after`. */
  | {
      kind: "within";
      frame: string;
      occurrence?: number;
      to?: SlacPeer;
      after: SlacFrameRef;
      withinMs: number;
    }
  /** No frame `frame` to `to` after the tester's frame `from`, before its frame `until` (or the end). */
  | { kind: "none"; frame: string; to?: SlacPeer; from: SlacFrameRef; until?: SlacFrameRef }
  /** The NID of the frame is the one derived from its NMK (HomePlug AV: NID from NMK, security level 0). */
  | { kind: "nid-of-nmk"; frame: string; occurrence?: number }
  /** Matching succeeded: a CM_SLAC_MATCH.CNF to the tester, then a V2G session (supportedAppProtocolRes). */
  | { kind: "matched" };

/**
 * One SDP request datagram of the tester (ISO 15118-2 §7.10.1, DIN 70121 uses the same SDP): Security and
 * TransportProtocol, and what may be wrong with its V2GTP header.
 */
export interface SdpProbe {
  security: number;
  transport: number;
  /** V2GTP payload type (default 0x9000, SDP request). */
  payloadType?: number;
  /** V2GTP protocol version / inverse (default 0x01 / 0xFE). */
  version?: number;
  inverse?: number;
  /** Payload bytes added after Security and TransportProtocol (the header's length counts them). */
  extraBytes?: number;
}

/**
 * What the SUT must do with one probe: answer with the security and transport it offers (those of the
 * V2G session the case runs), stay silent, or either.
 */
export type SdpAnswer = "offered" | "silent" | "offered-or-silent";

/** How the tester's SDP client deviates: it sends these probes, one after the other. */
export interface SdpTesterBehaviour {
  kind: "probes";
  probes: SdpProbe[];
}

/** One conformance test case (catalogue data). */
export interface ConformanceCase {
  /** Stable ID: `<sut>-<protocol>-<group>-<nnn>`, e.g. "secc-din-seq-001". */
  id: string;
  title: string;
  sut: SutRole;
  protocols: ConformanceProtocol[];
  group: CaseGroup;
  /** Requirement IDs (`[V2G2-538]`, `DIN 70121 [V2G-DC-625]`) or, where no ID is known, the clause. */
  requirement: string[];
  tester: TesterBehaviour;
  expect: Expectation;
  /** The case runs with TLS only / without TLS only; absent: either. */
  transport?: "tls" | "tcp";
  /** Our own SECC deviates here on purpose (the reason); the verdict is still reported. */
  knownDeviation?: string;
  /** The tester's EV when not the default DC EIM session (AC; the -20 service and control mode). */
  ev?: CaseEv;
  /** The case needs a SUT that asks for metering receipts (ISO 15118-2 ReceiptRequired; profile `receipts`). */
  needsReceipts?: boolean;
  /**
   * The tester's TLS client credential when not the vehicle certificate of the run: `untrusted-vehicle`, a
   * vehicle certificate chained to a root the SUT does not know (the run provides it).
   */
  tlsCredential?: "untrusted-vehicle";
  /** SLAC cases: how the tester deviates in SLAC (`tester` is then a normal V2G session). */
  slac?: SlacTesterBehaviour;
  /** SDP cases: the tester's SDP probes, sent once the V2G connection is up (`tester` normal). */
  sdp?: SdpTesterBehaviour;
  /**
   * The case checks something below the V2G protocol (SLAC, SDP): it runs once, on the first protocol of
   * `protocols` the SUT offers, not once per protocol.
   */
  protocolNeutral?: boolean;
}

/** One event of a case's trace (times in ms since the case started). */
export type TraceEvent =
  | { kind: "open"; tMs: number }
  /** What the tester put on the wire (after the interceptor); `note` says how it deviates. */
  | { kind: "tx"; tMs: number; name: string; bytes: number; note?: string; deviation?: boolean }
  /**
   * A message of the SUT: its name, ResponseCode, body, the time since the tester's last request and
   * whether the controller saw it.
   */
  | {
      kind: "rx";
      tMs: number;
      name: string;
      code?: string;
      body?: Record<string, unknown>;
      afterMs: number | null;
      hidden?: boolean;
    }
  | { kind: "rx-bad"; tMs: number; error: string }
  | { kind: "close"; tMs: number; by: "local" | "remote" | "tester" }
  /** The inlet current crossed 1 A (up or down) on the tester's board. */
  | { kind: "inlet"; tMs: number; currentA: number; voltageV: number }
  | { kind: "ev-stop"; tMs: number; reason: string }
  /** The tester acted on its board (a `board` deviation). */
  | { kind: "board"; tMs: number; action: BoardAction; note: string }
  /** `--sut evcc`: the CP state the tester's EVSE board reads (B: S2 open, C: S2 closed; IEC 61851-1). */
  | { kind: "cp"; tMs: number; state: string }
  /** `--sut evcc`: an SDP request of the car, and whether the tester answered it. */
  | { kind: "ev-sdp"; tMs: number; answered: boolean }
  /** `--sut evcc`: an operator input on the tester's EVSE (an `evse-input` deviation). */
  | { kind: "evse-input"; tMs: number; input: EvseTesterInput }
  /**
   * A SLAC frame on the tester's frame port: what the tester sent (`tx`, after the interceptor; `held`: a
   * frame of the EV controller not put on the wire) or received (`rx`), with the MME's fields (bytes as hex).
   */
  | {
      kind: "slac";
      tMs: number;
      dir: "tx" | "rx";
      name: string;
      src: string;
      dst: string;
      fields: Record<string, unknown>;
      note?: string;
      deviation?: boolean;
      held?: boolean;
    }
  /** An SDP datagram of the tester's probe (`tx`, the probe's index) or the SUT's answer to it (`rx`). */
  | {
      kind: "sdp";
      tMs: number;
      dir: "tx" | "rx";
      probe: number;
      bytes: string;
      security?: number;
      transport?: number;
      error?: string;
    };

/** One unit that crossed the tester's sockets (SLAC frame, SDP datagram, V2GTP message), wall-clock ms. */
export interface WireRecord {
  atMs: number;
  event: HostWireEvent;
}

/** What was observed while a case ran. */
export interface CaseTrace {
  protocol: ConformanceProtocol;
  events: TraceEvent[];
  /** When the deviation was applied (ms since the case started); null: its message never came. */
  deviationAtMs: number | null;
  /** The case could not be set up (no SDP answer, no connection, the SUT chose another protocol). */
  setupError?: string;
  durationMs: number;
  /** Everything on the tester's sockets, for the case's pcapng (absent: not recorded). */
  wire?: WireRecord[];
  /** SLAC cases: the MACs (hex) of the tester's EV and of the second EV, when there is one. */
  slac?: { testerMac: string; secondEvMac?: string };
  /** SDP cases: the security and transport the V2G session ran with (what the SUT offers). */
  sdp?: { security: number; transport: number };
}

/** The outcome of a case. */
export type Verdict =
  | { verdict: "pass" }
  | { verdict: "fail"; rule: string; message: string; field: string; expected: string; seen: string }
  | { verdict: "inconclusive"; why: string };

/** Limits of the SUT (ms); the profile may set its own, else the standard's. */
export interface SutLimits {
  /** V2G_SECC_Sequence_Timeout (DIN 70121 / ISO 15118-2: 60 s). */
  sequenceTimeoutMs: number;
  /** Output off after the charge loop falls silent (default: the sequence timeout). */
  chargeLoopTimeoutMs: number;
  /** Output off after the connection is lost in the charge loop. */
  connectionLossOffMs: number;
  /**
   * SECC performance time of each response (ms), by response name; `default` for the others. A key
   * `<protocol>:<name>` (e.g. `iso20:PowerDeliveryRes`) applies to that protocol only and comes first.
   */
  performanceMs: Record<string, number>;
  /** Allowance for the measurement (loopback scheduling, the board's 100 ms report period). */
  toleranceMs: number;
  /** Pause after a case the SUT ended abnormally (FAILED, closed by it) before the next plug-in. */
  recoveryMs: number;
  /**
   * ISO 15118-20 V2G_SECC_Sequence_Timeout after a DC/AC_ChargeLoopRes ([V2G20-1500], [V2G20-1502]);
   * absent: 500 ms.
   */
  iso20ChargeLoopSequenceTimeoutMs?: number;
}

/** The SUT profile (file given with `--profile`): what it supports, its limits, cases to skip. */
export interface SutProfile {
  name: string;
  protocols: ConformanceProtocol[];
  /** The energy transfers the SUT offers (ISO-2 and -20; DIN 70121 is DC only); absent: DC only. */
  energy?: CaseEnergy[];
  /** The ISO 15118-20 services and control modes the SUT offers; absent: DC (and AC with `energy`), both modes. */
  iso20?: { services: Iso20Service[]; controls: Iso20Control[] };
  /**
   * The SUT asks for metering receipts (ISO 15118-2 ReceiptRequired in CurrentDemandRes / ChargingStatusRes)
   * in EIM sessions; absent: it does not, and the cases that need a receipt are not run.
   */
  receipts?: boolean;
  limits: SutLimits;
  /** Case ID → why it is skipped (not run, not counted). */
  skip: Record<string, string>;
}
