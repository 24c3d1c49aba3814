/** Record viewer: an NDJSON session record (picked, dropped, or embedded in offline.html) on the session views. */
import { useState } from "preact/hooks";
import { parseRecordText } from "../model/record-parse.js";
import { applyEvents, createSessionModel, type SessionModel } from "../model/session-model.js";
import { FilePicker } from "./FilePicker.js";
import { SessionView } from "./SessionView.js";

export function loadRecord(text: string): SessionModel {
  return applyEvents(createSessionModel(), parseRecordText(text));
}

export function RecordView({ initial, name }: { initial?: SessionModel; name?: string }) {
  const [model, setModel] = useState<SessionModel | undefined>(initial);
  const [file, setFile] = useState(name ?? "");
  const [error, setError] = useState("");
  const open = async (f: File) => {
    try {
      setError("");
      setModel(loadRecord(await f.text()));
      setFile(f.name);
    } catch (e) {
      setError(`${f.name}: ${(e as Error).message}`);
    }
  };
  return (
    <div data-testid="record-view">
      <FilePicker
        testid="record-file"
        label="Drop a session record (.ndjson) here or pick one "
        accept=".ndjson,.jsonl,.json,.txt"
        onFile={open}
      />
      {error && (
        <p class="error" data-testid="record-error">
          {error}
        </p>
      )}
      {model && (
        <>
          <p class="muted">
            {file} — <span data-testid="record-event-count">{model.count}</span> events
          </p>
          <SessionView model={model} version={model.version} />
        </>
      )}
    </div>
  );
}
