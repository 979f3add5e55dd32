// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IOracleRouter
/// @notice Prices every token the vault holds, the stablecoin included, from one admin-chosen source per
/// token: a Chainlink feed, a Uniswap V3 TWAP, or a feed cross-checked against a TWAP. Never a spot price.
/// A token may also have a market pool, whose price at the start of the current block bounds the source's
/// price for deposits (the higher of the two) and cash exits (the lower): see boundedUnitPricesUsd36.
/// @dev Prices are returned as `unitPriceUsd36`: the USD value of ONE BASE UNIT of the token, scaled by 1e36.
/// Dividing two of them converts amounts between tokens with their decimals already accounted for:
/// `amountB = amountA * unitPriceUsd36(A) / unitPriceUsd36(B)`.
interface IOracleRouter {
    /// @notice How a token is priced.
    enum SourceKind {
        None,
        Chainlink,
        Twap,
        ChainlinkCheckedByTwap
    }

    /// @notice Which side of the market bound a price is for: the lower of source and market (cash exits)
    /// or the higher (deposits).
    enum Bound {
        Low,
        High
    }

    /// @notice Everything that describes one token's price source.
    /// @param kind Which source applies.
    /// @param feed Chainlink AggregatorV3 feed quoted in USD (Chainlink and ChainlinkCheckedByTwap).
    /// @param heartbeatSeconds An answer older than this is stale.
    /// @param minAnswer Exclusive lower bound of accepted answers, in feed decimals: an answer at or below it
    /// fails, so a feed pinned at its floor (a Chainlink aggregator's minAnswer) while the market collapses fails.
    /// @param maxAnswer Exclusive upper bound of accepted answers, in feed decimals.
    /// @param pool Uniswap V3 pool pairing the token with a quote token that has a Chainlink source.
    /// @param twapWindowSeconds Length of the time-weighted average.
    /// @param maxDeviationBps Largest accepted gap between feed and TWAP (ChainlinkCheckedByTwap).
    struct SourceParams {
        SourceKind kind;
        address feed;
        uint32 heartbeatSeconds;
        uint128 minAnswer;
        uint128 maxAnswer;
        address pool;
        uint32 twapWindowSeconds;
        uint16 maxDeviationBps;
    }

    // ------------------------------------------------------------------------------------------------
    // Errors
    // ------------------------------------------------------------------------------------------------

    /// @notice The token has no price source.
    error OracleRouterNoSource(address token);
    /// @notice The feed's latestRoundData reverted (or returned garbage that failed to decode).
    error OracleRouterFeedReverted(address token, address feed);
    /// @notice The feed answered zero or a negative number.
    error OracleRouterNonPositiveAnswer(address token, address feed, int256 answer);
    /// @notice The feed's answer lies at or outside the admin-set bounds.
    error OracleRouterAnswerOutOfBounds(address token, address feed, int256 answer, uint256 minAnswer, uint256 maxAnswer);
    /// @notice The feed's answer is older than its heartbeat allows.
    error OracleRouterStalePrice(address token, address feed, uint256 updatedAt, uint256 heartbeatSeconds);
    /// @notice The pool's observe() reverted (usually: not enough observation history for the window).
    error OracleRouterTwapReverted(address token, address pool);
    /// @notice Feed and TWAP disagree by more than the configured deviation.
    error OracleRouterDeviationTooHigh(address token, uint256 feedUnitPriceUsd36, uint256 twapUnitPriceUsd36, uint256 maxDeviationBps);
    /// @notice A source's parameters are unusable; `reason` names the check that failed.
    error OracleRouterInvalidSource(address token, string reason);
    /// @notice A market pool is unusable for `token`; `reason` names the check that failed.
    error OracleRouterInvalidMarketPool(address token, address pool, string reason);
    /// @notice Forward pricing (setPricedAfter): `token`'s price data dates from `updatedAt` (its feed's latest
    /// round, or its TWAP window's start), not after `cutOff`.
    error OracleRouterPricedBeforeCutOff(address token, uint256 updatedAt, uint256 cutOff);
    /// @notice Under a forward-pricing cut-off, `token`'s market price is more than `maxGapBps` away from its
    /// source price: somebody may have pushed the pool to set a queued window's price; the read waits.
    error OracleRouterMarketGapTooWide(address token, uint256 sourceUnitPriceUsd36, uint256 marketUnitPriceUsd36, uint256 maxGapBps);
    /// @notice This transaction's forward-pricing cut-off was set by `holder`; only it may change or clear it.
    error OracleRouterCutOffHeld(address holder);

    // ------------------------------------------------------------------------------------------------
    // Events
    // ------------------------------------------------------------------------------------------------

    /// @notice A token's price source was set or replaced.
    event SourceSet(address indexed token, SourceParams params);
    /// @notice A token's price source was removed.
    event SourceRemoved(address indexed token);
    /// @notice The deployer's one-time configuration right was given to `configurator` (zero: renounced).
    event ConfiguratorSet(address indexed configurator);
    /// @notice A token's market pool was set (or removed, with pool zero).
    event MarketPoolSet(address indexed token, address indexed pool);

    // ------------------------------------------------------------------------------------------------
    // Functions
    // ------------------------------------------------------------------------------------------------

    /// @notice Sets or replaces the price source of `token`. Owner (the admin timelock), or the configurator before hand-over.
    /// @dev A TWAP pool must pair `token` with a quote token whose own source is a plain Chainlink feed, so
    /// pricing never recurses more than one level.
    function setSource(address token, SourceParams calldata params) external;

