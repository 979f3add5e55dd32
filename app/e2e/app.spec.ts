import AxeBuilder from "@axe-core/playwright";
import { readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { JsonRpcProvider, Network } from "ethers";
import type { Page } from "@playwright/test";
import { IERC20Metadata__factory, IERC20Permit__factory, IndexQueue__factory, IndexVault__factory, OracleRouter__factory, TestPriceFeed__factory, TestToken__factory } from "../../types/ethers-contracts/index.js";
import { computeTargets, formatBps, type Snapshot } from "../../keeper/core/index.js";
import { emitAccountsChanged, emitChainChanged, expect, injectTestWallet, test, type Devnet } from "./fixtures.js";

const PAGES = ["overview", "holdings", "transactions", "methodology", "position", "trade", "audit"] as const;
const screenshots = path.resolve(import.meta.dirname, "..", "..", "test-results", "screenshots");

test.describe.configure({ mode: "serial" });

async function open(page: Page, devnet: Devnet, route: string) {
  await page.goto(`${devnet.appUrl}#/${route}`);
  await expect(page.locator("main h1")).toBeVisible();
}

async function connect(page: Page) {
  // Moving between pages keeps the app (and its wallet connection) loaded.
  if (await page.getByTestId("account").isVisible()) return;
  // By keyboard: the connect button is reachable and works with Enter.
  const button = page.getByRole("button", { name: "Connect Test Wallet" });
  await button.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("account")).toBeVisible();
}

/** A transaction through the app: submit, then wait for the app's own "done" line. */
async function submit(page: Page, name: string | RegExp, done: RegExp) {
  const button = page.getByRole("button", { name });
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByTestId("status")).toContainText(done, { timeout: 60_000 });
}

/** An estimate as the app words it before the wallet opens: the gas and its cost at the node's gas price. */
const GAS = String.raw`[\d,]+ gas \(≈ \d+\.\d{6} ETH\)`;
/** "Gas: <estimate>." of an action that needs nothing first. */
const ACTION_GAS = new RegExp(`^Gas: ${GAS}\\.$`);
/** The gas of an approval step, and that the action's own follows it. */
const APPROVAL_GAS = new RegExp(`^Gas: the approval ${GAS}; the request's is estimated once the queue is approved`);

function balanceOf(devnet: Devnet, token: string, account: string): Promise<bigint> {
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  return IERC20Metadata__factory.connect(token, provider).balanceOf(account);
}

