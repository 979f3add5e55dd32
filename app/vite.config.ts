import { fileURLToPath } from "node:url";
import path from "node:path";
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { noNodeBuiltins } from "./noNodeBuiltins.js";

const appDir = path.dirname(fileURLToPath(import.meta.url));

/** The web app: static files only (a relative base, so a static host or IPFS can serve it from any path). */
export default defineConfig({
  root: appDir,
  base: "./",
  plugins: [noNodeBuiltins(), preact()],
  // The app imports keeper/ and types/ from the repository root (one ABI and one audit for keeper and app).
  server: { fs: { allow: [path.resolve(appDir, "..")] } },
  build: { outDir: path.join(appDir, "dist"), emptyOutDir: true, chunkSizeWarningLimit: 1500, target: "es2022" },
});