    /// @notice Removes the price source of `token`. Owner, or the configurator before hand-over.
    /// @dev Warning: a registered vault asset without a source blocks deposits and cash redemptions.
    function removeSource(address token) external;

    /// @notice Sets the Uniswap V3 pool whose price bounds `token`'s price for deposits and cash exits
    /// (zero removes it). Owner, or the configurator before hand-over.
    /// @dev The pool must pair `token` with a quote token that has a plain Chainlink source and must keep at
    /// least two observations (the block-start price is read from the last two).
    function setMarketPool(address token, address pool) external;

    /// @notice Who may set sources and market pools besides the owner: the deployer until hand-over, then zero.
    function configurator() external view returns (address);
    /// @notice The configurator gives up its right for good (at hand-over to the timelock).
    function renounceConfigurator() external;
    /// @notice The market pool of `token`, or zero.
    function marketPoolOf(address token) external view returns (address);

    /// @notice The configured source of `token`.
    function sourceOf(address token) external view returns (SourceParams memory);

    /// @notice The USD value of one base unit of `token`, scaled by 1e36.
    /// @dev Reverts with one of the errors above when the source is missing, reverting, stale, non-positive,
    /// out of bounds or deviating; never returns zero.
    function unitPriceUsd36(address token) external view returns (uint256);

    /// @notice unitPriceUsd36 for many tokens in one call (one call per batch keeps the vault's NAV cheap).
    function unitPricesUsd36(address[] calldata tokens) external view returns (uint256[] memory);
    /// @notice unitPricesUsd36 with 0 instead of a revert for each token whose source is unusable, so that one
    /// dead feed does not stop what the other tokens' prices allow (the vault's trade batches).
    /// @dev Costs one external self-call per token: callers try unitPricesUsd36 first.
    function tryUnitPricesUsd36(address[] calldata tokens) external view returns (uint256[] memory);

    /// @notice Per token, the lower (Bound.Low) or higher (Bound.High) of unitPriceUsd36 and the market price:
    /// the token's market pool at the start of the current block, times the quote token's feed price. A
    /// token without a market pool gets its source price. `tokens[0]` is the unit the caller values in (the
    /// vault's asset) and takes the other bound: its price divides every other, so a higher unit price lowers
    /// the value the bound is meant to raise.
    /// @dev Why the start of the block and not slot0: an oracle that lags the market inside its deviation
    /// threshold lets a depositor buy shares below market value and leave in kind at market value; pricing
    /// deposits at the higher and cash exits at the lower of oracle and market closes that. The market price
    /// must not be movable inside the depositor's transaction: a depositor who pushed slot0 down to the stale
    /// feed would get the stale price back for the cost of two swap fees, and anyone who pushed slot0 up
    /// before a third party's deposit would sell it shares too dear. The tick in force when the block began
    /// (from the pool's last two observations) moves only with trades in earlier blocks, so moving it costs
    /// holding the pool off-market across a block boundary against every arbitrageur. The block-start price
    /// is known to one tick (1 bp); each bound takes the tick edge on its own side. Under a forward-pricing
    /// cut-off (setPricedAfter: a queued window's settlement, whose requesters can neither cancel nor set a
    /// minimum once it is past) a market price more than MAX_FORWARD_MARKET_GAP_BPS from the source price
    /// reverts with OracleRouterMarketGapTooWide instead of pricing the window: a holder who held the pools
    /// off-market across a block boundary would otherwise choose the queued requesters' price.
    function boundedUnitPricesUsd36(address[] calldata tokens, Bound bound) external view returns (uint256[] memory);

    /// @notice Forward pricing for the rest of the calling transaction: until the caller clears it (`cutOff`
    /// zero), every price this router returns, to any caller, uses only feed rounds updated after `cutOff` and
    /// TWAP windows that start after it; any other data reverts the read with OracleRouterPricedBeforeCutOff,
    /// checked before the source's other checks. The queue (IIndexQueue) sets it around its settlement, so the
    /// vault's one NAV read is also the forward-pricing check.
    /// @dev Transient storage: it ends with the transaction and costs a price call one TLOAD. The caller holds
    /// the cut-off until it clears it: anyone else setting or clearing it reverts with OracleRouterCutOffHeld,
    /// so nothing the holder calls can lift it. Deliberately open to any caller: a cut-off only turns price
    /// reads into reverts (tryUnitPricesUsd36 into zeros, the vault's max* views into 0), never into another
    /// price, and only for the rest of a transaction the setter is part of. So a stranger's cut-off can fail
    /// only calls the stranger itself makes or has control inside (which it could make revert anyway), cannot
    /// outlive its transaction, and makes a queue settlement in that transaction revert (the queue cannot
    /// take it over) rather than price at the stranger's cut-off. Restricting it to the queue would add an
    /// admin-set registry entry and protect nothing more.
    function setPricedAfter(uint256 cutOff) external;

    /// @notice This transaction's forward-pricing cut-off and who set it (zeros: none). See setPricedAfter.
    function pricedAfter() external view returns (uint256 cutOff, address holder);

    /// @notice Widest gap between a token's market and source prices that a bounded read under a forward-pricing
    /// cut-off accepts, in bps of the source price (see boundedUnitPricesUsd36).
    function MAX_FORWARD_MARKET_GAP_BPS() external view returns (uint16);
}