test("a depositor connects, funds, deposits; the keeper rebalances; holdings, transactions, both redemptions and the audit follow", async ({ page, devnet }) => {
  const wallet = await injectTestWallet(page, devnet);
  await open(page, devnet, "trade");
  await connect(page);

  await test.step("faucet", async () => {
    await submit(page, /^Get 10000 USDC$/, /Faucet: done/);
    await expect(page.getByTestId("balances")).toContainText("$10,000.00 USDC");
  });

  await test.step("deposit with a minimum from the preview in one transaction: a signed permit, no approve", async () => {
    await page.getByLabel("Amount (USDC)").fill("2500");
    await expect(page.getByTestId("deposit-preview")).toContainText("at least");
    // The path is said before the wallet opens.
    await expect(page.getByTestId("deposit-path")).toHaveAttribute("data-path", "permit");
    await expect(page.getByTestId("deposit-path")).toContainText("One transaction: your wallet asks you to sign a permit");
    await expect(page.getByTestId("deposit-reason")).toHaveCount(0);
    expect(wallet.sent).toEqual([]);
    await submit(page, /^Deposit$/, /Deposit: done/);
    await expect(page.getByTestId("balances")).toContainText("$7,500.00 USDC");
    // One signature (the permit, to the vault for exactly the amount) and one transaction, depositWithPermit.
    expect(wallet.signedTypedData).toEqual([expect.objectContaining({ owner: wallet.address.toLowerCase(), spender: devnet.addresses.vault.toLowerCase(), value: "2500000000", nonce: "0" })]);
    expect(wallet.sent).toHaveLength(1);
    const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
    const tx = (await provider.getTransaction(wallet.sent[0]!))!;
    expect(tx.to).toBe(devnet.addresses.vault);
    expect(IndexVault__factory.createInterface().parseTransaction(tx)?.name).toBe("depositWithPermit");
    const stable = IERC20Permit__factory.connect(devnet.addresses.stablecoin, provider);
    expect(await stable.nonces(wallet.address)).toBe(1n);
    expect(await IERC20Metadata__factory.connect(devnet.addresses.stablecoin, provider).allowance(wallet.address, devnet.addresses.vault)).toBe(0n);
  });

  await test.step("the keeper rebalances", async () => {
    const output = await devnet.rebalance();
    expect(output).toMatch(/holdings on target|complete/i);
  });

  await test.step("overview: NAV per share, AUM, the daily NAV chart from archive reads, the regime gauge", async () => {
    await open(page, devnet, "overview");
    await expect(page.getByTestId("nav-per-share")).toContainText(/^\$(0\.9|1\.0)/);
    await expect(page.getByTestId("aum")).toContainText("$1,00");
    await expect(page.getByRole("img", { name: /NAV per share at the close of each day, [1-9]\d* points/ })).toBeVisible();
    // The gauge reads the published snapshot's regime decision: trend distance against the dead band.
    await expect(page.getByTestId("regime-gauge").getByRole("img").first()).toHaveAccessibleName(/the market was [\d.]+% (above|below) its \d+-day average .* the regime is bull/);
    // Every close read: no warning of NAV missing (no archive state, or a pruned node).
    await expect(page.getByTestId("nav-warning")).toHaveCount(0);
  });

  await test.step("holdings: treemap and table show the constituents", async () => {
    await open(page, devnet, "holdings");
    const btc = page.getByTestId("holdings-table").getByRole("row", { name: /^BTC/ });
    await expect(btc).toContainText("Chainlink feed");
    await expect(btc.locator("td").nth(0)).not.toHaveText("0");
    await expect(page.getByRole("img", { name: /Treemap of holdings/ }).locator("svg")).toBeVisible();
  });

  await test.step("transactions: the commit and the trades, with gas; the in-app transaction page decodes the logs", async () => {
    await open(page, devnet, "transactions");
    const table = page.getByTestId("tx-table");
    await expect(table.locator('tr[data-kind="commit"]')).toHaveCount(1);
    expect(await table.locator('tr[data-kind="trade"]').count()).toBeGreaterThanOrEqual(5);
    // The gas of the rows on screen is read after the rows are listed.
    await expect(table).toHaveAttribute("data-gas", "read");
    const gas = await table.locator('tr[data-kind="trade"] td:nth-child(4)').first().innerText();
    expect(Number(gas.replace(/,/g, ""))).toBeGreaterThan(50_000);
    // One epoch: its commit and its trades only, whatever the kind filter left out before.
    const trades = await table.locator('tr[data-kind="trade"]').count();
    const epochs = page.getByLabel("Epoch").locator("option");
    await expect(epochs).toHaveCount(2); // "all" and the one epoch committed
    await page.getByLabel("Epoch").selectOption({ index: 1 });
    await expect(table.locator("tbody tr")).toHaveCount(1 + trades);
    await expect(table.locator('tbody tr:not([data-kind="commit"]):not([data-kind="trade"])')).toHaveCount(0);
    await page.getByLabel("Kind").selectOption("commit");
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await table.locator("tbody tr a").first().click();
    await expect(page.getByTestId("tx-logs")).toContainText("IndexVault.TargetsCommitted");
  });

  await test.step("redeem for cash, then in kind with a per-token preview", async () => {
    await open(page, devnet, "trade");
    await connect(page);
    const before = await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address);
    await page.getByLabel("Shares (OIV)").first().fill("500");
    await expect(page.getByTestId("cash-preview")).toContainText("at least");
    // The exit fee, rate and amount, before the wallet opens.
    await expect(page.getByTestId("cash-preview")).toContainText(/after the exit fee of 0\.10% ≈ \$0\.\d\d \(it stays in the vault\)\. Gas: [\d,]+ gas/);
    await submit(page, "Redeem for cash", /Cash redemption: done/);
    expect((await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address)) > before).toBe(true);

    await page.getByLabel("Shares (OIV)").nth(1).fill("500");
    await expect(page.getByTestId("kind-preview").getByRole("row", { name: /^BTC/ })).toBeVisible();
    await expect(page.getByTestId("kind-preview").locator("caption")).toContainText("no fee");
    await submit(page, "Redeem in kind", /In-kind redemption: done/);
    const btc = devnet.addresses.tokens.find((t) => t.symbol === "BTC")!;
    expect((await balanceOf(devnet, btc.address, wallet.address)) > 0n).toBe(true);
  });

  await test.step("my position", async () => {
    await open(page, devnet, "position");
    await connect(page);
    await expect(page.getByTestId("my-shares")).not.toContainText(/^0 /);
    await expect(page.getByTestId("my-cost-basis")).toContainText(/^\$[1-9]/);
    // The wallet reports the same account in lower case, as MetaMask sends it: still this account's events.
    await emitAccountsChanged(page, [wallet.address.toLowerCase()]);
    await expect(page.getByTestId("my-cost-basis")).toContainText(/^\$[1-9]/);
    await expect(page.getByTestId("account")).toHaveText(wallet.address);
  });

  await test.step("the audit passes every epoch; a tampered snapshot turns its epoch FAIL", async () => {
    await open(page, devnet, "audit");
    await page.getByRole("button", { name: "Run the audit" }).click();
    const rows = page.getByTestId("audit-table").locator("tbody tr");
    await expect(rows).not.toHaveCount(0);
    const verdicts = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-verdict")));
    expect(verdicts.every((v) => v === "pass")).toBe(true);

    const epoch = await rows.first().getAttribute("data-epoch");
    const file = path.join(devnet.snapshotsDir, `${epoch}.json`);
    const honest = await readFile(file, "utf8");
    await writeFile(file, honest.replace(/"marketCapUsd":(\d)/, '"marketCapUsd":9$1'));
    try {
      await page.getByRole("button", { name: "Run the audit again" }).click();
      const row = page.locator(`tr[data-epoch="${epoch}"]`);
      await expect(row).toHaveAttribute("data-verdict", "fail");
      await expect(row).toContainText("snapshot-hash");
    } finally {
      await writeFile(file, honest);
    }
  });
});

