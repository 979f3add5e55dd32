// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {TickMath} from "@uniswap/v4-core/src/libraries/TickMath.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";
import {IOracleRouter} from "../interfaces/IOracleRouter.sol";

/// @title OracleRouter
/// @notice One price source per token, chosen by the owner (the admin TimelockController). See IOracleRouter.
/// @dev Storage is packed so that a Chainlink-priced token costs two SLOADs: the vault prices every
/// constituent on each deposit and cash redemption, 100 of them at the limit.
contract OracleRouter is IOracleRouter, Ownable {
    /// @notice Shortest TWAP window accepted: a shorter average is too close to a manipulable spot price.
    uint32 public constant MIN_TWAP_WINDOW_SECONDS = 5 minutes;
    /// @notice Longest TWAP window accepted.
    uint32 public constant MAX_TWAP_WINDOW_SECONDS = 7 days;
    /// @notice Largest feed/TWAP deviation the owner may allow.
    uint16 public constant MAX_DEVIATION_BPS = 2_000;

    uint256 private constant BPS = 10_000;
    uint256 private constant Q128 = 1 << 128;
    uint256 private constant Q192 = 1 << 192;

    /// @dev Slot 0 holds everything a Chainlink read needs except the bounds, slot 1 the bounds,
    /// slots 2-3 the TWAP; a TWAP-free source never touches the last two.
    struct Source {
        address feed;
        uint32 heartbeatSeconds;
        SourceKind kind;
        uint8 feedDecimals;
        uint8 tokenDecimals;
        uint16 maxDeviationBps;
        uint128 minAnswer;
        uint128 maxAnswer;
        address pool;
        uint32 twapWindowSeconds;
        bool tokenIsToken0;
        address quoteToken;
    }

    mapping(address token => Source) private _sources;

    /// @param owner_ The admin: an OpenZeppelin TimelockController.
    constructor(address owner_) Ownable(owner_) {}

    // ------------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IOracleRouter
    function setSource(address token, SourceParams calldata p) external onlyOwner {
        if (token == address(0)) revert OracleRouterInvalidSource(token, "token is zero");
        if (p.kind == SourceKind.None) revert OracleRouterInvalidSource(token, "kind is None");
        Source storage s = _sources[token];
        uint8 tokenDecimals = IERC20Metadata(token).decimals();
        if (tokenDecimals > 36) revert OracleRouterInvalidSource(token, "token decimals > 36");
        delete _sources[token];
        s.kind = p.kind;
        s.tokenDecimals = tokenDecimals;
        if (p.kind == SourceKind.Chainlink || p.kind == SourceKind.ChainlinkCheckedByTwap) {
            _setFeed(s, token, p);
        }
        if (p.kind == SourceKind.Twap || p.kind == SourceKind.ChainlinkCheckedByTwap) {
            _setTwap(s, token, p);
        }
        if (p.kind == SourceKind.ChainlinkCheckedByTwap) {
            if (p.maxDeviationBps == 0 || p.maxDeviationBps > MAX_DEVIATION_BPS) {
                revert OracleRouterInvalidSource(token, "maxDeviationBps");
            }
            s.maxDeviationBps = p.maxDeviationBps;
        }
        emit SourceSet(token, p);
        // Fail now rather than at the first deposit: the source must price the token today.
        _unitPrice(token);
    }

    /// @inheritdoc IOracleRouter
    function removeSource(address token) external onlyOwner {
        delete _sources[token];
        emit SourceRemoved(token);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IOracleRouter
    function sourceOf(address token) external view returns (SourceParams memory p) {
        Source storage s = _sources[token];
        p = SourceParams({
            kind: s.kind,
            feed: s.feed,
            heartbeatSeconds: s.heartbeatSeconds,
            minAnswer: s.minAnswer,
            maxAnswer: s.maxAnswer,
            pool: s.pool,
            twapWindowSeconds: s.twapWindowSeconds,
            maxDeviationBps: s.maxDeviationBps
        });
    }

    /// @inheritdoc IOracleRouter
    function unitPriceUsd36(address token) external view returns (uint256) {
        return _unitPrice(token);
    }

    /// @inheritdoc IOracleRouter
    function unitPricesUsd36(address[] calldata tokens) external view returns (uint256[] memory prices) {
        uint256 n = tokens.length;
        prices = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            prices[i] = _unitPrice(tokens[i]);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------------

    function _setFeed(Source storage s, address token, SourceParams calldata p) private {
        if (p.feed == address(0)) revert OracleRouterInvalidSource(token, "feed is zero");
        if (p.heartbeatSeconds == 0) revert OracleRouterInvalidSource(token, "heartbeat is zero");
        if (p.minAnswer == 0 || p.minAnswer >= p.maxAnswer) revert OracleRouterInvalidSource(token, "bounds");
        uint8 feedDecimals = IAggregatorV3(p.feed).decimals();
        if (feedDecimals > 36) revert OracleRouterInvalidSource(token, "feed decimals > 36");
        s.feed = p.feed;
        s.heartbeatSeconds = p.heartbeatSeconds;
        s.feedDecimals = feedDecimals;
        s.minAnswer = p.minAnswer;
        s.maxAnswer = p.maxAnswer;
    }

    function _setTwap(Source storage s, address token, SourceParams calldata p) private {
        if (p.twapWindowSeconds < MIN_TWAP_WINDOW_SECONDS || p.twapWindowSeconds > MAX_TWAP_WINDOW_SECONDS) {
            revert OracleRouterInvalidSource(token, "twap window");
        }
        if (p.pool == address(0)) revert OracleRouterInvalidSource(token, "pool is zero");
        address token0 = IUniswapV3Pool(p.pool).token0();
        address token1 = IUniswapV3Pool(p.pool).token1();
        if (token != token0 && token != token1) revert OracleRouterInvalidSource(token, "pool lacks token");
        address quote = token == token0 ? token1 : token0;
        // One level only: the quote token is priced by a plain feed, so pricing cannot loop.
        if (_sources[quote].kind != SourceKind.Chainlink) revert OracleRouterInvalidSource(token, "quote not Chainlink");
        s.pool = p.pool;
        s.twapWindowSeconds = p.twapWindowSeconds;
        s.tokenIsToken0 = token == token0;
        s.quoteToken = quote;
    }

    function _unitPrice(address token) private view returns (uint256) {
        Source storage s = _sources[token];
        SourceKind kind = s.kind;
        if (kind == SourceKind.Chainlink) return _feedUnitPrice(token, s);
        if (kind == SourceKind.Twap) return _twapUnitPrice(token, s);
        if (kind == SourceKind.ChainlinkCheckedByTwap) {
            uint256 feedPrice = _feedUnitPrice(token, s);
            uint256 twapPrice = _twapUnitPrice(token, s);
            uint256 gap = feedPrice > twapPrice ? feedPrice - twapPrice : twapPrice - feedPrice;
            if (gap * BPS > uint256(s.maxDeviationBps) * twapPrice) {
                revert OracleRouterDeviationTooHigh(token, feedPrice, twapPrice, s.maxDeviationBps);
            }
            return feedPrice;
        }
        revert OracleRouterNoSource(token);
    }

    /// @dev USD per base unit x 1e36 from a USD feed: answer * 1e36 / 10^(feedDecimals + tokenDecimals),
    /// rounded down (at 1e36 scale the rounding is far below any token's smallest unit).
    function _feedUnitPrice(address token, Source storage s) private view returns (uint256) {
        address feed = s.feed;
        int256 answer;
        uint256 updatedAt;
        try IAggregatorV3(feed).latestRoundData() returns (uint80, int256 answer_, uint256, uint256 updatedAt_, uint80) {
            answer = answer_;
            updatedAt = updatedAt_;
        } catch {
            revert OracleRouterFeedReverted(token, feed);
        }
        if (answer <= 0) revert OracleRouterNonPositiveAnswer(token, feed, answer);
        uint256 heartbeat = s.heartbeatSeconds;
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > heartbeat) {
            revert OracleRouterStalePrice(token, feed, updatedAt, heartbeat);
        }
        uint256 minAnswer = s.minAnswer;
        uint256 maxAnswer = s.maxAnswer;
        // At a bound counts as outside: a Chainlink aggregator pins its answer at its own min or max while
        // the market runs past it, so an answer equal to a bound set at the aggregator's is not a price.
        if (uint256(answer) <= minAnswer || uint256(answer) >= maxAnswer) {
            revert OracleRouterAnswerOutOfBounds(token, feed, answer, minAnswer, maxAnswer);
        }
        return Math.mulDiv(uint256(answer), 1e36, 10 ** (uint256(s.feedDecimals) + s.tokenDecimals));
    }

    /// @dev The arithmetic-mean tick over the window (observe(), never slot0), converted to a price of the
    /// token in quote units, times the quote token's feed price.
    function _twapUnitPrice(address token, Source storage s) private view returns (uint256) {
        address pool = s.pool;
        uint32 window = s.twapWindowSeconds;
        uint32[] memory secondsAgos = new uint32[](2);
        secondsAgos[0] = window;
        int56[] memory tickCumulatives;
        try IUniswapV3Pool(pool).observe(secondsAgos) returns (int56[] memory cumulatives, uint160[] memory) {
            tickCumulatives = cumulatives;
        } catch {
            revert OracleRouterTwapReverted(token, pool);
        }
        int56 delta = tickCumulatives[1] - tickCumulatives[0];
        int24 meanTick = int24(delta / int56(uint56(window)));
        // Round towards negative infinity, as Uniswap's OracleLibrary.consult does.
        if (delta < 0 && (delta % int56(uint56(window)) != 0)) meanTick--;

        address quote = s.quoteToken;
        Source storage q = _sources[quote];
        if (q.kind != SourceKind.Chainlink) revert OracleRouterInvalidSource(quote, "quote not Chainlink");
        uint256 quoteUnitPrice = _feedUnitPrice(quote, q);

        // price = token1 base units per token0 base unit = sqrtP^2 / 2^192.
        uint256 price = _quoteToBase(quoteUnitPrice, TickMath.getSqrtPriceAtTick(meanTick), s.tokenIsToken0);
        if (price == 0) revert OracleRouterInvalidSource(token, "twap price rounds to zero");
        return price;
    }

    /// @dev Converts the quote token's unit price into the base token's, at sqrtPriceX96 (token1 per token0).
    /// Below 2^128 the squared price is exact in 192 bits; above it is pre-shifted by 64 bits, as in
    /// Uniswap's OracleLibrary.getQuoteAtTick.
    function _quoteToBase(uint256 quoteUnitPrice, uint256 sqrtPriceX96, bool baseIsToken0)
        private
        pure
        returns (uint256)
    {
        if (sqrtPriceX96 <= type(uint128).max) {
            uint256 ratioX192 = sqrtPriceX96 * sqrtPriceX96;
            return baseIsToken0
                ? Math.mulDiv(quoteUnitPrice, ratioX192, Q192)
                : Math.mulDiv(quoteUnitPrice, Q192, ratioX192);
        }
        uint256 ratioX128 = Math.mulDiv(sqrtPriceX96, sqrtPriceX96, 1 << 64);
        return baseIsToken0 ? Math.mulDiv(quoteUnitPrice, ratioX128, Q128) : Math.mulDiv(quoteUnitPrice, Q128, ratioX128);
    }
}
