/** One session on all its views: state, set-up progress, plots with phases and trips, messages. */
import { useState } from "preact/hooks";
import type { SessionModel } from "../model/session-model.js";
import { MessageDetail } from "./MessageDetail.js";
import { MessageList } from "./MessageList.js";
import { Plots } from "./Plots.js";
import { ProgressList } from "./ProgressList.js";
import { StatusBar } from "./StatusBar.js";
import { TripList } from "./TripList.js";

export function SessionView({ model, version }: { model: SessionModel; version: number }) {
  const [sel, setSel] = useState<number | undefined>(undefined);
  return (
    <div class="session" data-testid="session-view" data-events={model.count}>
      <StatusBar model={model} version={version} />
      <ProgressList model={model} version={version} />
      <TripList model={model} version={version} />
      <Plots model={model} version={version} />
      <div class="msg-pane">
        <MessageList model={model} version={version} selected={sel} onSelect={setSel} />
        <MessageDetail model={model} index={sel} />
      </div>
    </div>
  );
}
