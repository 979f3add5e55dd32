// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AddressListCodeLib} from "../libraries/AddressListCodeLib.sol";
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

    /// @notice Fills balances, cash and NAV rounded down and up in one pass; each constituent adds at most 1
    /// between the two. A constituent priced 0 (its source unusable, see RebalanceLogic) counts as worth 0.
    function value(Valuation memory v) internal view {
        uint256 assetPrice = v.prices[0];
        uint256 n = v.tokens.length;
        v.balances = new uint256[](n);
        uint256 cash = IERC20(v.tokens[0]).balanceOf(address(this));
        v.balances[0] = cash;
        uint256 navDown = cash;
        uint256 remainders;
        for (uint256 i = 1; i < n; ++i) {
            uint256 balance = IERC20(v.tokens[i]).balanceOf(address(this));
            v.balances[i] = balance;
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
}
