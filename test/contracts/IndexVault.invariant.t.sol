// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";
import {MockSwapAdapter} from "../../contracts/test/MockSwapAdapter.sol";

/// @notice The actors of the stateful campaign (IndexVaultInvariantTest, below): depositors, a keeper that uses
/// every power its role gives it against the holders, price moves, time, pauses and fees. It deploys and
/// administers the whole system (it stands in for the timelock) and keeps the ghost records the invariants
/// read. Failures of a property are recorded here with their figures, because a handler's revert is
/// discarded by the fuzzer; the invariant functions then assert on them.
/// @dev The keeper trades through MockSwapAdapter, which realises whatever price the keeper chooses down to
/// the vault's oracle bound: the adversarial counterparty the issue allows instead of a real pool. The
/// handler knows the true prices (the answers it pushed to the feeds), so its valuations need no oracle and
/// still work while a feed is stale.
contract IndexVaultHandler is CommonBase, StdUtils {
    uint256 private constant BPS = 10_000;
    uint256 private constant WAD = 1e18;
    uint256 private constant VIRTUAL_SHARES = 1e6;
    /// @dev USD per base unit of the 6-decimal stablecoin at $1 (8-decimal feed), scaled by 1e36.
    uint256 private constant ASSET_UNIT_USD36 = 1e30;
    /// @dev Constituent prices stay within [70 %, 140 %] of their start, moving at most 5 % a step.
    uint256 private constant PRICE_FLOOR_BPS = 7_000;
    uint256 private constant PRICE_CEIL_BPS = 14_000;
    uint256 private constant PRICE_STEP_BPS = 500;
    /// @dev A depositor brings at most this many times the NAV at once (the issue's attacks used 6x and 20x).
    uint256 private constant MAX_DEPOSIT_NAV_MULTIPLE = 20;
    uint256 private constant FOUNDER_DEPOSIT = 1_000_000e6;

    IndexVault public immutable vault;
    OracleRouter public immutable router;
    TestToken public immutable usdc;
    TestPriceFeed public immutable usdcFeed;
    MockSwapAdapter public immutable adapter;
    TestToken[2] public constituents;
    TestPriceFeed[2] public feeds;
    int256[2] private _startAnswers;

    address public immutable keeper = address(uint160(uint256(keccak256("invariant.keeper"))));
    address public immutable guardian = address(uint160(uint256(keccak256("invariant.guardian"))));
    address public immutable feeTo = address(uint160(uint256(keccak256("invariant.feeTo"))));
    /// @dev Only ever deposits and leaves in the same call, so it holds no shares between calls.
    address public immutable roundTripper = address(uint160(uint256(keccak256("invariant.roundTripper"))));
    address[] private _depositors;

    // ------------------------------------------------------------------------------------------------
    // Ghost records
    // ------------------------------------------------------------------------------------------------

    /// @dev A batch's loss as a fraction of NAV (what every holder through it lost), and when.
    struct LossRecord {
        uint64 timestamp;
        uint256 lossWad;
    }

    LossRecord[] private _losses;

    /// @notice Worst trade loss in a loss-budget window so far, over the budget (WAD: 1e18 = the whole budget).
    uint256 public worstWindowLossOverBoundWad;
    bool public lossOverBudget;
    uint256 public lossOverBudgetAt;
    uint256 public lossOverBudgetWad;
    uint256 public lossOverBudgetBoundWad;

    bool public maxWeightBreached;
    address public breachedToken;
    uint256 public breachedWeightBps;
    uint256 public breachedMaxWeightBps;

    bool public toleranceBreached;
    address public toleranceToken;
    uint256 public toleranceWeightBeforeBps;
    uint256 public toleranceWeightAfterBps;
    uint256 public toleranceTargetBps;

    bool public previewMismatch;
    string public mismatchedAction;
    uint256 public mismatchPreview;
    uint256 public mismatchResult;

    bool public roundTripProfited;
    uint256 public roundTripDepositUsd36;
    uint256 public roundTripExitUsd36;
    uint8 public roundTripExitKind;

    bool public inKindExitFailed;
    bytes public inKindExitRevert;

    uint256 public batchesExecuted;
    uint256 public burnsExecuted;

    constructor() {
        usdc = new TestToken("USD Coin", "USDC", 6, address(this));
        usdcFeed = new TestPriceFeed(8, "USDC / USD", 1e8, address(this));
        router = new OracleRouter(address(this), address(0));
        router.setSource(address(usdc), _feedSource(address(usdcFeed), 0.95e8, 1.05e8));
        vault = new IndexVault(usdc, "Open Index", "OIDX", address(this), router, feeTo);
        vault.grantRole(vault.KEEPER_ROLE(), keeper);
        vault.grantRole(vault.GUARDIAN_ROLE(), guardian);
        adapter = new MockSwapAdapter();
        vault.setAdapterAllowed(address(adapter), true);
        _addConstituent(0, "Wrapped Ether", 18, 2_000e8, 4_000);
        _addConstituent(1, "Wrapped Bitcoin", 8, 100_000e8, 3_000);

        _depositors.push(address(uint160(uint256(keccak256("invariant.founder")))));
        _depositors.push(address(uint160(uint256(keccak256("invariant.alice")))));
        _depositors.push(address(uint160(uint256(keccak256("invariant.bob")))));
        _depositors.push(address(uint160(uint256(keccak256("invariant.attacker")))));

        // A founder's deposit, invested at fair prices in 30 % WETH and 25 % WBTC under a committed Bull epoch.
        _mintAndApprove(_depositors[0], FOUNDER_DEPOSIT);
        vm.prank(_depositors[0]);
        vault.deposit(FOUNDER_DEPOSIT, _depositors[0]);
        _commit(uint64(block.timestamp / 1 days * 1 days), IIndexVault.Regime.Bull, 3_000, 2_500);
        IIndexVault.Trade[] memory trades = new IIndexVault.Trade[](2);
        trades[0] = _tradeAt(address(usdc), address(constituents[0]), FOUNDER_DEPOSIT * 3 / 10, BPS);
        trades[1] = _tradeAt(address(usdc), address(constituents[1]), FOUNDER_DEPOSIT / 4, BPS);
        uint64 sequence = vault.batchSequence();
        vm.prank(keeper);
        vault.executeTrades(trades, block.timestamp, sequence);
    }

    // ------------------------------------------------------------------------------------------------
    // Depositors
    // ------------------------------------------------------------------------------------------------

    function deposit(uint256 actorSeed, uint256 assets) external {
        address actor = _depositor(actorSeed);
        assets = _bound(assets, 1, _depositCap());
        _mintAndApprove(actor, assets);
        vm.startPrank(actor);
        try vault.previewDeposit(assets) returns (uint256 preview) {
            try vault.deposit(assets, actor) returns (uint256 shares) {
                _checkPreview("deposit", preview, shares);
            } catch {}
        } catch {}
        vm.stopPrank();
    }

    function mint(uint256 actorSeed, uint256 shares) external {
        address actor = _depositor(actorSeed);
        shares = _bound(shares, 1, _depositCap() * (vault.totalSupply() + VIRTUAL_SHARES) / (_navAssets() + 1));
        try vault.previewMint(shares) returns (uint256 preview) {
            _mintAndApprove(actor, preview);
            vm.prank(actor);
            try vault.mint(shares, actor) returns (uint256 assets) {
                _checkPreview("mint", preview, assets);
            } catch {}
        } catch {}
    }

    function redeem(uint256 actorSeed, uint256 fractionBps) external {
        address actor = _depositor(actorSeed);
        uint256 shares = _fractionOf(vault.balanceOf(actor), fractionBps);
        if (shares == 0) return;
        try vault.previewRedeem(shares) returns (uint256 preview) {
            vm.prank(actor);
            try vault.redeem(shares, actor, actor) returns (uint256 assets) {
                _checkPreview("redeem", preview, assets);
            } catch {}
        } catch {}
    }

    function withdraw(uint256 actorSeed, uint256 assets) external {
        address actor = _depositor(actorSeed);
        uint256 maxAssets = vault.maxWithdraw(actor);
        if (maxAssets == 0) return;
        assets = _bound(assets, 1, maxAssets);
        try vault.previewWithdraw(assets) returns (uint256 preview) {
            vm.prank(actor);
            try vault.withdraw(assets, actor, actor) returns (uint256 shares) {
                _checkPreview("withdraw", preview, shares);
            } catch {}
        } catch {}
    }

    /// @notice Leaving in kind must work in every state: paused, stale feeds, any holdings.
    function redeemInKind(uint256 actorSeed, uint256 fractionBps) external {
        address actor = _depositor(actorSeed);
        _redeemInKind(actor, _fractionOf(vault.balanceOf(actor), fractionBps));
    }

    /// @notice A deposit followed at once by an exit of `exitKind` (0 cash redeem, 1 cash withdraw, 2 in kind),
    /// at zero oracle lag: what comes back, at true prices, must not exceed what went in.
    function depositThenExit(uint256 assets, uint8 exitKind) external {
        if (!_allFeedsFresh()) return;
        assets = _bound(assets, 1, _depositCap());
        exitKind = exitKind % 3;
        address actor = roundTripper;
        _mintAndApprove(actor, assets);
        vm.prank(actor);
        try vault.deposit(assets, actor) returns (uint256 shares) {
            uint256[3] memory before = _balancesOf(actor);
            vm.startPrank(actor);
            if (exitKind == 0) {
                try vault.redeem(shares, actor, actor) {} catch {}
            } else if (exitKind == 1) {
                uint256 maxAssets = vault.maxWithdraw(actor);
                if (maxAssets != 0) {
                    try vault.withdraw(maxAssets, actor, actor) {} catch {}
                }
            }
            vm.stopPrank();
            // Whatever a cash exit could not take leaves in kind, so the round trip always closes.
            _redeemInKind(actor, vault.balanceOf(actor));
            uint256[3] memory afterExit = _balancesOf(actor);
            uint256 outUsd36;
            for (uint256 i; i < 3; ++i) {
                outUsd36 += (afterExit[i] - before[i]) * _unitPriceUsd36(i);
            }
            uint256 inUsd36 = assets * ASSET_UNIT_USD36;
            if (outUsd36 > inUsd36 && !roundTripProfited) {
                roundTripProfited = true;
                roundTripDepositUsd36 = inUsd36;
                roundTripExitUsd36 = outUsd36;
                roundTripExitKind = exitKind;
            }
        } catch {}
    }

    // ------------------------------------------------------------------------------------------------
    // Market, time, guardian and admin
    // ------------------------------------------------------------------------------------------------

    function movePrice(uint256 tokenSeed, int256 moveBps) external {
        uint256 i = tokenSeed % 2;
        int256 step = _bound(moveBps, -int256(PRICE_STEP_BPS), int256(PRICE_STEP_BPS));
        int256 next = feeds[i].latestAnswer() * (int256(BPS) + step) / int256(BPS);
        int256 floor = _startAnswers[i] * int256(PRICE_FLOOR_BPS) / int256(BPS);
        int256 ceil = _startAnswers[i] * int256(PRICE_CEIL_BPS) / int256(BPS);
        feeds[i].setAnswer(next < floor ? floor : next > ceil ? ceil : next);
    }

    /// @notice Moves time forward; one time in four the feeds are not refreshed, so they may go stale.
    function warp(uint256 secondsForward, uint256 staleSeed) external {
        vm.warp(block.timestamp + _bound(secondsForward, 1, 2 days));
        vm.roll(block.number + 1);
        if (staleSeed % 4 == 0) return;
        usdcFeed.setAnswer(usdcFeed.latestAnswer());
        for (uint256 i; i < 2; ++i) {
            feeds[i].setAnswer(feeds[i].latestAnswer());
        }
    }

    /// @notice 0/1: the guardian pauses deposits/rebalances; 2/3: the admin resumes them.
    function setPauses(uint8 action) external {
        action = action % 4;
        if (action < 2) vm.prank(guardian);
        if (action == 0) vault.pauseDeposits();
        else if (action == 1) vault.pauseRebalances();
        else if (action == 2) vault.unpauseDeposits();
        else vault.unpauseRebalances();
    }

    function setFees(uint16 entryBps, uint16 exitBps, uint16 managementBps) external {
        vault.setFees(
            uint16(_bound(entryBps, 0, vault.MAX_ENTRY_FEE_BPS())),
            uint16(_bound(exitBps, 0, vault.MAX_EXIT_FEE_BPS())),
            uint16(_bound(managementBps, 0, vault.MAX_MANAGEMENT_FEE_BPS()))
        );
    }

    function accrueManagementFee() external {
        vault.accrueManagementFee();
    }

    // ------------------------------------------------------------------------------------------------
    // The adversarial keeper
    // ------------------------------------------------------------------------------------------------

    /// @notice Commits targets with any epoch the keeper cares to name: 0 today's day start, 1 an arbitrary
    /// uint64, 2 a future day start. Weights are within each max weight, the rest in cash.
    function commitTargets(uint64 epochSeed, uint8 mode, bool bear, uint16 wethBps, uint16 wbtcBps) external {
        mode = mode % 3;
        uint256 today = block.timestamp / 1 days * 1 days;
        uint64 epoch = mode == 0
            ? uint64(today)
            : mode == 1 ? epochSeed : uint64(today + (1 + uint256(epochSeed) % 1_000) * 1 days);
        if (bear) {
            _commit(epoch, IIndexVault.Regime.Bear, 0, 0);
        } else {
            _commit(
                epoch,
                IIndexVault.Regime.Bull,
                uint16(_bound(wethBps, 0, vault.maxWeightBps(address(constituents[0])))),
                uint16(_bound(wbtcBps, 0, vault.maxWeightBps(address(constituents[1]))))
            );
        }
    }

    /// @notice A batch of one or two trades at prices the keeper picks between the oracle bound and fair
    /// (half of the time exactly at the bound), of any size the holdings allow.
    function keeperTrade(uint256 inSeed, uint256 outSeed, uint256 amountBps, uint256 priceSeed, uint256 secondLegBps)
        external
    {
        (address tokenIn, address tokenOut, address third) = _pair(inSeed, outSeed);
        uint256 quality = priceSeed % 2 == 0 ? 0 : _bound(priceSeed, 0, BPS);
        uint256 amountIn = _fractionOf(_balance(tokenIn), amountBps);
        if (amountIn == 0) return;
        uint256 secondAmountIn = secondLegBps % 2 == 0 ? 0 : _fractionOf(_balance(tokenOut), secondLegBps);
        IIndexVault.Trade[] memory trades = new IIndexVault.Trade[](secondAmountIn == 0 ? 1 : 2);
        trades[0] = _tradeAt(tokenIn, tokenOut, amountIn, quality);
        // A second leg sells what was already held of the first leg's output (sell-then-buy and routes).
        if (secondAmountIn != 0) trades[1] = _tradeAt(tokenOut, third, secondAmountIn, quality);
        if (trades[0].adapter == address(0) || (trades.length == 2 && trades[1].adapter == address(0))) return;
        _executeBatch(trades);
    }

    /// @notice Burns what the vault says the loss budget has left: a trade at the oracle bound sized so that
    /// its loss is the available budget.
    function keeperBurn(uint256 inSeed, uint256 outSeed) external {
        _burnAvailableBudget(inSeed, outSeed);
    }

    /// @notice The issue's refill attack: a stolen keeper key and a temporary deposit of `multiple` x NAV,
    /// burn what the budget then allows, leave in kind.
    function attackRefill(uint256 multiple, uint256 inSeed, uint256 outSeed) external {
        address attacker = _depositors[3];
        uint256 assets = _navAssets() * _bound(multiple, 1, MAX_DEPOSIT_NAV_MULTIPLE);
        _mintAndApprove(attacker, assets);
        vm.prank(attacker);
        try vault.deposit(assets, attacker) {} catch {}
        _burnAvailableBudget(inSeed, outSeed);
        _redeemInKind(attacker, vault.balanceOf(attacker));
    }

    // ------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------------

    /// @notice Every address that can hold shares; the fee recipient last, as fee accrual mints to it.
    function holders() external view returns (address[] memory list) {
        list = new address[](_depositors.length + 2);
        for (uint256 i; i < _depositors.length; ++i) {
            list[i] = _depositors[i];
        }
        list[_depositors.length] = roundTripper;
        list[_depositors.length + 1] = feeTo;
    }

    // ------------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------------

    function _feedSource(address feed, uint128 minAnswer, uint128 maxAnswer)
        private
        pure
        returns (IOracleRouter.SourceParams memory p)
    {
        p.kind = IOracleRouter.SourceKind.Chainlink;
        p.feed = feed;
        p.heartbeatSeconds = 1 days;
        p.minAnswer = minAnswer;
        p.maxAnswer = maxAnswer;
    }

    function _addConstituent(uint256 i, string memory name, uint8 decimals, int256 answer, uint16 maxWeightBps)
        private
    {
        TestToken token = new TestToken(name, name, decimals, address(this));
        TestPriceFeed feed = new TestPriceFeed(8, name, answer, address(this));
        router.setSource(address(token), _feedSource(address(feed), 1, uint128(uint256(answer)) * 100));
        vault.registerAsset(address(token), maxWeightBps);
        constituents[i] = token;
        feeds[i] = feed;
        _startAnswers[i] = answer;
    }

    function _commit(uint64 epoch, IIndexVault.Regime regime, uint16 wethBps, uint16 wbtcBps) private {
        address[] memory assets = new address[](3);
        assets[0] = address(usdc);
        assets[1] = address(constituents[0]);
        assets[2] = address(constituents[1]);
        uint16[] memory weights = new uint16[](3);
        weights[0] = uint16(BPS - wethBps - wbtcBps);
        weights[1] = wethBps;
        weights[2] = wbtcBps;
        vm.prank(keeper);
        try vault.commitTargets(epoch, regime, assets, weights, keccak256(abi.encode(epoch))) {} catch {}
    }

    /// @dev The keeper first tries to commit targets that make room for the burn (tokenIn at 0, tokenOut at its
    /// max weight, the rest in cash: at most one commit a day), then sells as much as the budget, the room
    /// toward those targets and the holding allow, at the oracle bound.
    function _burnAvailableBudget(uint256 inSeed, uint256 outSeed) private {
        (address tokenIn, address tokenOut,) = _pair(inSeed, outSeed);
        uint16[3] memory weights;
        if (tokenOut != address(usdc)) weights[_index(tokenOut)] = vault.maxWeightBps(tokenOut);
        _commit(uint64(block.timestamp / 1 days * 1 days), IIndexVault.Regime.Bull, weights[1], weights[2]);
        uint256 availableAssets;
        try vault.lossBudgetAvailable() returns (uint256 available) {
            availableAssets = available;
        } catch {
            return;
        }
        // At the bound a trade loses maxSlippage of its input's value, so this input loses the whole budget
        // (less 0.1 %, for the budget's own rounding against the keeper).
        uint256 valueInUsd36 =
            Math.mulDiv(availableAssets, BPS * 999 / 1000, vault.maxSlippageBps()) * ASSET_UNIT_USD36;
        uint256[3] memory balances = _balancesOf(address(vault));
        uint256 navUsd36 = _navUsd36(balances);
        uint256 i = _index(tokenIn);
        uint256 o = _index(tokenOut);
        // The position check: a constituent sold no further than its target, one bought no further than its.
        if (i != 0) valueInUsd36 = Math.min(valueInUsd36, _distanceToTargetUsd36(i, balances[i], navUsd36, true));
        if (o != 0) valueInUsd36 = Math.min(valueInUsd36, _distanceToTargetUsd36(o, balances[o], navUsd36, false));
        uint256 amountIn = Math.min(balances[i], valueInUsd36 / _unitPriceUsd36(i));
        if (amountIn == 0) return;
        IIndexVault.Trade[] memory trades = new IIndexVault.Trade[](1);
        trades[0] = _tradeAt(tokenIn, tokenOut, amountIn, 0);
        if (trades[0].adapter == address(0)) return;
        if (_executeBatch(trades)) ++burnsExecuted;
    }

    /// @dev How far constituent `i`'s value is above (`above`) or below its committed target, at true prices.
    function _distanceToTargetUsd36(uint256 i, uint256 balance, uint256 navUsd36, bool above)
        private
        view
        returns (uint256)
    {
        uint256 valueUsd36 = balance * _unitPriceUsd36(i);
        uint256 targetUsd36 = navUsd36 * vault.targetWeightBps(_token(i)) / BPS;
        if (above) return valueUsd36 > targetUsd36 ? valueUsd36 - targetUsd36 : 0;
        return targetUsd36 > valueUsd36 ? targetUsd36 - valueUsd36 : 0;
    }

    /// @dev A trade whose output is the oracle bound plus `qualityBps` of the way to the fair output; the
    /// adapter is funded to deliver exactly that. A zero adapter means the bound could not be read.
    function _tradeAt(address tokenIn, address tokenOut, uint256 amountIn, uint256 qualityBps)
        private
        returns (IIndexVault.Trade memory t)
    {
        uint256 minOut;
        try vault.oracleMinAmountOut(tokenIn, tokenOut, amountIn) returns (uint256 m) {
            minOut = m;
        } catch {
            return t;
        }
        uint256 fairOut = Math.mulDiv(amountIn, _unitPriceUsd36(_index(tokenIn)), _unitPriceUsd36(_index(tokenOut)));
        uint256 out = fairOut > minOut ? minOut + (fairOut - minOut) * qualityBps / BPS : minOut;
        uint256 rateX18 = Math.mulDiv(out, 1e18, amountIn, Math.Rounding.Ceil);
        adapter.setRate(tokenIn, tokenOut, rateX18);
        TestToken(tokenOut).mint(address(adapter), amountIn * rateX18 / 1e18);
        t = IIndexVault.Trade(address(adapter), tokenIn, tokenOut, amountIn, minOut, "");
    }

    /// @dev Runs a batch as the keeper; when it settles, records its loss and checks the per-batch properties.
    function _executeBatch(IIndexVault.Trade[] memory trades) private returns (bool settled) {
        uint256[3] memory balancesBefore = _balancesOf(address(vault));
        uint256 navBeforeUsd36 = _navUsd36(balancesBefore);
        uint64 sequence = vault.batchSequence();
        vm.prank(keeper);
        try vault.executeTrades(trades, block.timestamp, sequence) {
            settled = true;
        } catch {
            return false;
        }
        ++batchesExecuted;
        uint256[3] memory balancesAfter = _balancesOf(address(vault));
        uint256 navAfterUsd36 = _navUsd36(balancesAfter);
        _checkMaxWeights(balancesBefore, balancesAfter, navAfterUsd36);
        _checkTargetTolerance(balancesBefore, balancesAfter, navBeforeUsd36, navAfterUsd36);
        // The vault values each trade's input and output rounded down: one asset unit per trade is rounding.
        uint256 roundingUsd36 = trades.length * ASSET_UNIT_USD36;
        uint256 lossUsd36 = navBeforeUsd36 > navAfterUsd36 + roundingUsd36 ? navBeforeUsd36 - navAfterUsd36 - roundingUsd36 : 0;
        _losses.push(LossRecord(uint64(block.timestamp), Math.mulDiv(lossUsd36, WAD, navBeforeUsd36)));
        _checkLossWindow();
    }

    /// @dev No batch may raise a token it bought above its max weight (a holding that drifted above it and
    /// was not bought is not this batch's doing).
    function _checkMaxWeights(uint256[3] memory balancesBefore, uint256[3] memory balancesAfter, uint256 navUsd36)
        private
    {
        for (uint256 i = 1; i < 3; ++i) {
            if (balancesAfter[i] <= balancesBefore[i]) continue;
            uint256 maxBps = vault.maxWeightBps(address(constituents[i - 1]));
            uint256 valueUsd36 = balancesAfter[i] * _unitPriceUsd36(i);
            // Two asset units of slack for the vault's own rounding of values.
            if (valueUsd36 * BPS > maxBps * navUsd36 + 2 * BPS * ASSET_UNIT_USD36 && !maxWeightBreached) {
                maxWeightBreached = true;
                breachedToken = address(constituents[i - 1]);
                breachedWeightBps = valueUsd36 * BPS / navUsd36;
                breachedMaxWeightBps = maxBps;
            }
        }
    }

    /// @dev After a batch, each constituent's weight lies within the vault's target tolerance of the span between
    /// its weight before and its committed target (issue 9 class 4: no batch moves a position away from its
    /// target beyond the stated tolerance), with 1 bp of slack for the vault's rounding of values.
    function _checkTargetTolerance(
        uint256[3] memory balancesBefore,
        uint256[3] memory balancesAfter,
        uint256 navBeforeUsd36,
        uint256 navAfterUsd36
    ) private {
        uint256 unit = WAD / BPS;
        uint256 tolerance = uint256(vault.targetToleranceBps()) * unit + unit;
        for (uint256 i = 1; i < 3; ++i) {
            address token = address(constituents[i - 1]);
            uint256 target = uint256(vault.targetWeightBps(token)) * unit;
            uint256 before = Math.mulDiv(balancesBefore[i] * _unitPriceUsd36(i), WAD, navBeforeUsd36);
            uint256 after_ = navAfterUsd36 == 0 ? 0 : Math.mulDiv(balancesAfter[i] * _unitPriceUsd36(i), WAD, navAfterUsd36);
            uint256 low = Math.min(before, target);
            low = low > tolerance ? low - tolerance : 0;
            if ((after_ < low || after_ > Math.max(before, target) + tolerance) && !toleranceBreached) {
                toleranceBreached = true;
                toleranceToken = token;
                toleranceWeightBeforeBps = before / unit;
                toleranceWeightAfterBps = after_ / unit;
                toleranceTargetBps = target / unit;
            }
        }
    }

    /// @dev The trade losses of the sliding loss-budget window ending now, each as the fraction of the NAV its
    /// batch ran at (what every holder through it lost), summed: at most the budget (issue 9: deposits and
    /// withdrawals cannot raise what a keeper may burn).
    function _checkLossWindow() private {
        uint256 window = vault.lossBudgetWindowSeconds();
        uint256 nowTs = block.timestamp;
        uint256 sumWad;
        for (uint256 k = _losses.length; k > 0; --k) {
            LossRecord memory r = _losses[k - 1];
            if (r.timestamp + window <= nowTs) break;
            sumWad += r.lossWad;
        }
        uint256 boundWad = uint256(vault.lossBudgetBps()) * WAD / BPS;
        if (boundWad == 0) return;
        uint256 overBoundWad = Math.mulDiv(sumWad, WAD, boundWad);
        if (overBoundWad > worstWindowLossOverBoundWad) worstWindowLossOverBoundWad = overBoundWad;
        if (sumWad > boundWad && !lossOverBudget) {
            lossOverBudget = true;
            lossOverBudgetAt = nowTs;
            lossOverBudgetWad = sumWad;
            lossOverBudgetBoundWad = boundWad;
        }
    }

    function _redeemInKind(address actor, uint256 shares) private {
        if (shares == 0) return;
        uint256[] memory minAmounts = new uint256[](vault.registeredAssets().length + 1);
        vm.prank(actor);
        try vault.redeemInKind(shares, actor, actor, minAmounts) {}
        catch (bytes memory reason) {
            if (!inKindExitFailed) {
                inKindExitFailed = true;
                inKindExitRevert = reason;
            }
        }
    }

    function _checkPreview(string memory action, uint256 preview, uint256 result) private {
        if (preview != result && !previewMismatch) {
            previewMismatch = true;
            mismatchedAction = action;
            mismatchPreview = preview;
            mismatchResult = result;
        }
    }

    function _mintAndApprove(address actor, uint256 assets) private {
        usdc.mint(actor, assets);
        vm.prank(actor);
        usdc.approve(address(vault), assets);
    }

    function _depositor(uint256 seed) private view returns (address) {
        return _depositors[seed % _depositors.length];
    }

    /// @dev Deposits go up to MAX_DEPOSIT_NAV_MULTIPLE x NAV, and at least a million dollars.
    function _depositCap() private view returns (uint256) {
        return Math.max(_navAssets() * MAX_DEPOSIT_NAV_MULTIPLE, FOUNDER_DEPOSIT);
    }

    function _fractionOf(uint256 amount, uint256 fractionBps) private pure returns (uint256) {
        return amount * _bound(fractionBps, 1, BPS) / BPS;
    }

    /// @dev Two different tokens of [stablecoin, WETH, WBTC], and the remaining one.
    function _pair(uint256 inSeed, uint256 outSeed) private view returns (address, address, address) {
        uint256 i = inSeed % 3;
        uint256 o = (i + 1 + outSeed % 2) % 3;
        return (_token(i), _token(o), _token(3 - i - o));
    }

    function _token(uint256 i) private view returns (address) {
        return i == 0 ? address(usdc) : address(constituents[i - 1]);
    }

    function _index(address token) private view returns (uint256) {
        return token == address(usdc) ? 0 : token == address(constituents[0]) ? 1 : 2;
    }

    function _balance(address token) private view returns (uint256) {
        return TestToken(token).balanceOf(address(vault));
    }

    function _balancesOf(address account) private view returns (uint256[3] memory b) {
        for (uint256 i; i < 3; ++i) {
            b[i] = TestToken(_token(i)).balanceOf(account);
        }
    }

    /// @dev The true price (the feed's last answer, stale or not) of one base unit of token `i`, USD x 1e36.
    function _unitPriceUsd36(uint256 i) private view returns (uint256) {
        if (i == 0) return ASSET_UNIT_USD36;
        TestPriceFeed feed = feeds[i - 1];
        return uint256(feed.latestAnswer()) * 10 ** (36 - feed.decimals() - constituents[i - 1].decimals());
    }

    function _navUsd36(uint256[3] memory balances) private view returns (uint256 nav) {
        for (uint256 i; i < 3; ++i) {
            nav += balances[i] * _unitPriceUsd36(i);
        }
    }

    function _navAssets() private view returns (uint256) {
        return _navUsd36(_balancesOf(address(vault))) / ASSET_UNIT_USD36;
    }

    function _allFeedsFresh() private view returns (bool) {
        (,,, uint256 updatedAt,) = usdcFeed.latestRoundData();
        if (updatedAt + 1 days < block.timestamp) return false;
        for (uint256 i; i < 2; ++i) {
            (,,, updatedAt,) = feeds[i].latestRoundData();
            if (updatedAt + 1 days < block.timestamp) return false;
        }
        return true;
    }
}