test("the notice: a snapshot published ahead of the next rebalance shows on the Overview what it commits", async ({ page, devnet }) => {
  // After the first test, whose rebalance committed an epoch (the tests run in order, on one devnet).
  // The keeper's notice publishes next week's snapshot before committing it: here the committed epoch's snapshot,
  // a week later, with the members changed so that its top constituent enters and a retired member leaves.
  const indexFile = path.join(devnet.snapshotsDir, "index.json");
  const index = await readFile(indexFile, "utf8");
  const committed = (JSON.parse(index) as { snapshots: { epoch: string }[] }).snapshots.at(-1)!.epoch;
  const snapshot = JSON.parse(await readFile(path.join(devnet.snapshotsDir, `${committed}.json`), "utf8")) as Snapshot;
  const constituents = computeTargets(snapshot).constituents;
  const [first] = constituents;
  const epoch = String(Number(committed) + 7 * 86_400);
  const notice = { ...snapshot, currentMembers: [...constituents.slice(1).map((c) => c.id), "retired-coin"] };
  const file = path.join(devnet.snapshotsDir, `${epoch}.json`);
  await open(page, devnet, "overview");
  // The history is read (the chart needs it), so no later read of events can be what picks the notice up.
  await expect(page.getByRole("img", { name: /NAV per share at the close of each day/ })).toBeVisible();
  await expect(page.getByText("No snapshot is published ahead of the next rebalance yet.")).toBeVisible();
  // Published while the page is open: the next block shows it, without a reload and with no event on chain.
  await writeFile(file, JSON.stringify(notice));
  await writeFile(indexFile, JSON.stringify({ snapshots: [...JSON.parse(index).snapshots, { epoch, file: `${epoch}.json` }] }));
  try {
    await new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true }).send("evm_mine", []);
    await expect(page.getByTestId("notice-regime")).toHaveText(/^Regime: bull.*: the index is held\.$/);
    await expect(page.getByTestId("notice-entering")).toHaveText(`Entering: ${first!.symbol} (rank 1, ${first!.reason === "filled" ? "filled an empty seat" : "inside the entry rank"}).`);
    await expect(page.getByTestId("notice-leaving")).toHaveText("Leaving: retired-coin (gone from the universe).");
    await expect(page.getByTestId("notice-weights")).toContainText(`Target weights (${constituents.length} constituents): ${first!.symbol} ${formatBps(first!.weightBps)}`);
  } finally {
    await writeFile(indexFile, index);
    await unlink(file);
  }
});

/**
 * Past the window's cut-off, every feed gets a round (forward pricing: the queue settles only at prices from
 * after the cut-off), then the keeper settles the window with the queue's own settle().
 */
async function settleQueueWindow(devnet: Devnet, window: bigint) {
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  const queue = IndexQueue__factory.connect(devnet.addresses.queue, await provider.getSigner(devnet.addresses.keeper));
  const cutOff = Number(await queue.cutOffOf(window));
  const now = (await provider.getBlock("latest"))!.timestamp;
  if (now <= cutOff) {
    await provider.send("evm_increaseTime", [cutOff - now + 1]);
    await provider.send("evm_mine", []);
  }
  const deployer = await provider.getSigner(JSON.parse(await readFile(devnet.devnetFile, "utf8")).deployer);
  for (const address of devnet.addresses.feeds) {
    const feed = TestPriceFeed__factory.connect(address, deployer);
    await (await feed.setAnswer((await feed.latestRoundData())[1])).wait();
  }
  const receipt = await (await queue.settle(window)).wait();
  const events = receipt!.logs.map((log) => queue.interface.parseLog(log)?.name).filter((name) => name !== undefined);
  expect(events.filter((name) => name !== "SettlementDeferred")).not.toEqual([]);
  expect(events).not.toContain("SettlementDeferred");
}

