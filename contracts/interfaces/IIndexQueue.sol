// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC7540Deposit, IERC7540Operator, IERC7540Redeem, IERC7575} from "./IERC7540.sol";

/// @title IIndexQueue
/// @notice The queued path into and out of an IndexVault: a fully asynchronous ERC-7540 entry point whose
/// `share()` is the vault. Requests wait in this contract's escrow (never in the vault, so pending assets and
/// shares are in no NAV, cash exit, in-kind slice, loss budget or weight check) and are settled once per
/// window, each window's requests together through the vault's own deposit and cash redemption, so fees and
/// rounding are the vault's. Settled cash for redemptions is moved here at settlement: reserved, out of NAV.
///
/// Windows: window w (w >= 1) takes the requests made in [firstWindowStart + (w-1) x windowSeconds,
/// cutOffOf(w)); a request at or after the cut-off goes to the next window. Until its cut-off a request can be
/// cancelled for exactly what was put in. Forward pricing: a window settles only once every price source the
/// vault reads has data from after the cut-off (checked inside the vault's NAV read itself, see
/// IOracleRouter.setPricedAfter), so nobody knows the price a request will get when making or keeping it. Otherwise the settlement waits and says why in
/// SettlementDeferred. The settler role may settle from the cut-off on, anyone from cut-off + graceSeconds.
/// Redemptions are paid from the vault's cash; when it is short, a settlement fills every request of the
/// window pro rata and leaves the rest pending, and from then on a redeemer may cancel the rest (and redeem
/// in kind from the vault instead).
///
/// requestId is always 0 (ERC-7540's aggregated mode): a controller's requests are discriminated by the
/// controller alone, and its pending and claimable amounts add up over its windows. Per direction a controller
/// holds up to two pending windows: the one past its cut-off that awaits settlement and the current one. A new
/// request reverts (IndexQueueEarlierRequestPending) only while a request two or more windows old is still
/// pending, that is while a settlement is a full window late (anyone may settle after the grace period) or a
/// redemption was short of cash (then cancellable); so a stranger's request naming a controller just before a
/// cut-off does not block the controller's own next request. A request's `owner` must be the
/// caller or have made it an operator (an ERC-20 allowance to the caller is not enough); the assets or shares are
/// pulled with the owner's ERC-20 allowance to this contract.
/// @dev Rounding is never in the requester's favour: shares and assets owed are rounded down, and the side a
/// claim takes from (assets for mint, shares for withdraw) up.
interface IIndexQueue is IERC7575, IERC7540Operator, IERC7540Deposit, IERC7540Redeem, IERC165 {
    /// @notice One window's deposits: the assets requested, and once settled the vault shares they bought.
    struct DepositWindow {
        uint128 assets;
        uint120 shares;
        bool settled;
    }

    /// @notice One window's redemptions. `units` are the shares requested and not cancelled; `sharesLeft` those
    /// not yet redeemed. A request of u units has u x sharesLeft / units shares pending and has earned
    /// u x assetsPerUnitE36 / 1e36 assets. `short` is set once a settlement found too little cash.
    struct RedeemWindow {
        uint128 units;
        uint128 sharesLeft;
        uint248 assetsPerUnitE36;
        bool short;
    }

    // ================================================================================================
    // Errors
    // ================================================================================================

    /// @notice An amount of zero.
    error IndexQueueZeroAmount();
    /// @notice An address argument was zero.
    error IndexQueueZeroAddress();
    /// @notice The window settings are unusable.
    error IndexQueueInvalidWindows(uint256 windowSeconds, uint256 graceSeconds);
    /// @notice The caller is neither `account` nor an operator `account` approved.
    error IndexQueueNotOperator(address caller, address account);
    /// @notice `controller` still has a pending request in `pendingWindow`, two or more windows before
    /// `currentWindow`: that window's settlement is a full window late (anyone may settle it after the grace
    /// period) or, for redemptions, was short of cash (cancel the rest).
    error IndexQueueEarlierRequestPending(address controller, uint256 pendingWindow, uint256 currentWindow);
    /// @notice `controller` has no pending request of that kind.
    error IndexQueueNothingPending(address controller);
    /// @notice The window's cut-off has passed, so its requests stand (redemptions: until a settlement is short).
    error IndexQueueCutOffPassed(uint256 window, uint256 cutOff);
    /// @notice The window is still open for requests; it settles from its cut-off on.
    error IndexQueueWindowOpen(uint256 window, uint256 cutOff);
    /// @notice Only the settler role may settle before `openToAllAt` (cut-off + grace).
    error IndexQueueNotSettler(address caller, uint256 openToAllAt);
    /// @notice The window has nothing left to settle.
    error IndexQueueNothingToSettle(uint256 window);
    /// @notice A claim asks for more than is claimable.
    error IndexQueueExceedsClaimable(uint256 requested, uint256 claimable);
    /// @notice The vault's oracle did not take settle's forward-pricing cut-off: asked for `cutOff` held by this
    /// queue, its pricedAfter() answered `setCutOff` held by `holder`. Settling would price the window from rounds
    /// before its cut-off, so it reverts (replace the oracle; IOracleRouter.setPricedAfter).
    error IndexQueueForwardPricingNotSet(address oracle, uint256 cutOff, uint256 setCutOff, address holder);
    /// @notice Previews revert in an asynchronous flow (ERC-7540).
    error IndexQueueAsyncPreview();
    /// @notice The vault refuses deposits (its guardian paused them): a request now could neither settle nor be
    /// cancelled after its cut-off until they resume.
    error IndexQueueVaultDepositsPaused();

