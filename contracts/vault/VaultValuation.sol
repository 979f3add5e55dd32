// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AddressListCodeLib} from "../libraries/AddressListCodeLib.sol";
import {BoundedTokenCallLib} from "../libraries/BoundedTokenCallLib.sol";
import {NavLib} from "../libraries/NavLib.sol";
import {VaultState} from "./VaultState.sol";

/// @dev Prices of [asset(), ...registeredAssets()], the balances they were applied to, and the NAV they give.
struct Valuation {
    address[] tokens;
    uint256[] prices;
    uint256[] balances;
    uint256 cash;
    uint256 navDown;
    uint256 navUp;
}

/// @title VaultValuation
/// @notice The one place the vault turns balances and prices into NAV, shared by the vault's ERC-4626 flows
/// and RebalanceLogic.
library VaultValuation {
    /// @notice [stable, ...registeredAssets()]: the order of prices, in-kind payouts and minAmountsOut.
    function tokens(VaultState storage s, address stable) internal view returns (address[] memory) {
        return AddressListCodeLib.readWithHead(s.assetsPointer, stable);
    }

    /// @notice The vault's own holding of each token: its balance less what it owes as in-kind credits.
    /// @return held Aligned with `list`.
    /// @return unreadable The first token whose balanceOf failed (reverted or exceeded its gas cap), or zero;
    /// its entry in `held` is 0.
    function holdings(VaultState storage s, address[] memory list)
        internal
        view
        returns (uint256[] memory held, address unreadable)
    {
        uint256 n = list.length;
        held = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            (bool ok, uint256 balance) = BoundedTokenCallLib.tryBalanceOf(list[i], address(this));
            if (!ok && unreadable == address(0)) unreadable = list[i];
            held[i] = balance;
        }
        if (s.creditedTokens.length != 0) _subtractCredits(s, list, held);
    }

    /// @notice Fills balances (holdings), cash and NAV rounded down and up in one pass; each constituent adds
    /// at most 1 between the two. A constituent priced 0 (its source unusable, see RebalanceLogic) counts as
    /// worth 0. Returns the first constituent whose balance could not be read (counted as 0), or zero.
    function value(VaultState storage s, Valuation memory v) internal view returns (address unreadable) {
        (v.balances, unreadable) = holdings(s, v.tokens);
        uint256 assetPrice = v.prices[0];
        uint256 n = v.tokens.length;
        uint256 cash = v.balances[0];
        uint256 navDown = cash;
        uint256 remainders;
        for (uint256 i = 1; i < n; ++i) {
            uint256 balance = v.balances[i];
            if (balance == 0 || v.prices[i] == 0) continue;
            (uint256 worth, bool hasRemainder) = NavLib.valueDownWithRemainder(balance, v.prices[i], assetPrice);
            navDown += worth;
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

    function _subtractCredits(VaultState storage s, address[] memory list, uint256[] memory held) private view {
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            uint256 owed = s.creditTotal[list[i]];
            if (owed != 0) held[i] = held[i] > owed ? held[i] - owed : 0;
        }
    }
}
