/**
 * Capture viewer: a pcap/pcapng (and optionally an NSS key log) decoded in the browser with the core capture
 * reader — counts (`message-count` = the lines `nacs decode --json` prints), the `--check` findings, the
 * timeline, the message tree, and the session views (plots, messages, trips) built from its messages.
 */
import { useState } from "preact/hooks";
import { formatTimelineLine } from "../../../src/capture/format.js";
import type { CaptureResult } from "../capture/decode.js";
import { runDecode } from "../capture/runner.js";
import { captureToRecord } from "../capture/to-record.js";
import { applyEvents, createSessionModel, type SessionModel } from "../model/session-model.js";
import { FilePicker } from "./FilePicker.js";
import { Findings } from "./Findings.js";
import { MessageTree } from "./MessageTree.js";
import { SessionView } from "./SessionView.js";

interface Loaded {
  name: string;
  result: CaptureResult & { where: string };
  model: SessionModel;
  timeline: string;
}

export function CaptureView() {
  const [keyLog, setKeyLog] = useState<{ name: string; text: string } | undefined>();
  const [busy, setBusy] = useState("");
  const [error, setError] = useState("");
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [capture, setCapture] = useState<File | undefined>();
  const open = async (f: File, keys = keyLog) => {
    setCapture(f);
    setError("");
    setBusy(`reading ${f.name}`);
    try {
      const bytes = new Uint8Array(await f.arrayBuffer());
      const result = await runDecode(bytes, keys?.text, (done, total) =>
        setBusy(`decoding ${f.name}: ${Math.floor((done / total) * 100)} %`),
      );
      const model = applyEvents(createSessionModel(), captureToRecord(result.events));
      const timeline = result.events.map(formatTimelineLine).join("\n");
      console.info(`nacs: ${f.name} decoded in ${result.decodeMs.toFixed(0)} ms (${result.where})`);
      setLoaded({ name: f.name, result, model, timeline });
    } catch (e) {
      setError(`${f.name}: ${(e as Error).message}`);
    }
    setBusy("");
  };
  const r = loaded?.result;
  return (
    <div data-testid="capture-view">
      <div class="row">
        <FilePicker
          testid="capture-file"
          label="Drop a capture (.pcap, .pcapng, .dump) here or pick one "
          onFile={(f) => open(f)}
        />
        <FilePicker
          testid="keylog-file"
          label={keyLog ? `key log: ${keyLog.name} ` : "TLS key log (optional) "}
          onFile={async (f) => {
            // a key log given after the capture decodes the capture again with it
            const keys = { name: f.name, text: await f.text() };
            setKeyLog(keys);
            if (capture) await open(capture, keys);
          }}
        />
      </div>
      {busy && <p data-testid="capture-busy">{busy}</p>}
      {error && (
        <p class="error" data-testid="capture-error">
          {error}
        </p>
      )}
      {loaded && r && (
        <>
          <p data-testid="capture-summary">
            {loaded.name}: <b data-testid="message-count">{r.events.length}</b> messages and notices (
            <span data-testid="v2g-message-count">{r.decoder.v2gMessages}</span> V2G, {r.decoder.v2gErrors}{" "}
            not decoded, {r.decoder.sdp} SDP, {r.decoder.slac} SLAC), {r.decoder.packets} packets,{" "}
            {r.decoder.connections} TCP connections ({r.decoder.tlsConnections} TLS) — decoded in{" "}
            <span data-testid="decode-time">{r.decodeMs.toFixed(0)}</span> ms ({r.where})
          </p>
          <Findings report={r.report} />
          <SessionView model={loaded.model} version={loaded.model.version} />
          <h3>Message tree</h3>
          <MessageTree events={r.events} />
          <details>
            <summary>Timeline ({r.events.length} lines)</summary>
            <pre class="mono small timeline" data-testid="capture-timeline">
              {loaded.timeline}
            </pre>
          </details>
        </>
      )}
    </div>
  );
}
