// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SlotDerivation} from "@openzeppelin/contracts/utils/SlotDerivation.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {IIndexVault} from "../interfaces/IIndexVault.sol";
import {IOracleRouter} from "../interfaces/IOracleRouter.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";
import {LossBudgetLib} from "../libraries/LossBudgetLib.sol";
import {NavLib} from "../libraries/NavLib.sol";
import {AssetInfo, Config, EpochState, LossState, VaultState} from "./VaultState.sol";
import {Valuation, VaultValuation} from "./VaultValuation.sol";
import {BPS} from "../libraries/Bps.sol";

/// @title RebalanceLogic
/// @notice The keeper's side of IndexVault: committing targets and executing trade batches, with every
/// on-chain bound on them (epoch clock, oracle minimum outputs, balance deltas, the loss budget, and the
/// per-batch position check against the committed targets). An externally linked library: its code runs in
/// the vault's context by DELEGATECALL, so the vault's deployed code stays under EIP-170.
library RebalanceLogic {
    using SafeERC20 for IERC20;
    using SlotDerivation for bytes32;
    using TransientSlot for bytes32;
    using TransientSlot for TransientSlot.Uint256Slot;
    using TransientSlot for TransientSlot.Int256Slot;

    uint256 private constant WAD = 1e18;
    /// @dev Cache value of a known token whose price source is unusable: it cannot be traded this batch.
    uint256 private constant NO_PRICE = type(uint256).max;
    /// @dev Namespace of the per-batch transient caches (price, balance before, net change per token).
    bytes32 private constant CACHE_NAMESPACE = keccak256("IndexVault.batchCache");
    /// @dev Transient counter of batches in the current transaction, so a second batch in the same
    /// transaction never reads the first batch's cache (a token deregistered in between, say).
    bytes32 private constant CACHE_NONCE_SLOT = keccak256("IndexVault.batchCacheNonce");

    /// @dev What every trade of a batch needs, computed once.
    struct Batch {
        bytes32 cache;
        uint256 ring;
        uint256 bucket;
        uint256 assetPrice;
        uint256 navDown;
        uint256 lossAvailable;
        uint256 loss;
        int256 navChange;
        address stable;
        address checkedAdapter;
        uint64 epoch;
        IIndexVault.Regime regime;
        uint16 maxSlippageBps;
        uint16 toleranceBps;
    }

    // ================================================================================================
    // Commit
    // ================================================================================================

    /// @notice See IIndexVault.commitTargets.
    function commitTargets(
        VaultState storage s,
        address stable,
        uint64 epoch,
        IIndexVault.Regime regime,
        address[] calldata assets,
        uint16[] calldata weightsBps,
        bytes32 snapshotHash
    ) external {
        if (s.config.rebalancesPaused) revert IIndexVault.IndexVaultRebalancesPaused();
        EpochState memory previous = s.epoch;
        if (epoch <= previous.epoch) revert IIndexVault.IndexVaultEpochNotIncreasing(epoch, previous.epoch);
        if (epoch > block.timestamp || epoch % 1 days != 0) {
            revert IIndexVault.IndexVaultEpochNotPastDayStart(epoch, block.timestamp);
        }
        uint40 regimeChangedAt = previous.regimeChangedAt;
        if (regime != previous.regime && previous.epoch != 0) {
            if (block.timestamp < uint256(regimeChangedAt) + 1 days) {
                revert IIndexVault.IndexVaultRegimeFlipTooSoon(regimeChangedAt, block.timestamp);
            }
            regimeChangedAt = uint40(block.timestamp);
        }
        uint256 n = assets.length;
        if (n != weightsBps.length) revert IIndexVault.IndexVaultLengthMismatch(n, weightsBps.length);

        (uint256 sumBps, uint16 cashWeightBps) = _storeTargets(s, stable, epoch, regime, assets, weightsBps);
        if (sumBps != BPS) revert IIndexVault.IndexVaultWeightsSum(sumBps);
        s.epoch = EpochState({epoch: epoch, regime: regime, cashWeightBps: cashWeightBps, regimeChangedAt: regimeChangedAt});
        s.snapshotHash = snapshotHash;
        emit IIndexVault.TargetsCommitted(epoch, regime, snapshotHash, assets, weightsBps);
    }

    /// @dev Stores each listed constituent's target under `epoch`; returns the weight sum and the cash weight.
    function _storeTargets(
        VaultState storage s,
        address stable,
        uint64 epoch,
        IIndexVault.Regime regime,
        address[] calldata assets,
        uint16[] calldata weightsBps
    ) private returns (uint256 sumBps, uint16 cashWeightBps) {
        bool cashListed;
        for (uint256 i; i < assets.length; ++i) {
            sumBps += weightsBps[i];
            if (assets[i] != stable) {
                _storeTarget(s, assets[i], weightsBps[i], epoch, regime);
            } else {
                if (cashListed) revert IIndexVault.IndexVaultDuplicateAsset(stable);
                cashListed = true;
                cashWeightBps = weightsBps[i];
            }
        }
    }

    function _storeTarget(VaultState storage s, address token, uint16 weight, uint64 epoch, IIndexVault.Regime regime)
        private
    {
        AssetInfo storage info = s.assetInfo[token];
        if (info.indexPlusOne == 0) revert IIndexVault.IndexVaultUnknownToken(token);
        if (info.targetEpoch == epoch) revert IIndexVault.IndexVaultDuplicateAsset(token);
        if (weight > info.maxWeightBps) revert IIndexVault.IndexVaultWeightAboveMax(token, weight, info.maxWeightBps);
        if (regime == IIndexVault.Regime.Bear && weight != 0) revert IIndexVault.IndexVaultBearRiskWeight(token, weight);
        info.targetWeightBps = weight;
        info.targetEpoch = epoch;
    }

    // ================================================================================================
    // Trades
    // ================================================================================================

    /// @notice See IIndexVault.executeTrades.
    function executeTrades(
        VaultState storage s,
        IOracleRouter oracle,
        address stable,
        IIndexVault.Trade[] calldata trades,
        uint256 deadline,
        uint64 expectedBatchSequence
    ) external returns (uint256[] memory amountsOut) {
        uint64 sequence = s.loss.batchSequence;
        if (expectedBatchSequence != sequence) revert IIndexVault.IndexVaultStaleBatch(expectedBatchSequence, sequence);
        uint256 n = trades.length;
        if (n == 0) revert IIndexVault.IndexVaultEmptyBatch();
        Batch memory b = _beginBatch(s, oracle, stable, deadline);
        amountsOut = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            amountsOut[i] = _executeTrade(s, trades[i], b);
        }
        _checkPositions(s, trades, b);

        uint256 lossFraction = b.loss == 0 ? 0 : LossBudgetLib.fractionUp(b.loss, b.navDown);
        uint256 ring = LossBudgetLib.add(b.ring, b.bucket, lossFraction);
        s.loss = LossState({buckets: uint160(ring), lastBucket: uint32(b.bucket), batchSequence: sequence + 1});
        emit IIndexVault.BatchExecuted(sequence, n, b.navDown, b.loss, LossBudgetLib.used(ring));
    }

    /// @dev Checks the batch may run, prices everything once and loads the loss budget.
    function _beginBatch(VaultState storage s, IOracleRouter oracle, address stable, uint256 deadline)
        private
        returns (Batch memory b)
    {
        Config memory c = s.config;
        if (c.rebalancesPaused) revert IIndexVault.IndexVaultRebalancesPaused();
        if (block.timestamp > deadline) revert IIndexVault.IndexVaultDeadlineExpired(deadline, block.timestamp);
        EpochState memory e = s.epoch;
        if (e.epoch == 0) revert IIndexVault.IndexVaultNoEpoch();

        Valuation memory v = batchValuation(s, oracle, stable);
        LossState memory loss = s.loss;
        b.bucket = LossBudgetLib.bucketAt(block.timestamp, c.lossBudgetWindowSeconds);
        b.ring = LossBudgetLib.roll(loss.buckets, loss.lastBucket, b.bucket);
        b.cache = _fillCache(v);
        b.assetPrice = v.prices[0];
        b.navDown = v.navDown;
        b.lossAvailable = LossBudgetLib.assetsDown(LossBudgetLib.availableFraction(b.ring, c.lossBudgetBps), v.navDown);
        b.stable = stable;
        b.epoch = e.epoch;
        b.regime = e.regime;
        b.maxSlippageBps = c.maxSlippageBps;
        b.toleranceBps = c.targetToleranceBps;
    }

    /// @notice The valuation a batch and the loss budget read: oracle prices where the source is usable, and
    /// zero (worth nothing, not tradable) for a constituent whose source is not, so that one dead feed never
    /// stops the keeper from selling every healthy constituent to the stablecoin.
    /// @dev Reverts if the stablecoin itself cannot be priced: nothing can be valued then.
    function batchValuation(VaultState storage s, IOracleRouter oracle, address stable)
        public
        view
        returns (Valuation memory v)
    {
        v.tokens = VaultValuation.tokens(s, stable);
        try oracle.unitPricesUsd36(v.tokens) returns (uint256[] memory prices) {
            v.prices = prices;
        } catch {
            v.prices = oracle.tryUnitPricesUsd36(v.tokens);
            if (v.prices[0] == 0) revert IIndexVault.IndexVaultPriceUnavailable(stable);
        }
        // A constituent whose balance cannot be read counts as 0 held; trading it fails on its own.
        VaultValuation.value(s, v);
    }

    /// @notice The loss budget left now, in assets of the NAV valued as a batch would value it.
    function lossBudgetAvailable(VaultState storage s, IOracleRouter oracle, address stable)
        external
        view
        returns (uint256)
    {
        Config memory c = s.config;
        LossState memory loss = s.loss;
        uint256 ring = LossBudgetLib.roll(
            loss.buckets, loss.lastBucket, LossBudgetLib.bucketAt(block.timestamp, c.lossBudgetWindowSeconds)
        );
        return LossBudgetLib.assetsDown(
            LossBudgetLib.availableFraction(ring, c.lossBudgetBps), batchValuation(s, oracle, stable).navDown
        );
    }

    /// @dev Stores each token's price and balance in transient storage under a per-batch key, so each trade
    /// prices its two tokens with two TLOADs, and a token without an entry is known to be neither registered
    /// nor cash.
    function _fillCache(Valuation memory v) private returns (bytes32 cache) {
        TransientSlot.Uint256Slot nonceSlot = CACHE_NONCE_SLOT.asUint256();
        uint256 nonce = nonceSlot.tload() + 1;
        nonceSlot.tstore(nonce);
        cache = keccak256(abi.encode(CACHE_NAMESPACE, nonce));
        uint256 n = v.tokens.length;
        for (uint256 i; i < n; ++i) {
            bytes32 slot = cache.deriveMapping(v.tokens[i]);
            uint256 price = v.prices[i];
            slot.asUint256().tstore(price == 0 ? NO_PRICE : price);
            _balanceSlot(slot).tstore(v.balances[i]);
        }
    }

    function _balanceSlot(bytes32 tokenSlot) private pure returns (TransientSlot.Uint256Slot) {
        return bytes32(uint256(tokenSlot) + 1).asUint256();
    }

    function _changeSlot(bytes32 tokenSlot) private pure returns (TransientSlot.Int256Slot) {
        return bytes32(uint256(tokenSlot) + 2).asInt256();
    }

    function _checkedSlot(bytes32 tokenSlot) private pure returns (TransientSlot.Uint256Slot) {
        return bytes32(uint256(tokenSlot) + 3).asUint256();
    }

    function _cachedPrice(bytes32 cache, address token) private view returns (uint256 price) {
        price = cache.deriveMapping(token).asUint256().tload();
        if (price == 0) revert IIndexVault.IndexVaultUnknownToken(token);
        if (price == NO_PRICE) revert IIndexVault.IndexVaultPriceUnavailable(token);
    }

    /// @dev One trade: bounds, swap, net change per token, loss budget, event. Returns what arrived.
    function _executeTrade(VaultState storage s, IIndexVault.Trade calldata t, Batch memory b)
        private
        returns (uint256 received)
    {
        if (t.adapter != b.checkedAdapter) {
            if (!s.adapterAllowed[t.adapter]) revert IIndexVault.IndexVaultAdapterNotAllowed(t.adapter);
            b.checkedAdapter = t.adapter;
        }
        (uint256 priceIn, uint256 priceOut) = _checkTrade(t, b);
        received = _swap(t);
        _recordChange(b.cache, t.tokenIn, -int256(t.amountIn));
        _recordChange(b.cache, t.tokenOut, int256(received));
        _chargeLoss(t, b, received, priceIn, priceOut);
    }

    /// @dev The on-chain bounds of one trade; returns the cached prices of its two tokens.
    function _checkTrade(IIndexVault.Trade calldata t, Batch memory b) private view returns (uint256 priceIn, uint256 priceOut) {
        address tokenIn = t.tokenIn;
        address tokenOut = t.tokenOut;
        if (tokenIn == tokenOut || t.amountIn == 0) revert IIndexVault.IndexVaultInvalidTrade(tokenIn, tokenOut, t.amountIn);
        if (b.regime == IIndexVault.Regime.Bear && tokenOut != b.stable) revert IIndexVault.IndexVaultBearBuy(tokenOut);
        priceIn = _cachedPrice(b.cache, tokenIn);
        priceOut = _cachedPrice(b.cache, tokenOut);
        uint256 oracleMin = NavLib.minAmountOutUp(t.amountIn, priceIn, priceOut, b.maxSlippageBps);
        if (t.minAmountOut < oracleMin) {
            revert IIndexVault.IndexVaultMinOutBelowOracle(tokenIn, tokenOut, t.minAmountOut, oracleMin);
        }
    }

    function _recordChange(bytes32 cache, address token, int256 change) private {
        TransientSlot.Int256Slot slot = _changeSlot(cache.deriveMapping(token));
        slot.tstore(slot.tload() + change);
    }

    /// @dev Charges the trade's oracle-valued loss to the batch and emits the trade.
    function _chargeLoss(IIndexVault.Trade calldata t, Batch memory b, uint256 received, uint256 priceIn, uint256 priceOut)
        private
    {
        uint256 valueIn = NavLib.valueDown(t.amountIn, priceIn, b.assetPrice);
        uint256 valueOut = NavLib.valueDown(received, priceOut, b.assetPrice);
        b.navChange += int256(valueOut) - int256(valueIn);
        if (valueIn > valueOut) {
            uint256 total = b.loss + (valueIn - valueOut);
            if (total > b.lossAvailable) revert IIndexVault.IndexVaultLossBudgetExceeded(total, b.lossAvailable);
            b.loss = total;
        }
        emit IIndexVault.TradeExecuted(
            b.epoch, t.adapter, t.tokenIn, t.tokenOut, t.amountIn, received, t.minAmountOut, valueIn, valueOut
        );
    }

    /// @dev Sends amountIn to the trade's adapter only (no allowance is ever granted) and measures the output
    /// as the vault's own balance change, never trusting the adapter's return value.
    function _swap(IIndexVault.Trade calldata t) private returns (uint256 received) {
        IERC20 tokenOut = IERC20(t.tokenOut);
        uint256 balanceBefore = tokenOut.balanceOf(address(this));
        IERC20(t.tokenIn).safeTransfer(t.adapter, t.amountIn);
        ISwapAdapter(t.adapter).swap(t.tokenIn, t.tokenOut, t.amountIn, t.minAmountOut, t.data);
        received = tokenOut.balanceOf(address(this)) - balanceBefore;
        if (received < t.minAmountOut) revert IIndexVault.IndexVaultReceivedBelowMin(t.tokenOut, received, t.minAmountOut);
    }

    /// @dev The batch's net effect on each token it touched, checked once per token after all trades
    /// (so sells-then-buys and multi-hop routes work): the weight after must lie within `toleranceBps` of the
    /// span between the weight before and the committed target, and a token whose weight rises must stay at
    /// or under its max weight. Weights are oracle values over the NAV valued as the batch valued it. The
    /// stablecoin is the medium every rebalance passes through and is not checked on its own: every other
    /// position moving toward its target bounds it. A holding that drifted above its max only blocks buying
    /// more of it.
    function _checkPositions(VaultState storage s, IIndexVault.Trade[] calldata trades, Batch memory b) private {
        uint256 navBefore = b.navDown;
        int256 navAfterSigned = int256(navBefore) + b.navChange;
        uint256 navAfter = navAfterSigned > 0 ? uint256(navAfterSigned) : 0;
        uint256 n = trades.length;
        for (uint256 i; i < n; ++i) {
            _checkPosition(s, trades[i].tokenIn, b, navBefore, navAfter);
            _checkPosition(s, trades[i].tokenOut, b, navBefore, navAfter);
        }
    }

    function _checkPosition(VaultState storage s, address token, Batch memory b, uint256 navBefore, uint256 navAfter)
        private
    {
        bytes32 slot = b.cache.deriveMapping(token);
        TransientSlot.Uint256Slot checked = _checkedSlot(slot);
        if (checked.tload() != 0) return;
        checked.tstore(1);
        (uint256 balanceBefore, uint256 balanceAfter) = _balancesOf(slot, token);
        if (token == b.stable) return;
        uint256 price = slot.asUint256().tload();
        _checkWeights(
            s.assetInfo[token],
            token,
            b,
            _weightWad(balanceBefore, price, b.assetPrice, navBefore),
            _weightWad(balanceAfter, price, b.assetPrice, navAfter)
        );
    }

    /// @dev The token's holding before the batch and after its net change. Holdings exclude what in-kind exits
    /// owe (credits): a batch may not spend those.
    function _balancesOf(bytes32 slot, address token) private view returns (uint256 before, uint256 after_) {
        before = _balanceSlot(slot).tload();
        int256 change = _changeSlot(slot).tload();
        int256 signedAfter = int256(before) + change;
        if (signedAfter < 0) revert IIndexVault.IndexVaultSoldMoreThanHeld(token, before, uint256(-change));
        after_ = uint256(signedAfter);
    }

    function _weightWad(uint256 balance, uint256 price, uint256 assetPrice, uint256 nav) private pure returns (uint256) {
        return nav == 0 ? 0 : Math.mulDiv(NavLib.valueDown(balance, price, assetPrice), WAD, nav);
    }

    function _checkWeights(AssetInfo storage info, address token, Batch memory b, uint256 weightBefore, uint256 weightAfter)
        private
        view
    {
        uint256 unit = WAD / BPS;
        uint256 target = info.targetEpoch == b.epoch ? uint256(info.targetWeightBps) * unit : 0;
        uint256 tolerance = uint256(b.toleranceBps) * unit;
        uint256 low = Math.min(weightBefore, target);
        low = low > tolerance ? low - tolerance : 0;
        if (weightAfter < low || weightAfter > Math.max(weightBefore, target) + tolerance) {
            revert IIndexVault.IndexVaultPositionAwayFromTarget(token, weightBefore / unit, weightAfter / unit, target / unit);
        }
        uint256 maxWeightBps = info.maxWeightBps;
        if (weightAfter > weightBefore && weightAfter > maxWeightBps * unit) {
            revert IIndexVault.IndexVaultWeightAboveMax(token, weightAfter / unit, maxWeightBps);
        }
    }
}