test("the queued path (ERC-7540): request, cancel, request again; the keeper settles the window; claim shares, then the same for a redemption", async ({ page, devnet }) => {
  const wallet = await injectTestWallet(page, devnet);
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  const queue = IndexQueue__factory.connect(devnet.addresses.queue, provider);
  await open(page, devnet, "trade");
  await connect(page);
  await submit(page, /^Get 10000 USDC$/, /Faucet: done/);
  const funded = await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address);
  const amount = page.getByLabel("Amount to queue (USDC)");

  await test.step("request a deposit, see it pending, cancel it for exactly what was put in", async () => {
    await amount.fill("1000");
    await expect(page.getByTestId("queue-deposit-reason")).toContainText("Step 1 of 2");
    // The fee a queued request pays, at its settlement, said before the wallet opens.
    await expect(page.getByTestId("queue-deposit-fees")).toContainText("entry fee of 0.10% is taken then (≈ $0.99 of this amount)");
    await expect(page.getByTestId("queue-redeem-fees")).toContainText("exit fee of 0.10% is taken from the cash then");
    // The gas of each step, before the wallet opens: the approval's, then (approved) the request's.
    await expect(page.getByTestId("queue-deposit-gas")).toHaveText(APPROVAL_GAS);
    await submit(page, "Approve the queue for 1000 USDC", /Approval for the queue: done/);
    await expect(page.getByTestId("queue-deposit-gas")).toHaveText(ACTION_GAS);
    await submit(page, "Request deposit", /Deposit request: done/);
    await expect(page.getByTestId("pending-deposit")).toContainText("$1,000.00");
    await expect(page.getByTestId("pending-deposit")).toContainText("cancellable until");
    await expect(page.getByTestId("queue-cancel-deposit-gas")).toHaveText(ACTION_GAS);
    await submit(page, "Cancel the pending deposit", /Cancellation of the queued deposit: done/);
    await expect(page.getByTestId("queue-requests")).toContainText("No queued request");
    expect(await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address)).toBe(funded);
  });

  await test.step("request again; My position shows it pending", async () => {
    await amount.fill("1000");
    await submit(page, "Approve the queue for 1000 USDC", /Approval for the queue: done/);
    await submit(page, "Request deposit", /Deposit request: done/);
    await open(page, devnet, "position");
    await expect(page.getByTestId("pending-deposit")).toContainText("$1,000.00");
  });

  await test.step("the keeper settles the window; My position shows the claimable shares; claim them", async () => {
    await settleQueueWindow(devnet, await queue.depositWindowOf(wallet.address));
    await expect(page.getByTestId("claimable-deposit")).toContainText("bought with $1,000.00");
    await open(page, devnet, "trade");
    await expect(page.getByTestId("queue-claim-deposit-gas")).toHaveText(ACTION_GAS);
    await submit(page, /^Claim [\d.,]+ OIV$/, /Claim of the queued deposit: done/);
    expect(await balanceOf(devnet, devnet.addresses.vault, wallet.address)).toBeGreaterThan(0n);
    expect(await queue.maxDeposit(wallet.address)).toBe(0n);
  });

  await test.step("a queued cash redemption: request, settle, claim the cash", async () => {
    const before = await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address);
    await page.getByLabel("Shares to queue (OIV)").fill("100");
    await expect(page.getByTestId("queue-redeem-gas")).toHaveText(APPROVAL_GAS);
    await submit(page, "Approve the queue for 100 OIV", /Approval of shares for the queue: done/);
    await expect(page.getByTestId("queue-redeem-gas")).toHaveText(ACTION_GAS);
    await submit(page, "Request redemption", /Redemption request: done/);
    await expect(page.getByTestId("pending-redeem")).toContainText("100");
    await expect(page.getByTestId("queue-cancel-redeem-gas")).toHaveText(ACTION_GAS);
    await settleQueueWindow(devnet, await queue.redeemWindowOf(wallet.address));
    await expect(page.getByTestId("claimable-redeem")).toContainText("for 100");
    await expect(page.getByTestId("queue-claim-redeem-gas")).toHaveText(ACTION_GAS);
    await submit(page, /^Claim \$[\d.,]+$/, /Claim of the queued redemption: done/);
    expect((await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address)) > before).toBe(true);
  });
});

/** Tab from the top of the page reaches every enabled control (links, buttons, inputs, selects), in some order. */
async function tabReachesEveryControl(page: Page): Promise<string[]> {
  const controls = await page.locator("a[href], button:not([disabled]), input, select").evaluateAll((els) => els.map((e, i) => (e.setAttribute("data-tab-id", String(i)), String(i))));
  const reached = new Set<string>();
  await page.locator("body").focus();
  for (let i = 0; i < controls.length + 5; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute("data-tab-id") ?? null);
    if (id !== null) reached.add(id);
  }
  return page.locator("[data-tab-id]").evaluateAll((els, seen) => els.filter((e) => !seen.includes(e.getAttribute("data-tab-id")!)).map((e) => e.outerHTML.slice(0, 120)), [...reached]);
}

test("every page: screenshot, no serious or critical accessibility violation, every control reachable by Tab", async ({ page, devnet }) => {
  await injectTestWallet(page, devnet);
  await open(page, devnet, "overview");
  // Connected, so that the wallet's controls (the queued path's forms, the claims) are on the pages too.
  await connect(page);
  let transaction: string | null = null;
  for (const route of [...PAGES, "tx"] as const) {
    if (route === "tx") {
      // The app's own transaction page, for a transaction the Transactions page lists.
      expect(transaction).not.toBeNull();
      await open(page, devnet, transaction!.slice(2));
      await expect(page.getByTestId("tx-logs")).toBeVisible();
    } else {
      await open(page, devnet, route);
    }
    if (route === "audit") {
      await page.getByRole("button", { name: "Run the audit" }).click();
      await expect(page.getByTestId("audit-table")).toBeVisible();
    }
    if (route === "transactions") transaction = await page.getByTestId("tx-table").locator("a[href^='#/tx/']").first().getAttribute("href");
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(screenshots, `${route}.png`), fullPage: true });
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${route}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")})`)).toEqual([]);
    expect(await tabReachesEveryControl(page), `controls Tab does not reach on ${route}`).toEqual([]);
  }
});

test("a wallet on another network is offered the switch, and nothing can be sent before it", async ({ page, devnet }) => {
  const wallet = await injectTestWallet(page, devnet);
  wallet.chainId = 1;
  await open(page, devnet, "trade");
  await connect(page);
  await expect(page.getByRole("alert").filter({ hasText: "Your wallet is on chain 1" })).toBeVisible();
  await page.getByLabel("Amount (USDC)").fill("10");
  await expect(page.getByTestId("deposit-reason")).toContainText("Switch your wallet to Devnet");
  await expect(page.getByRole("button", { name: /Approve|Deposit/ })).toBeDisabled();
  await page.getByRole("button", { name: "Switch to Devnet" }).click();
  await expect(page.getByText("Your wallet is on chain 1")).toHaveCount(0);
  expect(wallet.chainId).toBe(devnet.chainId);
  // And back: the wallet reports a change of network by itself.
  wallet.chainId = 5;
  await emitChainChanged(page, 5);
  await expect(page.getByText("Your wallet is on chain 5")).toBeVisible();
});

