// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IOracleRouter} from "./IOracleRouter.sol";

/// @title IIndexVault
/// @notice An ERC-4626 index fund over a stablecoin. NAV = cash + sum(balance x price), in asset units.
/// totalAssets and convertTo* use oracle prices. Deposits and mints price each constituent at the HIGHER of
/// its oracle price and its market pool's price at the start of the block, cash exits at the LOWER
/// (IOracleRouter.boundedUnitPricesUsd36): a feed that lags the market inside its deviation threshold then
/// neither sells shares below market value (to be taken out in kind at market value) nor buys them back
/// above it. Neither bound can be moved within the caller's block. A keeper commits weekly targets and trades among registered assets through
/// allowlisted adapters, bounded on-chain by oracle minimum outputs, a loss budget counted as a fraction of NAV
/// per window, and a per-batch check that every position moves toward its committed target within its max
/// weight. Holders can always leave in kind, with no oracle, while paused, and past a hostile constituent.
/// @dev Roles: DEFAULT_ADMIN_ROLE (an OpenZeppelin TimelockController) configures; GUARDIAN_ROLE pauses and
/// revokes keepers; KEEPER_ROLE commits targets and trades. Vault assets leave only to an allowlisted adapter
/// inside a trade bounded by the oracle and the loss budget (whose output must come back to the vault), or to a
/// holder redeeming its own shares; the admin's power is configuration, behind the timelock's delay.
interface IIndexVault is IERC4626 {
    /// @notice The market regime of an epoch. In Bear only the stablecoin may carry target weight.
    enum Regime {
        Bull,
        Bear
    }

    /// @notice One swap of a batch.
    /// @param adapter An allowlisted ISwapAdapter; the only address that receives `amountIn`.
    /// @param tokenIn A registered asset or the stablecoin.
    /// @param tokenOut A registered asset or the stablecoin, different from tokenIn.
    /// @param amountIn Exact input, in tokenIn base units.
    /// @param minAmountOut Smallest acceptable output; must be >= oracleMinAmountOut(tokenIn, tokenOut, amountIn).
    /// @param data Adapter-specific route (for UniswapV3Adapter: a packed exactInput path).
    struct Trade {
        address adapter;
        address tokenIn;
        address tokenOut;
        uint256 amountIn;
        uint256 minAmountOut;
        bytes data;
    }

    // ================================================================================================
    // Errors
    // ================================================================================================

