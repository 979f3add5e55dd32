// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3PoolState} from "@uniswap/v3-core/contracts/interfaces/pool/IUniswapV3PoolState.sol";
import {TickMath} from "@uniswap/v4-core/src/libraries/TickMath.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";
import {IOracleRouter} from "../interfaces/IOracleRouter.sol";
import {ShortFloatLib} from "../libraries/ShortFloatLib.sol";
import {BPS} from "../libraries/Bps.sol";

/// @title OracleRouter
/// @notice One price source per token, chosen by the owner (the admin TimelockController). See IOracleRouter.
/// @dev Storage is packed so that a Chainlink-priced token costs one SLOAD: the vault prices every
/// constituent on each deposit and cash redemption, 100 of them at the limit, and each cold slot is 2,100 gas.
contract OracleRouter is IOracleRouter, Ownable2Step {
    using TransientSlot for *;

    /// @notice Shortest TWAP window accepted: a shorter average is too close to a manipulable spot price.
    uint32 public constant MIN_TWAP_WINDOW_SECONDS = 5 minutes;
    /// @notice Longest TWAP window accepted.
    uint32 public constant MAX_TWAP_WINDOW_SECONDS = 7 days;
    /// @notice Largest feed/TWAP deviation the owner may allow.
    uint16 public constant MAX_DEVIATION_BPS = 2_000;
    /// @inheritdoc IOracleRouter
    /// @dev 3 %: above the 2 % deviation threshold of Chainlink's widest common USD feeds, so an honest lag
    /// prices a queued window (at the bound's side), while a pool pushed further makes the settlement wait.
    uint16 public constant MAX_FORWARD_MARKET_GAP_BPS = 300;

    uint256 private constant Q128 = 1 << 128;
    uint256 private constant Q192 = 1 << 192;
    /// @dev setPricedAfter's cut-off (high 96 bits) and holder (low 160), in one transient slot.
    bytes32 private constant PRICED_AFTER_SLOT = keccak256("OracleRouter.pricedAfter");

    /// @dev Slot 0 (`head`) holds everything a Chainlink read needs while its answer is not within 2^-15 of a
    /// bound; slot 1 the exact bounds, read only then (and by sourceOf); slots 2-3 the TWAP, which a TWAP-free
    /// source never touches.
    struct Source {
        Head head;
        Bounds bounds;
        Twap twap;
        address quoteToken;
    }

    /// @dev `minAnswerUp` and `maxAnswerDown` are the exact bounds rounded inwards to ShortFloatLib floats,
    /// so an answer strictly between them is strictly between the exact bounds. `priceScaleDecimals` is
    /// feedDecimals + tokenDecimals, the only way the two enter a price.
    struct Head {
        address feed;
        uint32 heartbeatSeconds;
        SourceKind kind;
        uint8 priceScaleDecimals;
        uint24 minAnswerUp;
        uint24 maxAnswerDown;
    }

    struct Bounds {
        uint128 minAnswer;
        uint128 maxAnswer;
    }

    struct Twap {
        address pool;
        uint32 windowSeconds;
        bool tokenIsToken0;
        uint16 maxDeviationBps;
    }

    /// @dev A token's market pool, in one slot: a bounded price read loads it for every constituent. The pool's
    /// other token, priced by its own plain feed, is `_marketQuotes[quoteIndex]`; constituents usually share one
    /// quote, whose entry is then read once per bounded price read.
    struct MarketPool {
        address pool;
        bool tokenIsToken0;
        uint88 quoteIndex;
    }

    mapping(address token => Source) private _sources;
    mapping(address token => MarketPool) private _marketPools;
    /// @dev Every quote token a market pool has had, each once.
    address[] private _marketQuotes;

    /// @inheritdoc IOracleRouter
    address public configurator;

    /// @param owner_ The admin: an OpenZeppelin TimelockController, owner from the start. Ownership moves in two
    /// steps (Ownable2Step): the new owner must accept.
    /// @param configurator_ The deployer, who sets the first sources and market pools without waiting on the
    /// timelock's delay and renounces that right at hand-over (zero for none).
    constructor(address owner_, address configurator_) Ownable(owner_) {
        configurator = configurator_;
        emit ConfiguratorSet(configurator_);
    }

    /// @dev The owner, or the deployer until it renounces.
    modifier onlyOwnerOrConfigurator() {
        if (msg.sender != owner() && (msg.sender != configurator || configurator == address(0))) {
            revert OwnableUnauthorizedAccount(msg.sender);
        }
        _;
    }

    /// @inheritdoc IOracleRouter
    function renounceConfigurator() external {
        if (msg.sender != configurator || configurator == address(0)) revert OwnableUnauthorizedAccount(msg.sender);
        configurator = address(0);
        emit ConfiguratorSet(address(0));
    }

    // ------------------------------------------------------------------------------------------------
    // Admin
    // ------------------------------------------------------------------------------------------------

    /// @inheritdoc IOracleRouter
    function setSource(address token, SourceParams calldata p) external onlyOwnerOrConfigurator {
        if (token == address(0)) revert OracleRouterInvalidSource(token, "token is zero");
        if (p.kind == SourceKind.None) revert OracleRouterInvalidSource(token, "kind is None");
        Source storage s = _sources[token];
        uint8 tokenDecimals = IERC20Metadata(token).decimals();
        if (tokenDecimals > 36) revert OracleRouterInvalidSource(token, "token decimals > 36");
        delete _sources[token];
        s.head.kind = p.kind;
        if (p.kind == SourceKind.Chainlink || p.kind == SourceKind.ChainlinkCheckedByTwap) {
            _setFeed(s, token, tokenDecimals, p);
        }
        if (p.kind == SourceKind.Twap || p.kind == SourceKind.ChainlinkCheckedByTwap) {
            _setTwap(s, token, p);
        }
        if (p.kind == SourceKind.ChainlinkCheckedByTwap) {
            if (p.maxDeviationBps == 0 || p.maxDeviationBps > MAX_DEVIATION_BPS) {
                revert OracleRouterInvalidSource(token, "maxDeviationBps");
            }
            s.twap.maxDeviationBps = p.maxDeviationBps;
        }
        emit SourceSet(token, p);
        // Fail now rather than at the first deposit: the source must price the token today.
        _unitPrice(token, _cutOff());
    }

    /// @inheritdoc IOracleRouter
    function setMarketPool(address token, address pool) external onlyOwnerOrConfigurator {
        if (pool == address(0)) {
            delete _marketPools[token];
            emit MarketPoolSet(token, address(0));
            return;
        }
        address token0 = IUniswapV3Pool(pool).token0();
        address token1 = IUniswapV3Pool(pool).token1();
        if (token != token0 && token != token1) revert OracleRouterInvalidMarketPool(token, pool, "pool lacks token");
        address quote = token == token0 ? token1 : token0;
        if (_sources[quote].head.kind != SourceKind.Chainlink) {
            revert OracleRouterInvalidMarketPool(token, pool, "quote not Chainlink");
        }
        (,,, uint16 cardinality,,,) = IUniswapV3Pool(pool).slot0();
        if (cardinality < 2) revert OracleRouterInvalidMarketPool(token, pool, "fewer than 2 observations");
        _marketPools[token] = MarketPool({pool: pool, tokenIsToken0: token == token0, quoteIndex: _marketQuoteIndex(quote)});
        emit MarketPoolSet(token, pool);
    }

    /// @inheritdoc IOracleRouter
    function removeSource(address token) external onlyOwnerOrConfigurator {
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
            kind: s.head.kind,
            feed: s.head.feed,
            heartbeatSeconds: s.head.heartbeatSeconds,
            minAnswer: s.bounds.minAnswer,
            maxAnswer: s.bounds.maxAnswer,
            pool: s.twap.pool,
            twapWindowSeconds: s.twap.windowSeconds,
            maxDeviationBps: s.twap.maxDeviationBps
        });
    }

    /// @inheritdoc IOracleRouter
    function unitPriceUsd36(address token) external view returns (uint256) {
        return _unitPrice(token, _cutOff());
    }

    /// @inheritdoc IOracleRouter
    function unitPricesUsd36(address[] calldata tokens) external view returns (uint256[] memory prices) {
        uint256 n = tokens.length;
        prices = new uint256[](n);
        uint256 cutOff = _cutOff();
        for (uint256 i; i < n; ++i) {
            prices[i] = _unitPrice(tokens[i], cutOff);
        }
    }

    /// @inheritdoc IOracleRouter
    function tryUnitPricesUsd36(address[] calldata tokens) external view returns (uint256[] memory prices) {
        uint256 n = tokens.length;
        prices = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            // A self-call is the only way to catch a revert from _unitPrice's many failure paths in one place.
            try this.unitPriceUsd36(tokens[i]) returns (uint256 price) {
                prices[i] = price;
            } catch {}
        }
    }

    /// @inheritdoc IOracleRouter
    function marketPoolOf(address token) external view returns (address) {
        return _marketPools[token].pool;
    }

    /// @inheritdoc IOracleRouter
    function boundedUnitPricesUsd36(address[] calldata tokens, Bound bound)
        external
        view
        returns (uint256[] memory prices)
    {
        uint256 n = tokens.length;
        prices = new uint256[](n);
        // Every constituent usually quotes the same stablecoin: its feed is read once.
        uint256 lastQuoteIndex = type(uint256).max;
        uint256 lastQuotePrice;
        uint256 cutOff = _cutOff();
        // tokens[0] is the unit the caller values in: its price divides every other, so it takes the other bound.
        Bound unitBound = bound == Bound.High ? Bound.Low : Bound.High;
        for (uint256 i; i < n; ++i) {
            address token = tokens[i];
            uint256 price = _unitPrice(token, cutOff);
            MarketPool memory m = _marketPools[token];
            if (m.pool != address(0)) {
                Bound b = i == 0 ? unitBound : bound;
                if (m.quoteIndex != lastQuoteIndex) {
                    lastQuoteIndex = m.quoteIndex;
                    address quote = _marketQuotes[lastQuoteIndex];
                    Source storage q = _sources[quote];
                    lastQuotePrice = _feedUnitPrice(quote, q.head, q, cutOff);
                }
                // The price lies in [tick, tick + 1): take the edge on the bound's side, so a depositor never
                // pays less, and a cash exit never gets more, than the market price.
                int24 tick = _blockStartTick(token, m.pool);
                if ((b == Bound.High) == m.tokenIsToken0 && tick < TickMath.MAX_TICK) ++tick;
                uint160 sqrtPriceX96 = TickMath.getSqrtPriceAtTick(tick);
                uint256 market = _quoteToBase(lastQuotePrice, sqrtPriceX96, m.tokenIsToken0);
                if (cutOff != 0) _checkForwardMarketGap(token, price, market);
                price = b == Bound.High ? Math.max(price, market) : Math.min(price, market);
            }
            prices[i] = price;
        }
    }

    /// @inheritdoc IOracleRouter
    function setPricedAfter(uint256 cutOff) external {
        (, address holder) = pricedAfter();
        if (holder != address(0) && holder != msg.sender) revert OracleRouterCutOffHeld(holder);
        uint256 packed = cutOff == 0 ? 0 : uint256(SafeCast.toUint96(cutOff)) << 160 | uint160(msg.sender);
        PRICED_AFTER_SLOT.asUint256().tstore(packed);
    }

    /// @inheritdoc IOracleRouter
    function pricedAfter() public view returns (uint256 cutOff, address holder) {
        uint256 packed = PRICED_AFTER_SLOT.asUint256().tload();
        return (packed >> 160, address(uint160(packed)));
    }

    // ------------------------------------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------------------------------------

    /// @dev A queued window's requesters cannot cancel or set a minimum after its cut-off: under a cut-off the
    /// market may move a price by at most MAX_FORWARD_MARKET_GAP_BPS of the source's.
    function _checkForwardMarketGap(address token, uint256 sourcePrice, uint256 market) private pure {
        uint256 gap = sourcePrice > market ? sourcePrice - market : market - sourcePrice;
        if (gap * BPS > uint256(MAX_FORWARD_MARKET_GAP_BPS) * sourcePrice) {
            revert OracleRouterMarketGapTooWide(token, sourcePrice, market, MAX_FORWARD_MARKET_GAP_BPS);
        }
    }

    /// @dev `quote`'s index in _marketQuotes, appended if new. A short list: one entry per distinct quote token.
    function _marketQuoteIndex(address quote) private returns (uint88) {
        uint256 n = _marketQuotes.length;
        for (uint256 i; i < n; ++i) {
            if (_marketQuotes[i] == quote) return uint88(i);
        }
        _marketQuotes.push(quote);
        return uint88(n);
    }

    /// @dev The (floor) tick in force when the current block began. A pool writes at most one observation per block,
    /// at its first tick change, carrying the tick that held until then; so if the newest observation is from
    /// this block, the mean tick between it and the one before is that tick, and otherwise no trade of this
    /// block has left the current tick.
    function _blockStartTick(address token, address pool) private view returns (int24) {
        (int24 tick, uint16 index, uint16 cardinality) = _slot0(token, pool);
        (uint32 newestTime, int56 newestCumulative,) = _observation(token, pool, index);
        if (newestTime != uint32(block.timestamp)) return tick;
        (uint32 previousTime, int56 previousCumulative, bool initialized) =
            _observation(token, pool, (uint256(index) + cardinality - 1) % cardinality);
        if (!initialized || previousTime == newestTime) {
            revert OracleRouterInvalidMarketPool(token, pool, "fewer than 2 observations");
        }
        int56 elapsed;
        // Observation times are uint32 and wrap; their difference is taken modulo 2^32, as the pool does.
        unchecked {
            elapsed = int56(uint56(newestTime - previousTime));
        }
        int56 delta = newestCumulative - previousCumulative;
        int24 meanTick = int24(delta / elapsed);
        if (delta < 0 && delta % elapsed != 0) meanTick--;
        return meanTick;
    }

    /// @dev slot0's tick, observationIndex and observationCardinality through a bare STATICCALL, as
    /// _latestRoundData reads a feed: the interface call's decoder checks seven words where three are used,
    /// paid once per constituent on every deposit and cash exit.
    function _slot0(address token, address pool) private view returns (int24 tick, uint16 index, uint16 cardinality) {
        bytes4 selector = IUniswapV3PoolState.slot0.selector;
        bool ok;
        assembly ("memory-safe") {
            let buffer := mload(0x40)
            mstore(buffer, selector)
            ok := staticcall(gas(), pool, buffer, 4, buffer, 0x80)
            ok := and(ok, gt(returndatasize(), 0xdf))
            tick := signextend(2, mload(add(buffer, 0x20)))
            index := and(mload(add(buffer, 0x40)), 0xffff)
            cardinality := and(mload(add(buffer, 0x60)), 0xffff)
        }
        if (!ok) revert OracleRouterInvalidMarketPool(token, pool, "slot0 failed");
    }

    /// @dev The pool's observation at `index` (time, tick cumulative, initialized), read as _slot0 reads slot0.
    function _observation(address token, address pool, uint256 index)
        private
        view
        returns (uint32 time, int56 tickCumulative, bool initialized)
    {
        bytes4 selector = IUniswapV3PoolState.observations.selector;
        bool ok;
        assembly ("memory-safe") {
            let buffer := mload(0x40)
            mstore(buffer, selector)
            mstore(add(buffer, 4), index)
            ok := staticcall(gas(), pool, buffer, 0x24, buffer, 0x80)
            ok := and(ok, gt(returndatasize(), 0x7f))
            time := and(mload(buffer), 0xffffffff)
            tickCumulative := signextend(6, mload(add(buffer, 0x20)))
            initialized := iszero(iszero(mload(add(buffer, 0x60))))
        }
        if (!ok) revert OracleRouterInvalidMarketPool(token, pool, "observations failed");
    }

    function _setFeed(Source storage s, address token, uint8 tokenDecimals, SourceParams calldata p) private {
        if (p.feed == address(0)) revert OracleRouterInvalidSource(token, "feed is zero");
        if (p.heartbeatSeconds == 0) revert OracleRouterInvalidSource(token, "heartbeat is zero");
        if (p.minAnswer == 0 || p.minAnswer >= p.maxAnswer) revert OracleRouterInvalidSource(token, "bounds");
        uint8 feedDecimals = IAggregatorV3(p.feed).decimals();
        if (feedDecimals > 36) revert OracleRouterInvalidSource(token, "feed decimals > 36");
        s.head = Head({
            feed: p.feed,
            heartbeatSeconds: p.heartbeatSeconds,
            kind: p.kind,
            priceScaleDecimals: feedDecimals + tokenDecimals,
            minAnswerUp: ShortFloatLib.fromUintUp(p.minAnswer),
            maxAnswerDown: ShortFloatLib.fromUintDown(p.maxAnswer)
        });
        s.bounds = Bounds({minAnswer: p.minAnswer, maxAnswer: p.maxAnswer});
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
        if (_sources[quote].head.kind != SourceKind.Chainlink) {
            revert OracleRouterInvalidSource(token, "quote not Chainlink");
        }
        s.twap.pool = p.pool;
        s.twap.windowSeconds = p.twapWindowSeconds;
        s.twap.tokenIsToken0 = token == token0;
        s.quoteToken = quote;
    }

    /// @dev setPricedAfter's cut-off in this transaction, zero for none: read once per price call.
    function _cutOff() private view returns (uint256 cutOff) {
        (cutOff,) = pricedAfter();
    }

    /// @dev `cutOff` is _cutOff(): while non-zero, a feed round or TWAP window start at or before it reverts.
    function _unitPrice(address token, uint256 cutOff) private view returns (uint256) {
        Source storage s = _sources[token];
        Head memory head = s.head;
        SourceKind kind = head.kind;
        if (kind == SourceKind.Chainlink) return _feedUnitPrice(token, head, s, cutOff);
        if (kind == SourceKind.Twap) return _twapUnitPrice(token, s, cutOff);
        if (kind == SourceKind.ChainlinkCheckedByTwap) {
            uint256 feedPrice = _feedUnitPrice(token, head, s, cutOff);
            uint256 twapPrice = _twapUnitPrice(token, s, cutOff);
            uint256 gap = feedPrice > twapPrice ? feedPrice - twapPrice : twapPrice - feedPrice;
            uint16 maxDeviationBps = s.twap.maxDeviationBps;
            if (gap * BPS > uint256(maxDeviationBps) * twapPrice) {
                revert OracleRouterDeviationTooHigh(token, feedPrice, twapPrice, maxDeviationBps);
            }
            return feedPrice;
        }
        revert OracleRouterNoSource(token);
    }

    /// @dev USD per base unit x 1e36 from a USD feed: answer * 1e36 / 10^(feedDecimals + tokenDecimals),
    /// rounded down (at 1e36 scale the rounding is far below any token's smallest unit).
    /// `head` is `s.head`, already loaded; `s` is read again only for an answer near a bound.
    function _feedUnitPrice(address token, Head memory head, Source storage s, uint256 cutOff)
        private
        view
        returns (uint256)
    {
        address feed = head.feed;
        (bool ok, int256 answer, uint256 updatedAt) = _latestRoundData(feed);
        if (!ok) revert OracleRouterFeedReverted(token, feed);
        // Before any other check: forward pricing waits for a new round whatever this one says.
        if (updatedAt <= cutOff && cutOff != 0) revert OracleRouterPricedBeforeCutOff(token, updatedAt, cutOff);
        if (answer <= 0) revert OracleRouterNonPositiveAnswer(token, feed, answer);
        uint256 heartbeat = head.heartbeatSeconds;
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > heartbeat) {
            revert OracleRouterStalePrice(token, feed, updatedAt, heartbeat);
        }
        // Strictly inside the inner bounds implies strictly inside the exact ones; otherwise (within 2^-15 of
        // a bound, or past it) the exact bounds decide.
        if (
            uint256(answer) <= ShortFloatLib.toUint(head.minAnswerUp)
                || uint256(answer) >= ShortFloatLib.toUint(head.maxAnswerDown)
        ) {
            _checkExactBounds(token, feed, answer, s.bounds);
        }
        uint256 scale;
        // Cannot overflow: priceScaleDecimals <= 72 (setSource caps both decimals at 36) and 10^72 < 2^256.
        // Unchecked, the power is one EXP; checked, solc's overflow-checked loop costs ~600 gas per price.
        unchecked {
            scale = 10 ** uint256(head.priceScaleDecimals);
        }
        uint256 price = Math.mulDiv(uint256(answer), 1e36, scale);
        // Above 36 feed + token decimals a small answer can round to zero; a zero price is never returned.
        if (price == 0) revert OracleRouterInvalidSource(token, "feed price rounds to zero");
        return price;
    }

    /// @dev latestRoundData's answer and updatedAt through a bare STATICCALL: a try/catch call with its ABI
    /// decoder costs ~400 gas more per feed, paid 100 times per deposit. `ok` is false when the feed reverted
    /// or returned fewer than the five words of the ABI (an account without code returns none).
    function _latestRoundData(address feed) private view returns (bool ok, int256 answer, uint256 updatedAt) {
        bytes4 selector = IAggregatorV3.latestRoundData.selector;
        assembly ("memory-safe") {
            // The call and its return data use scratch memory past the free pointer, which stays unmoved.
            let buffer := mload(0x40)
            mstore(buffer, selector)
            ok := staticcall(gas(), feed, buffer, 4, buffer, 0xa0)
            // A separate statement: Yul evaluates arguments right to left, so in one expression the size
            // check would read the return data of the previous call.
            ok := and(ok, gt(returndatasize(), 0x9f))
            answer := mload(add(buffer, 0x20))
            updatedAt := mload(add(buffer, 0x60))
        }
    }

    /// @dev At a bound counts as outside: a Chainlink aggregator pins its answer at its own min or max while
    /// the market runs past it, so an answer equal to a bound set at the aggregator's is not a price.
    function _checkExactBounds(address token, address feed, int256 answer, Bounds storage bounds) private view {
        uint256 minAnswer = bounds.minAnswer;
        uint256 maxAnswer = bounds.maxAnswer;
        if (uint256(answer) <= minAnswer || uint256(answer) >= maxAnswer) {
            revert OracleRouterAnswerOutOfBounds(token, feed, answer, minAnswer, maxAnswer);
        }
    }

    /// @dev The arithmetic-mean tick over the window (observe(), never slot0), converted to a price of the
    /// token in quote units, times the quote token's feed price.
    function _twapUnitPrice(address token, Source storage s, uint256 cutOff) private view returns (uint256) {
        Twap memory twap = s.twap;
        // The window's oldest tick is its price data's age.
        if (block.timestamp - twap.windowSeconds <= cutOff && cutOff != 0) {
            revert OracleRouterPricedBeforeCutOff(token, block.timestamp - twap.windowSeconds, cutOff);
        }
        int24 meanTick = _meanTick(token, twap.pool, twap.windowSeconds);

        address quote = s.quoteToken;
        Source storage q = _sources[quote];
        Head memory quoteHead = q.head;
        if (quoteHead.kind != SourceKind.Chainlink) revert OracleRouterInvalidSource(quote, "quote not Chainlink");
        uint256 quoteUnitPrice = _feedUnitPrice(quote, quoteHead, q, cutOff);

        // price = token1 base units per token0 base unit = sqrtP^2 / 2^192.
        uint256 price = _quoteToBase(quoteUnitPrice, TickMath.getSqrtPriceAtTick(meanTick), twap.tokenIsToken0);
        if (price == 0) revert OracleRouterInvalidSource(token, "twap price rounds to zero");
        return price;
    }

    /// @dev The pool's arithmetic-mean tick over the last `window` seconds, from observe().
    function _meanTick(address token, address pool, uint32 window) private view returns (int24 meanTick) {
        uint32[] memory secondsAgos = new uint32[](2);
        secondsAgos[0] = window;
        int56[] memory tickCumulatives;
        try IUniswapV3Pool(pool).observe(secondsAgos) returns (int56[] memory cumulatives, uint160[] memory) {
            tickCumulatives = cumulatives;
        } catch {
            revert OracleRouterTwapReverted(token, pool);
        }
        int56 delta = tickCumulatives[1] - tickCumulatives[0];
        meanTick = int24(delta / int56(uint56(window)));
        // Round towards negative infinity, as Uniswap's OracleLibrary.consult does.
        if (delta < 0 && (delta % int56(uint56(window)) != 0)) meanTick--;
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