test("a rejected permit signature changes nothing and says so", async ({ page, devnet }) => {
  const wallet = await injectTestWallet(page, devnet);
  await open(page, devnet, "trade");
  await connect(page);
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  const stable = IERC20Permit__factory.connect(devnet.addresses.stablecoin, provider);
  await submit(page, /^Get 10000 USDC$/, /Faucet: done/);
  const [balance, nonce, shares] = [await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address), await stable.nonces(wallet.address), await balanceOf(devnet, devnet.addresses.vault, wallet.address)];
  expect(balance).toBeGreaterThan(0n);
  wallet.reject = true;
  await page.getByLabel("Amount (USDC)").fill("100");
  await expect(page.getByTestId("deposit-preview")).toBeVisible();
  await expect(page.getByTestId("deposit-path")).toHaveAttribute("data-path", "permit");
  await page.getByRole("button", { name: /^Deposit$/ }).click();
  await expect(page.getByTestId("status")).toContainText("Deposit failed. You rejected the request in your wallet: nothing was sent.");
  expect(wallet.sent).toEqual([]);
  expect([await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address), await stable.nonces(wallet.address), await balanceOf(devnet, devnet.addresses.vault, wallet.address)]).toEqual([balance, nonce, shares]);
  // The form is usable again: signing this time deposits.
  wallet.reject = false;
  await submit(page, /^Deposit$/, /Deposit: done/);
  expect(wallet.sent).toHaveLength(1);
});

test("a permit the wallet cannot give (a smart-contract wallet's signature) falls back to approve, then deposit, for the session", async ({ page, devnet }) => {
  const wallet = await injectTestWallet(page, devnet);
  await open(page, devnet, "trade");
  await connect(page);
  await submit(page, /^Get 10000 USDC$/, /Faucet: done/);
  const shares = await balanceOf(devnet, devnet.addresses.vault, wallet.address);
  wallet.contractWallet = true;
  await page.getByLabel("Amount (USDC)").fill("100");
  await expect(page.getByTestId("deposit-path")).toHaveAttribute("data-path", "permit");
  await page.getByRole("button", { name: /^Deposit$/ }).click();
  await expect(page.getByTestId("status")).toContainText("The permit did not go through, so this page now approves the vault first, then deposits");
  expect(wallet.sent).toEqual([]);
  // One click each: approve, then deposit; the page remembers across a reload of the session.
  await expect(page.getByTestId("deposit-path")).toHaveAttribute("data-path", "approve");
  await page.reload();
  await connect(page);
  await page.getByLabel("Amount (USDC)").fill("100");
  await expect(page.getByTestId("deposit-path")).toHaveAttribute("data-path", "approve");
  await submit(page, /^Approve 100 USDC$/, /Approval: done/);
  await submit(page, /^Deposit$/, /Deposit: done/);
  expect(wallet.sent).toHaveLength(2);
  expect(await balanceOf(devnet, devnet.addresses.vault, wallet.address)).toBeGreaterThan(shares);
});

test("an unreachable RPC: a plain message, not a blank page; the figures come back with the node", async ({ page, devnet }) => {
  const rpc = new URL(devnet.rpcUrl).origin;
  const down = (url: URL) => url.origin === rpc;
  // The browser cannot reach the node at all (connection refused), from the first load.
  await page.route(down, (route) => route.abort("connectionrefused"));
  await page.goto(`${devnet.appUrl}#/overview`);
  await expect(page.locator("main h1")).toBeVisible();
  await expect(page.getByRole("alert").first()).toContainText(`The chain's RPC (${devnet.rpcUrl}) is unreachable`);
  await expect(page.getByTestId("nav-per-share")).toHaveCount(0);
  await open(page, devnet, "transactions");
  await expect(page.locator("main")).toContainText("is unreachable");
  await open(page, devnet, "trade");
  await expect(page.locator("main")).toContainText("is unreachable");
  await page.screenshot({ path: path.join(screenshots, "rpc-unreachable.png"), fullPage: true });
  // The node answers again: the app's retry picks it up without a reload.
  await page.unroute(down);
  await open(page, devnet, "overview");
  await expect(page.getByTestId("nav-per-share")).toContainText("$", { timeout: 30_000 });
  await expect(page.getByText("is unreachable")).toHaveCount(0);
});

test("a price source down: the reason is shown, deposits and cash redemptions are disabled; they reopen with the feed", async ({ page, devnet }) => {
  await injectTestWallet(page, devnet);
  await open(page, devnet, "trade");
  await connect(page);
  await page.getByLabel("Amount (USDC)").fill("10");
  await expect(page.getByTestId("deposit-preview")).toBeVisible();
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  const deployer = await provider.getSigner(JSON.parse(await readFile(devnet.devnetFile, "utf8")).deployer);
  const oracle = OracleRouter__factory.connect(await IndexVault__factory.connect(devnet.addresses.vault, provider).oracle(), provider);
  const token = devnet.addresses.tokens[0]!;
  const feed = TestPriceFeed__factory.connect((await oracle.sourceOf(token.address)).feed, deployer);
  const [, answer] = await feed.latestRoundData();
  // The feed stops updating: its last answer is stamped at the start of the chain's time, far past its heartbeat.
  await (await feed.setAnswerAt(answer, 1n)).wait();
  await expect(page.getByRole("alert").first()).toContainText("A price source is stale");
  await expect(page.getByTestId("deposit-reason")).toContainText("A price source is down: deposits wait until it recovers.");
  await expect(page.getByRole("button", { name: /Approve|^Deposit$/ })).toBeDisabled();
  await page.getByLabel("Shares (OIV)").first().fill("1");
  await expect(page.getByTestId("cash-reason")).toContainText("A price source is down");
  await page.screenshot({ path: path.join(screenshots, "price-source-down.png"), fullPage: true });
  await (await feed.setAnswer(answer)).wait();
  await expect(page.getByText("A price source is stale")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Approve 10 USDC|^Deposit$/ })).toBeEnabled();
});