    /// @notice An address argument was zero.
    error IndexVaultZeroAddress();
    /// @notice Deposits and mints are paused by the guardian.
    error IndexVaultDepositsPaused();
    /// @notice Target commits and trades are paused by the guardian.
    error IndexVaultRebalancesPaused();
    /// @notice The caller is neither guardian nor admin.
    error IndexVaultNotGuardian(address caller);
    /// @notice A deposit would mint fewer shares than the caller accepts.
    error IndexVaultSharesBelowMin(uint256 shares, uint256 minSharesOut);
    /// @notice The stablecoin's permit reverted with `reason` (its revert data, e.g. an expired deadline or a bad
    /// signature; empty if the stablecoin has no permit) and `owner` has not allowed the vault `assets` otherwise.
    error IndexVaultPermitFailed(address owner, uint256 allowance, uint256 assets, bytes reason);
    /// @notice A cash redemption would pay fewer assets than the caller accepts.
    error IndexVaultAssetsBelowMin(uint256 assets, uint256 minAssetsOut);
    /// @notice A cash exit asks for more than the cash the vault holds; redeem in kind instead.
    error IndexVaultInsufficientCash(uint256 requestedAssets, uint256 cashAssets);
    /// @notice An in-kind redemption's minAmountsOut does not have one entry per token [asset(), ...registeredAssets()].
    error IndexVaultMinAmountsLength(uint256 expected, uint256 actual);
    /// @notice An in-kind redemption would pay less of `token` than the caller accepts.
    error IndexVaultAmountBelowMin(address token, uint256 amount, uint256 minAmount);
    /// @notice A token took a fee or otherwise delivered a different amount than was sent.
    error IndexVaultFeeOnTransfer(address token, uint256 expected, uint256 received);
    /// @notice A fee above its hard-coded cap.
    error IndexVaultFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @notice The max slippage is zero or above its hard-coded cap.
    error IndexVaultSlippageOutOfRange(uint256 slippageBps, uint256 maxSlippageBps);
    /// @notice The loss budget or its window is outside the hard-coded range.
    error IndexVaultLossBudgetOutOfRange(uint256 budgetBps, uint256 windowSeconds);
    /// @notice A weight above 10,000 bps.
    error IndexVaultWeightOutOfRange(uint256 weightBps);
    /// @notice The token cannot be a constituent (zero, the stablecoin, or the vault's own share).
    error IndexVaultInvalidAsset(address token);
    /// @notice The token is already registered.
    error IndexVaultAssetAlreadyRegistered(address token);
    /// @notice The token is not registered.
    error IndexVaultAssetNotRegistered(address token);
    /// @notice Registering would exceed the constituent cap.
    error IndexVaultTooManyAssets(uint256 maxAssets);
    /// @notice A constituent can be deregistered only at zero balance.
    error IndexVaultAssetHasBalance(address token, uint256 balance);
    /// @notice The committed epoch is not above the current one.
    error IndexVaultEpochNotIncreasing(uint64 epoch, uint64 currentEpoch);
    /// @notice The committed epoch is in the future or not a day start (00:00 UTC).
    error IndexVaultEpochNotPastDayStart(uint64 epoch, uint256 timestamp);
    /// @notice A commit would change the regime less than 24 h after the last change.
    error IndexVaultRegimeFlipTooSoon(uint256 lastChangeTimestamp, uint256 timestamp);
    /// @notice The keeper's batch was planned against another batch sequence number: another batch ran first.
    error IndexVaultStaleBatch(uint64 expectedBatchSequence, uint64 batchSequence);
    /// @notice A batch without trades.
    error IndexVaultEmptyBatch();
    /// @notice Two arrays that must pair up have different lengths.
    error IndexVaultLengthMismatch(uint256 assetsLength, uint256 weightsLength);
    /// @notice Target weights do not sum to 10,000 bps.
    error IndexVaultWeightsSum(uint256 sumBps);
    /// @notice A target weight above the asset's admin-set maximum.
    error IndexVaultWeightAboveMax(address token, uint256 weightBps, uint256 maxWeightBps);
    /// @notice A Bear epoch gives weight to something other than the stablecoin.
    error IndexVaultBearRiskWeight(address token, uint256 weightBps);
    /// @notice The same token appears twice in one commit.
    error IndexVaultDuplicateAsset(address token);
    /// @notice The token is neither registered nor the stablecoin.
    error IndexVaultUnknownToken(address token);
    /// @notice No targets were ever committed; trades need an epoch.
    error IndexVaultNoEpoch();
    /// @notice The batch's deadline has passed.
    error IndexVaultDeadlineExpired(uint256 deadline, uint256 timestamp);
    /// @notice The adapter is not allowlisted.
    error IndexVaultAdapterNotAllowed(address adapter);
    /// @notice A trade with tokenIn == tokenOut or a zero amountIn.
    error IndexVaultInvalidTrade(address tokenIn, address tokenOut, uint256 amountIn);
    /// @notice In a Bear epoch a trade may only sell into the stablecoin.
    error IndexVaultBearBuy(address tokenOut);
    /// @notice minAmountOut is looser than the oracle bound.
    error IndexVaultMinOutBelowOracle(address tokenIn, address tokenOut, uint256 minAmountOut, uint256 oracleMinAmountOut);
    /// @notice The vault's balance of tokenOut grew by less than minAmountOut.
    error IndexVaultReceivedBelowMin(address tokenOut, uint256 received, uint256 minAmountOut);
    /// @notice The batch's oracle-valued loss so far exceeds what the loss budget has left.
    error IndexVaultLossBudgetExceeded(uint256 lossAssets, uint256 availableAssets);
    /// @notice `token`'s price source is unusable (stale, dead, out of bounds): it cannot be traded now, and
    /// it is worth nothing to the loss budget until its source recovers.
    error IndexVaultPriceUnavailable(address token);
    /// @notice The batch left `token`'s weight outside the tolerance around the span from its weight before
    /// the batch to its committed target (weights in bps of NAV at oracle prices).
    error IndexVaultPositionAwayFromTarget(address token, uint256 weightBeforeBps, uint256 weightAfterBps, uint256 targetBps);
    /// @notice `token`'s balanceOf reverted or exceeded its gas cap: no NAV can be computed (deposits and cash
    /// exits stop; in-kind exits go on without its slice).
    error IndexVaultBalanceUnreadable(address token);
    /// @notice `account` is owed nothing in `token`.
    error IndexVaultNoCredit(address token, address account);
    /// @notice A batch sold `sold` of `token` but the vault held only `held` of it for itself (the rest is owed
    /// to holders as in-kind credits).
    error IndexVaultSoldMoreThanHeld(address token, uint256 held, uint256 sold);
    /// @notice The target tolerance is above its hard cap.
    error IndexVaultTargetToleranceOutOfRange(uint256 toleranceBps, uint256 maxToleranceBps);

