import { test as base, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { AbiCoder, JsonRpcProvider, Network, Wallet, getAddress, toBeHex, type TransactionRequest, type TypedDataDomain, type TypedDataField } from "ethers";

const root = path.resolve(import.meta.dirname, "..", "..");

/** Hardhat's development account #5: a key every devnet funds with ETH and gives no role. Local chains only. */
export const TEST_WALLET_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

export interface Devnet {
  dir: string;
  rpcUrl: string;
  appUrl: string;
  chainId: number;
  devnetFile: string;
  snapshotsDir: string;
  addresses: { vault: string; queue: string; stablecoin: string; guardian: string; keeper: string; feeds: string[]; tokens: { symbol: string; address: string }[] };
  /** The keeper's own `keeper rebalance` on this devnet, as an operator runs it. */
  rebalance(): Promise<string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a child in its own process group (so its children stop with it); resolves once stdout matches. */
function start(command: string, args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited with ${code} before it was ready:\n${output}`)));
  });
}

function stop(child: ChildProcess | undefined): void {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`))));
  });
}

/** The page's window as the injected wallet uses it (this file is type-checked without the DOM library). */
interface PageWindow {
  addEventListener(type: string, listener: () => void): void;
  dispatchEvent(event: unknown): boolean;
  __testWalletRequest(method: string, params: unknown[]): Promise<{ result?: unknown; error?: { code: number; message: string; data?: string } }>;
  __testWalletEmit(event: string, arg: unknown): void;
}

/** The injected wallet's switches, driven by the tests. */
export interface TestWalletControl {
  /** The chain the wallet says it is on. */
  chainId: number;
  /** Reject every signature request, as a person pressing "Reject" would. */
  reject: boolean;
  /** Sign as a smart-contract wallet does: an EIP-1271 signature, not 65 bytes, that no EIP-2612 permit takes. */
  contractWallet: boolean;
  address: string;
  /** The EIP-712 messages signed (eth_signTypedData_v4), oldest first. */
  signedTypedData: Record<string, unknown>[];
  /** The transactions sent (eth_sendTransaction): their hashes, oldest first. */
  sent: string[];
}

/**
 * An EIP-1193 provider announced by EIP-6963 in the page, whose requests go to the test process: it signs with
 * a devnet key (ethers Wallet) and forwards reads to the devnet node. Nothing is mocked on the chain side.
 */
export async function injectTestWallet(page: Page, devnet: Devnet): Promise<TestWalletControl> {
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true, cacheTimeout: -1 });
  const wallet = new Wallet(TEST_WALLET_KEY, provider);
  const control: TestWalletControl = { chainId: devnet.chainId, reject: false, contractWallet: false, address: wallet.address, signedTypedData: [], sent: [] };
  await page.exposeFunction("__testWalletRequest", async (method: string, params: unknown[]) => {
    try {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return { result: [wallet.address] };
        case "eth_chainId":
          return { result: toBeHex(control.chainId) };
        case "wallet_switchEthereumChain": {
          const wanted = Number((params[0] as { chainId: string }).chainId);
          if (wanted !== devnet.chainId) return { error: { code: 4902, message: `Unrecognized chain ${wanted}` } };
          control.chainId = wanted;
          await page.evaluate((id) => (globalThis as unknown as PageWindow).__testWalletEmit("chainChanged", id), toBeHex(wanted));
          return { result: null };
        }
        case "eth_signTypedData_v4": {
          if (control.reject) return { error: { code: 4001, message: "User rejected the request." } };
          if (getAddress(params[0] as string) !== wallet.address) return { error: { code: 4100, message: `unknown account ${params[0]}` } };
          const { domain, types, message } = JSON.parse(params[1] as string) as { domain: TypedDataDomain; types: Record<string, TypedDataField[]>; message: Record<string, unknown> };
          // ethers derives EIP712Domain from the domain itself and refuses it among the types.
          const { EIP712Domain: _, ...rest } = types;
          control.signedTypedData.push(message);
          const signature = await wallet.signTypedData(domain, rest, message);
          return { result: control.contractWallet ? AbiCoder.defaultAbiCoder().encode(["address", "bytes"], [wallet.address, signature]) : signature };
        }
        case "eth_sendTransaction": {
          if (control.reject) return { error: { code: 4001, message: "User rejected the request." } };
          if (control.chainId !== devnet.chainId) return { error: { code: 4100, message: "wrong chain" } };
          const tx = params[0] as Record<string, string>;
          if (getAddress(tx.from!) !== wallet.address) return { error: { code: 4100, message: `unknown account ${tx.from}` } };
          const request: TransactionRequest = { to: tx.to, data: tx.data, value: tx.value, gasLimit: tx.gas ?? tx.gasLimit };
          const { hash } = await wallet.sendTransaction(request);
          control.sent.push(hash);
          return { result: hash };
        }
        default:
          return { result: await provider.send(method, params) };
      }
    } catch (error) {
      const e = error as { error?: { code: number; message: string; data?: string }; info?: { error?: { code: number; message: string; data?: string } }; message: string };
      const rpc = e.info?.error ?? e.error;
      return { error: { code: rpc?.code ?? -32603, message: rpc?.message ?? e.message, data: rpc?.data } };
    }
  });
  await page.addInitScript(() => {
    const listeners: Record<string, ((arg: unknown) => void)[]> = {};
    const provider = {
      async request({ method, params }: { method: string; params?: unknown[] }) {
        const response = await (globalThis as unknown as PageWindow).__testWalletRequest(method, params ?? []);
        if (response.error !== undefined) throw Object.assign(new Error(response.error.message), response.error);
        return response.result;
      },
      on(event: string, listener: (arg: unknown) => void) {
        (listeners[event] ??= []).push(listener);
      },
      removeListener(event: string, listener: (arg: unknown) => void) {
        listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
      },
    };
    (globalThis as unknown as PageWindow).__testWalletEmit = (event, arg) => (listeners[event] ?? []).forEach((l) => l(arg));
    const info = { uuid: "3b4c7d0e-0000-4000-8000-000000000001", name: "Test Wallet", icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E", rdns: "dev.index-vault.test-wallet" };
    const w = globalThis as unknown as PageWindow;
    const announce = () => w.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
    w.addEventListener("eip6963:requestProvider", announce);
    announce();
  });
  return control;
}

