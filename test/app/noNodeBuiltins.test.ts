import { expect } from "chai";
import { noNodeBuiltins } from "../../app/noNodeBuiltins.js";

describe("app build: no Node built-in in the browser bundle (noNodeBuiltins)", function () {
  const resolve = (id: string) => {
    const hook = noNodeBuiltins().resolveId as (this: { error(message: string): never }, id: string, importer: string | undefined) => unknown;
    return hook.call(
      {
        error: (message: string) => {
          throw new Error(message);
        },
      },
      id,
      "/repo/keeper/somewhere.ts",
    );
  };

  it("refuses node:fs, fs/promises and path with the importer named; lets packages and relative imports through", function () {
    for (const id of ["node:fs", "fs/promises", "path", "node:child_process"]) {
      expect(() => resolve(id), id).to.throw(`/repo/keeper/somewhere.ts imports the Node-only module "${id}"`);
    }
    for (const id of ["ethers", "preact/hooks", "./chain.js", "../../keeper/core/index.js", "echarts/core"]) expect(resolve(id), id).to.equal(null);
  });
});