/**
 * The two ways a read of the permit detection fails to reach the chain: the request never gets an answer (a
 * timeout, as a stalled connection or a gateway gives), or the node answers it with an error of its own (a
 * load-balanced RPC's lagging node; ethers reports any node error on eth_call as a CALL_EXCEPTION, as it does a
 * revert). Neither says the stablecoin takes no permit.
 */
const DETECTION_FAILURES = [
  { how: "times out", failure: "timeout" },
  { how: "gets a node error", failure: "node-error" },
] as const;

for (const { how, failure } of DETECTION_FAILURES) {
  test(`a permit detection that ${how}: the page approves meanwhile, reads again on the next block, then deposits by permit`, async ({ page, devnet }) => {
    const rpc = new URL(devnet.rpcUrl).origin;
    const separator = IERC20Permit__factory.createInterface().getFunction("DOMAIN_SEPARATOR").selector.slice(2);
    type Call = { id: number | string; method: string; params: { data?: string }[] };
    // Every eth_call that carries DOMAIN_SEPARATOR() (alone, or folded with the other reads of the detection)
    // fails for as long as `failing`; every other request goes through untouched.
    let failing = true;
    let failed = 0;
    await page.route(
      (url) => url.origin === rpc,
      async (route) => {
        const calls = [route.request().postDataJSON() as Call | Call[]].flat();
        const hit = new Set(calls.filter((c) => failing && c.method === "eth_call" && String(c.params[0]?.data).toLowerCase().includes(separator)).map((c) => c.id));
        if (hit.size === 0) return route.continue();
        failed++;
        if (failure === "timeout") return route.abort("timedout");
        const response = await route.fetch();
        const json = (await response.json()) as { id: number | string }[] | { id: number | string };
        const answer = (r: { id: number | string }) => (hit.has(r.id) ? { jsonrpc: "2.0", id: r.id, error: { code: -32000, message: "header not found" } } : r);
        await route.fulfill({ response, json: Array.isArray(json) ? json.map(answer) : answer(json) });
      },
    );
    const wallet = await injectTestWallet(page, devnet);
    const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
    // Funded before the page opens, so that no block comes between the failed detection and the approve offer (a
    // timed-out request fails every read it carries, and the balances read on a new block goes with the detection's).
    const deployer = await provider.getSigner(JSON.parse(await readFile(devnet.devnetFile, "utf8")).deployer);
    await (await TestToken__factory.connect(devnet.addresses.stablecoin, deployer).mint(wallet.address, 10_000_000_000n)).wait();
    await open(page, devnet, "trade");
    // The detection runs once the vault is read; the wallet connects after it failed, so its reads go alone.
    await expect.poll(() => failed).toBeGreaterThan(0);
    await connect(page);
    const stable = IERC20Metadata__factory.connect(devnet.addresses.stablecoin, provider);
    const [allowance, nonce] = [await stable.allowance(wallet.address, devnet.addresses.vault), await IERC20Permit__factory.connect(devnet.addresses.stablecoin, provider).nonces(wallet.address)];

    await test.step("the detection fails: not 'no permit' but 'not known yet', and the page offers approve", async () => {
      await page.getByLabel("Amount (USDC)").fill("100");
      await expect(page.getByTestId("deposit-path")).toHaveAttribute("data-path", "approve");
      await expect(page.getByTestId("deposit-path")).toContainText("could not yet read whether USDC takes a permit");
      await expect(page.getByRole("button", { name: "Approve 100 USDC" })).toBeEnabled();
      // The approval's gas before the wallet opens; the deposit's follows the approval.
      await expect(page.getByTestId("deposit-preview")).toContainText(new RegExp(`Gas: the approval ${GAS}; the deposit's is estimated once the vault is approved`));
    });

    await test.step("the RPC answers again: the next block's detection finds the permit, and the deposit is one signed permit", async () => {
      failing = false;
      await provider.send("evm_mine", []);
      await expect(page.getByTestId("deposit-path")).toHaveAttribute("data-path", "permit");
      await submit(page, /^Deposit$/, /Deposit: done/);
      expect(wallet.signedTypedData).toEqual([expect.objectContaining({ spender: devnet.addresses.vault.toLowerCase(), value: "100000000", nonce: String(nonce) })]);
      expect(wallet.sent).toHaveLength(1);
      const tx = (await provider.getTransaction(wallet.sent[0]!))!;
      expect(IndexVault__factory.createInterface().parseTransaction(tx)?.name).toBe("depositWithPermit");
      // Nothing was approved on the way: the allowance is what it was.
      expect(await stable.allowance(wallet.address, devnet.addresses.vault)).toBe(allowance);
    });
  });
}

