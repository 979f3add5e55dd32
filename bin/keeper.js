#!/usr/bin/env -S node --
// The `keeper` command. The keeper is TypeScript; tsx loads it without a build step.
// The `--` in the line above ends Node's own options: Node reads `--env-file FILE` anywhere in its arguments,
// even after the script's name, and exits 9 when FILE is missing, before the keeper runs (nodejs/node#54232).
// After `--` the flag is the keeper's alone.
import { register } from "tsx/esm/api";

register();
await import("../keeper/cli/main.ts");