    // ================================================================================================
    // Events
    // ================================================================================================

    /// @notice A keeper committed an epoch's targets; `weightsBps[i]` is the target of `assets[i]`, the
    /// stablecoin standing for cash.
    event TargetsCommitted(uint64 indexed epoch, Regime regime, bytes32 snapshotHash, address[] assets, uint16[] weightsBps);
    /// @notice A trade settled. Values are in asset units at the oracle prices used for its checks.
    event TradeExecuted(
        uint64 indexed epoch,
        address indexed adapter,
        address indexed tokenIn,
        address tokenOut,
        uint256 amountIn,
        uint256 amountOut,
        uint256 minAmountOut,
        uint256 valueIn,
        uint256 valueOut
    );
    /// @notice Batch number `batchSequence` of `trades` trades settled; the next batch must name batchSequence + 1.
    /// @param navAssets The NAV the batch's checks used (oracle prices; a constituent without a usable price at 0).
    /// @param lossAssets The batch's oracle-valued loss, charged to the loss budget as lossAssets / navAssets.
    /// @param lossBudgetUsed The loss budget's ring after the batch: the fraction of NAV lost in the current
    /// and the four previous quarter-window buckets, in units of 1e-10 of NAV (a 50 bps budget is 5e7).
    event BatchExecuted(uint64 indexed batchSequence, uint256 trades, uint256 navAssets, uint256 lossAssets, uint256 lossBudgetUsed);
    /// @notice A holder left in kind; `amounts[i]` of `tokens[i]` went to `receiver`.
    event RedeemedInKind(
        address indexed caller, address indexed receiver, address indexed owner, uint256 shares, address[] tokens, uint256[] amounts
    );
    /// @notice An in-kind slice of `amount` `token` could not be sent to `receiver` (the token's transfer
    /// failed or exceeded its gas cap); it is owed to `receiver`, claimable with claimCredit, and no longer
    /// counts in NAV or in other holders' slices.
    event InKindSliceCredited(address indexed token, address indexed receiver, uint256 amount);
    /// @notice `token`'s balance could not be read during an in-kind exit to `receiver`: its slice, which could
    /// not be measured, stays with the remaining holders (a caller who needs it sets a non-zero minimum, and the
    /// exit reverts instead).
    event InKindSliceUnreadable(address indexed token, address indexed receiver);
    /// @notice `account` claimed `amount` of `token` it was owed, sent to `receiver`.
    event CreditClaimed(address indexed token, address indexed account, address receiver, uint256 amount);
    /// @notice Management fee shares were minted to the fee recipient for `elapsedSeconds`.
    event ManagementFeeAccrued(uint256 shares, address indexed recipient, uint256 elapsedSeconds);
    /// @notice An entry fee stayed in the vault for the remaining holders.
    event EntryFeeCharged(address indexed receiver, uint256 feeAssets);
    /// @notice An exit fee stayed in the vault for the remaining holders.
    event ExitFeeCharged(address indexed owner, uint256 feeAssets);
    /// @notice The oracle router was replaced.
    event OracleSet(address indexed oracle);
    /// @notice A constituent was registered with a maximum target weight.
    event AssetRegistered(address indexed token, uint16 maxWeightBps);
    /// @notice A constituent was removed; `writtenOff` base units of it stay in the vault, out of NAV.
    event AssetDeregistered(address indexed token, uint256 writtenOff);
    /// @notice A constituent's maximum target weight changed.
    event MaxWeightSet(address indexed token, uint16 maxWeightBps);
    /// @notice An adapter was allowed or disallowed.
    event AdapterAllowedSet(address indexed adapter, bool allowed);
    /// @notice A pool was allowed or disallowed for trading routes.
    event PoolAllowedSet(address indexed pool, bool allowed);
    /// @notice Fees changed.
    event FeesSet(uint16 entryFeeBps, uint16 exitFeeBps, uint16 managementFeeBps);
    /// @notice The management fee recipient changed.
    event FeeRecipientSet(address indexed recipient);
    /// @notice The max slippage of a trade against the oracle changed.
    event MaxSlippageSet(uint16 maxSlippageBps);
    /// @notice The loss budget changed.
    event LossBudgetSet(uint16 budgetBps, uint32 windowSeconds);
    /// @notice The target tolerance of executeTrades' position check changed.
    event TargetToleranceSet(uint16 toleranceBps);
    /// @notice Deposits were paused or unpaused.
    event DepositsPausedSet(address indexed by, bool paused);
    /// @notice Rebalances were paused or unpaused.
    event RebalancesPausedSet(address indexed by, bool paused);

