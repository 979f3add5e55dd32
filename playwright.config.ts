import { defineConfig } from "@playwright/test";
import { toolSettings } from "./keeper/config.js";

/**
 * The web app's browser tests (`npm run test:e2e`): Debian's Chromium (no browser download), one devnet and
 * one app server per worker (app/e2e/fixtures.ts). Screenshots land in test-results/ (git-ignored).
 */
export default defineConfig({
  testDir: "app/e2e",
  timeout: 240_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: toolSettings().chromiumPath,
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
    },
    viewport: { width: 1280, height: 900 },
    trace: "off",
    actionTimeout: 30_000,
  },
});