test("no wallet in the browser: the page says so, reads the vault, and asks for a wallet before any action; too large an amount is refused with the balance", async ({ page, devnet }) => {
  await open(page, devnet, "trade");
  await expect(page.getByText("No wallet found in this browser: install one (any EIP-6963 or EIP-1193 wallet) to deposit.")).toBeVisible();
  await page.getByLabel("Amount (USDC)").fill("10");
  await expect(page.getByTestId("deposit-reason")).toHaveText("Connect a wallet first.");
  await expect(page.getByRole("button", { name: /Approve|^Deposit$/ })).toBeDisabled();
  await expect(page.getByRole("button", { name: /^Get 10000 USDC$/ })).toBeDisabled();

  // With a wallet: an amount above the balance is refused before the wallet opens, with the balance said.
  const other = await page.context().newPage();
  const wallet = await injectTestWallet(other, devnet);
  await open(other, devnet, "trade");
  await connect(other);
  const balance = await balanceOf(devnet, devnet.addresses.stablecoin, wallet.address);
  await other.getByLabel("Amount (USDC)").fill(String(balance / 1_000_000n + 1n));
  await expect(other.getByTestId("deposit-reason")).toContainText(/^Your balance is \$[\d,]+\.\d\d, less than this amount\.$/);
  await expect(other.getByRole("button", { name: /Approve|^Deposit$/ })).toBeDisabled();
  expect(wallet.sent).toEqual([]);
  await other.close();
});

// Deposits stay paused after this test (only the timelock unpauses): the tests after it deposit nothing.
test("paused deposits: the deposit is disabled with the reason; in-kind redemption stays open", async ({ page, devnet }) => {
  await injectTestWallet(page, devnet);
  await open(page, devnet, "trade");
  await connect(page);
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  const guardian = await provider.getSigner(devnet.addresses.guardian);
  await (await IndexVault__factory.connect(devnet.addresses.vault, guardian).pauseDeposits()).wait();
  await page.getByLabel("Amount (USDC)").fill("10");
  // Picked up on the next block, without a reload.
  await expect(page.getByTestId("deposit-reason")).toContainText("Deposits are paused by the guardian");
  await expect(page.getByRole("button", { name: /Approve|^Deposit$/ })).toBeDisabled();
  await page.getByLabel("Shares (OIV)").nth(1).fill("1");
  await expect(page.getByRole("button", { name: "Redeem in kind" })).toBeEnabled();
});

test("the history is kept across visits: a reload reads only the blocks since, and lists the same events", async ({ page, devnet }) => {
  await open(page, devnet, "transactions");
  const table = page.getByTestId("tx-table");
  await expect(table).toHaveAttribute("data-gas", "read");
  const events = await table.getAttribute("data-events");
  const newest = (await table.locator("tbody tr").first().textContent())!;
  // 64 blocks make every event final, so the app stores it (on the next block it sees).
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  const deployed = Number(await IndexVault__factory.connect(devnet.addresses.vault, provider).deploymentBlock());
  await provider.send("hardhat_mine", ["0x41"]);
  const stored = () => page.evaluate(`new Promise((resolve) => {
    const open = indexedDB.open("open-index-vault", 1);
    open.onsuccess = () => {
      const all = open.result.transaction("history").objectStore("history").getAll();
      all.onsuccess = () => resolve(all.result.map((h) => ({ logs: h.logs.length, readThrough: h.readThrough })));
    };
  })`) as Promise<{ logs: number; readThrough: number }[]>;
  await expect.poll(async () => (await stored())[0]?.logs ?? 0).toBe(Number(events));
  const [{ readThrough }] = await stored();
  expect(readThrough).toBeGreaterThan(deployed);
  const logQueries: { fromBlock: string }[] = [];
  page.on("request", (request) => {
    const body = request.postData();
    if (body === null || !body.includes("eth_getLogs")) return;
    const calls = [JSON.parse(body)].flat() as { method: string; params: [{ fromBlock: string }] }[];
    for (const c of calls) if (c.method === "eth_getLogs") logQueries.push(c.params[0]);
  });
  await page.reload();
  await expect(table).toHaveAttribute("data-gas", "read");
  await expect(table).toHaveAttribute("data-events", events!);
  await expect(table.locator("tbody tr").first()).toHaveText(newest);
  expect(logQueries.length).toBeGreaterThan(0);
  for (const q of logQueries) expect(Number(q.fromBlock)).toBeGreaterThan(readThrough);
});

