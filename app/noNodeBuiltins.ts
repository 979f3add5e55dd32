import { builtinModules } from "node:module";
import type { Plugin } from "vite";

const BUILTINS = new Set(builtinModules);

/**
 * Refuses a Node built-in (`node:fs`, `path`, ...) imported into the browser build: Vite would only warn and
 * replace it by an empty module, so a Node-only module pulled into the app (a keeper file that reads the disk)
 * would fail at run time in the browser, not at build time.
 */
export function noNodeBuiltins(): Plugin {
  return {
    name: "index-vault-no-node-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      if (!id.startsWith("node:") && !BUILTINS.has(id)) return null;
      this.error(`${importer ?? "the app"} imports the Node-only module "${id}": the browser build must not pull Node-only modules (move the Node part out of what the app imports)`);
    },
  };
}
