// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {BoundedTokenCallLib} from "../libraries/BoundedTokenCallLib.sol";
import {IIndexVault} from "../interfaces/IIndexVault.sol";
import {IOracleRouter} from "../interfaces/IOracleRouter.sol";
import {AddressListCodeLib} from "../libraries/AddressListCodeLib.sol";
import {AssetInfo, VaultState} from "./VaultState.sol";
import {BPS} from "../libraries/Bps.sol";

/// @title RegistryLogic
/// @notice The constituent registry of IndexVault (admin only, checked by the vault): registering and
/// deregistering assets. An externally linked library, run in the vault's context by DELEGATECALL, so that
/// the code-list writer (which deploys a data contract) does not count against the vault's EIP-170 size.
library RegistryLogic {
    using SafeERC20 for IERC20;

    /// @notice Most constituents the vault will hold (IndexVault.MAX_ASSETS).
    uint256 internal constant MAX_ASSETS = 100;

    /// @notice See IIndexVault.registerAsset.
    function registerAsset(VaultState storage s, IOracleRouter oracle, address stable, address token, uint16 maxWeightBps)
        external
    {
        if (token == address(0) || token == stable || token == address(this)) revert IIndexVault.IndexVaultInvalidAsset(token);
        if (s.assetInfo[token].indexPlusOne != 0) revert IIndexVault.IndexVaultAssetAlreadyRegistered(token);
        address[] memory assets = AddressListCodeLib.read(s.assetsPointer);
        if (assets.length >= MAX_ASSETS) revert IIndexVault.IndexVaultTooManyAssets(MAX_ASSETS);
        if (maxWeightBps > BPS) revert IIndexVault.IndexVaultWeightOutOfRange(maxWeightBps);
        oracle.unitPriceUsd36(token);
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance != 0) {
            // A self-transfer that changes our balance reveals a transfer fee or a rebasing hook.
            IERC20(token).safeTransfer(address(this), balance);
            uint256 after_ = IERC20(token).balanceOf(address(this));
            if (after_ != balance) revert IIndexVault.IndexVaultFeeOnTransfer(token, balance, after_);
        }
        address[] memory next = new address[](assets.length + 1);
        for (uint256 i; i < assets.length; ++i) {
            next[i] = assets[i];
        }
        next[assets.length] = token;
        s.assetsPointer = AddressListCodeLib.write(next);
        s.assetInfo[token] =
            AssetInfo({indexPlusOne: uint16(next.length), maxWeightBps: maxWeightBps, targetWeightBps: 0, targetEpoch: 0});
        emit IIndexVault.AssetRegistered(token, maxWeightBps);
    }

    /// @notice See IIndexVault.deregisterAsset.
    function deregisterAsset(VaultState storage s, address token, uint256 maxWriteOff) external {
        uint256 indexPlusOne = s.assetInfo[token].indexPlusOne;
        if (indexPlusOne == 0) revert IIndexVault.IndexVaultAssetNotRegistered(token);
        // Gas-capped: a dead token whose balanceOf reverts or burns gas is removed only by writing off everything.
        (bool readable, uint256 balance) = BoundedTokenCallLib.tryBalanceOf(token, address(this));
        if (!readable) balance = type(uint256).max;
        // What in-kind receivers are owed stays theirs, claimable after the removal (claimCredit needs no registry
        // entry): only the vault's own holding is written off, so an unclaimable credit cannot block the removal.
        uint256 owed = s.creditTotal[token];
        uint256 held = balance > owed ? balance - owed : 0;
        if (held > maxWriteOff) revert IIndexVault.IndexVaultAssetHasBalance(token, held);
        address[] memory assets = AddressListCodeLib.read(s.assetsPointer);
        uint256 last = assets.length - 1;
        if (indexPlusOne - 1 != last) {
            address moved = assets[last];
            assets[indexPlusOne - 1] = moved;
            s.assetInfo[moved].indexPlusOne = uint16(indexPlusOne);
        }
        // Shrinks the memory array in place: drops the (now duplicated or removed) last entry.
        assembly ("memory-safe") {
            mstore(assets, last)
        }
        s.assetsPointer = last == 0 ? address(0) : AddressListCodeLib.write(assets);
        delete s.assetInfo[token];
        emit IIndexVault.AssetDeregistered(token, held);
    }
}
