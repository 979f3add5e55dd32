import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";

/** Logs a warning, an error and an info line with the keeper's human logger, on a pseudo-terminal (util-linux script) or into a pipe. */
function logLines(terminal: boolean, env: Record<string, string> = {}): Promise<string> {
  const program = 'const { createLogger } = await import("./keeper/log.ts"); const log = createLogger(); log.warn({ at: "Test" }, "a warning"); log.error("an error"); log.info("plain");';
  const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", program];
  const [command, ...args] = terminal ? ["script", "-qfec", node.map((a) => `'${a}'`).join(" "), "/dev/null"] : node;
  return new Promise((resolve) => {
    const child = spawn(command!, args, { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TERM: "xterm-256color", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", () => resolve(output));
  });
}

describe("the keeper's log lines: warnings and errors coloured on a terminal only", function () {
  it("yellow warn and red error on a pseudo-terminal; plain with NO_COLOR set and into a pipe", async function () {
    expect(spawnSync("script", ["--version"]).status, "this test needs util-linux's `script` for a pseudo-terminal").to.equal(0);
    const coloured = await logLines(true);
    expect(coloured).to.match(/ \u001b\[33mwarn \u001b\[39m \[Test\] a warning/).and.match(/ \u001b\[31merror\u001b\[39m an error/).and.match(/ info  plain/);
    for (const plain of [await logLines(true, { NO_COLOR: "1" }), await logLines(false)]) {
      expect(plain).to.match(/ warn  \[Test\] a warning/).and.match(/ error an error/).and.not.match(/\u001b\[/);
    }
  });
});
