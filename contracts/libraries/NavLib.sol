// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BPS} from "./Bps.sol";

/// @title NavLib
/// @notice Pure valuation and share-conversion math of the IndexVault. Rounding direction is part of every
/// name; the caller picks the direction that favours the vault's remaining holders.
/// @dev Prices are `unitPriceUsd36`: USD per base unit of a token, scaled by 1e36 (see IOracleRouter).
library NavLib {
    /// @notice Value of `amount` base units of a token in base units of the vault asset, rounded down.
    /// @dev Down: NAV for redemptions and the value received by a trade must never be overstated.
    function valueDown(uint256 amount, uint256 tokenUnitPriceUsd36, uint256 assetUnitPriceUsd36)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(amount, tokenUnitPriceUsd36, assetUnitPriceUsd36);
    }

    /// @notice As valueDown, and whether the exact value had a remainder (so the rounded-up value is +1).
    function valueDownWithRemainder(uint256 amount, uint256 tokenUnitPriceUsd36, uint256 assetUnitPriceUsd36)
        internal
        pure
        returns (uint256 value, bool hasRemainder)
    {
        value = Math.mulDiv(amount, tokenUnitPriceUsd36, assetUnitPriceUsd36);
        hasRemainder = mulmod(amount, tokenUnitPriceUsd36, assetUnitPriceUsd36) != 0;
    }

    /// @notice The smallest output a trade of `amountIn` may accept: the oracle value of the input in
    /// `tokenOut` units times (1 - maxSlippageBps), rounded up.
    /// @dev Up: the bound must never be looser than the stated slippage.
    function minAmountOutUp(uint256 amountIn, uint256 unitPriceInUsd36, uint256 unitPriceOutUsd36, uint256 maxSlippageBps)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(amountIn, unitPriceInUsd36 * (BPS - maxSlippageBps), unitPriceOutUsd36 * BPS, Math.Rounding.Ceil);
    }

    /// @notice Shares for `assets` at a NAV, with `virtualShares` and one virtual asset against donations.
    /// @dev Down for deposits (pair with a NAV rounded up); up for withdrawals (pair with a NAV rounded down).
    function toShares(uint256 assets, uint256 supply, uint256 nav, uint256 virtualShares, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(assets, supply + virtualShares, nav + 1, rounding);
    }

    /// @notice Assets for `shares` at a NAV, with the same virtual offset as toShares.
    /// @dev Down for redemptions (pair with a NAV rounded down); up for mints (pair with a NAV rounded up).
    function toAssets(uint256 shares, uint256 supply, uint256 nav, uint256 virtualShares, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(shares, nav + 1, supply + virtualShares, rounding);
    }

    /// @notice The `shares` / (`supply` + `virtualShares`) slice of `balance`, rounded down.
    /// @dev Down: an in-kind redemption never takes more than its slice; the virtual shares' slice stays.
    function proRataDown(uint256 balance, uint256 shares, uint256 supply, uint256 virtualShares)
        internal
        pure
        returns (uint256)
    {
        return Math.mulDiv(balance, shares, supply + virtualShares);
    }
}
