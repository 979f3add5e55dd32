// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";

/// @notice What the adapter needs from the vault: its pool allowlist.
interface IPoolAllowlist {
    function isPoolAllowed(address pool) external view returns (bool);
}

/// @title UniswapV3Adapter
/// @notice Swaps for the IndexVault through the canonical Uniswap V3 SwapRouter with `exactInput`. Every
/// hop's pool must be on the vault's allowlist; output goes straight to the vault.
/// @dev Stateless: holds tokens and allowances only inside a `swap` call. Each swap approves the router
/// for exactly `amountIn`, which exactInput consumes in full, so no allowance is left behind after a trade
/// (the vault itself never grants any). The allowance write is refunded when the router spends it, so
/// the exact approval costs a few thousand gas per trade over a standing max approval (bench/gas.json).
contract UniswapV3Adapter is ISwapAdapter {
    using SafeERC20 for IERC20;

    /// @notice Only the vault may call swap.
    error UniswapV3AdapterOnlyVault(address caller);
    /// @notice The path is not 20 + 23n bytes with n >= 1.
    error UniswapV3AdapterInvalidPath(uint256 length);
    /// @notice The path does not start at tokenIn or does not end at tokenOut.
    error UniswapV3AdapterPathMismatch(address pathIn, address pathOut);
    /// @notice A hop's pool does not exist or is not allowlisted by the vault.
    error UniswapV3AdapterPoolNotAllowed(address tokenA, address tokenB, uint24 fee, address pool);
    /// @notice The router spent `unspent` less than `amountIn` (the route ran out of liquidity before the input
    /// did): the swap reverts rather than leave input stranded in the adapter.
    error UniswapV3AdapterPartialFill(uint256 amountIn, uint256 unspent);
    /// @notice A constructor address is zero.
    error UniswapV3AdapterZeroAddress();

    uint256 private constant ADDR_SIZE = 20;
    uint256 private constant HOP_SIZE = 23;

    /// @notice The vault this adapter serves.
    address public immutable vault;
    /// @notice The Uniswap V3 SwapRouter.
    ISwapRouter public immutable swapRouter;
    /// @notice The Uniswap V3 factory whose pools the router uses.
    IUniswapV3Factory public immutable factory;

    /// @param vault_ The IndexVault; recipient of every swap and sole caller.
    /// @param swapRouter_ The SwapRouter (v3-periphery), deployed against `factory_`.
    constructor(address vault_, ISwapRouter swapRouter_, IUniswapV3Factory factory_) {
        if (vault_ == address(0) || address(swapRouter_) == address(0) || address(factory_) == address(0)) {
            revert UniswapV3AdapterZeroAddress();
        }
        vault = vault_;
        swapRouter = swapRouter_;
        factory = factory_;
    }

    /// @inheritdoc ISwapAdapter
    /// @param data A packed Uniswap V3 path: tokenIn, fee, token, fee, ..., tokenOut.
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, bytes calldata data)
        external
        returns (uint256 amountOut)
    {
        if (msg.sender != vault) revert UniswapV3AdapterOnlyVault(msg.sender);
        _checkPath(tokenIn, tokenOut, data);
        _approveRouter(IERC20(tokenIn), amountIn);
        amountOut = swapRouter.exactInput(
            ISwapRouter.ExactInputParams({
                path: data,
                recipient: vault,
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: minAmountOut
            })
        );
        _checkFilled(IERC20(tokenIn), amountIn);
    }

    /// @dev exactInput stops early when the pools run out of liquidity and pulls only what it used; the exact
    /// approval left over measures what would stay here.
    function _checkFilled(IERC20 token, uint256 amountIn) internal view virtual {
        uint256 unspent = token.allowance(address(this), address(swapRouter));
        if (unspent != 0) revert UniswapV3AdapterPartialFill(amountIn, unspent);
    }

    /// @dev Lets the router pull exactly this swap's input; exactInput spends all of it.
    function _approveRouter(IERC20 token, uint256 amountIn) internal virtual {
        token.forceApprove(address(swapRouter), amountIn);
    }

    /// @dev Walks the path hop by hop; each (tokenA, fee, tokenB) must name an existing, allowlisted pool.
    function _checkPath(address tokenIn, address tokenOut, bytes calldata path) private view {
        uint256 length = path.length;
        if (length < ADDR_SIZE + HOP_SIZE || (length - ADDR_SIZE) % HOP_SIZE != 0) {
            revert UniswapV3AdapterInvalidPath(length);
        }
        address first = address(bytes20(path[:ADDR_SIZE]));
        address last = address(bytes20(path[length - ADDR_SIZE:]));
        if (first != tokenIn || last != tokenOut) revert UniswapV3AdapterPathMismatch(first, last);
        IPoolAllowlist allowlist = IPoolAllowlist(vault);
        for (uint256 offset; offset < length - ADDR_SIZE; offset += HOP_SIZE) {
            address tokenA = address(bytes20(path[offset:offset + ADDR_SIZE]));
            uint24 fee = uint24(bytes3(path[offset + ADDR_SIZE:offset + HOP_SIZE]));
            address tokenB = address(bytes20(path[offset + HOP_SIZE:offset + HOP_SIZE + ADDR_SIZE]));
            address pool = factory.getPool(tokenA, tokenB, fee);
            if (pool == address(0) || !allowlist.isPoolAllowed(pool)) {
                revert UniswapV3AdapterPoolNotAllowed(tokenA, tokenB, fee, pool);
            }
        }
    }
}