/// @notice Issue 9's stateful campaign: random sequences of deposits, mints, cash and in-kind exits, an
/// adversarial keeper (any epoch, any targets within the max weights, trades at the worst price the oracle
/// bound allows, burns sized to the loss budget, the temporary-deposit refill attack), price moves, time
/// (feeds left stale one time in four), pauses and fees. After every call all seven properties are checked
/// and every broken one is named in the failure, with its figures.
/// @dev One invariant function rather than one per property: each invariant function gets a campaign of its
/// own (runs x depth handler calls), so seven of them would cost seven times the time for the same sequences.
/// Runs and depth come from the Solidity test profile (hardhat.config.ts): 256 x 50 in `npm test`, 2,000 x 200
/// in `npm run test:invariant`.
contract IndexVaultInvariantTest is Test {
    IndexVaultHandler handler;
    IndexVault vault;

    function setUp() public {
        vm.warp(1_700_000_000);
        handler = new IndexVaultHandler();
        vault = handler.vault();
        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = IndexVaultHandler.deposit.selector;
        selectors[1] = IndexVaultHandler.mint.selector;
        selectors[2] = IndexVaultHandler.redeem.selector;
        selectors[3] = IndexVaultHandler.withdraw.selector;
        selectors[4] = IndexVaultHandler.redeemInKind.selector;
        selectors[5] = IndexVaultHandler.depositThenExit.selector;
        selectors[6] = IndexVaultHandler.movePrice.selector;
        selectors[7] = IndexVaultHandler.warp.selector;
        selectors[8] = IndexVaultHandler.setPauses.selector;
        selectors[9] = IndexVaultHandler.setFees.selector;
        selectors[10] = IndexVaultHandler.accrueManagementFee.selector;
        selectors[11] = IndexVaultHandler.commitTargets.selector;
        selectors[12] = IndexVaultHandler.keeperTrade.selector;
        selectors[13] = IndexVaultHandler.keeperBurn.selector;
        selectors[14] = IndexVaultHandler.attackRefill.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @notice The campaign is not vacuous: a keeper burn through the handler settles and is charged to the
    /// window at its size (30 % of NAV sold at 1 % under the oracle is 0.3 % of NAV: 0.6 of the 50 bps budget).
    function test_handlerChargesAKeeperBurnToTheLossWindow() public {
        handler.warp(1 days, 1);
        handler.commitTargets(0, 0, false, 0, 2_500);
        handler.keeperBurn(1, 1);
        assertEq(handler.burnsExecuted(), 1, "burn did not settle");
        assertEq(handler.batchesExecuted(), 1);
        assertApproxEqRel(handler.worstWindowLossOverBoundWad(), 0.6e18, 0.02e18);
        assertFalse(handler.lossOverBudget());
    }

    function invariant_holdersAreSafeFromEveryActor() public {
        string memory broken = string.concat(
            _lossPerWindowWithinBudget(), _inKindExitAlwaysPossible(), _balancesAndPendingFeeSharesMakeTheSupply()
        );
        broken = string.concat(broken, _noEpochAheadOfTheClock(), _noBatchPushesAHoldingAboveItsMaxWeight());
        broken = string.concat(broken, _noBatchMovesAPositionAwayFromItsTarget());
        broken = string.concat(broken, _previewsEqualResults(), _depositThenExitNeverProfits());
        assertTrue(bytes(broken).length == 0, broken);
    }

    /// @dev Trade losses in any sliding window of the loss budget's length, in fractions of the NAV each batch
    /// ran at (what a holder through the window lost), stay within the budget, whatever deposits, withdrawals
    /// and price moves happen in between (IndexVaultHandler._checkLossWindow).
    function _lossPerWindowWithinBudget() private view returns (string memory) {
        if (!handler.lossOverBudget()) return "";
        return string.concat(
            "[loss per window] trade loss in one window ",
            vm.toString(handler.lossOverBudgetWad()),
            " (1e18 = 100% of NAV) over its bound ",
            vm.toString(handler.lossOverBudgetBoundWad()),
            " at t=",
            vm.toString(handler.lossOverBudgetAt()),
            ". "
        );
    }

    /// @dev Every holder can leave in kind, all of them one after the other, whatever the state (paused, stale
    /// feeds, fees pending), and no in-kind exit during the run reverted. Tried on a snapshot, then undone.
    function _inKindExitAlwaysPossible() private returns (string memory) {
        if (handler.inKindExitFailed()) {
            return string.concat("[in-kind exit] reverted during the run: ", vm.toString(handler.inKindExitRevert()), ". ");
        }
        address[] memory holders = handler.holders();
        uint256[] memory minAmounts = new uint256[](vault.registeredAssets().length + 1);
        uint256 snapshot = vm.snapshotState();
        // Mint the pending fee first: an exit accrues it, and the fee recipient's own exit would leave it behind.
        vault.accrueManagementFee();
        string memory broken;
        for (uint256 i; i < holders.length; ++i) {
            uint256 shares = vault.balanceOf(holders[i]);
            if (shares == 0) continue;
            vm.prank(holders[i]);
            try vault.redeemInKind(shares, holders[i], holders[i], minAmounts) {}
            catch (bytes memory reason) {
                broken = string.concat("[in-kind exit] ", vm.toString(holders[i]), " cannot leave: ", vm.toString(reason), ". ");
                break;
            }
        }
        if (bytes(broken).length == 0 && vault.totalSupply() != 0) {
            broken = string.concat("[in-kind exit] ", vm.toString(vault.totalSupply()), " shares left after every holder left. ");
        }
        vm.revertToState(snapshot);
        return broken;
    }

    /// @dev Shares exist only in holders' balances and the management fee not yet minted.
    function _balancesAndPendingFeeSharesMakeTheSupply() private view returns (string memory) {
        address[] memory holders = handler.holders();
        uint256 sum = vault.pendingManagementFeeShares();
        for (uint256 i; i < holders.length; ++i) {
            sum += vault.balanceOf(holders[i]);
        }
        if (sum == vault.totalSupply()) return "";
        return string.concat(
            "[supply] balances + pending fee shares ", vm.toString(sum), " != totalSupply ", vm.toString(vault.totalSupply()), ". "
        );
    }

    /// @dev The keeper cannot commit an epoch ahead of the clock (which would freeze every later commit).
    function _noEpochAheadOfTheClock() private view returns (string memory) {
        if (vault.currentEpoch() <= block.timestamp) return "";
        return string.concat(
            "[epoch] ", vm.toString(vault.currentEpoch()), " ahead of the clock ", vm.toString(block.timestamp), ". "
        );
    }

    /// @dev No batch raises a token it bought above that token's max weight.
    function _noBatchPushesAHoldingAboveItsMaxWeight() private view returns (string memory) {
        if (!handler.maxWeightBreached()) return "";
        return string.concat(
            "[max weight] a batch bought ",
            vm.toString(handler.breachedToken()),
            " to ",
            vm.toString(handler.breachedWeightBps()),
            " bps of NAV, max ",
            vm.toString(handler.breachedMaxWeightBps()),
            ". "
        );
    }

    /// @dev No settled batch leaves a constituent outside the tolerance around [its weight before, its target].
    function _noBatchMovesAPositionAwayFromItsTarget() private view returns (string memory) {
        if (!handler.toleranceBreached()) return "";
        return string.concat(
            "[target tolerance] a batch moved ",
            vm.toString(handler.toleranceToken()),
            " from ",
            vm.toString(handler.toleranceWeightBeforeBps()),
            " to ",
            vm.toString(handler.toleranceWeightAfterBps()),
            " bps of NAV, target ",
            vm.toString(handler.toleranceTargetBps()),
            ". "
        );
    }

    /// @dev deposit, mint, redeem and withdraw return what their preview said in the same state.
    function _previewsEqualResults() private view returns (string memory) {
        if (!handler.previewMismatch()) return "";
        return string.concat(
            "[previews] ",
            handler.mismatchedAction(),
            ": preview ",
            vm.toString(handler.mismatchPreview()),
            " != result ",
            vm.toString(handler.mismatchResult()),
            ". "
        );
    }

    /// @dev A deposit followed at once by a cash, withdraw or in-kind exit returns at most what it paid.
    function _depositThenExitNeverProfits() private view returns (string memory) {
        if (!handler.roundTripProfited()) return "";
        return string.concat(
            "[round trip] exit kind ",
            vm.toString(handler.roundTripExitKind()),
            " returned (USD x 1e36) ",
            vm.toString(handler.roundTripExitUsd36()),
            " for a deposit of ",
            vm.toString(handler.roundTripDepositUsd36()),
            ". "
        );
    }
}
