// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ShortFloatLib
/// @notice A 24-bit binary float (16-bit mantissa, 8-bit shift: value = mantissa << shift) that approximates
/// a uint128 within 2^-15 of it, rounded in a chosen direction. The oracle router keeps a feed's bounds this
/// way beside the feed address, so the common bounds check needs no second storage slot: an answer strictly
/// inside the inner (rounded-in) bounds is strictly inside the exact ones.
library ShortFloatLib {
    uint256 private constant MANTISSA_BITS = 16;
    uint256 private constant MANTISSA_LIMIT = 1 << MANTISSA_BITS;

    /// @notice The smallest short float >= `x`.
    /// @dev Up: a lower bound rounded up is never looser than the exact one.
    function fromUintUp(uint128 x) internal pure returns (uint24) {
        (uint256 mantissa, uint256 shift) = _split(x);
        if (mantissa << shift != x) {
            ++mantissa;
            // The carry out of 16 bits halves the mantissa; the dropped bit is zero (mantissa was 2^16).
            if (mantissa == MANTISSA_LIMIT) {
                mantissa >>= 1;
                ++shift;
            }
        }
        return _pack(mantissa, shift);
    }

    /// @notice The largest short float <= `x`.
    /// @dev Down: an upper bound rounded down is never looser than the exact one.
    function fromUintDown(uint128 x) internal pure returns (uint24) {
        (uint256 mantissa, uint256 shift) = _split(x);
        return _pack(mantissa, shift);
    }

    /// @notice The value a short float stands for (at most 2^129, so always exact in 256 bits).
    function toUint(uint24 f) internal pure returns (uint256) {
        return uint256(f >> 8) << (f & 0xff);
    }

    /// @dev The top 16 significant bits of `x` and the shift that restores their position (truncated).
    function _split(uint128 x) private pure returns (uint256 mantissa, uint256 shift) {
        uint256 bits = x == 0 ? 0 : Math.log2(x) + 1;
        shift = bits > MANTISSA_BITS ? bits - MANTISSA_BITS : 0;
        mantissa = uint256(x) >> shift;
    }

    function _pack(uint256 mantissa, uint256 shift) private pure returns (uint24) {
        // Cannot truncate: mantissa < 2^16 and shift <= 113 by construction.
        return uint24((mantissa << 8) | shift);
    }
}
