// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @notice A Chainlink-compatible price feed for the local devnet, where no oracle network can run.
/// Its owner and the updaters the owner appoints (the market simulator) push answers; every push is a
/// new round stamped with the block time, so staleness behaves as on a real feed.
/// @dev A round is one slot, as in Chainlink's OCR aggregators (an int192 answer beside its timestamps), so a
/// read costs what an aggregator read costs: the latest round id, then that round. A mainnet read also goes
/// through Chainlink's EACAggregatorProxy: OcrTestAggregator behind that proxy is the mainnet-shaped devnet feed.
contract TestPriceFeed is IAggregatorV3, Ownable {
    struct Round {
        int192 answer;
        uint64 updatedAt;
    }

    error TestPriceFeedNotUpdater(address caller);
    error TestPriceFeedNoRound(uint80 roundId);

    event UpdaterSet(address indexed updater, bool allowed);
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    uint8 public immutable override decimals;
    string public override description;
    uint80 public latestRound;
    mapping(uint80 roundId => Round) private _rounds;
    mapping(address => bool) public isUpdater;

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer, address owner_) Ownable(owner_) {
        decimals = decimals_;
        description = description_;
        _push(initialAnswer, block.timestamp);
    }

    function version() external pure override returns (uint256) {
        return 4;
    }

    function setUpdater(address updater, bool allowed) external onlyOwner {
        isUpdater[updater] = allowed;
        emit UpdaterSet(updater, allowed);
    }

    /// @notice Pushes a new answer stamped now.
    function setAnswer(int256 answer) external {
        _checkUpdater();
        _push(answer, block.timestamp);
    }

    /// @notice Pushes a new answer with an explicit timestamp, to model a feed that stopped updating.
    function setAnswerAt(int256 answer, uint256 updatedAt) external {
        _checkUpdater();
        _push(answer, updatedAt);
    }

    function getRoundData(uint80 roundId)
        external
        view
        override
        returns (uint80, int256, uint256, uint256, uint80)
    {
        Round memory r = _rounds[roundId];
        if (r.updatedAt == 0) revert TestPriceFeedNoRound(roundId);
        return (roundId, r.answer, r.updatedAt, r.updatedAt, roundId);
    }

    function latestRoundData() external view override returns (uint80, int256, uint256, uint256, uint80) {
        uint80 id = latestRound;
        Round memory r = _rounds[id];
        return (id, r.answer, r.updatedAt, r.updatedAt, id);
    }

    /// @notice The latest answer, as Chainlink's legacy `latestAnswer()`.
    function latestAnswer() external view returns (int256) {
        return _rounds[latestRound].answer;
    }

    function _checkUpdater() private view {
        if (msg.sender != owner() && !isUpdater[msg.sender]) revert TestPriceFeedNotUpdater(msg.sender);
    }

    function _push(int256 answer, uint256 updatedAt) private {
        uint80 id = ++latestRound;
        _rounds[id] = Round(SafeCast.toInt192(answer), SafeCast.toUint64(updatedAt));
        emit AnswerUpdated(answer, id, updatedAt);
    }
}
