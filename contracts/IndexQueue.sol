// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC7540Deposit, IERC7540Operator, IERC7540Redeem, IERC7575} from "./interfaces/IERC7540.sol";
import {IIndexQueue} from "./interfaces/IIndexQueue.sol";
import {IIndexVault} from "./interfaces/IIndexVault.sol";
import {IOracleRouter} from "./interfaces/IOracleRouter.sol";

/// @title IndexQueue
/// @notice Queued deposits and redemptions for an IndexVault, settled once per window. See IIndexQueue.
contract IndexQueue is IIndexQueue, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IIndexQueue
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    uint256 private constant REQUEST_ID = 0;
    uint256 private constant E36 = 1e36;

    /// @dev A controller's pending deposit in one window (see _depositAccounts).
    struct DepositAccount {
        uint64 window;
        uint128 assets;
    }

    /// @dev A controller's pending redemption: `units` shares requested in `window`; of the window's fills so
    /// far, `filledShares` and `earnedAssets` are already counted in its claim.
    struct RedeemAccount {
        uint64 window;
        uint128 units;
        uint128 filledShares;
        uint128 earnedAssets;
    }

    /// @dev What a controller can claim: `assets` against `shares` (deposits: assets paid, shares owed;
    /// redemptions: assets owed, shares redeemed), claimable in any part at that ratio.
    struct Claim {
        uint128 assets;
        uint128 shares;
    }

    IIndexVault private immutable _vault;
    IERC20 private immutable _asset;
    /// @inheritdoc IIndexQueue
    uint256 public immutable firstWindowStart;
    /// @inheritdoc IIndexQueue
    uint256 public immutable windowSeconds;
    /// @inheritdoc IIndexQueue
    uint256 public immutable graceSeconds;

    mapping(address controller => mapping(address operator => bool)) private _operators;
    /// @dev Per controller and direction, two accounts indexed by window parity (window & 1): the window past
    /// its cut-off that awaits settlement and the current one never share an index, so a request in the current
    /// window meets only a request two or more windows old, pending only if its settlement is a full window late.
    mapping(address controller => DepositAccount[2]) private _depositAccounts;
    mapping(address controller => Claim) private _depositClaims;
    mapping(address controller => RedeemAccount[2]) private _redeemAccounts;
    mapping(address controller => Claim) private _redeemClaims;
    mapping(uint256 window => DepositWindow) private _depositWindows;
    mapping(uint256 window => RedeemWindow) private _redeemWindows;
    /// @dev Windows a settlement of which had to wait: their pending requests can be cancelled past the cut-off.
    mapping(uint256 window => bool) private _deferred;

    /// @param vault_ The IndexVault whose shares this contract issues and redeems.
    /// @param admin Holds DEFAULT_ADMIN_ROLE (grants and revokes settlers): the vault's TimelockController.
    /// @param settler The keeper, which settles from each cut-off on; zero for none.
    /// @param firstWindowStart_ When window 1 opens.
    /// @param windowSeconds_ Length of a window (a day: settlement at least daily).
    /// @param graceSeconds_ After a cut-off, how long only the settler may settle.
    constructor(
        IIndexVault vault_,
        address admin,
        address settler,
        uint256 firstWindowStart_,
        uint256 windowSeconds_,
        uint256 graceSeconds_
    ) {
        if (address(vault_) == address(0) || admin == address(0)) revert IndexQueueZeroAddress();
        if (windowSeconds_ == 0 || graceSeconds_ > 7 days) revert IndexQueueInvalidWindows(windowSeconds_, graceSeconds_);
        _vault = vault_;
        _asset = IERC20(vault_.asset());
        firstWindowStart = firstWindowStart_;
        windowSeconds = windowSeconds_;
        graceSeconds = graceSeconds_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (settler != address(0)) _grantRole(SETTLER_ROLE, settler);
    }

    // ================================================================================================
    // ERC-165, ERC-7575
    // ================================================================================================

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view override(AccessControl, IERC165) returns (bool) {
        return interfaceId == type(IERC7575).interfaceId || interfaceId == type(IERC7540Operator).interfaceId
            || interfaceId == type(IERC7540Deposit).interfaceId || interfaceId == type(IERC7540Redeem).interfaceId
            || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc IERC7575
    function asset() external view returns (address) {
        return address(_asset);
    }

    /// @inheritdoc IERC7575
    function share() external view returns (address) {
        return address(_vault);
    }

    /// @inheritdoc IERC7575
    function convertToShares(uint256 assets) external view returns (uint256) {
        return _vault.convertToShares(assets);
    }

    /// @inheritdoc IERC7575
    function convertToAssets(uint256 shares) external view returns (uint256) {
        return _vault.convertToAssets(shares);
    }

    /// @inheritdoc IERC7575
    /// @dev The vault's NAV; pending and reserved assets held here are not in it.
    function totalAssets() external view returns (uint256) {
        return _vault.totalAssets();
    }

    /// @inheritdoc IERC7575
    function maxDeposit(address controller) external view returns (uint256) {
        (,, Claim memory c) = _depositView(controller);
        return c.assets;
    }

    /// @inheritdoc IERC7575
    function maxMint(address controller) external view returns (uint256) {
        (,, Claim memory c) = _depositView(controller);
        return c.shares;
    }

    /// @inheritdoc IERC7575
    function maxWithdraw(address controller) external view returns (uint256) {
        (,, Claim memory c) = _redeemView(controller);
        return c.assets;
    }

    /// @inheritdoc IERC7575
    function maxRedeem(address controller) external view returns (uint256) {
        (,, Claim memory c) = _redeemView(controller);
        return c.shares;
    }

    /// @inheritdoc IERC7575
    function previewDeposit(uint256) external pure returns (uint256) {
        revert IndexQueueAsyncPreview();
    }

    /// @inheritdoc IERC7575
    function previewMint(uint256) external pure returns (uint256) {
        revert IndexQueueAsyncPreview();
    }

    /// @inheritdoc IERC7575
    function previewWithdraw(uint256) external pure returns (uint256) {
        revert IndexQueueAsyncPreview();
    }

    /// @inheritdoc IERC7575
    function previewRedeem(uint256) external pure returns (uint256) {
        revert IndexQueueAsyncPreview();
    }

    // ================================================================================================
    // Operators
    // ================================================================================================

    /// @inheritdoc IERC7540Operator
    function isOperator(address controller, address operator) external view returns (bool) {
        return _operators[controller][operator];
    }

    /// @inheritdoc IERC7540Operator
    function setOperator(address operator, bool approved) external returns (bool) {
        _operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ================================================================================================
    // Deposits
    // ================================================================================================

    /// @inheritdoc IERC7540Deposit
    function requestDeposit(uint256 assets, address controller, address owner) external nonReentrant returns (uint256) {
        _checkOperator(owner);
        if (assets == 0) revert IndexQueueZeroAmount();
        if (controller == address(0)) revert IndexQueueZeroAddress();
        // ERC-7540: a request the vault cannot take must revert (a paused vault's settlements would only wait).
        if (_vault.depositsPaused()) revert IndexQueueVaultDepositsPaused();
        uint256 window = currentWindow();
        DepositAccount[2] storage accounts = _depositAccounts[controller];
        DepositAccount memory a = accounts[window & 1];
        if (a.assets != 0 && a.window != window) {
            // Two or more windows old: claimable once settled, else its settlement is a full window late.
            Claim memory c = _depositClaims[controller];
            if (!_foldDeposit(a, c)) revert IndexQueueEarlierRequestPending(controller, a.window, window);
            _depositClaims[controller] = c;
            a.assets = 0;
        }
        _asset.safeTransferFrom(owner, address(this), assets);
        accounts[window & 1] = DepositAccount(uint64(window), SafeCast.toUint128(a.assets + assets));
        _depositWindows[window].assets += SafeCast.toUint128(assets);
        emit DepositRequest(controller, owner, REQUEST_ID, msg.sender, assets);
        return REQUEST_ID;
    }

    /// @inheritdoc IERC7540Deposit
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256) {
        if (requestId != REQUEST_ID) return 0;
        (uint256 pending,,) = _depositView(controller);
        return pending;
    }

    /// @inheritdoc IERC7540Deposit
    function claimableDepositRequest(uint256 requestId, address controller) external view returns (uint256) {
        if (requestId != REQUEST_ID) return 0;
        (,, Claim memory c) = _depositView(controller);
        return c.assets;
    }

    /// @inheritdoc IIndexQueue
    function cancelDepositRequest(address controller, address receiver) external nonReentrant returns (uint256 assets) {
        _checkOperator(controller);
        uint256 current = currentWindow();
        DepositAccount[2] storage accounts = _depositAccounts[controller];
        uint256 late;
        for (uint256 k; k < 2; ++k) {
            DepositAccount memory a = accounts[k];
            if (a.assets == 0) continue;
            DepositWindow storage w = _depositWindows[a.window];
            // Settled: claimable, no longer pending.
            if (w.settled) continue;
            // The current window is the only one before its cut-off.
            if (a.window == current || _deferred[a.window]) {
                delete accounts[k];
                w.assets -= a.assets;
                assets += a.assets;
                emit DepositRequestCancelled(controller, receiver, a.window, a.assets);
            } else if (late == 0 || a.window < late) {
                late = a.window;
            }
        }
        if (assets == 0) {
            if (late == 0) revert IndexQueueNothingPending(controller);
            revert IndexQueueCutOffPassed(late, cutOffOf(late));
        }
        _asset.safeTransfer(receiver, assets);
    }

    /// @inheritdoc IERC7575
    function deposit(uint256 assets, address receiver) external returns (uint256) {
        return deposit(assets, receiver, msg.sender);
    }

    /// @inheritdoc IERC7540Deposit
    function deposit(uint256 assets, address receiver, address controller) public nonReentrant returns (uint256 shares) {
        _checkOperator(controller);
        if (assets == 0) revert IndexQueueZeroAmount();
        Claim memory c = _syncDepositClaim(controller);
        if (assets > c.assets) revert IndexQueueExceedsClaimable(assets, c.assets);
        shares = Math.mulDiv(assets, c.shares, c.assets);
        _claimDeposit(controller, receiver, c, assets, shares);
    }

    /// @inheritdoc IERC7575
    function mint(uint256 shares, address receiver) external returns (uint256) {
        return mint(shares, receiver, msg.sender);
    }

    /// @inheritdoc IERC7540Deposit
    function mint(uint256 shares, address receiver, address controller) public nonReentrant returns (uint256 assets) {
        _checkOperator(controller);
        if (shares == 0) revert IndexQueueZeroAmount();
        Claim memory c = _syncDepositClaim(controller);
        if (shares > c.shares) revert IndexQueueExceedsClaimable(shares, c.shares);
        assets = Math.mulDiv(shares, c.assets, c.shares, Math.Rounding.Ceil);
        _claimDeposit(controller, receiver, c, assets, shares);
    }

    // ================================================================================================
    // Redemptions
    // ================================================================================================

    /// @inheritdoc IERC7540Redeem
    /// @dev The shares are pulled with `owner`'s ERC-20 allowance to this contract.
    function requestRedeem(uint256 shares, address controller, address owner) external nonReentrant returns (uint256) {
        _checkOperator(owner);
        if (shares == 0) revert IndexQueueZeroAmount();
        if (controller == address(0)) revert IndexQueueZeroAddress();
        uint256 window = currentWindow();
        RedeemAccount[2] storage accounts = _redeemAccounts[controller];
        RedeemAccount memory a = accounts[window & 1];
        if (a.units != 0 && a.window != window) {
            // Two or more windows old: its fills move to the claim; shares still pending mean its settlement is
            // a full window late or was short of cash (then it can be cancelled).
            Claim memory c = _redeemClaims[controller];
            uint64 pendingWindow = a.window;
            if (_foldRedeem(a, c) != 0) revert IndexQueueEarlierRequestPending(controller, pendingWindow, window);
            _redeemClaims[controller] = c;
        }
        IERC20(address(_vault)).safeTransferFrom(owner, address(this), shares);
        uint128 added = SafeCast.toUint128(shares);
        // Before the cut-off nothing of the window is filled, so units and pending shares move together.
        accounts[window & 1] = RedeemAccount(uint64(window), a.units + added, 0, 0);
        RedeemWindow storage w = _redeemWindows[window];
        w.units += added;
        w.sharesLeft += added;
        emit RedeemRequest(controller, owner, REQUEST_ID, msg.sender, shares);
        return REQUEST_ID;
    }

    /// @inheritdoc IERC7540Redeem
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares) {
        if (requestId != REQUEST_ID) return 0;
        (shares,,) = _redeemView(controller);
    }

    /// @inheritdoc IERC7540Redeem
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        if (requestId != REQUEST_ID) return 0;
        (,, Claim memory c) = _redeemView(controller);
        return c.shares;
    }

    /// @inheritdoc IIndexQueue
    function cancelRedeemRequest(address controller, address receiver) external nonReentrant returns (uint256 shares) {
        _checkOperator(controller);
        RedeemAccount[2] storage accounts = _redeemAccounts[controller];
        Claim memory c = _redeemClaims[controller];
        uint256 late;
        for (uint256 k; k < 2; ++k) {
            RedeemAccount memory a = accounts[k];
            if (a.units == 0) continue;
            (uint256 window, uint128 units) = (a.window, a.units);
            uint256 pending = _foldRedeem(a, c);
            RedeemWindow storage w = _redeemWindows[window];
            if (pending != 0 && (block.timestamp < cutOffOf(window) || w.short || _deferred[window])) {
                // The window's last request holds all its units, so its pending share is the window's exact rest
                // (mulDiv(u, left, u) == left): units and pending shares reach zero together, and no rounding
                // dust is left for a later settle to divide by zero units (IndexQueue.t.sol fuzzes this).
                w.units -= units;
                w.sharesLeft -= SafeCast.toUint128(pending);
                delete accounts[k];
                shares += pending;
                emit RedeemRequestCancelled(controller, receiver, window, pending);
            } else {
                if (pending != 0 && (late == 0 || window < late)) late = window;
                accounts[k] = a;
            }
        }
        if (shares == 0) {
            if (late == 0) revert IndexQueueNothingPending(controller);
            revert IndexQueueCutOffPassed(late, cutOffOf(late));
        }
        _redeemClaims[controller] = c;
        IERC20(address(_vault)).safeTransfer(receiver, shares);
    }

    /// @inheritdoc IERC7575
    /// @dev ERC-7540: `owner` is the controller.
    function redeem(uint256 shares, address receiver, address controller) external nonReentrant returns (uint256 assets) {
        _checkOperator(controller);
        if (shares == 0) revert IndexQueueZeroAmount();
        Claim memory c = _syncRedeemClaim(controller);
        if (shares > c.shares) revert IndexQueueExceedsClaimable(shares, c.shares);
        assets = Math.mulDiv(shares, c.assets, c.shares);
        _claimRedeem(controller, receiver, c, assets, shares);
    }

    /// @inheritdoc IERC7575
    /// @dev ERC-7540: `owner` is the controller.
    function withdraw(uint256 assets, address receiver, address controller) external nonReentrant returns (uint256 shares) {
        _checkOperator(controller);
        if (assets == 0) revert IndexQueueZeroAmount();
        Claim memory c = _syncRedeemClaim(controller);
        if (assets > c.assets) revert IndexQueueExceedsClaimable(assets, c.assets);
        shares = Math.mulDiv(assets, c.shares, c.assets, Math.Rounding.Ceil);
        _claimRedeem(controller, receiver, c, assets, shares);
    }

    // ================================================================================================
    // Settlement
    // ================================================================================================

    /// @inheritdoc IIndexQueue
    function settle(uint256 window) external nonReentrant returns (bool) {
        uint256 cutOff = cutOffOf(window);
        if (block.timestamp < cutOff) revert IndexQueueWindowOpen(window, cutOff);
        if (block.timestamp < cutOff + graceSeconds && !hasRole(SETTLER_ROLE, msg.sender)) {
            revert IndexQueueNotSettler(msg.sender, cutOff + graceSeconds);
        }
        DepositWindow memory d = _depositWindows[window];
        bool depositsDue = d.assets != 0 && !d.settled;
        uint256 sharesLeft = _redeemWindows[window].sharesLeft;
        if (!depositsDue && sharesLeft == 0) revert IndexQueueNothingToSettle(window);
        // Forward pricing inside the vault's own NAV reads: each feed round is checked as it is priced.
        IOracleRouter oracle = _vault.oracle();
        oracle.setPricedAfter(cutOff);
        // An oracle that ignored the call would price this window from rounds before its cut-off.
        (uint256 setCutOff, address holder) = oracle.pricedAfter();
        if (setCutOff != cutOff || holder != address(this)) {
            revert IndexQueueForwardPricingNotSet(address(oracle), cutOff, setCutOff, holder);
        }
        // Deposits first: their cash can pay the same window's redemptions.
        bool depositsDone = true;
        bool pricesBeforeCutOff;
        if (depositsDue) (depositsDone, pricesBeforeCutOff) = _settleDeposits(window, d.assets);
        // Redemptions would read the same prices.
        bool redemptionsDone = sharesLeft == 0 || (!pricesBeforeCutOff && _settleRedemptions(window, sharesLeft));
        oracle.setPricedAfter(0);
        return depositsDone && redemptionsDone;
    }

    // ================================================================================================
    // Views
    // ================================================================================================

    /// @inheritdoc IIndexQueue
    function settlementDeferred(uint256 window) external view returns (bool) {
        return _deferred[window];
    }

    /// @inheritdoc IIndexQueue
    function currentWindow() public view returns (uint256) {
        if (block.timestamp < firstWindowStart) return 1;
        return (block.timestamp - firstWindowStart) / windowSeconds + 1;
    }

    /// @inheritdoc IIndexQueue
    function cutOffOf(uint256 window) public view returns (uint256) {
        return firstWindowStart + window * windowSeconds;
    }

    /// @inheritdoc IIndexQueue
    function depositWindowOf(address controller) external view returns (uint256 window) {
        (, window,) = _depositView(controller);
    }

    /// @inheritdoc IIndexQueue
    function redeemWindowOf(address controller) external view returns (uint256 window) {
        (, window,) = _redeemView(controller);
    }

    /// @inheritdoc IIndexQueue
    function depositWindow(uint256 window) external view returns (DepositWindow memory) {
        return _depositWindows[window];
    }

    /// @inheritdoc IIndexQueue
    function redeemWindow(uint256 window) external view returns (RedeemWindow memory) {
        return _redeemWindows[window];
    }

    // ================================================================================================
    // Internal
    // ================================================================================================

    function _checkOperator(address account) private view {
        if (msg.sender != account && !_operators[account][msg.sender]) revert IndexQueueNotOperator(msg.sender, account);
    }

    /// @dev Says why `window` waits: a price from before the cut-off names its token and time (forward
    /// pricing, IOracleRouter.setPricedAfter), anything else passes the vault's revert data on. Returns whether
    /// it was the former.
    function _defer(uint256 window, bytes memory reason) private returns (bool pricesBeforeCutOff) {
        // An empty reason is the vault running out of the gas its caller left (anyone may settle after the grace
        // period): not a broken part, so it opens no cancellation.
        if (reason.length != 0) _deferred[window] = true;
        pricesBeforeCutOff =
            reason.length == 100 && bytes4(reason) == IOracleRouter.OracleRouterPricedBeforeCutOff.selector;
        if (pricesBeforeCutOff) {
            (address token, uint256 updatedAt,) = abi.decode(_errorArguments(reason), (address, uint256, uint256));
            emit SettlementDeferred(window, token, updatedAt, "");
        } else {
            emit SettlementDeferred(window, address(0), 0, reason);
        }
    }

    function _settleDeposits(uint256 window, uint128 assets) private returns (bool done, bool pricesBeforeCutOff) {
        _asset.forceApprove(address(_vault), assets);
        try _vault.deposit(assets, address(this)) returns (uint256 shares) {
            _depositWindows[window] = DepositWindow(assets, SafeCast.toUint120(shares), true);
            emit DepositsSettled(window, assets, shares);
            return (true, false);
        } catch (bytes memory reason) {
            _asset.forceApprove(address(_vault), 0);
            return (false, _defer(window, reason));
        }
    }

    /// @dev All pending shares if the vault's cash covers them; otherwise the share of them it does cover.
    function _settleRedemptions(uint256 window, uint256 sharesLeft) private returns (bool) {
        uint256 filled = sharesLeft;
        (bool ok, uint256 assets, bytes memory reason) = _tryRedeem(filled);
        RedeemWindow storage w = _redeemWindows[window];
        if (!ok && reason.length == 68 && bytes4(reason) == IIndexVault.IndexVaultInsufficientCash.selector) {
            w.short = true;
            (uint256 requested, uint256 cash) = abi.decode(_errorArguments(reason), (uint256, uint256));
            // Pro rata, 2 units under the cash: the vault's fee and NAV roundings move a payout by at most that.
            filled = cash > 2 ? Math.mulDiv(sharesLeft, cash - 2, requested) : 0;
            if (filled != 0) (ok, assets, reason) = _tryRedeem(filled);
        }
        if (!ok) {
            _defer(window, reason);
            return false;
        }
        uint128 left = SafeCast.toUint128(sharesLeft - filled);
        w.sharesLeft = left;
        w.assetsPerUnitE36 += SafeCast.toUint248(Math.mulDiv(assets, E36, w.units));
        if (left != 0) w.short = true;
        emit RedemptionsSettled(window, filled, assets, left);
        return left == 0;
    }

    function _tryRedeem(uint256 shares) private returns (bool ok, uint256 assets, bytes memory reason) {
        try _vault.redeem(shares, address(this), address(this)) returns (uint256 paid) {
            return (true, paid, "");
        } catch (bytes memory r) {
            return (false, 0, r);
        }
    }

    /// @dev A custom error's ABI-encoded arguments: the revert data without its selector.
    function _errorArguments(bytes memory reason) private pure returns (bytes memory args) {
        args = new bytes(reason.length - 4);
        for (uint256 i; i < args.length; ++i) {
            args[i] = reason[i + 4];
        }
    }

    function _claimDeposit(address controller, address receiver, Claim memory c, uint256 assets, uint256 shares) private {
        _depositClaims[controller] = Claim(c.assets - uint128(assets), c.shares - uint128(shares));
        IERC20(address(_vault)).safeTransfer(receiver, shares);
        emit Deposit(controller, receiver, assets, shares);
    }

    function _claimRedeem(address controller, address receiver, Claim memory c, uint256 assets, uint256 shares) private {
        _redeemClaims[controller] = Claim(c.assets - uint128(assets), c.shares - uint128(shares));
        _asset.safeTransfer(receiver, assets);
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
    }

    /// @dev Adds `a`'s deposit to `c` if its window has settled; returns whether it did.
    function _foldDeposit(DepositAccount memory a, Claim memory c) private view returns (bool) {
        DepositWindow memory w = _depositWindows[a.window];
        if (!w.settled) return false;
        c.assets += a.assets;
        c.shares += uint128(Math.mulDiv(a.assets, w.shares, w.assets));
        return true;
    }

    /// @dev The controller's pending deposits (assets, earliest window) and claim, settled windows' deposits
    /// moved into the claim.
    function _depositView(address controller)
        private
        view
        returns (uint256 pending, uint256 pendingWindow, Claim memory c)
    {
        c = _depositClaims[controller];
        DepositAccount[2] storage accounts = _depositAccounts[controller];
        for (uint256 k; k < 2; ++k) {
            DepositAccount memory a = accounts[k];
            if (a.assets == 0 || _foldDeposit(a, c)) continue;
            pending += a.assets;
            if (pendingWindow == 0 || a.window < pendingWindow) pendingWindow = a.window;
        }
    }

    /// @dev The controller's claim with settled windows' deposits moved into it (and out of their accounts);
    /// the caller stores the claim.
    function _syncDepositClaim(address controller) private returns (Claim memory c) {
        c = _depositClaims[controller];
        DepositAccount[2] storage accounts = _depositAccounts[controller];
        for (uint256 k; k < 2; ++k) {
            DepositAccount memory a = accounts[k];
            if (a.assets != 0 && _foldDeposit(a, c)) delete accounts[k];
        }
    }

    /// @dev A pending redemption's share of its window: shares still pending, filled and assets earned so far.
    function _redeemShare(RedeemAccount memory a)
        private
        view
        returns (uint256 pending, uint256 filled, uint256 earned)
    {
        RedeemWindow memory w = _redeemWindows[a.window];
        pending = Math.mulDiv(a.units, w.sharesLeft, w.units);
        filled = a.units - pending;
        earned = Math.mulDiv(a.units, w.assetsPerUnitE36, E36);
    }

    /// @dev Moves `a`'s window's fills so far into `c` and records them in `a` (zeroed once nothing is
    /// pending); returns the shares still pending. `a` must be a request (units non-zero).
    function _foldRedeem(RedeemAccount memory a, Claim memory c) private view returns (uint256 pending) {
        uint256 filled;
        uint256 earned;
        (pending, filled, earned) = _redeemShare(a);
        // Another controller's cancellation can move this one's rounded pending share up by a unit: what
        // was counted as filled stays counted.
        filled = Math.max(filled, a.filledShares);
        c.shares += uint128(filled - a.filledShares);
        c.assets += uint128(earned - a.earnedAssets);
        if (pending == 0) {
            (a.window, a.units, a.filledShares, a.earnedAssets) = (0, 0, 0, 0);
        } else {
            a.filledShares = uint128(filled);
            a.earnedAssets = uint128(earned);
        }
    }

    /// @dev The controller's pending redemptions (shares, earliest window) and claim with their fills so far.
    function _redeemView(address controller)
        private
        view
        returns (uint256 pending, uint256 pendingWindow, Claim memory c)
    {
        c = _redeemClaims[controller];
        RedeemAccount[2] storage accounts = _redeemAccounts[controller];
        for (uint256 k; k < 2; ++k) {
            RedeemAccount memory a = accounts[k];
            if (a.units == 0) continue;
            uint256 window = a.window;
            uint256 left = _foldRedeem(a, c);
            if (left == 0) continue;
            pending += left;
            if (pendingWindow == 0 || window < pendingWindow) pendingWindow = window;
        }
    }

    /// @dev As _redeemView, with the fills stored in the accounts; the caller stores the claim.
    function _syncRedeemClaim(address controller) private returns (Claim memory c) {
        c = _redeemClaims[controller];
        RedeemAccount[2] storage accounts = _redeemAccounts[controller];
        for (uint256 k; k < 2; ++k) {
            RedeemAccount memory a = accounts[k];
            if (a.units == 0) continue;
            (uint128 filledBefore, uint128 earnedBefore) = (a.filledShares, a.earnedAssets);
            _foldRedeem(a, c);
            if (a.units == 0) delete accounts[k];
            else if (a.filledShares != filledBefore || a.earnedAssets != earnedBefore) accounts[k] = a;
        }
    }
}
