/**
 * Vite build of the dashboard app: `vite build -c dashboard/vite.config.ts` writes dist/dashboard/index.html
 * + assets/; with `--mode offline` it writes dist/dashboard/offline.html, one self-contained file (all JS and
 * CSS inlined) that the host fills with a session record. JSX goes through esbuild's automatic runtime with
 * Preact's jsx-runtime (no Babel).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { viteSingleFile } from "vite-plugin-singlefile";

const root = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("../dist/dashboard", import.meta.url));

export default defineConfig(({ mode }) => {
  const offline = mode === "offline";
  return {
    root,
    base: "./",
    logLevel: "warn",
    esbuild: { jsx: "automatic", jsxImportSource: "preact" },
    define: { __NACS_OFFLINE__: JSON.stringify(offline) },
    plugins: offline ? [viteSingleFile({ removeViteModuleLoader: true })] : [],
    resolve: {
      alias: [
        // the core's TLS decryptor runs on a small node:crypto over @noble (src/shims)
        { find: /^node:crypto$/, replacement: `${root}src/shims/node-crypto.ts` },
        // one file: decode on the page's thread instead of in a worker file
        ...(offline
          ? [{ find: /^\.\.\/capture\/runner\.js$/, replacement: `${root}src/capture/runner-inline.ts` }]
          : []),
      ],
    },
    worker: { format: "es" },
    build: {
      outDir,
      emptyOutDir: !offline,
      target: "es2022",
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: offline ? `${root}offline.html` : `${root}index.html` },
    },
  };
});
