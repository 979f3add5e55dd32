// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev One basis point is 1/10,000: the denominator of every `*Bps` value in the contracts (fees, weights,
/// slippage, deviation, loss budget). Defined once, imported where used.
uint256 constant BPS = 10_000;
