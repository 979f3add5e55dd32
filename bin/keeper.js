#!/usr/bin/env node
// The `keeper` command. The keeper is TypeScript; tsx loads it without a build step.
import { register } from "tsx/esm/api";

register();
await import("../keeper/cli/main.ts");
