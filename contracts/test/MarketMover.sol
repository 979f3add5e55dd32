// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";
import {TestPriceFeed} from "./TestPriceFeed.sol";

/// @notice The devnet's arbitrageur: moves a pool to a target price with a real SwapRouter swap bounded
/// by a sqrt-price limit, and pushes the same price to the token's feed in the same transaction, so the
/// pool and the oracle never disagree between blocks. It trades from an inventory its owner funds.
contract MarketMover is Ownable {
    using SafeERC20 for IERC20;

    struct Move {
        address tokenIn;
        address tokenOut;
        uint24 fee;
        uint160 sqrtPriceLimitX96;
        TestPriceFeed feed;
        int256 answer;
    }

    error MarketMoverNotOperator(address caller);

    event OperatorSet(address indexed operator, bool allowed);
    event MarketMoved(address indexed tokenIn, address indexed tokenOut, uint256 amountIn, uint256 amountOut, int256 answer);

    ISwapRouter public immutable router;
    mapping(address => bool) public isOperator;

    constructor(ISwapRouter router_, address owner_) Ownable(owner_) {
        router = router_;
    }

    function setOperator(address operator, bool allowed) external onlyOwner {
        isOperator[operator] = allowed;
        emit OperatorSet(operator, allowed);
    }

    /// @notice Applies each move in order: a swap that stops exactly at `sqrtPriceLimitX96` (only the input
    /// the pool needs to get there is pulled), then the feed update. A move with tokenIn == address(0)
    /// only updates the feed (e.g. the stablecoin's own feed).
    function moveMany(Move[] calldata moves) external {
        if (msg.sender != owner() && !isOperator[msg.sender]) revert MarketMoverNotOperator(msg.sender);
        for (uint256 i; i < moves.length; ++i) {
            Move calldata m = moves[i];
            if (m.tokenIn != address(0)) _swapToLimit(m);
            m.feed.setAnswer(m.answer);
        }
    }

    function _swapToLimit(Move calldata m) private {
        IERC20 tokenIn = IERC20(m.tokenIn);
        uint256 balance = tokenIn.balanceOf(address(this));
        if (tokenIn.allowance(address(this), address(router)) < balance) {
            tokenIn.forceApprove(address(router), type(uint256).max);
        }
        uint256 before = balance;
        uint256 amountOut = router.exactInputSingle(
            ISwapRouter.ExactInputSingleParams({
                tokenIn: m.tokenIn,
                tokenOut: m.tokenOut,
                fee: m.fee,
                recipient: address(this),
                deadline: block.timestamp,
                amountIn: balance,
                amountOutMinimum: 0,
                sqrtPriceLimitX96: m.sqrtPriceLimitX96
            })
        );
        emit MarketMoved(m.tokenIn, m.tokenOut, before - tokenIn.balanceOf(address(this)), amountOut, m.answer);
    }
}
