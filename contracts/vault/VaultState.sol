// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IIndexVault} from "../interfaces/IIndexVault.sol";

/// @dev Everything a deposit, redemption or trade batch reads from configuration, in one slot.
struct Config {
    uint16 entryFeeBps;
    uint16 exitFeeBps;
    uint16 managementFeeBps;
    uint16 maxSlippageBps;
    uint16 lossBudgetBps;
    uint16 targetToleranceBps;
    uint32 lossBudgetWindowSeconds;
    uint40 lastFeeAccrual;
    bool depositsPaused;
    bool rebalancesPaused;
}

struct EpochState {
    uint64 epoch;
    IIndexVault.Regime regime;
    uint16 cashWeightBps;
    uint40 regimeChangedAt;
}

/// @dev The loss budget's ring of five quarter-window buckets (LossBudgetLib) and the batch counter, in one slot.
struct LossState {
    uint160 buckets;
    uint32 lastBucket;
    uint64 batchSequence;
}

/// @dev targetWeightBps is valid only while targetEpoch equals the current epoch, so a commit never has to
/// clear the previous epoch's targets.
struct AssetInfo {
    uint16 indexPlusOne;
    uint16 maxWeightBps;
    uint16 targetWeightBps;
    uint64 targetEpoch;
}

/// @dev The vault's own storage (beyond ERC-20, ERC-4626 and AccessControl), in one struct so that the
/// externally linked logic libraries (RebalanceLogic, RegistryLogic) can work on it by reference.
struct VaultState {
    Config config;
    EpochState epoch;
    LossState loss;
    bytes32 snapshotHash;
    /// @dev The constituent list lives in a data contract's code (AddressListCodeLib): one EXTCODECOPY per
    /// read instead of one cold SLOAD per constituent.
    address assetsPointer;
    mapping(address token => AssetInfo) assetInfo;
    mapping(address adapter => bool) adapterAllowed;
    mapping(address pool => bool) poolAllowed;
    /// @dev In-kind slices the vault could not send (a constituent's transfer failed), owed to their receivers
    /// and claimable later. They stay in the vault's balance but belong to nobody else: valuations and
    /// in-kind slices subtract creditTotal. `creditedTokens` lists the tokens with a non-zero total, so the
    /// common path pays one SLOAD (its length) for all this.
    mapping(address token => mapping(address account => uint256)) credits;
    mapping(address token => uint256) creditTotal;
    address[] creditedTokens;
}
