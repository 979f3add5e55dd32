/**
 * Gas attribution for bench:gas: replays a mined transaction with `debug_traceTransaction` and charges every
 * opcode run in the project's own contracts to the Solidity function it belongs to (solc's source map and
 * AST from the build info), so a per-trade overhead can be itemised per check rather than guessed.
 *
 * A call into a contract that is not profiled (a token, an adapter, a pool) is charged whole to the calling
 * function under `<function> -> <callee label>`; a call or DELEGATECALL into a profiled contract (the vault's
 * linked libraries) is charged op by op inside it, and only the call's own overhead stays with the caller.
 * `onStep` sees every charge one by one (an opcode, or a whole call out), for costs per item rather than per
 * function: each cold read of a settlement, say.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

interface StructLog {
  pc: number;
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

interface FunctionRange {
  start: number;
  end: number;
  name: string;
}

/** One opcode of profiled code, or one call out of it (`target` set, `gas` the whole call's). */
export interface ProfiledStep {
  /** The profiled contract's label (loadProfiledCode) whose code ran it. */
  contract: string;
  fn: string;
  op: string;
  gas: number;
  target?: string;
}

/** One profiled contract's code: program counter -> the function its instruction belongs to. */
interface ProfiledCode {
  label: string;
  functionAt: Map<number, string>;
}

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);
const ARTIFACTS = path.resolve(import.meta.dirname, "../artifacts");

/** Loads the pc -> function map of a compiled contract, e.g. `contracts/vault/RebalanceLogic.sol:RebalanceLogic`. */
export async function loadProfiledCode(fullyQualifiedName: string, label = fullyQualifiedName.split(":")[1]): Promise<ProfiledCode> {
  const [sourceName, contractName] = fullyQualifiedName.split(":");
  const artifact = JSON.parse(await readFile(path.join(ARTIFACTS, sourceName, `${contractName}.json`), "utf8"));
  const buildOutput = JSON.parse(await readFile(path.join(ARTIFACTS, "build-info", `${artifact.buildInfoId}.output.json`), "utf8")).output;
  const evm = buildOutput.contracts[artifact.inputSourceName][contractName].evm.deployedBytecode;
  const functionsByFile = new Map<number, FunctionRange[]>();
  for (const [sourceKey, source] of Object.entries<{ id: number; ast: unknown }>(buildOutput.sources)) {
    functionsByFile.set(source.id, collectFunctions(source.ast, path.basename(sourceKey, ".sol")));
  }
  const pcs = instructionOffsets(evm.object as string);
  const functionAt = new Map<number, string>();
  let s = 0;
  let f = -1;
  let previous = "(compiler)";
  (evm.sourceMap as string).split(";").forEach((entry, index) => {
    const fields = entry.split(":");
    if (fields[0] !== undefined && fields[0] !== "") s = Number(fields[0]);
    if (fields[2] !== undefined && fields[2] !== "") f = Number(fields[2]);
    const innermost = (functionsByFile.get(f) ?? []).filter((r) => r.start <= s && s < r.end).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    // Compiler-generated helpers (f = -1: ABI coders, checked arithmetic) belong to the function that jumped there.
    const name = innermost?.name ?? previous;
    previous = name;
    if (pcs[index] !== undefined) functionAt.set(pcs[index], name);
  });
  return { label, functionAt };
}

/**
 * Gas per function of one transaction. `profiled` maps lower-case addresses whose code is one of the loaded
 * contracts (a library is profiled at its own address, which the vault DELEGATECALLs); `labels` names other
 * addresses for the calls into them.
 */
export async function profileTransaction(
  request: (method: string, params: unknown[]) => Promise<unknown>,
  hash: string,
  profiled: Map<string, ProfiledCode>,
  labels: Map<string, string>,
  onStep?: (step: ProfiledStep) => void,
): Promise<Map<string, number>> {
  const trace = (await request("debug_traceTransaction", [hash, { disableMemory: true, disableStorage: true }])) as { structLogs: StructLog[] };
  const logs = trace.structLogs;
  const totals = new Map<string, number>();
  const add = (key: string, gas: number) => totals.set(key, (totals.get(key) ?? 0) + gas);
  // The code running at each depth, and the function last charged there (a call's callee is charged to it).
  const codeAt: (ProfiledCode | undefined)[] = [];
  const root = (await request("eth_getTransactionByHash", [hash])) as { to: string };
  codeAt[1] = profiled.get(root.to.toLowerCase());
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i];
    const code = codeAt[step.depth];
    if (code === undefined) continue;
    const fn = code.functionAt.get(step.pc) ?? `${code.label}.(unmapped)`;
    const next = nextAtDepth(logs, i);
    const cost = next === undefined ? step.gasCost : step.gas - logs[next].gas;
    if (!CALLS.has(step.op) || logs[i + 1]?.depth !== step.depth + 1) {
      add(fn, cost);
      onStep?.({ contract: code.label, fn, op: step.op, gas: cost });
      continue;
    }
    const stack = step.stack ?? [];
    const word = stack[stack.length - 2];
    const target = `0x${BigInt(word.startsWith("0x") ? word : `0x${word}`).toString(16).padStart(40, "0")}`;
    const callee = profiled.get(target);
    codeAt[step.depth + 1] = callee;
    if (callee === undefined) {
      add(`${fn} -> ${labels.get(target) ?? target}`, cost);
      onStep?.({ contract: code.label, fn, op: step.op, gas: cost, target });
    } else {
      const childEnd = next === undefined ? logs.length : next;
      const childCost = logs[i + 1].gas - logs[childEnd - 1].gas + logs[childEnd - 1].gasCost;
      add(`${fn} -> call overhead`, cost - childCost);
      onStep?.({ contract: code.label, fn, op: step.op, gas: cost - childCost });
    }
  }
  return totals;
}

/** The index of the next step at the same depth as step i, after any call it makes returns. */
function nextAtDepth(logs: StructLog[], i: number): number | undefined {
  const depth = logs[i].depth;
  for (let j = i + 1; j < logs.length; j++) {
    if (logs[j].depth === depth) return j;
    if (logs[j].depth < depth) return undefined;
  }
  return undefined;
}

/** The program counter of every instruction, in order (PUSH1..PUSH32 carry 1..32 bytes of data). */
function instructionOffsets(bytecode: string): number[] {
  const hex = bytecode.startsWith("0x") ? bytecode.slice(2) : bytecode;
  const offsets: number[] = [];
  for (let pc = 0; pc < hex.length / 2; ) {
    offsets.push(pc);
    const op = Number.parseInt(hex.slice(pc * 2, pc * 2 + 2), 16);
    pc += 1 + (op >= 0x60 && op <= 0x7f ? op - 0x5f : 0);
  }
  return offsets;
}

/** Every function and modifier of an AST, as source ranges named `File.function`. */
function collectFunctions(ast: unknown, fileLabel: string): FunctionRange[] {
  const out: FunctionRange[] = [];
  const visit = (node: unknown) => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as { nodeType?: string; name?: string; kind?: string; src?: string };
    if ((n.nodeType === "FunctionDefinition" || n.nodeType === "ModifierDefinition") && n.src !== undefined) {
      const [start, length] = n.src.split(":").map(Number);
      const name = n.name !== undefined && n.name !== "" ? n.name : (n.kind ?? "function");
      out.push({ start, end: start + length, name: `${fileLabel}.${name}` });
    }
    for (const value of Object.values(node)) if (typeof value === "object") visit(value);
  };
  visit(ast);
  return out;
}
