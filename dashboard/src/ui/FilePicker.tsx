/** A drop zone with a file input (drop or pick). */
import { useState } from "preact/hooks";

interface Props {
  testid: string;
  label: string;
  accept?: string;
  onFile(f: File): void;
}

export function FilePicker({ testid, label, accept, onFile }: Props) {
  const [over, setOver] = useState(false);
  return (
    <label
      class={`drop${over ? " over" : ""}`}
      data-testid={`${testid}-drop`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const f = e.dataTransfer?.files[0];
        if (f) onFile(f);
      }}
    >
      {label}
      <input
        type="file"
        data-testid={`${testid}-input`}
        accept={accept}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) onFile(f);
        }}
      />
    </label>
  );
}