/** Tells the page the wallet moved to another chain (a person switching networks in the extension). */
export async function emitChainChanged(page: Page, chainId: number): Promise<void> {
  await page.evaluate((id) => (globalThis as unknown as PageWindow).__testWalletEmit("chainChanged", id), toBeHex(chainId));
}

/** Tells the page the wallet's account changed, with the addresses as the wallet sends them (MetaMask: lower case). */
export async function emitAccountsChanged(page: Page, accounts: string[]): Promise<void> {
  await page.evaluate((list) => (globalThis as unknown as PageWindow).__testWalletEmit("accountsChanged", list), accounts);
}

export const test = base.extend<object, { devnet: Devnet }>({
  devnet: [
    async ({}, use) => {
      const dir = await mkdtemp(path.join(tmpdir(), "app-e2e-"));
      const [rpcPort, appPort] = [await freePort(), await freePort()];
      const devnetFile = path.join(dir, "devnet.json");
      const snapshotsDir = path.join(dir, "snapshots");
      let node: ChildProcess | undefined;
      let app: ChildProcess | undefined;
      try {
        node = await start(path.join(root, "node_modules/.bin/tsx"), ["scripts/devnet.ts", "--tokens", "10", "--port", String(rpcPort), "--out", devnetFile], /Ctrl-C stops the node/);
        app = await start(path.join(root, "node_modules/.bin/tsx"), ["app/serve.ts", "--devnet", devnetFile, "--snapshots", snapshotsDir, "--port", String(appPort), "--prod"], /vault 0x/);
        const json = JSON.parse(await readFile(devnetFile, "utf8"));
        await use({
          dir,
          rpcUrl: json.rpcUrl,
          appUrl: `http://127.0.0.1:${appPort}/`,
          chainId: json.chainId,
          devnetFile,
          snapshotsDir,
          addresses: {
            vault: json.vault.vault,
            queue: json.vault.queue,
            stablecoin: json.stablecoin.address,
            guardian: json.vault.guardian,
            keeper: json.vault.keeper,
            feeds: [json.stablecoin.feed, ...json.tokens.map((t: { feed: string }) => t.feed)],
            tokens: json.tokens.map((t: { symbol: string; address: string }) => ({ symbol: t.symbol, address: t.address })) },
          rebalance: () => run(process.execPath, [path.join(root, "bin/keeper.js"), "rebalance", "--env-file", devnetFile.replace(/\.json$/, ".env")], { KEEPER_SNAPSHOT_DIR: snapshotsDir }),
        });
      } finally {
        stop(app);
        stop(node);
        await rm(dir, { recursive: true, force: true });
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

export { expect } from "@playwright/test";
