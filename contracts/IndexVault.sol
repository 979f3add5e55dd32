// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20, IERC20Metadata, ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626, IERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IIndexVault} from "./interfaces/IIndexVault.sol";
import {IOracleRouter} from "./interfaces/IOracleRouter.sol";
import {FeeLib} from "./libraries/FeeLib.sol";
import {LossBudgetLib} from "./libraries/LossBudgetLib.sol";
import {NavLib} from "./libraries/NavLib.sol";
import {AddressListCodeLib} from "./libraries/AddressListCodeLib.sol";
import {BoundedTokenCallLib} from "./libraries/BoundedTokenCallLib.sol";
import {Config, EpochState, LossState, AssetInfo, VaultState} from "./vault/VaultState.sol";
import {Valuation, VaultValuation} from "./vault/VaultValuation.sol";
import {RebalanceLogic} from "./vault/RebalanceLogic.sol";
import {RegistryLogic} from "./vault/RegistryLogic.sol";
import {BPS} from "./libraries/Bps.sol";

/// @title IndexVault
/// @notice See IIndexVault.
/// @dev Every NAV-dependent entry point reads all prices exactly once, through one call to the oracle router
/// (the public ERC-4626 entry points are overridden for that reason: the stock flow would price 100
/// constituents twice, once in max* and once in preview*).
/// @dev Warning: convertTo*, preview* and totalAssets revert when a price source is unusable; max* return 0.
contract IndexVault is IIndexVault, ERC4626, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

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
    /// @notice Hard cap of the tolerance around committed targets that a batch's net position change may reach (10%).
    uint16 public constant MAX_TARGET_TOLERANCE_BPS = 1_000;
    /// @notice Tolerance around committed targets at deployment (1% of NAV).
    uint16 public constant DEFAULT_TARGET_TOLERANCE_BPS = 100;
    /// @notice Shortest loss budget refill window.
    uint32 public constant MIN_LOSS_WINDOW_SECONDS = 1 days;
    /// @notice Longest loss budget refill window.
    uint32 public constant MAX_LOSS_WINDOW_SECONDS = 30 days;

    /// @dev Shares have asset decimals + 6. The 10^6 virtual shares (and one virtual asset) make a
    /// first-depositor donation attack cost the attacker about a million times what it could take, and give
    /// fee-share minting six extra digits of precision; 12-decimal shares for USDC stay far from overflow.
    uint8 private constant DECIMALS_OFFSET = 6;
    uint256 private constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;
    // ================================================================================================
    // Storage
    // ================================================================================================

    /// @inheritdoc IIndexVault
    uint256 public immutable deploymentBlock = block.number;
    /// @inheritdoc IIndexVault
    IOracleRouter public oracle;
    /// @inheritdoc IIndexVault
    address public feeRecipient;

    /// @dev Config, epoch, loss budget, registry and allowlists: one struct, so RebalanceLogic and
    /// RegistryLogic (externally linked) can work on it by reference.
    VaultState private _s;

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
        _s.config = Config({
            entryFeeBps: 0,
            exitFeeBps: 0,
            managementFeeBps: 0,
            maxSlippageBps: 100,
            lossBudgetBps: 50,
            targetToleranceBps: DEFAULT_TARGET_TOLERANCE_BPS,
            lossBudgetWindowSeconds: 7 days,
            lastFeeAccrual: uint40(block.timestamp),
            depositsPaused: false,
            rebalancesPaused: false
        });
        emit OracleSet(address(oracle_));
        emit FeeRecipientSet(feeRecipient_);
        emit MaxSlippageSet(100);
        emit LossBudgetSet(50, 7 days);
        emit TargetToleranceSet(DEFAULT_TARGET_TOLERANCE_BPS);
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

    /// @inheritdoc IIndexVault
    function depositWithPermit(
        uint256 assets,
        address receiver,
        uint256 minSharesOut,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256) {
        _permitAssets(assets, deadline, v, r, s);
        return _depositAssets(assets, receiver, minSharesOut);
    }

    /// @inheritdoc IERC4626
    function mint(uint256 shares, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        Valuation memory v = _beginDeposit();
        uint256 net = NavLib.toAssets(shares, totalSupply(), v.navUp, VIRTUAL_SHARES, Math.Rounding.Ceil);
        uint256 fee = FeeLib.feeOnNetUp(net, _s.config.entryFeeBps);
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
        uint256 fee = FeeLib.feeOnNetUp(assets, _s.config.exitFeeBps);
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
        (uint256[] memory held, address unreadable) = VaultValuation.holdings(_s, tokens);
        amountsOut = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            amountsOut[i] = NavLib.proRataDown(held[i], shares, supply, VIRTUAL_SHARES);
        }
        // Burn before paying out, so a token hook sees the post-exit supply (and the guard blocks re-entry).
        _burn(owner, shares);
        _payInKind(tokens, amountsOut, minAmountsOut, receiver, unreadable);
        emit RedeemedInKind(caller, receiver, owner, shares, tokens, amountsOut);
    }

    /// @inheritdoc IIndexVault
    function claimCredit(address token, address receiver) external nonReentrant returns (uint256 amount) {
        if (receiver == address(0)) revert IndexVaultZeroAddress();
        address account = _msgSender();
        amount = _s.credits[token][account];
        if (amount == 0) revert IndexVaultNoCredit(token, account);
        _s.credits[token][account] = 0;
        uint256 total = _s.creditTotal[token] - amount;
        _s.creditTotal[token] = total;
        if (total == 0) _dropCreditedToken(token);
        IERC20(token).safeTransfer(receiver, amount);
        emit CreditClaimed(token, account, receiver, amount);
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
        RebalanceLogic.commitTargets(_s, asset(), epoch, regime, assets, weightsBps, snapshotHash);
    }

    /// @inheritdoc IIndexVault
    function executeTrades(Trade[] calldata trades, uint256 deadline, uint64 expectedBatchSequence)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
        returns (uint256[] memory)
    {
        return RebalanceLogic.executeTrades(_s, oracle, asset(), trades, deadline, expectedBatchSequence);
    }

    // ================================================================================================
    // Guardian
    // ================================================================================================

    /// @inheritdoc IIndexVault
    function pauseDeposits() external {
        _checkGuardianOrAdmin();
        _s.config.depositsPaused = true;
        emit DepositsPausedSet(_msgSender(), true);
    }

    /// @inheritdoc IIndexVault
    function pauseRebalances() external {
        _checkGuardianOrAdmin();
        _s.config.rebalancesPaused = true;
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
        _s.config.depositsPaused = false;
        emit DepositsPausedSet(_msgSender(), false);
    }

    /// @inheritdoc IIndexVault
    function unpauseRebalances() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _s.config.rebalancesPaused = false;
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
        RegistryLogic.registerAsset(_s, oracle, asset(), token, maxWeightBps_);
    }

    /// @inheritdoc IIndexVault
    function deregisterAsset(address token, uint256 maxWriteOff) external onlyRole(DEFAULT_ADMIN_ROLE) {
        RegistryLogic.deregisterAsset(_s, token, maxWriteOff);
    }

    /// @inheritdoc IIndexVault
    function setMaxWeight(address token, uint16 maxWeightBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (_s.assetInfo[token].indexPlusOne == 0) revert IndexVaultAssetNotRegistered(token);
        if (maxWeightBps_ > BPS) revert IndexVaultWeightOutOfRange(maxWeightBps_);
        _s.assetInfo[token].maxWeightBps = maxWeightBps_;
        emit MaxWeightSet(token, maxWeightBps_);
    }

    /// @inheritdoc IIndexVault
    function setAdapterAllowed(address adapter, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (adapter == address(0)) revert IndexVaultZeroAddress();
        _s.adapterAllowed[adapter] = allowed;
        emit AdapterAllowedSet(adapter, allowed);
    }

    /// @inheritdoc IIndexVault
    function setPoolAllowed(address pool, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (pool == address(0)) revert IndexVaultZeroAddress();
        _s.poolAllowed[pool] = allowed;
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
        _s.config.entryFeeBps = entryFeeBps_;
        _s.config.exitFeeBps = exitFeeBps_;
        _s.config.managementFeeBps = managementFeeBps_;
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
        _s.config.maxSlippageBps = maxSlippageBps_;
        emit MaxSlippageSet(maxSlippageBps_);
    }

    /// @inheritdoc IIndexVault
    function setLossBudget(uint16 budgetBps, uint32 windowSeconds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (
            budgetBps > MAX_LOSS_BUDGET_BPS || windowSeconds < MIN_LOSS_WINDOW_SECONDS
                || windowSeconds > MAX_LOSS_WINDOW_SECONDS
        ) revert IndexVaultLossBudgetOutOfRange(budgetBps, windowSeconds);
        // Losses already counted stay counted: the ring collapses into the new window's current bucket, so a
        // change of window length never frees room early.
        LossState memory loss = _s.loss;
        uint256 current = LossBudgetLib.bucketAt(block.timestamp, windowSeconds);
        uint256 ring = LossBudgetLib.roll(
            loss.buckets, loss.lastBucket, LossBudgetLib.bucketAt(block.timestamp, _s.config.lossBudgetWindowSeconds)
        );
        _s.loss = LossState({
            buckets: uint160(LossBudgetLib.collapse(ring, current)),
            lastBucket: uint32(current),
            batchSequence: loss.batchSequence
        });
        _s.config.lossBudgetBps = budgetBps;
        _s.config.lossBudgetWindowSeconds = windowSeconds;
        emit LossBudgetSet(budgetBps, windowSeconds);
    }

    /// @inheritdoc IIndexVault
    function setTargetTolerance(uint16 toleranceBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (toleranceBps > MAX_TARGET_TOLERANCE_BPS) {
            revert IndexVaultTargetToleranceOutOfRange(toleranceBps, MAX_TARGET_TOLERANCE_BPS);
        }
        _s.config.targetToleranceBps = toleranceBps;
        emit TargetToleranceSet(toleranceBps);
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
        if (_s.config.depositsPaused || _reentrancyGuardEntered()) return 0;
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
        uint256 gross = v.cash + Math.mulDiv(v.cash, _s.config.exitFeeBps, BPS);
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
        return net + FeeLib.feeOnNetUp(net, _s.config.entryFeeBps);
    }

    /// @inheritdoc IERC4626
    function previewWithdraw(uint256 assets) public view override(ERC4626, IERC4626) returns (uint256) {
        _checkNotEntered();
        uint256 gross = assets + FeeLib.feeOnNetUp(assets, _s.config.exitFeeBps);
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
        return AddressListCodeLib.read(_s.assetsPointer);
    }

    /// @inheritdoc IIndexVault
    function isRegistered(address token) external view returns (bool) {
        return _s.assetInfo[token].indexPlusOne != 0;
    }

    /// @inheritdoc IIndexVault
    function maxWeightBps(address token) external view returns (uint16) {
        return _s.assetInfo[token].maxWeightBps;
    }

    /// @inheritdoc IIndexVault
    function valueInAsset(address token, uint256 amount) external view returns (uint256) {
        (uint256 tokenPrice, uint256 assetPrice) = _pricePair(token, asset());
        return NavLib.valueDown(amount, tokenPrice, assetPrice);
    }

    /// @inheritdoc IIndexVault
    function oracleMinAmountOut(address tokenIn, address tokenOut, uint256 amountIn) external view returns (uint256) {
        (uint256 priceIn, uint256 priceOut) = _pricePair(tokenIn, tokenOut);
        return NavLib.minAmountOutUp(amountIn, priceIn, priceOut, _s.config.maxSlippageBps);
    }

    /// @inheritdoc IIndexVault
    function batchSequence() external view returns (uint64) {
        return _s.loss.batchSequence;
    }

    /// @inheritdoc IIndexVault
    function currentEpoch() external view returns (uint64) {
        return _s.epoch.epoch;
    }

    /// @inheritdoc IIndexVault
    function currentRegime() external view returns (Regime) {
        return _s.epoch.regime;
    }

    /// @inheritdoc IIndexVault
    function targetWeightBps(address token) external view returns (uint16) {
        EpochState memory e = _s.epoch;
        if (token == asset()) return e.cashWeightBps;
        AssetInfo memory info = _s.assetInfo[token];
        return info.targetEpoch == e.epoch && e.epoch != 0 ? info.targetWeightBps : 0;
    }

    /// @inheritdoc IIndexVault
    function maxSlippageBps() external view returns (uint16) {
        return _s.config.maxSlippageBps;
    }

    /// @inheritdoc IIndexVault
    function currentSnapshotHash() external view returns (bytes32) {
        return _s.snapshotHash;
    }

    /// @inheritdoc IIndexVault
    function targetToleranceBps() external view returns (uint16) {
        return _s.config.targetToleranceBps;
    }

    /// @inheritdoc IIndexVault
    function lossBudgetBps() external view returns (uint16) {
        return _s.config.lossBudgetBps;
    }

    /// @inheritdoc IIndexVault
    function lossBudgetWindowSeconds() external view returns (uint32) {
        return _s.config.lossBudgetWindowSeconds;
    }

    /// @inheritdoc IIndexVault
    function lossBudgetAvailable() external view returns (uint256) {
        _checkNotEntered();
        return RebalanceLogic.lossBudgetAvailable(_s, oracle, asset());
    }

    /// @inheritdoc IIndexVault
    function creditOf(address token, address account) external view returns (uint256) {
        return _s.credits[token][account];
    }

    /// @inheritdoc IIndexVault
    function isAdapterAllowed(address adapter) external view returns (bool) {
        return _s.adapterAllowed[adapter];
    }

    /// @inheritdoc IIndexVault
    function isPoolAllowed(address pool) external view returns (bool) {
        return _s.poolAllowed[pool];
    }

    /// @inheritdoc IIndexVault
    function entryFeeBps() external view returns (uint16) {
        return _s.config.entryFeeBps;
    }

    /// @inheritdoc IIndexVault
    function exitFeeBps() external view returns (uint16) {
        return _s.config.exitFeeBps;
    }

    /// @inheritdoc IIndexVault
    function managementFeeBps() external view returns (uint16) {
        return _s.config.managementFeeBps;
    }

    /// @inheritdoc IIndexVault
    function pendingManagementFeeShares() public view returns (uint256) {
        Config memory c = _s.config;
        if (c.managementFeeBps == 0) return 0;
        return FeeLib.managementFeeSharesDown(super.totalSupply(), c.managementFeeBps, block.timestamp - c.lastFeeAccrual);
    }

    /// @inheritdoc IIndexVault
    function depositsPaused() external view returns (bool) {
        return _s.config.depositsPaused;
    }

    /// @inheritdoc IIndexVault
    function rebalancesPaused() external view returns (bool) {
        return _s.config.rebalancesPaused;
    }

    // ================================================================================================
    // Internal: deposits and redemptions
    // ================================================================================================

    function _beginDeposit() private returns (Valuation memory) {
        _accrueManagementFee();
        if (_s.config.depositsPaused) revert IndexVaultDepositsPaused();
        return _marketValuation(IOracleRouter.Bound.High);
    }

    function _depositAssets(uint256 assets, address receiver, uint256 minSharesOut) private returns (uint256 shares) {
        Valuation memory v = _beginDeposit();
        shares = _sharesForDeposit(assets, v);
        if (shares < minSharesOut) revert IndexVaultSharesBelowMin(shares, minSharesOut);
        _deposit(_msgSender(), receiver, assets, shares);
        uint256 fee = FeeLib.feeOnGrossUp(assets, _s.config.entryFeeBps);
        if (fee != 0) emit EntryFeeCharged(receiver, fee);
    }

    /// @dev OpenZeppelin's front-running-safe use of permit (IERC20Permit's security considerations): the
    /// caller is the owner, and a failed permit only matters if the allowance is not there.
    function _permitAssets(uint256 assets, uint256 deadline, uint8 v, bytes32 r, bytes32 s) private {
        address owner = _msgSender();
        try IERC20Permit(asset()).permit(owner, address(this), assets, deadline, v, r, s) {}
        catch (bytes memory reason) {
            uint256 allowance = IERC20(asset()).allowance(owner, address(this));
            if (allowance < assets) revert IndexVaultPermitFailed(owner, allowance, assets, reason);
        }
    }

    function _redeemShares(uint256 shares, address receiver, address owner, uint256 minAssetsOut)
        private
        returns (uint256 assets)
    {
        _accrueManagementFee();
        Valuation memory v = _marketValuation(IOracleRouter.Bound.Low);
        uint256 gross = NavLib.toAssets(shares, totalSupply(), v.navDown, VIRTUAL_SHARES, Math.Rounding.Floor);
        assets = gross - FeeLib.feeOnGrossUp(gross, _s.config.exitFeeBps);
        if (assets < minAssetsOut) revert IndexVaultAssetsBelowMin(assets, minAssetsOut);
        if (assets > v.cash) revert IndexVaultInsufficientCash(assets, v.cash);
        _withdraw(_msgSender(), receiver, owner, assets, shares);
        if (gross != assets) emit ExitFeeCharged(owner, gross - assets);
    }

    /// @dev Sends each slice with a bounded call; a slice that cannot be sent is credited to the receiver.
    function _payInKind(
        address[] memory tokens,
        uint256[] memory amountsOut,
        uint256[] calldata minAmountsOut,
        address receiver,
        address unreadable
    ) private {
        uint256 n = tokens.length;
        for (uint256 i; i < n; ++i) {
            address token = tokens[i];
            uint256 amount = amountsOut[i];
            if (amount < minAmountsOut[i]) revert IndexVaultAmountBelowMin(token, amount, minAmountsOut[i]);
            if (amount == 0) {
                // An unreadable balance gives no slice to measure: it stays with the remaining holders, and says so.
                if (token == unreadable) emit InKindSliceUnreadable(token, receiver);
                continue;
            }
            if (!BoundedTokenCallLib.tryTransfer(token, receiver, amount)) {
                // A broken token must not block the exit: its slice is owed to the receiver, claimable later.
                _credit(token, receiver, amount);
                amountsOut[i] = 0;
            }
        }
    }

    function _credit(address token, address receiver, uint256 amount) private {
        if (_s.creditTotal[token] == 0) _s.creditedTokens.push(token);
        _s.creditTotal[token] += amount;
        _s.credits[token][receiver] += amount;
        emit InKindSliceCredited(token, receiver, amount);
    }

    function _dropCreditedToken(address token) private {
        address[] storage list = _s.creditedTokens;
        uint256 last = list.length - 1;
        for (uint256 i; i <= last; ++i) {
            if (list[i] == token) {
                list[i] = list[last];
                list.pop();
                return;
            }
        }
    }

    /// @dev Shares for a deposit: the entry fee is taken out of `assets` and stays in the vault; the rest is
    /// converted at the NAV rounded up and the shares rounded down (both against the depositor).
    function _sharesForDeposit(uint256 assets, Valuation memory v) private view returns (uint256) {
        uint256 net = assets - FeeLib.feeOnGrossUp(assets, _s.config.entryFeeBps);
        return NavLib.toShares(net, totalSupply(), v.navUp, VIRTUAL_SHARES, Math.Rounding.Floor);
    }

    /// @dev Cash for a redemption: shares at the NAV rounded down, assets rounded down, exit fee kept.
    function _assetsForRedeem(uint256 shares, Valuation memory v) private view returns (uint256) {
        uint256 gross = NavLib.toAssets(shares, totalSupply(), v.navDown, VIRTUAL_SHARES, Math.Rounding.Floor);
        return gross - FeeLib.feeOnGrossUp(gross, _s.config.exitFeeBps);
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
        Config memory c = _s.config;
        if (c.lastFeeAccrual == block.timestamp) return;
        uint256 shares = pendingManagementFeeShares();
        _s.config.lastFeeAccrual = uint40(block.timestamp);
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
        return VaultValuation.tokens(_s, asset());
    }

    function _valuation() private view returns (Valuation memory v) {
        v.tokens = _tokens();
        v.prices = oracle.unitPricesUsd36(v.tokens);
        _checkReadable(VaultValuation.value(_s, v));
    }

    /// @dev A NAV that left out a constituent whose balance cannot be read would misprice every share.
    function _checkReadable(address unreadable) private pure {
        if (unreadable != address(0)) revert IndexVaultBalanceUnreadable(unreadable);
    }

    /// @dev The NAV a deposit (Bound.High) or a cash exit (Bound.Low) is priced at: each constituent at the
    /// higher, or lower, of its oracle price and its market pool's block-start price (IOracleRouter), so that
    /// an oracle lagging the market inside its deviation threshold sells no share below market value and
    /// buys none back above it.
    function _marketValuation(IOracleRouter.Bound bound) private view returns (Valuation memory v) {
        v.tokens = _tokens();
        v.prices = oracle.boundedUnitPricesUsd36(v.tokens, bound);
        _checkReadable(VaultValuation.value(_s, v));
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
        ok = VaultValuation.value(_s, v) == address(0);
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
        if (token != asset() && _s.assetInfo[token].indexPlusOne == 0) revert IndexVaultUnknownToken(token);
    }

    // ================================================================================================
    // Internal: guards
    // ================================================================================================

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