    // ================================================================================================
    // Depositors
    // ================================================================================================

    /// @notice deposit() that reverts unless at least `minSharesOut` shares are minted.
    function depositWithMin(uint256 assets, address receiver, uint256 minSharesOut) external returns (uint256 shares);

    /// @notice depositWithMin() in one transaction with no prior approve: first submits the caller's EIP-2612
    /// permit (owner the caller, spender the vault, value `assets`) to the stablecoin.
    /// @dev A permit can be submitted by anyone who sees it, so a failed permit does not fail the deposit when
    /// the caller's allowance already covers `assets` (someone front-ran the same permit, or the caller approved
    /// before); otherwise it reverts with IndexVaultPermitFailed carrying the stablecoin's revert data. A permit
    /// that succeeds but grants nothing (a token whose fallback accepts any call) leaves transferFrom to revert.
    /// A permit sets the allowance to `assets`, which the deposit then spends: a larger earlier approval of the
    /// vault ends at zero.
    /// @param deadline The permit's deadline (unix seconds).
    /// @param v The permit signature's recovery id.
    /// @param r The permit signature's r.
    /// @param s The permit signature's s.
    function depositWithPermit(
        uint256 assets,
        address receiver,
        uint256 minSharesOut,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 shares);

    /// @notice redeem() for cash that reverts unless at least `minAssetsOut` assets are paid.
    function redeemWithMin(uint256 shares, address receiver, address owner, uint256 minAssetsOut)
        external
        returns (uint256 assets);

    /// @notice Burns `shares` of `owner` and sends `receiver` the pro-rata slice of the cash and of every
    /// constituent: `balance * shares / (totalSupply + virtual shares)`, rounded down. Reads no oracle, ignores
    /// pauses, charges no exit fee: it pays market value, and entry already paid at least market value.
    /// @param minAmountsOut One minimum per token, in the order [asset(), ...registeredAssets()].
    /// @dev One hostile or broken constituent cannot block the exit, and costs a bounded amount of gas
    /// (BoundedTokenCallLib: 50k per balanceOf, 200k per transfer). If a token's transfer fails (paused,
    /// blocklisting, gas-burning), its slice is credited to `receiver` (InKindSliceCredited) and claimable with
    /// claimCredit. If a token's balanceOf fails, its slice cannot be measured: it stays with the remaining
    /// holders (InKindSliceUnreadable), unless its minimum is non-zero, which makes the exit revert instead.
    /// @dev Amounts are what the vault sent. A fee-on-transfer token delivers less; registration refuses such
    /// tokens (a self-transfer must leave the balance unchanged), and measuring each receiver's balance would
    /// cost two more calls per constituent on every exit.
    /// @return amountsOut What was sent, in the same order (0 for a credited or unreadable slice).
    function redeemInKind(uint256 shares, address receiver, address owner, uint256[] calldata minAmountsOut)
        external
        returns (uint256[] memory amountsOut);

    /// @notice Sends the caller what an earlier in-kind exit owed it in `token` (InKindSliceCredited) to
    /// `receiver`. Reverts if the token's transfer still fails; the credit then stays.
    function claimCredit(address token, address receiver) external returns (uint256 amount);

    /// @notice Mints the management fee shares pending since the last accrual. Anyone may call.
    function accrueManagementFee() external;

    // ================================================================================================
    // Keeper
    // ================================================================================================

