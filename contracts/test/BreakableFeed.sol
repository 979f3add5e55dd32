// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @notice Test-only feed that forwards to another until broken, then reverts on every read, as a
/// deprecated or paused Chainlink aggregator does.
contract BreakableFeed is IAggregatorV3 {
    error BreakableFeedBroken();

    IAggregatorV3 public immutable source;
    bool public broken;

    constructor(IAggregatorV3 source_) {
        source = source_;
    }

    function setBroken(bool broken_) external {
        broken = broken_;
    }

    function decimals() external view returns (uint8) {
        return source.decimals();
    }

    function description() external view returns (string memory) {
        return source.description();
    }

    function version() external view returns (uint256) {
        return source.version();
    }

    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        if (broken) revert BreakableFeedBroken();
        return source.getRoundData(roundId);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        if (broken) revert BreakableFeedBroken();
        return source.latestRoundData();
    }
}
