// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAggregatorV3
/// @notice Chainlink's AggregatorV3Interface, declared here because @chainlink/contracts newer than 1.2.0
/// cannot be installed offline. Function selectors are identical, so real Chainlink feeds satisfy it.
interface IAggregatorV3 {
    /// @notice Number of decimals of `answer`.
    function decimals() external view returns (uint8);

    /// @notice Human-readable description of the feed, e.g. "BTC / USD".
    function description() external view returns (string memory);

    /// @notice Version of the aggregator implementation.
    function version() external view returns (uint256);

    /// @notice Data of a past round.
    /// @param roundId The round to read.
    /// @return roundId The round read.
    /// @return answer The price, scaled by 10^decimals().
    /// @return startedAt When the round started.
    /// @return updatedAt When the answer was last updated; staleness is measured from it.
    /// @return answeredInRound Deprecated; equals roundId on current feeds.
    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);

    /// @notice Data of the latest round; see getRoundData for the fields.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
