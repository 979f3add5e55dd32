// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {NavLib} from "../libraries/NavLib.sol";

/// @notice Exposes NavLib to TypeScript tests.
contract NavLibHarness {
    function valueDown(uint256 amount, uint256 tokenPrice, uint256 assetPrice) external pure returns (uint256) {
        return NavLib.valueDown(amount, tokenPrice, assetPrice);
    }

    function minAmountOutUp(uint256 amountIn, uint256 priceIn, uint256 priceOut, uint256 slippageBps)
        external
        pure
        returns (uint256)
    {
        return NavLib.minAmountOutUp(amountIn, priceIn, priceOut, slippageBps);
    }

    function toShares(uint256 assets, uint256 supply, uint256 nav, uint256 virtualShares, bool roundUp)
        external
        pure
        returns (uint256)
    {
        return NavLib.toShares(assets, supply, nav, virtualShares, roundUp ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }

    function toAssets(uint256 shares, uint256 supply, uint256 nav, uint256 virtualShares, bool roundUp)
        external
        pure
        returns (uint256)
    {
        return NavLib.toAssets(shares, supply, nav, virtualShares, roundUp ? Math.Rounding.Ceil : Math.Rounding.Floor);
    }
}
