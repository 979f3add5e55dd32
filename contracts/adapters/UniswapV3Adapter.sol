// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";

/// @notice What the adapter needs from the vault: its pool allowlist.
interface IPoolAllowlist {
    function isPoolAllowed(address pool) external view returns (bool);
}

/// @title UniswapV3Adapter
/// @notice Swaps for the IndexVault on Uniswap V3 pools, exact input along a packed path (single or multi-hop),
/// calling each pool itself and paying it in the pool's swap callback. Every hop's pool must be on the vault's
/// allowlist, no token may appear twice on the path; the last hop pays out straight to the vault.
/// @dev Stateless: holds tokens only inside a `swap` call and grants no allowance to anyone. It calls the pools
/// rather than the SwapRouter, which would need an approval per trade (an SSTORE and its refund) and a second
/// pass over the path; bench/gas.json itemises what that buys per trade. Pool addresses are derived by CREATE2
/// from the factory, as the periphery does, instead of a `getPool` call per hop.
contract UniswapV3Adapter is ISwapAdapter, IUniswapV3SwapCallback {
    using SafeERC20 for IERC20;
    using TransientSlot for bytes32;
    using TransientSlot for TransientSlot.AddressSlot;

    /// @notice Only the vault may call swap.
    error UniswapV3AdapterOnlyVault(address caller);
    /// @notice The path is not 20 + 23n bytes with n >= 1.
    error UniswapV3AdapterInvalidPath(uint256 length);
    /// @notice The path does not start at tokenIn or does not end at tokenOut.
    error UniswapV3AdapterPathMismatch(address pathIn, address pathOut);
    /// @notice The path visits `token` twice (a cycle only pays fees).
    error UniswapV3AdapterCyclicPath(address token);
    /// @notice A hop's pool is not allowlisted by the vault (`pool` is its CREATE2 address under the factory).
    error UniswapV3AdapterPoolNotAllowed(address tokenA, address tokenB, uint24 fee, address pool);
    /// @notice A hop's pool took `unspent` less than its input (it ran out of liquidity before the input did):
    /// the swap reverts rather than leave input stranded in the adapter.
    error UniswapV3AdapterPartialFill(uint256 amountIn, uint256 unspent);
    /// @notice A swap callback came from `caller`, not from the pool this adapter is swapping on.
    error UniswapV3AdapterUnexpectedCallback(address caller);
    /// @notice A constructor address is zero.
    error UniswapV3AdapterZeroAddress();

    uint256 private constant ADDR_SIZE = 20;
    uint256 private constant HOP_SIZE = 23;
    /// @dev Uniswap V3's price bounds (TickMath.MIN_SQRT_RATIO + 1 and MAX_SQRT_RATIO - 1): no price limit, so an
    /// exact-input swap consumes its whole input unless the pool runs out of liquidity.
    uint160 private constant MIN_SQRT_PRICE_LIMIT = 4295128740;
    uint160 private constant MAX_SQRT_PRICE_LIMIT = 1461446703485210103287273052203988822378723970341;
    /// @notice keccak256 of UniswapV3Pool's creation code, as in v3-periphery's PoolAddress: the same on every
    /// chain where Uniswap deployed v3-core from its canonical build (mainnet, Sepolia, the major L2s).
    bytes32 public constant POOL_INIT_CODE_HASH = 0xe34f199b19b2b4f47f68442619d555527d244f78a3297ea89325f843f87b8b54;
    /// @dev The pool a swap is in flight on: the only caller whose swap callback is paid.
    bytes32 private constant EXPECTED_POOL_SLOT = keccak256("UniswapV3Adapter.expectedPool");

    /// @notice The vault this adapter serves.
    address public immutable vault;
    /// @notice The Uniswap V3 factory that deployed the pools.
    address public immutable factory;

    /// @param vault_ The IndexVault; recipient of every swap and sole caller.
    /// @param factory_ The Uniswap V3 factory (v3-core).
    constructor(address vault_, address factory_) {
        if (vault_ == address(0) || factory_ == address(0)) revert UniswapV3AdapterZeroAddress();
        vault = vault_;
        factory = factory_;
    }

    /// @inheritdoc ISwapAdapter
    /// @param data A packed Uniswap V3 path: tokenIn, fee, token, fee, ..., tokenOut.
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256, bytes calldata data)
        external
        returns (uint256 amountOut)
    {
        if (msg.sender != vault) revert UniswapV3AdapterOnlyVault(msg.sender);
        uint256 length = data.length;
        if (length < ADDR_SIZE + HOP_SIZE || (length - ADDR_SIZE) % HOP_SIZE != 0) revert UniswapV3AdapterInvalidPath(length);
        address first = address(bytes20(data[:ADDR_SIZE]));
        address last = address(bytes20(data[length - ADDR_SIZE:]));
        if (first != tokenIn || last != tokenOut) revert UniswapV3AdapterPathMismatch(first, last);

        uint256 lastHop = length - ADDR_SIZE - HOP_SIZE;
        amountOut = amountIn;
        for (uint256 offset; offset <= lastHop; offset += HOP_SIZE) {
            address from = address(bytes20(data[offset:offset + ADDR_SIZE]));
            uint24 fee = uint24(bytes3(data[offset + ADDR_SIZE:offset + HOP_SIZE]));
            address to = address(bytes20(data[offset + HOP_SIZE:offset + HOP_SIZE + ADDR_SIZE]));
            for (uint256 earlier; earlier <= offset; earlier += HOP_SIZE) {
                if (address(bytes20(data[earlier:earlier + ADDR_SIZE])) == to) revert UniswapV3AdapterCyclicPath(to);
            }
            amountOut = _swapOnPool(from, to, fee, amountOut, offset == lastHop ? vault : address(this));
        }
    }

    /// @notice Pays the pool this adapter is swapping on what it owes; called by that pool only, once a swap.
    /// @param data The token the adapter pays (abi-encoded), as it passed it to the pool.
    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata data) external {
        TransientSlot.AddressSlot expected = EXPECTED_POOL_SLOT.asAddress();
        if (msg.sender != expected.tload()) revert UniswapV3AdapterUnexpectedCallback(msg.sender);
        expected.tstore(address(0));
        uint256 owed = uint256(amount0Delta > 0 ? amount0Delta : amount1Delta);
        IERC20(abi.decode(data, (address))).safeTransfer(msg.sender, owed);
    }

    /// @dev One hop: `amountIn` of `from` into the allowlisted (from, to, fee) pool, the output to `recipient`.
    function _swapOnPool(address from, address to, uint24 fee, uint256 amountIn, address recipient)
        private
        returns (uint256 amountOut)
    {
        bool zeroForOne = from < to;
        address pool = _poolAddress(zeroForOne ? from : to, zeroForOne ? to : from, fee);
        if (!IPoolAllowlist(vault).isPoolAllowed(pool)) revert UniswapV3AdapterPoolNotAllowed(from, to, fee, pool);
        EXPECTED_POOL_SLOT.asAddress().tstore(pool);
        (int256 amount0, int256 amount1) = IUniswapV3Pool(pool).swap(
            recipient,
            zeroForOne,
            int256(amountIn),
            zeroForOne ? MIN_SQRT_PRICE_LIMIT : MAX_SQRT_PRICE_LIMIT,
            abi.encode(from)
        );
        (int256 paid, int256 received) = zeroForOne ? (amount0, amount1) : (amount1, amount0);
        if (uint256(paid) != amountIn) revert UniswapV3AdapterPartialFill(amountIn, amountIn - uint256(paid));
        amountOut = uint256(-received);
    }

    /// @dev The pool's CREATE2 address under the factory (token0 < token1).
    function _poolAddress(address token0, address token1, uint24 fee) private view returns (address) {
        return Create2.computeAddress(keccak256(abi.encode(token0, token1, fee)), POOL_INIT_CODE_HASH, factory);
    }
}
