// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20, IERC20Metadata, ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626, IERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SlotDerivation} from "@openzeppelin/contracts/utils/SlotDerivation.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {IIndexVault} from "./interfaces/IIndexVault.sol";
import {IOracleRouter} from "./interfaces/IOracleRouter.sol";
import {ISwapAdapter} from "./interfaces/ISwapAdapter.sol";
import {FeeLib} from "./libraries/FeeLib.sol";
import {LossBudgetLib} from "./libraries/LossBudgetLib.sol";
import {NavLib} from "./libraries/NavLib.sol";
import {AddressListCodeLib} from "./libraries/AddressListCodeLib.sol";

/// @title IndexVault
/// @notice See IIndexVault.
/// @dev Every NAV-dependent entry point reads all prices exactly once, through one call to the oracle router
/// (the public ERC-4626 entry points are overridden for that reason: the stock flow would price 100
/// constituents twice, once in max* and once in preview*).
/// @dev Warning: convertTo*, preview* and totalAssets revert when a price source is unusable; max* return 0.
contract IndexVault is IIndexVault, ERC4626, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SlotDerivation for bytes32;
    using TransientSlot for bytes32;
    using TransientSlot for TransientSlot.Uint256Slot;

    // ================================================================================================
    // Constants
    // ================================================================================================

    /// @notice Commits targets and executes trades.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice Pauses deposits and rebalances and revokes keepers.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Most constituents the vault will hold; the gas of deposits and in-kind exits grows with it.
    uint256 public constant MAX_ASSETS = 100;
    /// @notice Hard cap of the entry fee (1%).
    uint16 public constant MAX_ENTRY_FEE_BPS = 100;
    /// @notice Hard cap of the exit fee (1%).
    uint16 public constant MAX_EXIT_FEE_BPS = 100;
    /// @notice Hard cap of the annual management fee (5%).
    uint16 public constant MAX_MANAGEMENT_FEE_BPS = 500;
    /// @notice Hard cap of the per-trade slippage against the oracle (5%).
    uint16 public constant MAX_SLIPPAGE_CAP_BPS = 500;
    /// @notice Hard cap of the loss budget (5% of NAV per window).
    uint16 public constant MAX_LOSS_BUDGET_BPS = 500;
    /// @notice Shortest loss budget refill window.
    uint32 public constant MIN_LOSS_WINDOW_SECONDS = 1 days;
    /// @notice Longest loss budget refill window.
    uint32 public constant MAX_LOSS_WINDOW_SECONDS = 30 days;

    uint256 private constant BPS = 10_000;
    /// @dev Shares have asset decimals + 6. The 10^6 virtual shares (and one virtual asset) make a
    /// first-depositor donation attack cost the attacker about a million times what it could take, and give
    /// fee-share minting six extra digits of precision; 12-decimal shares for USDC stay far from overflow.
    uint8 private constant DECIMALS_OFFSET = 6;
    uint256 private constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;
    /// @dev Namespace of the per-batch transient price cache.
    bytes32 private constant PRICE_CACHE_NAMESPACE = keccak256("IndexVault.tradePriceCache");
    /// @dev Transient counter of executeTrades calls in the current transaction, so a second batch in the
    /// same transaction never reads the first batch's cache (a token deregistered in between, say).
    bytes32 private constant PRICE_CACHE_NONCE_SLOT = keccak256("IndexVault.tradePriceCacheNonce");

    // ================================================================================================
    // Storage
    // ================================================================================================

    /// @dev Everything a deposit, redemption or trade batch reads, in one slot.
    struct Config {
        uint16 entryFeeBps;
        uint16 exitFeeBps;
        uint16 managementFeeBps;
        uint16 maxSlippageBps;
        uint16 lossBudgetBps;
        uint32 lossBudgetWindowSeconds;
        uint40 lastFeeAccrual;
        bool depositsPaused;
        bool rebalancesPaused;
    }

    struct EpochState {
        uint64 epoch;
        Regime regime;
        uint16 cashWeightBps;
        uint40 regimeChangedAt;
    }

    struct LossState {
        uint128 usedAssets;
        uint64 lastUpdate;
        uint64 batchSequence;
    }

    /// @dev targetWeightBps is valid only while targetEpoch equals the current epoch, so a commit never has
    /// to clear the previous epoch's targets.
    struct AssetInfo {
        uint16 indexPlusOne;
        uint16 maxWeightBps;
        uint16 targetWeightBps;
        uint64 targetEpoch;
    }

    /// @inheritdoc IIndexVault
    uint256 public immutable deploymentBlock = block.number;
    /// @inheritdoc IIndexVault
    IOracleRouter public oracle;
    /// @inheritdoc IIndexVault
    address public feeRecipient;
    /// @inheritdoc IIndexVault
    bytes32 public currentSnapshotHash;

    Config private _config;
    EpochState private _epoch;
    LossState private _loss;
    /// @dev The constituent list lives in a data contract's code (AddressListCodeLib): one EXTCODECOPY per
    /// read instead of one cold SLOAD per constituent.
    address private _assetsPointer;
    mapping(address token => AssetInfo) private _assetInfo;
    mapping(address adapter => bool) private _adapterAllowed;
    mapping(address pool => bool) private _poolAllowed;

    /// @dev What every trade of a batch needs, computed once.
    struct Batch {
        bytes32 cache;
        uint256 assetPrice;
        uint256 capacity;
        uint256 usedAssets;
        address stable;
        address checkedAdapter;
        uint64 epoch;
        Regime regime;
        uint16 maxSlippageBps;
    }

    /// @dev Prices of [asset(), ...registeredAssets()] and the NAV they give.
    struct Valuation {
        address[] tokens;
        uint256[] prices;
        uint256 cash;
        uint256 navDown;
        uint256 navUp;
    }

    // ================================================================================================
    // Construction
    // ================================================================================================

    /// @param asset_ The stablecoin; it must have a source in `oracle_`.
    /// @param admin_ DEFAULT_ADMIN_ROLE holder: the TimelockController.
    /// @param oracle_ The oracle router.
    /// @param feeRecipient_ Receiver of management fee shares.
    /// @dev Defaults: no fees, 1% max slippage, loss budget 50 bps of NAV per 7 days, nothing paused.
    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        address admin_,
        IOracleRouter oracle_,
        address feeRecipient_
    ) ERC4626(asset_) ERC20(name_, symbol_) {
        if (admin_ == address(0) || address(oracle_) == address(0) || feeRecipient_ == address(0)) {
            revert IndexVaultZeroAddress();
        }
        _grantRole(DEFAULT_ADMIN_ROLE, admin_);
        oracle = oracle_;
        feeRecipient = feeRecipient_;
        _config = Config({
            entryFeeBps: 0,
            exitFeeBps: 0,
            managementFeeBps: 0,
            maxSlippageBps: 100,
            lossBudgetBps: 50,
            lossBudgetWindowSeconds: 7 days,
            lastFeeAccrual: uint40(block.timestamp),
            depositsPaused: false,
            rebalancesPaused: false
        });
        emit OracleSet(address(oracle_));
        emit FeeRecipientSet(feeRecipient_);
        emit MaxSlippageSet(100);
        emit LossBudgetSet(50, 7 days);
    }

    // ================================================================================================
    // ERC-4626 entry points (one valuation each)
    // ================================================================================================

    /// @inheritdoc IERC4626
    function deposit(uint256 assets, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        return _depositAssets(assets, receiver, 0);
    }

    /// @inheritdoc IIndexVault
    function depositWithMin(uint256 assets, address receiver, uint256 minSharesOut)
        external
        nonReentrant
        returns (uint256)
    {
        return _depositAssets(assets, receiver, minSharesOut);
    }

    /// @inheritdoc IERC4626
    function mint(uint256 shares, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        Valuation memory v = _beginDeposit();
        uint256 net = NavLib.toAssets(shares, totalSupply(), v.navUp, VIRTUAL_SHARES, Math.Rounding.Ceil);
        uint256 fee = FeeLib.feeOnNetUp(net, _config.entryFeeBps);
        _deposit(_msgSender(), receiver, net + fee, shares);
        if (fee != 0) emit EntryFeeCharged(receiver, fee);
        return net + fee;
    }

    /// @inheritdoc IERC4626
    function withdraw(uint256 assets, address receiver, address owner)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256)
    {
        _accrueManagementFee();
        Valuation memory v = _marketValuation(IOracleRouter.Bound.Low);
        if (assets > v.cash) revert IndexVaultInsufficientCash(assets, v.cash);
        uint256 fee = FeeLib.feeOnNetUp(assets, _config.exitFeeBps);
        uint256 shares = NavLib.toShares(assets + fee, totalSupply(), v.navDown, VIRTUAL_SHARES, Math.Rounding.Ceil);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
        if (fee != 0) emit ExitFeeCharged(owner, fee);
        return shares;
    }

    /// @inheritdoc IERC4626
    function redeem(uint256 shares, address receiver, address owner)
        public
        override(ERC4626, IERC4626)
        nonReentrant
        returns (uint256)
    {
        return _redeemShares(shares, receiver, owner, 0);
    }

    /// @inheritdoc IIndexVault
    function redeemWithMin(uint256 shares, address receiver, address owner, uint256 minAssetsOut)
        external
        nonReentrant
        returns (uint256)
    {
        return _redeemShares(shares, receiver, owner, minAssetsOut);
    }

    /// @inheritdoc IIndexVault
    function redeemInKind(uint256 shares, address receiver, address owner, uint256[] calldata minAmountsOut)
        external
        nonReentrant
        returns (uint256[] memory amountsOut)
    {
        if (receiver == address(0)) revert IndexVaultZeroAddress();
        _accrueManagementFee();
        address[] memory tokens = _tokens();
        uint256 n = tokens.length;
        if (minAmountsOut.length != n) revert IndexVaultMinAmountsLength(n, minAmountsOut.length);
        address caller = _msgSender();
        if (caller != owner) _spendAllowance(owner, caller, shares);

        uint256 supply = totalSupply();
        amountsOut = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            amountsOut[i] = NavLib.proRataDown(IERC20(tokens[i]).balanceOf(address(this)), shares, supply, VIRTUAL_SHARES);
        }
        // Burn before paying out, so a token hook sees the post-exit supply (and the guard blocks re-entry).
        _burn(owner, shares);
        for (uint256 i; i < n; ++i) {
            uint256 amount = amountsOut[i];
            uint256 minAmount = minAmountsOut[i];
            if (amount < minAmount) revert IndexVaultAmountBelowMin(tokens[i], amount, minAmount);
            if (amount == 0) continue;
            if (!IERC20(tokens[i]).trySafeTransfer(receiver, amount)) {
                // A broken token must not block the exit: with a zero minimum its slice stays behind.
                if (minAmount != 0) revert IndexVaultAmountBelowMin(tokens[i], 0, minAmount);
                amountsOut[i] = 0;
            }
        }
        emit RedeemedInKind(caller, receiver, owner, shares, tokens, amountsOut);
    }

    /// @inheritdoc IIndexVault
    function accrueManagementFee() external nonReentrant {
        _accrueManagementFee();
    }

    // ================================================================================================
    // Keeper
    // ================================================================================================

    /// @inheritdoc IIndexVault
    function commitTargets(
        uint64 epoch,
        Regime regime,
        address[] calldata assets,
        uint16[] calldata weightsBps,
        bytes32 snapshotHash
    ) external onlyRole(KEEPER_ROLE) {
        if (_config.rebalancesPaused) revert IndexVaultRebalancesPaused();
        EpochState memory previous = _epoch;
        if (epoch <= previous.epoch) revert IndexVaultEpochNotIncreasing(epoch, previous.epoch);
        if (epoch > block.timestamp || epoch % 1 days != 0) revert IndexVaultEpochNotPastDayStart(epoch, block.timestamp);
        uint40 regimeChangedAt = previous.regimeChangedAt;
        if (regime != previous.regime && previous.epoch != 0) {
            if (block.timestamp < uint256(regimeChangedAt) + 1 days) {
                revert IndexVaultRegimeFlipTooSoon(regimeChangedAt, block.timestamp);
            }
            regimeChangedAt = uint40(block.timestamp);
        }
        uint256 n = assets.length;
        if (n != weightsBps.length) revert IndexVaultLengthMismatch(n, weightsBps.length);

        (uint256 sumBps, uint16 cashWeightBps) = _storeTargets(epoch, regime, assets, weightsBps);
        if (sumBps != BPS) revert IndexVaultWeightsSum(sumBps);
        _epoch = EpochState({epoch: epoch, regime: regime, cashWeightBps: cashWeightBps, regimeChangedAt: regimeChangedAt});
        currentSnapshotHash = snapshotHash;
        emit TargetsCommitted(epoch, regime, snapshotHash, assets, weightsBps);
    }

    /// @inheritdoc IIndexVault
    function executeTrades(Trade[] calldata trades, uint256 deadline, uint64 expectedBatchSequence)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
        returns (uint256[] memory amountsOut)
    {
        LossState memory loss = _loss;
        if (expectedBatchSequence != loss.batchSequence) {
            revert IndexVaultStaleBatch(expectedBatchSequence, loss.batchSequence);
        }
        uint256 n = trades.length;
        if (n == 0) revert IndexVaultEmptyBatch();
        Batch memory b = _beginBatch(deadline, loss);
        amountsOut = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            amountsOut[i] = _executeTrade(trades[i], b);
        }
        _loss = LossState({
            usedAssets: SafeCast.toUint128(b.usedAssets),
            lastUpdate: uint64(block.timestamp),
            batchSequence: loss.batchSequence + 1
        });
        emit BatchExecuted(loss.batchSequence, n);
    }

    // ================================================================================================
    // Guardian
    // ================================================================================================

    /// @inheritdoc IIndexVault
    function pauseDeposits() external {
        _checkGuardianOrAdmin();
        _config.depositsPaused = true;
        emit DepositsPausedSet(_msgSender(), true);
    }

    /// @inheritdoc IIndexVault
    function pauseRebalances() external {
        _checkGuardianOrAdmin();
        _config.rebalancesPaused = true;
        emit RebalancesPausedSet(_msgSender(), true);
    }

    /// @inheritdoc IIndexVault
    function revokeKeeper(address keeper) external {
        _checkGuardianOrAdmin();
        _revokeRole(KEEPER_ROLE, keeper);
    }

    // ================================================================================================
    // Admin
    // ================================================================================================

    /// @inheritdoc IIndexVault
    function unpauseDeposits() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _config.depositsPaused = false;
        emit DepositsPausedSet(_msgSender(), false);
    }

    /// @inheritdoc IIndexVault
    function unpauseRebalances() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _config.rebalancesPaused = false;
        emit RebalancesPausedSet(_msgSender(), false);
    }

    /// @inheritdoc IIndexVault
    function setOracle(IOracleRouter newOracle) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(newOracle) == address(0)) revert IndexVaultZeroAddress();
        // Fail now if the new router cannot price the current holdings.
        newOracle.unitPricesUsd36(_tokens());
        oracle = newOracle;
        emit OracleSet(address(newOracle));
    }

    /// @inheritdoc IIndexVault
    function registerAsset(address token, uint16 maxWeightBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(0) || token == asset() || token == address(this)) revert IndexVaultInvalidAsset(token);
        if (_assetInfo[token].indexPlusOne != 0) revert IndexVaultAssetAlreadyRegistered(token);
        address[] memory assets = AddressListCodeLib.read(_assetsPointer);
        if (assets.length >= MAX_ASSETS) revert IndexVaultTooManyAssets(MAX_ASSETS);
        if (maxWeightBps_ > BPS) revert IndexVaultWeightOutOfRange(maxWeightBps_);
        oracle.unitPriceUsd36(token);
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance != 0) {
            // A self-transfer that changes our balance reveals a transfer fee or a rebasing hook.
            IERC20(token).safeTransfer(address(this), balance);
            uint256 after_ = IERC20(token).balanceOf(address(this));
            if (after_ != balance) revert IndexVaultFeeOnTransfer(token, balance, after_);
        }
        address[] memory next = new address[](assets.length + 1);
        for (uint256 i; i < assets.length; ++i) {
            next[i] = assets[i];
        }
        next[assets.length] = token;
        _assetsPointer = AddressListCodeLib.write(next);
        _assetInfo[token] = AssetInfo({
            indexPlusOne: uint16(next.length),
            maxWeightBps: maxWeightBps_,
            targetWeightBps: 0,
            targetEpoch: 0
        });
        emit AssetRegistered(token, maxWeightBps_);
    }

    /// @inheritdoc IIndexVault
    function deregisterAsset(address token) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 indexPlusOne = _assetInfo[token].indexPlusOne;
        if (indexPlusOne == 0) revert IndexVaultAssetNotRegistered(token);
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance != 0) revert IndexVaultAssetHasBalance(token, balance);
        address[] memory assets = AddressListCodeLib.read(_assetsPointer);
        uint256 last = assets.length - 1;
        if (indexPlusOne - 1 != last) {
            address moved = assets[last];
            assets[indexPlusOne - 1] = moved;
            _assetInfo[moved].indexPlusOne = uint16(indexPlusOne);
        }
        // Shrinks the memory array in place: drops the (now duplicated or removed) last entry.
        assembly ("memory-safe") {
            mstore(assets, last)
        }
        _assetsPointer = last == 0 ? address(0) : AddressListCodeLib.write(assets);
        delete _assetInfo[token];
        emit AssetDeregistered(token);
    }

    /// @inheritdoc IIndexVault
    function setMaxWeight(address token, uint16 maxWeightBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_assetInfo[token].indexPlusOne == 0) revert IndexVaultAssetNotRegistered(token);
        if (maxWeightBps_ > BPS) revert IndexVaultWeightOutOfRange(maxWeightBps_);
        _assetInfo[token].maxWeightBps = maxWeightBps_;
        emit MaxWeightSet(token, maxWeightBps_);
    }

    /// @inheritdoc IIndexVault
    function setAdapterAllowed(address adapter, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (adapter == address(0)) revert IndexVaultZeroAddress();
        _adapterAllowed[adapter] = allowed;
        emit AdapterAllowedSet(adapter, allowed);
    }

    /// @inheritdoc IIndexVault
    function setPoolAllowed(address pool, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (pool == address(0)) revert IndexVaultZeroAddress();
        _poolAllowed[pool] = allowed;
        emit PoolAllowedSet(pool, allowed);
    }

    /// @inheritdoc IIndexVault
    function setFees(uint16 entryFeeBps_, uint16 exitFeeBps_, uint16 managementFeeBps_)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (entryFeeBps_ > MAX_ENTRY_FEE_BPS) revert IndexVaultFeeTooHigh(entryFeeBps_, MAX_ENTRY_FEE_BPS);
        if (exitFeeBps_ > MAX_EXIT_FEE_BPS) revert IndexVaultFeeTooHigh(exitFeeBps_, MAX_EXIT_FEE_BPS);
        if (managementFeeBps_ > MAX_MANAGEMENT_FEE_BPS) {
            revert IndexVaultFeeTooHigh(managementFeeBps_, MAX_MANAGEMENT_FEE_BPS);
        }
        _accrueManagementFee();
        _config.entryFeeBps = entryFeeBps_;
        _config.exitFeeBps = exitFeeBps_;
        _config.managementFeeBps = managementFeeBps_;
        emit FeesSet(entryFeeBps_, exitFeeBps_, managementFeeBps_);
    }

    /// @inheritdoc IIndexVault
    function setFeeRecipient(address recipient) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (recipient == address(0)) revert IndexVaultZeroAddress();
        _accrueManagementFee();
        feeRecipient = recipient;
        emit FeeRecipientSet(recipient);
    }

    /// @inheritdoc IIndexVault
    function setMaxSlippage(uint16 maxSlippageBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (maxSlippageBps_ == 0 || maxSlippageBps_ > MAX_SLIPPAGE_CAP_BPS) {
            revert IndexVaultSlippageOutOfRange(maxSlippageBps_, MAX_SLIPPAGE_CAP_BPS);
        }
        _config.maxSlippageBps = maxSlippageBps_;
        emit MaxSlippageSet(maxSlippageBps_);
    }

    /// @inheritdoc IIndexVault
    function setLossBudget(uint16 budgetBps, uint32 windowSeconds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (
            budgetBps > MAX_LOSS_BUDGET_BPS || windowSeconds < MIN_LOSS_WINDOW_SECONDS
                || windowSeconds > MAX_LOSS_WINDOW_SECONDS
        ) revert IndexVaultLossBudgetOutOfRange(budgetBps, windowSeconds);
        _config.lossBudgetBps = budgetBps;
        _config.lossBudgetWindowSeconds = windowSeconds;
        emit LossBudgetSet(budgetBps, windowSeconds);
    }

    // ================================================================================================
    // ERC-4626 views
    // ================================================================================================

    /// @inheritdoc IERC4626
    /// @dev NAV rounded down: cash + sum(balance x price(token) / price(asset)).
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        _checkNotEntered();
        return _valuation().navDown;
    }

    /// @notice The ERC-20 supply plus the management fee shares accrued but not yet minted, so that every
    /// conversion already accounts for the fee.
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        return super.totalSupply() + pendingManagementFeeShares();
    }

    /// @inheritdoc IERC4626
    function maxDeposit(address) public view override(ERC4626, IERC4626) returns (uint256) {
        if (_config.depositsPaused || _reentrancyGuardEntered()) return 0;
        (bool ok,) = _tryMarketValuation(IOracleRouter.Bound.High);
        return ok ? type(uint256).max : 0;
    }

    /// @inheritdoc IERC4626
    function maxMint(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return maxDeposit(owner);
    }

    /// @inheritdoc IERC4626
    /// @dev Limited by the cash the vault holds; 0 while a price source is unusable.
    function maxWithdraw(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        (bool ok, Valuation memory v) = _tryMarketValuation(IOracleRouter.Bound.Low);
        if (!ok) return 0;
        return Math.min(_assetsForRedeem(balanceOf(owner), v), v.cash);
    }

    /// @inheritdoc IERC4626
    /// @dev The largest share amount whose cash redemption the held cash covers; 0 while a price is unusable.
    function maxRedeem(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        (bool ok, Valuation memory v) = _tryMarketValuation(IOracleRouter.Bound.Low);
        if (!ok) return 0;
        // gross = cash + fee on it rounded down, so that gross minus its rounded-up fee never exceeds cash.
        uint256 gross = v.cash + Math.mulDiv(v.cash, _config.exitFeeBps, BPS);
        uint256 sharesForCash = NavLib.toShares(gross, totalSupply(), v.navDown, VIRTUAL_SHARES, Math.Rounding.Floor);
        return Math.min(balanceOf(owner), sharesForCash);
    }

    /// @inheritdoc IERC4626
    function previewDeposit(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        _checkNotEntered();
        return _sharesForDeposit(assets, _marketValuation(IOracleRouter.Bound.High));
    }

    /// @inheritdoc IERC4626
    function previewMint(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        _checkNotEntered();
        uint256 net = NavLib.toAssets(shares, totalSupply(), _marketValuation(IOracleRouter.Bound.High).navUp, VIRTUAL_SHARES, Math.Rounding.Ceil);
        return net + FeeLib.feeOnNetUp(net, _config.entryFeeBps);
    }

    /// @inheritdoc IERC4626
    function previewWithdraw(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        _checkNotEntered();
        uint256 gross = assets + FeeLib.feeOnNetUp(assets, _config.exitFeeBps);
        return NavLib.toShares(gross, totalSupply(), _marketValuation(IOracleRouter.Bound.Low).navDown, VIRTUAL_SHARES, Math.Rounding.Ceil);
    }

    /// @inheritdoc IERC4626
    function previewRedeem(uint256 shares) public view override(ERC4626, IERC4626) returns (uint256) {
        _checkNotEntered();
        return _assetsForRedeem(shares, _marketValuation(IOracleRouter.Bound.Low));
    }

    // ================================================================================================
    // Other views
    // ================================================================================================

    /// @inheritdoc IIndexVault
    function registeredAssets() external view returns (address[] memory) {
        return AddressListCodeLib.read(_assetsPointer);
    }

    /// @inheritdoc IIndexVault
    function isRegistered(address token) external view returns (bool) {
        return _assetInfo[token].indexPlusOne != 0;
    }

    /// @inheritdoc IIndexVault
    function maxWeightBps(address token) external view returns (uint16) {
        return _assetInfo[token].maxWeightBps;
    }

    /// @inheritdoc IIndexVault
    function valueInAsset(address token, uint256 amount) external view returns (uint256) {
        (uint256 tokenPrice, uint256 assetPrice) = _pricePair(token, asset());
        return NavLib.valueDown(amount, tokenPrice, assetPrice);
    }

    /// @inheritdoc IIndexVault
    function oracleMinAmountOut(address tokenIn, address tokenOut, uint256 amountIn) external view returns (uint256) {
        (uint256 priceIn, uint256 priceOut) = _pricePair(tokenIn, tokenOut);
        return NavLib.minAmountOutUp(amountIn, priceIn, priceOut, _config.maxSlippageBps);
    }

    /// @inheritdoc IIndexVault
    function batchSequence() external view returns (uint64) {
        return _loss.batchSequence;
    }

    /// @inheritdoc IIndexVault
    function currentEpoch() external view returns (uint64) {
        return _epoch.epoch;
    }

    /// @inheritdoc IIndexVault
    function currentRegime() external view returns (Regime) {
        return _epoch.regime;
    }

    /// @inheritdoc IIndexVault
    function targetWeightBps(address token) external view returns (uint16) {
        EpochState memory e = _epoch;
        if (token == asset()) return e.cashWeightBps;
        AssetInfo memory info = _assetInfo[token];
        return info.targetEpoch == e.epoch && e.epoch != 0 ? info.targetWeightBps : 0;
    }

    /// @inheritdoc IIndexVault
    function maxSlippageBps() external view returns (uint16) {
        return _config.maxSlippageBps;
    }

    /// @inheritdoc IIndexVault
    function lossBudgetBps() external view returns (uint16) {
        return _config.lossBudgetBps;
    }

    /// @inheritdoc IIndexVault
    function lossBudgetWindowSeconds() external view returns (uint32) {
        return _config.lossBudgetWindowSeconds;
    }

    /// @inheritdoc IIndexVault
    function lossBudgetAvailable() external view returns (uint256) {
        Config memory c = _config;
        uint256 capacity = LossBudgetLib.capacityDown(totalAssets(), c.lossBudgetBps);
        LossState memory loss = _loss;
        uint256 used =
            LossBudgetLib.usedNow(loss.usedAssets, loss.lastUpdate, capacity, c.lossBudgetWindowSeconds, block.timestamp);
        return LossBudgetLib.available(used, capacity);
    }

    /// @inheritdoc IIndexVault
    function isAdapterAllowed(address adapter) external view returns (bool) {
        return _adapterAllowed[adapter];
    }

    /// @inheritdoc IIndexVault
    function isPoolAllowed(address pool) external view returns (bool) {
        return _poolAllowed[pool];
    }

    /// @inheritdoc IIndexVault
    function entryFeeBps() external view returns (uint16) {
        return _config.entryFeeBps;
    }

    /// @inheritdoc IIndexVault
    function exitFeeBps() external view returns (uint16) {
        return _config.exitFeeBps;
    }

    /// @inheritdoc IIndexVault
    function managementFeeBps() external view returns (uint16) {
        return _config.managementFeeBps;
    }

    /// @inheritdoc IIndexVault
    function pendingManagementFeeShares() public view returns (uint256) {
        Config memory c = _config;
        if (c.managementFeeBps == 0) return 0;
        return FeeLib.managementFeeSharesDown(super.totalSupply(), c.managementFeeBps, block.timestamp - c.lastFeeAccrual);
    }

    /// @inheritdoc IIndexVault
    function depositsPaused() external view returns (bool) {
        return _config.depositsPaused;
    }

    /// @inheritdoc IIndexVault
    function rebalancesPaused() external view returns (bool) {
        return _config.rebalancesPaused;
    }

    // ================================================================================================
    // Internal: deposits and redemptions
    // ================================================================================================

    function _beginDeposit() private returns (Valuation memory) {
        _accrueManagementFee();
        if (_config.depositsPaused) revert IndexVaultDepositsPaused();
        return _marketValuation(IOracleRouter.Bound.High);
    }

    function _depositAssets(uint256 assets, address receiver, uint256 minSharesOut) private returns (uint256 shares) {
        Valuation memory v = _beginDeposit();
        shares = _sharesForDeposit(assets, v);
        if (shares < minSharesOut) revert IndexVaultSharesBelowMin(shares, minSharesOut);
        _deposit(_msgSender(), receiver, assets, shares);
        uint256 fee = FeeLib.feeOnGrossUp(assets, _config.entryFeeBps);
        if (fee != 0) emit EntryFeeCharged(receiver, fee);
    }

    function _redeemShares(uint256 shares, address receiver, address owner, uint256 minAssetsOut)
        private
        returns (uint256 assets)
    {
        _accrueManagementFee();
        Valuation memory v = _marketValuation(IOracleRouter.Bound.Low);
        uint256 gross = NavLib.toAssets(shares, totalSupply(), v.navDown, VIRTUAL_SHARES, Math.Rounding.Floor);
        assets = gross - FeeLib.feeOnGrossUp(gross, _config.exitFeeBps);
        if (assets < minAssetsOut) revert IndexVaultAssetsBelowMin(assets, minAssetsOut);
        if (assets > v.cash) revert IndexVaultInsufficientCash(assets, v.cash);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
        if (gross != assets) emit ExitFeeCharged(owner, gross - assets);
    }

    /// @dev Shares for a deposit: the entry fee is taken out of `assets` and stays in the vault; the rest is
    /// converted at the NAV rounded up and the shares rounded down (both against the depositor).
    function _sharesForDeposit(uint256 assets, Valuation memory v) private view returns (uint256) {
        uint256 net = assets - FeeLib.feeOnGrossUp(assets, _config.entryFeeBps);
        return NavLib.toShares(net, totalSupply(), v.navUp, VIRTUAL_SHARES, Math.Rounding.Floor);
    }

    /// @dev Cash for a redemption: shares at the NAV rounded down, assets rounded down, exit fee kept.
    function _assetsForRedeem(uint256 shares, Valuation memory v) private view returns (uint256) {
        uint256 gross = NavLib.toAssets(shares, totalSupply(), v.navDown, VIRTUAL_SHARES, Math.Rounding.Floor);
        return gross - FeeLib.feeOnGrossUp(gross, _config.exitFeeBps);
    }

    /// @dev Rejects tokens that deliver less than was sent (fee-on-transfer), measured as our balance change.
    function _transferIn(address from, uint256 assets) internal override {
        IERC20 token = IERC20(asset());
        uint256 before = token.balanceOf(address(this));
        super._transferIn(from, assets);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != assets) revert IndexVaultFeeOnTransfer(address(token), assets, received);
    }

    function _accrueManagementFee() private {
        Config memory c = _config;
        if (c.lastFeeAccrual == block.timestamp) return;
        uint256 shares = pendingManagementFeeShares();
        _config.lastFeeAccrual = uint40(block.timestamp);
        if (shares != 0) {
            address recipient = feeRecipient;
            _mint(recipient, shares);
            emit ManagementFeeAccrued(shares, recipient, block.timestamp - c.lastFeeAccrual);
        }
    }

    /// @dev OZ's convertToShares/convertToAssets route here. The NAV is rounded against the side that receives.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        _checkNotEntered();
        Valuation memory v = _valuation();
        uint256 nav = rounding == Math.Rounding.Floor ? v.navUp : v.navDown;
        return NavLib.toShares(assets, totalSupply(), nav, VIRTUAL_SHARES, rounding);
    }

    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        _checkNotEntered();
        Valuation memory v = _valuation();
        uint256 nav = rounding == Math.Rounding.Floor ? v.navDown : v.navUp;
        return NavLib.toAssets(shares, totalSupply(), nav, VIRTUAL_SHARES, rounding);
    }

    function _decimalsOffset() internal pure override returns (uint8) {
        return DECIMALS_OFFSET;
    }

    // ================================================================================================
    // Internal: valuation
    // ================================================================================================

    /// @dev [asset(), ...registeredAssets()]: the order of prices, in-kind payouts and minAmountsOut.
    function _tokens() private view returns (address[] memory) {
        return AddressListCodeLib.readWithHead(_assetsPointer, asset());
    }

    function _valuation() private view returns (Valuation memory v) {
        v.tokens = _tokens();
        v.prices = oracle.unitPricesUsd36(v.tokens);
        _value(v);
    }

    /// @dev NAV rounded down and up in one pass; each constituent adds at most 1 between the two.
    function _value(Valuation memory v) private view {
        uint256 assetPrice = v.prices[0];
        uint256 cash = IERC20(v.tokens[0]).balanceOf(address(this));
        uint256 navDown = cash;
        uint256 remainders;
        uint256 n = v.tokens.length;
        for (uint256 i = 1; i < n; ++i) {
            uint256 balance = IERC20(v.tokens[i]).balanceOf(address(this));
            if (balance == 0) continue;
            (uint256 value, bool hasRemainder) = NavLib.valueDownWithRemainder(balance, v.prices[i], assetPrice);
            navDown += value;
            if (hasRemainder) {
                // Cannot overflow: at most MAX_ASSETS increments.
                unchecked {
                    ++remainders;
                }
            }
        }
        v.cash = cash;
        v.navDown = navDown;
        v.navUp = navDown + remainders;
    }

    /// @dev The NAV a deposit (Bound.High) or a cash exit (Bound.Low) is priced at: each constituent at the
    /// higher, or lower, of its oracle price and its market pool's block-start price (IOracleRouter), so that
    /// an oracle lagging the market inside its deviation threshold sells no share below market value and
    /// buys none back above it.
    function _marketValuation(IOracleRouter.Bound bound) private view returns (Valuation memory v) {
        v.tokens = _tokens();
        v.prices = oracle.boundedUnitPricesUsd36(v.tokens, bound);
        _value(v);
    }

    /// @dev As _marketValuation, with ok false instead of a revert; for max* views, which must not revert.
    function _tryMarketValuation(IOracleRouter.Bound bound) private view returns (bool ok, Valuation memory v) {
        if (_reentrancyGuardEntered()) return (false, v);
        v.tokens = _tokens();
        try oracle.boundedUnitPricesUsd36(v.tokens, bound) returns (uint256[] memory prices) {
            v.prices = prices;
        } catch {
            return (false, v);
        }
        _value(v);
        ok = true;
    }

    function _pricePair(address tokenA, address tokenB) private view returns (uint256 priceA, uint256 priceB) {
        _checkKnown(tokenA);
        _checkKnown(tokenB);
        address[] memory pair = new address[](2);
        pair[0] = tokenA;
        pair[1] = tokenB;
        uint256[] memory prices = oracle.unitPricesUsd36(pair);
        return (prices[0], prices[1]);
    }

    function _checkKnown(address token) private view {
        if (token != asset() && _assetInfo[token].indexPlusOne == 0) revert IndexVaultUnknownToken(token);
    }

    // ================================================================================================
    // Internal: trades
    // ================================================================================================

    /// @dev Stores each token's price in transient storage under a per-call key, so each trade prices its
    /// two tokens with two TLOADs, and a token without an entry is known to be neither registered nor cash.
    function _fillPriceCache(Valuation memory v) private returns (bytes32 cache) {
        TransientSlot.Uint256Slot nonceSlot = PRICE_CACHE_NONCE_SLOT.asUint256();
        uint256 nonce = nonceSlot.tload() + 1;
        nonceSlot.tstore(nonce);
        cache = keccak256(abi.encode(PRICE_CACHE_NAMESPACE, nonce));
        uint256 n = v.tokens.length;
        for (uint256 i; i < n; ++i) {
            cache.deriveMapping(v.tokens[i]).asUint256().tstore(v.prices[i]);
        }
    }

    function _cachedPrice(bytes32 cache, address token) private view returns (uint256 price) {
        price = cache.deriveMapping(token).asUint256().tload();
        if (price == 0) revert IndexVaultUnknownToken(token);
    }

    /// @dev Stores each listed constituent's target under `epoch`; returns the weight sum and the cash weight.
    function _storeTargets(uint64 epoch, Regime regime, address[] calldata assets, uint16[] calldata weightsBps)
        private
        returns (uint256 sumBps, uint16 cashWeightBps)
    {
        address stable = asset();
        bool cashListed;
        for (uint256 i; i < assets.length; ++i) {
            sumBps += weightsBps[i];
            if (assets[i] != stable) {
                _storeTarget(assets[i], weightsBps[i], epoch, regime);
            } else {
                if (cashListed) revert IndexVaultDuplicateAsset(stable);
                cashListed = true;
                cashWeightBps = weightsBps[i];
            }
        }
    }

    function _storeTarget(address token, uint16 weight, uint64 epoch, Regime regime) private {
        AssetInfo storage info = _assetInfo[token];
        if (info.indexPlusOne == 0) revert IndexVaultUnknownToken(token);
        if (info.targetEpoch == epoch) revert IndexVaultDuplicateAsset(token);
        if (weight > info.maxWeightBps) revert IndexVaultWeightAboveMax(token, weight, info.maxWeightBps);
        if (regime == Regime.Bear && weight != 0) revert IndexVaultBearRiskWeight(token, weight);
        info.targetWeightBps = weight;
        info.targetEpoch = epoch;
    }

    /// @dev Checks the batch may run, prices everything once and loads the loss budget.
    function _beginBatch(uint256 deadline, LossState memory loss) private returns (Batch memory b) {
        Config memory c = _config;
        if (c.rebalancesPaused) revert IndexVaultRebalancesPaused();
        if (block.timestamp > deadline) revert IndexVaultDeadlineExpired(deadline, block.timestamp);
        EpochState memory e = _epoch;
        if (e.epoch == 0) revert IndexVaultNoEpoch();

        Valuation memory v = _valuation();
        b.cache = _fillPriceCache(v);
        b.assetPrice = v.prices[0];
        b.stable = v.tokens[0];
        b.epoch = e.epoch;
        b.regime = e.regime;
        b.maxSlippageBps = c.maxSlippageBps;
        b.capacity = LossBudgetLib.capacityDown(v.navDown, c.lossBudgetBps);
        b.usedAssets = LossBudgetLib.usedNow(
            loss.usedAssets, loss.lastUpdate, b.capacity, c.lossBudgetWindowSeconds, block.timestamp
        );
    }

    /// @dev One trade: bounds, swap, loss budget, event. Returns what arrived.
    function _executeTrade(Trade calldata t, Batch memory b) private returns (uint256 received) {
        if (t.adapter != b.checkedAdapter) {
            if (!_adapterAllowed[t.adapter]) revert IndexVaultAdapterNotAllowed(t.adapter);
            b.checkedAdapter = t.adapter;
        }
        (uint256 priceIn, uint256 priceOut) = _checkTrade(t, b);
        received = _swap(t);

        uint256 valueIn = NavLib.valueDown(t.amountIn, priceIn, b.assetPrice);
        uint256 valueOut = NavLib.valueDown(received, priceOut, b.assetPrice);
        if (valueIn > valueOut) {
            uint256 lossAssets = valueIn - valueOut;
            uint256 availableAssets = LossBudgetLib.available(b.usedAssets, b.capacity);
            if (lossAssets > availableAssets) revert IndexVaultLossBudgetExceeded(lossAssets, availableAssets);
            b.usedAssets += lossAssets;
        }
        emit TradeExecuted(
            b.epoch, t.adapter, t.tokenIn, t.tokenOut, t.amountIn, received, t.minAmountOut, valueIn, valueOut
        );
    }

    /// @dev The on-chain bounds of a trade; returns the cached prices of its two tokens.
    function _checkTrade(Trade calldata t, Batch memory b) private view returns (uint256 priceIn, uint256 priceOut) {
        address tokenIn = t.tokenIn;
        address tokenOut = t.tokenOut;
        if (tokenIn == tokenOut || t.amountIn == 0) revert IndexVaultInvalidTrade(tokenIn, tokenOut, t.amountIn);
        if (b.regime == Regime.Bear && tokenOut != b.stable) revert IndexVaultBearBuy(tokenOut);
        priceIn = _cachedPrice(b.cache, tokenIn);
        priceOut = _cachedPrice(b.cache, tokenOut);
        uint256 oracleMin = NavLib.minAmountOutUp(t.amountIn, priceIn, priceOut, b.maxSlippageBps);
        if (t.minAmountOut < oracleMin) revert IndexVaultMinOutBelowOracle(tokenIn, tokenOut, t.minAmountOut, oracleMin);
    }

    /// @dev Sends amountIn to the trade's adapter only (no allowance is ever granted) and measures the output
    /// as our own balance change, never trusting the adapter's return value.
    function _swap(Trade calldata t) private returns (uint256 received) {
        IERC20 tokenOut = IERC20(t.tokenOut);
        uint256 balanceBefore = tokenOut.balanceOf(address(this));
        IERC20(t.tokenIn).safeTransfer(t.adapter, t.amountIn);
        ISwapAdapter(t.adapter).swap(t.tokenIn, t.tokenOut, t.amountIn, t.minAmountOut, t.data);
        received = tokenOut.balanceOf(address(this)) - balanceBefore;
        if (received < t.minAmountOut) revert IndexVaultReceivedBelowMin(t.tokenOut, received, t.minAmountOut);
    }

    /// @dev Mid-exit (a constituent's transfer hook, say) balances and supply disagree: a view read then would
    /// be wrong, so it reverts instead (read-only reentrancy); max* return 0 instead, as they must not revert.
    function _checkNotEntered() private view {
        if (_reentrancyGuardEntered()) revert ReentrancyGuardReentrantCall();
    }

    function _checkGuardianOrAdmin() private view {
        address caller = _msgSender();
        if (!hasRole(GUARDIAN_ROLE, caller) && !hasRole(DEFAULT_ADMIN_ROLE, caller)) {
            revert IndexVaultNotGuardian(caller);
        }
    }
}