    // ================================================================================================
    // Events
    // ================================================================================================

    /// @notice `controller`'s pending deposit of `assets` in `window` was cancelled and paid back to `receiver`.
    event DepositRequestCancelled(address indexed controller, address indexed receiver, uint256 indexed window, uint256 assets);
    /// @notice `controller`'s pending `shares` in `window` were cancelled and given back to `receiver`.
    event RedeemRequestCancelled(address indexed controller, address indexed receiver, uint256 indexed window, uint256 shares);
    /// @notice `window`'s deposits of `assets` bought `shares` through the vault's deposit.
    event DepositsSettled(uint256 indexed window, uint256 assets, uint256 shares);
    /// @notice `shares` of `window`'s redemptions were redeemed for `assets`; `sharesLeft` stay pending (cash was short).
    event RedemptionsSettled(uint256 indexed window, uint256 shares, uint256 assets, uint256 sharesLeft);
    /// @notice `window` could not settle: `token`'s price data is from `updatedAt`, not after the cut-off, or
    /// (`token` zero) the oracle or vault reverted with `reason`. Nothing else changed; settle again later. From
    /// then on the window's pending requests can be cancelled too (settlementDeferred).
    event SettlementDeferred(uint256 indexed window, address indexed token, uint256 updatedAt, bytes reason);

    // ================================================================================================
    // Requests, cancellation and settlement
    // ================================================================================================

    /// @notice Cancels `controller`'s pending deposits and pays exactly the requested assets to `receiver`: the
    /// current window's (before its cut-off), and any window's whose settlement had to wait (settlementDeferred:
    /// a price source without a round after the cut-off, a paused vault), so no broken part keeps cash locked.
    /// One DepositRequestCancelled per window. Callable by the controller or its operator. A deposit past its
    /// cut-off whose settlement has not failed stays (IndexQueueCutOffPassed if nothing could be cancelled).
    function cancelDepositRequest(address controller, address receiver) external returns (uint256 assets);

    /// @notice Cancels `controller`'s pending redemptions and gives their pending shares to `receiver`: the
    /// current window's before its cut-off, and what is left of any window whose settlement was short of cash
    /// or had to wait (settlementDeferred), so a queued redeemer can always take its shares back and leave in
    /// kind when the cash path is down (one RedeemRequestCancelled per window). Callable by the controller or
    /// its operator. Assets already earned stay claimable; a redemption past its cut-off that is neither short
    /// nor deferred stays (IndexQueueCutOffPassed if nothing could be cancelled).
    function cancelRedeemRequest(address controller, address receiver) external returns (uint256 shares);

    /// @notice Settles `window`'s requests at one NAV read each way (deposits through vault.deposit, then
    /// redemptions through vault.redeem); returns false, with SettlementDeferred, when a price source has no
    /// data from after the cut-off or the vault refused. Redemptions short of cash settle pro rata.
    /// @dev Sets the vault oracle's forward-pricing cut-off (IOracleRouter.setPricedAfter) to the window's
    /// cut-off, reads it back (IndexQueueForwardPricingNotSet unless it holds exactly that, with this queue as
    /// holder) and clears it before returning, so nothing later in the same transaction is priced under it.
    function settle(uint256 window) external returns (bool settled);

    // ================================================================================================
    // Views
    // ================================================================================================

    /// @notice May settle any window from its cut-off on.
    function SETTLER_ROLE() external view returns (bytes32);
    /// @notice When window 1 opens.
    function firstWindowStart() external view returns (uint256);
    /// @notice Length of a window.
    function windowSeconds() external view returns (uint256);
    /// @notice Time after a cut-off from which anyone may settle.
    function graceSeconds() external view returns (uint256);
    /// @notice The window a request made now joins.
    function currentWindow() external view returns (uint256);
    /// @notice When `window` stops taking requests and cancellations.
    function cutOffOf(uint256 window) external view returns (uint256);
    /// @notice The earliest window in which `controller` has a pending deposit (0 if none).
    function depositWindowOf(address controller) external view returns (uint256);
    /// @notice The earliest window in which `controller` has a pending redemption (0 if none).
    function redeemWindowOf(address controller) external view returns (uint256);
    /// @notice Totals of `window`'s deposits.
    function depositWindow(uint256 window) external view returns (DepositWindow memory);
    /// @notice Totals of `window`'s redemptions.
    function redeemWindow(uint256 window) external view returns (RedeemWindow memory);
    /// @notice Whether a settlement of `window` had to wait (SettlementDeferred): its pending requests can then be
    /// cancelled after the cut-off. Safe for the holders because the settlement prices forward, at the bound's
    /// side of oracle and market: taking a request back forgoes a price, it never picks an old one.
    function settlementDeferred(uint256 window) external view returns (bool);
}