    /// @notice Commits an epoch's target weights and the hash of the data snapshot they came from.
    /// @param epoch Strictly above currentEpoch(), at most block.timestamp, and a multiple of 1 day: 00:00 UTC
    /// of the Monday a weekly rebalance describes, or of the day a regime check ran. A future epoch would
    /// freeze every later commit. The regime may change at most once per 24 h (block time).
    /// @param assets Registered assets, or asset() for cash; each at most once. Unlisted assets target 0.
    /// @param weightsBps Summing to 10,000; each within the asset's max weight; in Bear only asset() non-zero.
    function commitTargets(
        uint64 epoch,
        Regime regime,
        address[] calldata assets,
        uint16[] calldata weightsBps,
        bytes32 snapshotHash
    ) external;

    /// @notice Executes a batch of trades through allowlisted adapters. For each: transfer amountIn to the
    /// adapter, call swap, require the vault's tokenOut balance to grow by >= minAmountOut, and charge the
    /// oracle-valued loss to the loss budget. Prices are read once per batch. After the last trade, each
    /// constituent the batch touched must have moved toward its committed target: its weight must lie within
    /// targetToleranceBps() of the span between its weight before the batch and its target, and a weight
    /// that rose must not exceed the asset's max weight (the stablecoin, the medium of every rebalance, is
    /// bounded through the others). A constituent whose price source is unusable cannot be traded and is
    /// worth zero to the loss budget; every other constituent still trades.
    /// @dev The loss budget (LossBudgetLib) counts each batch's loss as a fraction of the NAV it was valued
    /// at: a holder's pro-rata share, which deposits and withdrawals do not change. A batch may bring the sum
    /// over the current and the four previous quarter-window buckets up to lossBudgetBps(), so no sliding
    /// window of lossBudgetWindowSeconds() loses more than lossBudgetBps() of NAV.
    /// @param expectedBatchSequence batchSequence() when the keeper planned the batch: if another batch ran
    /// since (a second keeper), this one reverts before pricing anything. A sequence number rather than a
    /// hash of holdings, which any 1-wei deposit would change.
    /// @return amountsOut What each trade delivered, measured as the vault's balance change.
    function executeTrades(Trade[] calldata trades, uint256 deadline, uint64 expectedBatchSequence)
        external
        returns (uint256[] memory amountsOut);

    // ================================================================================================
    // Guardian
    // ================================================================================================

    /// @notice Stops deposits and mints. Guardian or admin.
    function pauseDeposits() external;
    /// @notice Stops target commits and trades. Guardian or admin.
    function pauseRebalances() external;
    /// @notice Removes KEEPER_ROLE from `keeper`. Guardian or admin.
    function revokeKeeper(address keeper) external;

    // ================================================================================================
    // Admin (the timelock)
    // ================================================================================================

    /// @notice Resumes deposits. Admin only.
    function unpauseDeposits() external;
    /// @notice Resumes rebalances. Admin only.
    function unpauseRebalances() external;
    /// @notice Replaces the oracle router; it must price asset() and every constituent.
    function setOracle(IOracleRouter newOracle) external;
    /// @notice Adds a constituent. The oracle must already price it; at most MAX_ASSETS.
    /// @dev If the vault already holds some of it, a self-transfer probes for a transfer fee.
    function registerAsset(address token, uint16 maxWeightBps) external;
    /// @notice Removes a constituent the vault holds at most `maxWriteOff` base units of, beside what it owes as
    /// in-kind credits (those stay claimable). What it holds stays in the vault, out of NAV: written off, as
    /// AssetDeregistered reports. A token whose balanceOf cannot be read (reverts, or exceeds the gas cap) is
    /// removed only with maxWriteOff = type(uint256).max, and reported as that.
    /// @dev `maxWriteOff` exists because anyone can send dust first: with a zero-balance rule, 1 unit sent before
    /// the timelock executes would block removing a constituent whose feed died (which stops deposits and cash
    /// exits, and whose dust the keeper cannot sell without a price). 0 keeps the zero-balance rule. A written-off
    /// balance counts in NAV again if the token is ever registered again.
    function deregisterAsset(address token, uint256 maxWriteOff) external;
    /// @notice Sets a constituent's maximum target weight.
    function setMaxWeight(address token, uint16 maxWeightBps) external;
    /// @notice Allows or disallows a swap adapter.
    function setAdapterAllowed(address adapter, bool allowed) external;
    /// @notice Allows or disallows a pool in trade routes (checked by the adapters).
    function setPoolAllowed(address pool, bool allowed) external;
    /// @notice Sets the entry, exit and management fees, each under its hard cap. Accrues the old fee first.
    function setFees(uint16 entryFeeBps, uint16 exitFeeBps, uint16 managementFeeBps) external;
    /// @notice Sets the management fee recipient. Accrues to the old one first.
    function setFeeRecipient(address recipient) external;
    /// @notice Sets the max slippage of a trade against the oracle, in (0, MAX_SLIPPAGE_CAP_BPS].
    function setMaxSlippage(uint16 maxSlippageBps) external;
    /// @notice Sets the loss budget: at most `budgetBps` of NAV lost in any `windowSeconds`. Losses already
    /// counted stay counted (as of now) when the window changes.
    function setLossBudget(uint16 budgetBps, uint32 windowSeconds) external;
    /// @notice Sets the tolerance around committed targets that executeTrades allows, at most
    /// MAX_TARGET_TOLERANCE_BPS.
    function setTargetTolerance(uint16 toleranceBps) external;

