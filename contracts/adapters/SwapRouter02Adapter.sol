// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";
import {IUniswapV2Factory} from "@uniswap/v2-core/contracts/interfaces/IUniswapV2Factory.sol";
import {IPeripheryImmutableState} from "@uniswap/v3-periphery/contracts/interfaces/IPeripheryImmutableState.sol";
import {IPeripheryPayments} from "@uniswap/v3-periphery/contracts/interfaces/IPeripheryPayments.sol";
import {IMulticall} from "@uniswap/v3-periphery/contracts/interfaces/IMulticall.sol";
import {IImmutableState} from "@uniswap/swap-router-contracts/contracts/interfaces/IImmutableState.sol";
import {IV2SwapRouter} from "@uniswap/swap-router-contracts/contracts/interfaces/IV2SwapRouter.sol";
import {IV3SwapRouter} from "@uniswap/swap-router-contracts/contracts/interfaces/IV3SwapRouter.sol";
import {ISwapAdapter} from "../interfaces/ISwapAdapter.sol";
import {IPoolAllowlist} from "./UniswapV3Adapter.sol";

/// @title SwapRouter02Adapter
/// @notice Swaps for the IndexVault through Uniswap's SwapRouter02 (the router of the L2s and Sepolia), over a
/// mixed route of Uniswap V3 pools and V2 pairs: V3 exact-input single or multi-hop, V2 exact-input, or both in
/// one trade. Every hop's pool or pair must be on the vault's allowlist, the route must run from tokenIn to
/// tokenOut without visiting a token twice, and only tokenOut leaves the adapter, straight to the vault.
/// @dev The route is router-sdk's mixed-route path: tokenIn, fee, token, fee, ..., tokenOut packed, a fee of
/// 0x800000 marking a V2 pair. Consecutive hops on the same protocol run as one router call (exactInputSingle,
/// exactInput or swapExactTokensForTokens). Intermediate tokens (WETH on a routed trade) arrive at the adapter
/// between calls and are spent in full by the next one, or the trade reverts, so nothing but tokenOut is ever
/// held after a swap. Input that a pool with a liquidity gap did not take reverts the trade too
/// (as UniswapV3Adapter does): the vault values a trade on its whole amountIn. Each call approves the router for
/// exactly what it spends, so no allowance outlives a trade. SwapRouter02 pays a WETH debt from its own ETH
/// whenever that covers it, leaving the payer's WETH unspent: ETH anyone leaves in the router would make every
/// trade through WETH revert, so a swap takes that ETH out first (refundETH) and puts it back last.
contract SwapRouter02Adapter is ISwapAdapter {
    using SafeERC20 for IERC20;
    using TransientSlot for *;

    /// @notice Only the vault may call swap.
    error SwapRouter02AdapterOnlyVault(address caller);
    /// @notice The path is not 20 + 23n bytes with n >= 1.
    error SwapRouter02AdapterInvalidPath(uint256 length);
    /// @notice The path does not start at tokenIn or does not end at tokenOut.
    error SwapRouter02AdapterPathMismatch(address pathIn, address pathOut);
    /// @notice The path visits `token` twice (a cycle only pays fees).
    error SwapRouter02AdapterCyclicPath(address token);
    /// @notice A hop's pool (V3, `fee` its tier) or pair (V2, `fee` 0x800000) does not exist or is not allowlisted.
    error SwapRouter02AdapterPoolNotAllowed(address tokenA, address tokenB, uint24 fee, address pool);
    /// @notice The first pool ran out of liquidity: `unspent` of the `amountIn` input would be left behind.
    error SwapRouter02AdapterPartialFill(uint256 amountIn, uint256 unspent);
    /// @notice A pool on the route did not take all of an intermediate token: `amount` of it would be left behind.
    error SwapRouter02AdapterIntermediateLeft(address token, uint256 amount);
    /// @notice A constructor address is zero.
    error SwapRouter02AdapterZeroAddress();
    /// @notice ETH came from `sender`: the adapter takes ETH only from the router's refundETH inside a swap.
    error SwapRouter02AdapterUnexpectedEth(address sender);

    /// @notice The fee value that marks a Uniswap V2 hop in a mixed-route path (router-sdk's encoding).
    uint24 public constant V2_HOP = 0x800000;
    uint256 private constant ADDR_SIZE = 20;
    uint256 private constant HOP_SIZE = 23;
    /// @dev Set only around the router's refundETH: the one moment the adapter takes ETH.
    bytes32 private constant TAKING_ETH_SLOT = keccak256("SwapRouter02Adapter.takingEth");

    /// @notice The vault this adapter serves.
    address public immutable vault;
    /// @notice SwapRouter02 (swap-router-contracts).
    address public immutable router;
    /// @notice The Uniswap V3 factory the router swaps on (read from the router).
    IUniswapV3Factory public immutable factoryV3;
    /// @notice The Uniswap V2 factory the router swaps on (read from the router).
    IUniswapV2Factory public immutable factoryV2;

    /// @param vault_ The IndexVault; recipient of every swap and sole caller.
    /// @param router_ SwapRouter02; its V2 and V3 factories are the ones whose pools the allowlist is checked on.
    constructor(address vault_, address router_) {
        if (vault_ == address(0) || router_ == address(0)) revert SwapRouter02AdapterZeroAddress();
        vault = vault_;
        router = router_;
        factoryV3 = IUniswapV3Factory(IPeripheryImmutableState(router_).factory());
        factoryV2 = IUniswapV2Factory(IImmutableState(router_).factoryV2());
    }

    /// @inheritdoc ISwapAdapter
    /// @param data A mixed-route path: tokenIn, fee, token, fee, ..., tokenOut (fee 0x800000 = V2 pair).
    function swap(address tokenIn, address tokenOut, uint256 amountIn, uint256 minAmountOut, bytes calldata data)
        external
        returns (uint256 amountOut)
    {
        if (msg.sender != vault) revert SwapRouter02AdapterOnlyVault(msg.sender);
        _checkPath(tokenIn, tokenOut, data);
        uint256 routerEth = router.balance;
        if (routerEth != 0) {
            TAKING_ETH_SLOT.asBoolean().tstore(true);
            IPeripheryPayments(router).refundETH();
            TAKING_ETH_SLOT.asBoolean().tstore(false);
        }
        uint256 lastHop = data.length - ADDR_SIZE;
        amountOut = amountIn;
        for (uint256 start; start < lastHop;) {
            bool v2 = _fee(data, start) == V2_HOP;
            uint256 end = start + HOP_SIZE;
            while (end < lastHop && (_fee(data, end) == V2_HOP) == v2) end += HOP_SIZE;
            bool final_ = end == lastHop;
            amountOut = _swapLeg(data[start:end + ADDR_SIZE], v2, amountOut, final_ ? minAmountOut : 0, final_);
            _checkSpent(data, start, amountIn);
            start = end;
        }
        // Back where its owner left it (an empty multicall is a payable no-op), to take back with refundETH.
        if (routerEth != 0) IMulticall(router).multicall{value: routerEth}(new bytes[](0));
    }

    /// @notice Takes the router's ETH inside a swap (its refundETH), and no ETH from anyone or at any other time.
    receive() external payable {
        if (msg.sender != router || !TAKING_ETH_SLOT.asBoolean().tload()) revert SwapRouter02AdapterUnexpectedEth(msg.sender);
    }

    /// @dev One router call over consecutive hops of one protocol, paid by the adapter; its output goes to the
    /// vault if it is the last leg, else to the adapter for the next leg.
    function _swapLeg(bytes calldata leg, bool v2, uint256 amountIn, uint256 minOut, bool final_)
        private
        returns (uint256 amountOut)
    {
        IERC20(_token(leg, 0)).forceApprove(router, amountIn);
        address recipient = final_ ? vault : address(this);
        uint256 hops = (leg.length - ADDR_SIZE) / HOP_SIZE;
        if (v2) {
            address[] memory tokens = new address[](hops + 1);
            for (uint256 i; i <= hops; ++i) tokens[i] = _token(leg, i * HOP_SIZE);
            return IV2SwapRouter(router).swapExactTokensForTokens(amountIn, minOut, tokens, recipient);
        }
        if (hops == 1) {
            return IV3SwapRouter(router).exactInputSingle(
                IV3SwapRouter.ExactInputSingleParams({
                    tokenIn: _token(leg, 0),
                    tokenOut: _token(leg, HOP_SIZE),
                    fee: _fee(leg, 0),
                    recipient: recipient,
                    amountIn: amountIn,
                    amountOutMinimum: minOut,
                    sqrtPriceLimitX96: 0
                })
            );
        }
        // The router holds a multi-hop leg's inner tokens between its pools: none of them may stay there.
        uint256[] memory routerBefore = new uint256[](hops - 1);
        for (uint256 i = 1; i < hops; ++i) routerBefore[i - 1] = IERC20(_token(leg, i * HOP_SIZE)).balanceOf(router);
        amountOut = IV3SwapRouter(router).exactInput(
            IV3SwapRouter.ExactInputParams({path: leg, recipient: recipient, amountIn: amountIn, amountOutMinimum: minOut})
        );
        for (uint256 i = 1; i < hops; ++i) {
            address inner = _token(leg, i * HOP_SIZE);
            uint256 routerAfter = IERC20(inner).balanceOf(router);
            if (routerAfter > routerBefore[i - 1]) {
                revert SwapRouter02AdapterIntermediateLeft(inner, routerAfter - routerBefore[i - 1]);
            }
        }
    }

    /// @dev A leg's exact approval left over is what its first pool did not take (a liquidity gap): that would
    /// stay here, so the trade reverts. Allowances, not balances, so a donation to the adapter blocks nothing.
    function _checkSpent(bytes calldata path, uint256 start, uint256 amountIn) private view {
        address legIn = _token(path, start);
        uint256 unspent = IERC20(legIn).allowance(address(this), router);
        if (unspent == 0) return;
        if (start == 0) revert SwapRouter02AdapterPartialFill(amountIn, unspent);
        revert SwapRouter02AdapterIntermediateLeft(legIn, unspent);
    }

    /// @dev The path's shape, ends and tokens, and each hop's pool or pair on the vault's allowlist.
    function _checkPath(address tokenIn, address tokenOut, bytes calldata path) private view {
        uint256 length = path.length;
        if (length < ADDR_SIZE + HOP_SIZE || (length - ADDR_SIZE) % HOP_SIZE != 0) {
            revert SwapRouter02AdapterInvalidPath(length);
        }
        address first = _token(path, 0);
        address last = _token(path, length - ADDR_SIZE);
        if (first != tokenIn || last != tokenOut) revert SwapRouter02AdapterPathMismatch(first, last);
        IPoolAllowlist allowlist = IPoolAllowlist(vault);
        for (uint256 offset; offset < length - ADDR_SIZE; offset += HOP_SIZE) {
            address tokenA = _token(path, offset);
            address tokenB = _token(path, offset + HOP_SIZE);
            for (uint256 earlier; earlier <= offset; earlier += HOP_SIZE) {
                if (_token(path, earlier) == tokenB) revert SwapRouter02AdapterCyclicPath(tokenB);
            }
            uint24 fee = _fee(path, offset);
            address pool = fee == V2_HOP ? factoryV2.getPair(tokenA, tokenB) : factoryV3.getPool(tokenA, tokenB, fee);
            if (pool == address(0) || !allowlist.isPoolAllowed(pool)) {
                revert SwapRouter02AdapterPoolNotAllowed(tokenA, tokenB, fee, pool);
            }
        }
    }

    function _token(bytes calldata path, uint256 offset) private pure returns (address) {
        return address(bytes20(path[offset:offset + ADDR_SIZE]));
    }

    /// @dev The fee field of the hop starting at `offset`.
    function _fee(bytes calldata path, uint256 offset) private pure returns (uint24) {
        return uint24(bytes3(path[offset + ADDR_SIZE:offset + HOP_SIZE]));
    }
}
