import { expect } from "chai";
import { readFile } from "node:fs/promises";
import path from "node:path";

/** Every module reachable through relative imports from `entry`, with its bare (package or node:) imports. */
async function importGraph(entry: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const queue = [path.resolve(entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (graph.has(file)) continue;
    const source = await readFile(file, "utf8");
    const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g)].map((m) => m[1]!);
    graph.set(file, specifiers.filter((s) => !s.startsWith(".")));
    for (const s of specifiers.filter((s) => s.startsWith("."))) queue.push(path.resolve(path.dirname(file), s.replace(/\.js$/, ".ts")));
  }
  return graph;
}

describe("keeper modules the web app bundles, in a browser", function () {
  // The Audit page bundles the audit, the queued path the keeper's queue reader, every chart the charts the reports
  // draw: a Node-only import would break its build.
  for (const entry of ["keeper/audit/readVaultHistory.ts", "keeper/audit/checkVaultHistory.ts", "keeper/chain/readQueue.ts", "keeper/charts/index.ts", "keeper/charts/echarts.ts"]) {
    it(`${entry} reaches no Node-only module`, async function () {
      const graph = await importGraph(entry);
      const nodeOnly = [...graph].flatMap(([file, bare]) => bare.filter((s) => s.startsWith("node:") || ["fs", "path", "os", "child_process"].includes(s)).map((s) => `${path.relative(".", file)} imports ${s}`));
      expect(nodeOnly).to.deep.equal([]);
      // The chart registry is one file of ECharts imports; every other entry reaches a graph of project modules.
      if (entry.endsWith("echarts.ts")) expect([...graph.values()].flat()).to.satisfy((bare: string[]) => bare.length > 0 && bare.every((s) => s.startsWith("echarts/")));
      else expect(graph.size).to.be.greaterThan(3);
    });
  }

  it("keeper/chain/readGasPriceWei.ts (the Trade page's gas price, the keeper's one rule) imports ethers and nothing else", async function () {
    const graph = await importGraph("keeper/chain/readGasPriceWei.ts");
    expect([...graph.values()].flat()).to.deep.equal(["ethers"]);
  });
});