    // ================================================================================================
    // Views
    // ================================================================================================

    /// @notice The oracle router.
    function oracle() external view returns (IOracleRouter);
    /// @notice Constituents, in the order in-kind redemptions use after asset().
    function registeredAssets() external view returns (address[] memory);
    /// @notice Whether `token` is a constituent.
    function isRegistered(address token) external view returns (bool);
    /// @notice A constituent's maximum target weight.
    function maxWeightBps(address token) external view returns (uint16);
    /// @notice Value of `amount` of `token` (a constituent or asset()) in asset units at oracle prices, rounded down.
    function valueInAsset(address token, uint256 amount) external view returns (uint256);
    /// @notice The smallest minAmountOut executeTrades accepts for this trade.
    function oracleMinAmountOut(address tokenIn, address tokenOut, uint256 amountIn) external view returns (uint256);
    /// @notice The block the vault was deployed in: an auditor's first block to scan for events.
    function deploymentBlock() external view returns (uint256);
    /// @notice The number of batches executed so far: what the next executeTrades must pass.
    function batchSequence() external view returns (uint64);
    /// @notice The last committed epoch; 0 before the first commit.
    function currentEpoch() external view returns (uint64);
    /// @notice The regime of the last committed epoch.
    function currentRegime() external view returns (Regime);
    /// @notice What in-kind exits owe `account` in `token` (claimCredit).
    function creditOf(address token, address account) external view returns (uint256);
    /// @notice The tolerance, in bps of NAV, of executeTrades' per-batch position check.
    function targetToleranceBps() external view returns (uint16);
    /// @notice The snapshot hash of the last committed epoch.
    function currentSnapshotHash() external view returns (bytes32);
    /// @notice The current epoch's target weight of `token` (asset() for cash); 0 if not listed.
    function targetWeightBps(address token) external view returns (uint16);
    /// @notice The max slippage of a trade against the oracle.
    function maxSlippageBps() external view returns (uint16);
    /// @notice The most of NAV (bps) that trades may lose in any window of lossBudgetWindowSeconds().
    function lossBudgetBps() external view returns (uint16);
    /// @notice The loss budget's window; a loss stops counting 1 to 1.25 windows after it was made.
    function lossBudgetWindowSeconds() external view returns (uint32);
    /// @notice Oracle-valued loss the keeper may still cause right now, in asset units.
    function lossBudgetAvailable() external view returns (uint256 assets);
    /// @notice Whether `adapter` may be used in trades.
    function isAdapterAllowed(address adapter) external view returns (bool);
    /// @notice Whether `pool` may appear in a trade route.
    function isPoolAllowed(address pool) external view returns (bool);
    /// @notice Entry fee, kept in the vault.
    function entryFeeBps() external view returns (uint16);
    /// @notice Exit fee on cash exits, kept in the vault.
    function exitFeeBps() external view returns (uint16);
    /// @notice Annual management fee, streamed per second as shares.
    function managementFeeBps() external view returns (uint16);
    /// @notice Receiver of management fee shares.
    function feeRecipient() external view returns (address);
    /// @notice Management fee shares accrued but not yet minted; already counted in totalSupply().
    function pendingManagementFeeShares() external view returns (uint256);
    /// @notice Whether deposits are paused.
    function depositsPaused() external view returns (bool);
    /// @notice Whether rebalances are paused.
    function rebalancesPaused() external view returns (bool);
}
