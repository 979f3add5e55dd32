// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// ERC-7575 and ERC-7540 as the standards define them. Each interface declares exactly the functions whose
// selectors make up its ERC-165 id (nothing inherited), so `type(I).interfaceId` is the standard's constant.

/// @title IERC7575
/// @notice A multi-asset ERC-4626 entry point: the ERC-4626 functions, with the share token a separate
/// contract named by `share()`. ERC-165 id 0x2f0a18c5.
interface IERC7575 {
    /// @notice `sender` paid `assets` and `owner` received `shares` (ERC-7540: `sender` is the controller).
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// @notice `owner`'s `shares` were redeemed and `receiver` was paid `assets`.
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);

    /// @notice The token deposited and paid out.
    function asset() external view returns (address assetTokenAddress);
    /// @notice The share token this entry point issues and redeems.
    function share() external view returns (address shareTokenAddress);
    /// @notice Shares worth `assets` at the current NAV, without fees.
    function convertToShares(uint256 assets) external view returns (uint256 shares);
    /// @notice Assets worth `shares` at the current NAV, without fees.
    function convertToAssets(uint256 shares) external view returns (uint256 assets);
    /// @notice The assets the share token's vault manages.
    function totalAssets() external view returns (uint256 totalManagedAssets);
    /// @notice The most a deposit (or, in ERC-7540, a deposit claim) by `receiver` can take now.
    function maxDeposit(address receiver) external view returns (uint256 maxAssets);
    /// @notice Shares a deposit of `assets` would give now (ERC-7540 asynchronous deposits: reverts).
    function previewDeposit(uint256 assets) external view returns (uint256 shares);
    /// @notice Deposits (ERC-7540: claims) `assets` for `shares` to `receiver`.
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);
    /// @notice The most shares a mint (or mint claim) for `receiver` can give now.
    function maxMint(address receiver) external view returns (uint256 maxShares);
    /// @notice Assets a mint of `shares` would take now (ERC-7540 asynchronous deposits: reverts).
    function previewMint(uint256 shares) external view returns (uint256 assets);
    /// @notice Mints (ERC-7540: claims) exactly `shares` to `receiver`.
    function mint(uint256 shares, address receiver) external returns (uint256 assets);
    /// @notice The most assets `owner` can withdraw (or claim) now.
    function maxWithdraw(address owner) external view returns (uint256 maxAssets);
    /// @notice Shares a withdrawal of `assets` would burn now (ERC-7540 asynchronous redemptions: reverts).
    function previewWithdraw(uint256 assets) external view returns (uint256 shares);
    /// @notice Withdraws (ERC-7540: claims) exactly `assets` to `receiver`.
    function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares);
    /// @notice The most shares `owner` can redeem (or claim) now.
    function maxRedeem(address owner) external view returns (uint256 maxShares);
    /// @notice Assets a redemption of `shares` would pay now (ERC-7540 asynchronous redemptions: reverts).
    function previewRedeem(uint256 shares) external view returns (uint256 assets);
    /// @notice Redeems (ERC-7540: claims) `shares`, paying `receiver`.
    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
}

/// @title IERC7540Operator
/// @notice Operators that may request and claim on a controller's behalf. ERC-165 id 0xe3bc4e65.
interface IERC7540Operator {
    /// @notice `controller` set `operator`'s approval to `approved`.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);

    /// @notice Whether `operator` may manage `controller`'s requests.
    function isOperator(address controller, address operator) external view returns (bool status);
    /// @notice Lets `operator` manage the caller's requests, or stops it; returns true.
    function setOperator(address operator, bool approved) external returns (bool success);
}

/// @title IERC7540Deposit
/// @notice Asynchronous deposits: request, then claim with deposit/mint. ERC-165 id 0xce3bbe50.
interface IERC7540Deposit {
    /// @notice `owner` locked `assets` in a deposit request `requestId` that `controller` controls.
    event DepositRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 assets);

    /// @notice Takes `assets` from `owner` (the caller or one it operates for) into a request of `controller`.
    function requestDeposit(uint256 assets, address controller, address owner) external returns (uint256 requestId);
    /// @notice `controller`'s requested assets not yet claimable.
    function pendingDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);
    /// @notice `controller`'s requested assets that deposit/mint can claim now.
    function claimableDepositRequest(uint256 requestId, address controller) external view returns (uint256 assets);
    /// @notice Claims the shares of `assets` of `controller`'s claimable deposit to `receiver`.
    function deposit(uint256 assets, address receiver, address controller) external returns (uint256 shares);
    /// @notice Claims exactly `shares` of `controller`'s claimable deposit to `receiver`.
    function mint(uint256 shares, address receiver, address controller) external returns (uint256 assets);
}

/// @title IERC7540Redeem
/// @notice Asynchronous redemptions: request, then claim with redeem/withdraw. ERC-165 id 0x620ee8e4.
interface IERC7540Redeem {
    /// @notice `owner`'s `shares` were locked in a redemption request `requestId` that `controller` controls.
    event RedeemRequest(address indexed controller, address indexed owner, uint256 indexed requestId, address sender, uint256 shares);

    /// @notice Takes `shares` from `owner` (the caller or one it operates for) into a request of `controller`.
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);
    /// @notice `controller`'s requested shares not yet claimable.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
    /// @notice `controller`'s requested shares that redeem/withdraw can claim now.
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256 shares);
}