test("a failed gas read: the rows already read keep their gas, the failure is said, and a later block reads the rest", async ({ page, devnet }) => {
  const rpc = new URL(devnet.rpcUrl).origin;
  const gasMethods = new Set(["eth_getTransactionByHash", "eth_getTransactionReceipt"]);
  type Call = { id: number; method: string; params: string[] };
  // The first transaction whose gas the page reads gets an error from the node (as a load-balanced RPC's lagging
  // node would answer) for as long as `failing`; every other call goes through.
  let failedHash: string | null = null;
  let failing = true;
  const readsAfterFailure: string[] = [];
  await page.route(
    (url) => url.origin === rpc,
    async (route) => {
      const reads = [route.request().postDataJSON() as Call | Call[]].flat().filter((c) => gasMethods.has(c.method));
      if (failedHash !== null) readsAfterFailure.push(...reads.map((c) => c.params[0]!));
      failedHash ??= reads[0]?.params[0] ?? null;
      const failed = new Set(reads.filter((c) => failing && c.params[0] === failedHash).map((c) => c.id));
      if (failed.size === 0) return route.continue();
      const response = await route.fetch();
      const json = (await response.json()) as { id: number }[] | { id: number };
      const answer = (r: { id: number }) => (failed.has(r.id) ? { jsonrpc: "2.0", id: r.id, error: { code: -32000, message: "header not found" } } : r);
      await route.fulfill({ response, json: Array.isArray(json) ? json.map(answer) : answer(json) });
    },
  );
  await open(page, devnet, "transactions");
  const table = page.getByTestId("tx-table");
  await expect(page.getByText("Gas could not be read")).toBeVisible();
  const gasOf = (hash: string) => table.locator(`tr:has(a[href="#/tx/${hash}"]) td:nth-child(4)`).first();
  await expect(gasOf(failedHash!)).toHaveText("…");
  await expect(table).toHaveAttribute("data-gas", "reading");
  // Every other row kept what was read, and none of them was asked for again.
  const others = await table.locator("tbody tr a[href^='#/tx/']").evaluateAll((as, failed) => [...new Set(as.map((a) => a.getAttribute("href")!.slice(5)))].filter((h) => h !== failed), failedHash);
  expect(others.length).toBeGreaterThan(0);
  for (const hash of others) await expect(gasOf(hash)).toHaveText(/^[\d,]+$/);
  // The node answers again; a new block reads the missing row, and the failure is gone.
  failing = false;
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  await provider.send("evm_mine", []);
  await expect(gasOf(failedHash!)).toHaveText(/^[\d,]+$/);
  await expect(table).toHaveAttribute("data-gas", "read");
  await expect(page.getByText("Gas could not be read")).toHaveCount(0);
  expect(new Set(readsAfterFailure)).toEqual(new Set([failedHash]));
});


test("the NAV chart on an RPC without old state: the days it cannot read are drawn from event prices, and the warning names them", async ({ page, devnet }) => {
  const provider = new JsonRpcProvider(devnet.rpcUrl, Network.from(devnet.chainId), { staticNetwork: true });
  // Three more days of chain, one block a day; then every feed answers again (its last answer is days old).
  // The node's own block number (ethers' getBlockNumber may answer from its cache).
  const blockNumber = async () => Number(await provider.send("eth_blockNumber", []));
  const days: number[] = [];
  for (let day = 0; day < 3; day++) {
    await provider.send("evm_increaseTime", [86_400]);
    await provider.send("evm_mine", []);
    days.push(await blockNumber());
  }
  const deployer = await provider.getSigner(JSON.parse(await readFile(devnet.devnetFile, "utf8")).deployer);
  for (const address of devnet.addresses.feeds) {
    const feed = TestPriceFeed__factory.connect(address, deployer);
    await (await feed.setAnswer((await feed.latestRoundData())[1])).wait();
  }
  const latest = await blockNumber();
  const rpc = new URL(devnet.rpcUrl).origin;
  type Call = { id: number | string; method: string; params: unknown[] };
  // The node keeps state from block `stateFrom` on: an eth_call at an older block gets Geth's answer for pruned
  // state; every other request goes through untouched.
  let stateFrom = latest;
  let refused = 0;
  await page.route(
    (url) => url.origin === rpc,
    async (route) => {
      const calls = [route.request().postDataJSON() as Call | Call[]].flat();
      const old = new Set(calls.filter((c) => c.method === "eth_call" && typeof c.params[1] === "string" && c.params[1].startsWith("0x") && Number(c.params[1]) < stateFrom).map((c) => c.id));
      if (old.size === 0) return route.continue();
      refused += old.size;
      const response = await route.fetch();
      const json = (await response.json()) as { id: number | string }[] | { id: number | string };
      const answer = (r: { id: number | string }) => (old.has(r.id) ? { jsonrpc: "2.0", id: r.id, error: { code: -32000, message: `missing trie node ${"ab".repeat(32)} (path )` } } : r);
      await route.fulfill({ response, json: Array.isArray(json) ? json.map(answer) : answer(json) });
    },
  );
  // The chart's points: at least `min` of them.
  const chart = (min: number) => page.getByRole("img", { name: new RegExp(`NAV per share at the close of each day where the RPC could read it, else each deposit's and redemption's price, ([${min}-9]|\\d{2,}) points`) });

  await test.step("no archive state (the latest block only): the deposits' prices, and the no-archive warning", async () => {
    await open(page, devnet, "overview");
    await expect(page.getByTestId("nav-warning")).toHaveText(/^This RPC keeps no archive state, so past NAV cannot be read at old blocks/);
    // The seed deposit's price, then the latest NAV.
    await expect(chart(2)).toBeVisible();
    expect(refused).toBeGreaterThan(0);
  });

  await test.step("a pruned node (state for the last two days' closes): read from there, the older closes named and drawn from events", async () => {
    stateFrom = days[1]!;
    await page.reload();
    await expect(page.getByTestId("nav-warning")).toHaveText(
      new RegExp(`^This RPC keeps no state before block ${stateFrom} \\(.+ UTC\\), so NAV per share is read at each day's close from there on; the \\d+ closes before it, from block \\d+ \\(.+\\) to block ${days[0]} \\(.+\\), show the price of each deposit and redemption instead\\.$`),
    );
    // The seed deposit's price, then the NAV at the last two closes.
    await expect(chart(3)).toBeVisible();
    await page.screenshot({ path: path.join(screenshots, "nav-pruned-rpc.png"), fullPage: true });
  });
});
