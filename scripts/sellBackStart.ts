/**
 * The starting state of bench:execution's sell-back. The sells are measured from pools at the oracle prices, so
 * the chain goes back to before the buys and the vault is handed what the buys left it. Handing it the tokens
 * alone would leave it the cash the buys spent as well, a vault worth about twice its post-buy NAV: per-trade
 * costs do not see that, but every limit that scales with NAV does (the loss budget's room, the weight checks).
 * restorePostBuyHoldings makes the vault hold exactly its post-buy cash and tokens through real transactions:
 * the shareholder withdraws the spent cash (a cash exit, while the vault holds only cash), then the tokens bought
 * are minted to the vault. It then checks that the vault's NAV is the post-buy NAV and throws if not.
 */
import type { ContractRunner, Signer } from "ethers";
import { IndexVault__factory, TestToken__factory } from "../types/ethers-contracts/index.js";

/**
 * How far, in millionths of the post-buy NAV, the sell-back's starting NAV may be from it: 1 ppm ($10 on $10M).
 * The two are made of the same balances at the same feed prices, so they are equal to the unit; the tolerance
 * only allows for rounding, and a vault still holding the spent cash (about +100 %) fails it by far.
 */
export const SELL_BACK_NAV_TOLERANCE_PPM = 1n;

/** What the vault held after the buys: its cash, each token's balance (aligned with the tokens), its NAV. */
export interface PostBuyHoldings {
  cash: bigint;
  held: bigint[];
  /** The vault's totalAssets() (NAV rounded down at the oracle's feed prices, the NAV its loss budget uses). */
  nav: bigint;
}

/** Throws unless `startNav` is within `tolerancePpm` millionths of `postBuyNav`. */
export function checkSellBackNav(postBuyNav: bigint, startNav: bigint, tolerancePpm: bigint = SELL_BACK_NAV_TOLERANCE_PPM): void {
  if (postBuyNav <= 0n) throw new Error(`sell-back NAV check: the post-buy NAV is ${postBuyNav}, not positive`);
  const gap = startNav > postBuyNav ? startNav - postBuyNav : postBuyNav - startNav;
  if (gap * 1_000_000n > postBuyNav * tolerancePpm) {
    throw new Error(
      `sell-back NAV check: the sell-back starts at NAV ${startNav} but the buys left ${postBuyNav} (off by ${gap} raw units, ` +
        `${Number((gap * 1_000_000_000n) / postBuyNav) / 1000} ppm; tolerance ${tolerancePpm} ppm): its NAV-relative limits would not be the real sell-back's`,
    );
  }
}

export interface ReadPostBuyHoldingsParameters {
  vault: string;
  stablecoin: string;
  tokens: readonly string[];
  runner: ContractRunner;
}

/** The vault's cash, token balances and NAV now (call it after the buys, before reverting the chain). */
export async function readPostBuyHoldings({ vault, stablecoin, tokens, runner }: ReadPostBuyHoldingsParameters): Promise<PostBuyHoldings> {
  const cash = await TestToken__factory.connect(stablecoin, runner).balanceOf(vault);
  const held = await Promise.all(tokens.map((t) => TestToken__factory.connect(t, runner).balanceOf(vault)));
  const nav = await IndexVault__factory.connect(vault, runner).totalAssets();
  return { cash, held, nav };
}

export interface RestorePostBuyHoldingsParameters {
  vault: string;
  stablecoin: string;
  tokens: readonly string[];
  postBuy: PostBuyHoldings;
  /** Holds enough of the vault's shares to withdraw the spent cash. */
  shareholder: Signer;
  /** Owner of the test tokens (mints what the buys bought). */
  minter: Signer;
  tolerancePpm?: bigint;
}

export interface RestorePostBuyHoldingsReturnType {
  /** The cash the shareholder withdrew: what the buys had spent. */
  withdrawn: bigint;
  /** The vault's NAV after the restore (checked against the post-buy NAV). */
  nav: bigint;
}

/**
 * On a chain reverted to before the buys (the vault holding cash and no more of each token than the buys left
 * it): withdraws the cash the buys spent to `shareholder`, mints the tokens they bought to the vault, checks the
 * balances are the post-buy ones exactly and the NAV is the post-buy NAV (checkSellBackNav), and throws otherwise.
 */
export async function restorePostBuyHoldings({ vault, stablecoin, tokens, postBuy, shareholder, minter, tolerancePpm }: RestorePostBuyHoldingsParameters): Promise<RestorePostBuyHoldingsReturnType> {
  if (postBuy.held.length !== tokens.length) throw new Error(`restorePostBuyHoldings: ${postBuy.held.length} balances for ${tokens.length} tokens`);
  const stable = TestToken__factory.connect(stablecoin, minter);
  const cashBefore = await stable.balanceOf(vault);
  if (cashBefore < postBuy.cash) throw new Error(`restorePostBuyHoldings: the vault holds ${cashBefore} cash, less than the ${postBuy.cash} the buys left it`);
  const withdrawn = cashBefore - postBuy.cash;
  // First, while the vault holds only cash: a cash exit prices the other holdings at the lower of feed and pool,
  // which does not change the cash it pays out but would change the shares it burns.
  const owner = await shareholder.getAddress();
  if (withdrawn > 0n) await (await IndexVault__factory.connect(vault, shareholder).withdraw(withdrawn, owner, owner)).wait();
  for (const [i, token] of tokens.entries()) {
    const contract = TestToken__factory.connect(token, minter);
    const balance = await contract.balanceOf(vault);
    if (balance > postBuy.held[i]) throw new Error(`restorePostBuyHoldings: the vault holds ${balance} of ${token}, more than the ${postBuy.held[i]} the buys left it`);
    if (balance < postBuy.held[i]) await (await contract.mint(vault, postBuy.held[i] - balance)).wait();
  }
  const after = await readPostBuyHoldings({ vault, stablecoin, tokens, runner: minter });
  if (after.cash !== postBuy.cash) throw new Error(`restorePostBuyHoldings: the vault holds ${after.cash} cash after the withdrawal, not ${postBuy.cash}`);
  after.held.forEach((balance, i) => {
    if (balance !== postBuy.held[i]) throw new Error(`restorePostBuyHoldings: the vault holds ${balance} of ${tokens[i]}, not ${postBuy.held[i]}`);
  });
  checkSellBackNav(postBuy.nav, after.nav, tolerancePpm);
  return { withdrawn, nav: after.nav };
}
