// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IAggregatorV3} from "../interfaces/IAggregatorV3.sol";

/// @notice A devnet aggregator that a reader pays for as it pays for a mainnet Chainlink OCR aggregator
/// (AccessControlledOffchainAggregator) behind Chainlink's EACAggregatorProxy: same read path, same storage.
/// A read checks the caller against the access list (one slot: the proxy is on it), then loads the hot
/// variables (the latest round id packed with the config digest, epoch and threshold: one slot) and that
/// round's transmission (an int192 answer beside its timestamp: one slot).
/// @dev What it leaves out is the write side: OCR's signed reports, oracle set, billing and validator. Answers
/// are pushed by the owner and its updaters as on TestPriceFeed, since no oracle network runs on the devnet.
contract OcrTestAggregator is IAggregatorV3, Ownable {
    /// @dev OffchainAggregator's HotVars: everything a transmission and a latest read need, in one slot.
    struct HotVars {
        bytes16 latestConfigDigest;
        uint40 latestEpochAndRound;
        uint8 threshold;
        uint32 latestAggregatorRoundId;
    }

    /// @dev OffchainAggregator's Transmission: one round in one slot.
    struct Transmission {
        int192 answer;
        uint64 timestamp;
    }

    error OcrTestAggregatorNotUpdater(address caller);
    error OcrTestAggregatorNoAccess(address caller);
    error OcrTestAggregatorNoRound(uint80 roundId);

    event UpdaterSet(address indexed updater, bool allowed);
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    event AddedAccess(address user);
    event RemovedAccess(address user);

    uint8 public immutable override decimals;
    string public override description;
    /// @notice SimpleWriteAccessController's switch: while on, only listed callers (and EOAs) may read.
    bool public checkEnabled = true;
    mapping(address => bool) private _accessList;
    HotVars private _hotVars;
    mapping(uint32 roundId => Transmission) private _transmissions;
    mapping(address => bool) public isUpdater;

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer, address owner_) Ownable(owner_) {
        decimals = decimals_;
        description = description_;
        _push(initialAnswer, block.timestamp);
    }

    /// @dev As SimpleReadAccessController's checkAccess: the caller is listed, checking is off, or it is an EOA.
    modifier checkAccess() {
        if (!hasAccess(msg.sender, msg.data)) revert OcrTestAggregatorNoAccess(msg.sender);
        _;
    }

    function version() external pure override returns (uint256) {
        return 4;
    }

    /// @notice Whether `user` may read; the calldata argument is SimpleReadAccessController's, unused there too.
    function hasAccess(address user, bytes memory) public view returns (bool) {
        return _accessList[user] || !checkEnabled || user == tx.origin;
    }

    /// @notice Lets `user` (a proxy) read, as Chainlink lists each feed's EACAggregatorProxy.
    function addAccess(address user) external onlyOwner {
        if (!_accessList[user]) {
            _accessList[user] = true;
            emit AddedAccess(user);
        }
    }

    function removeAccess(address user) external onlyOwner {
        if (_accessList[user]) {
            _accessList[user] = false;
            emit RemovedAccess(user);
        }
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
        checkAccess
        returns (uint80, int256, uint256, uint256, uint80)
    {
        if (roundId > type(uint32).max) revert OcrTestAggregatorNoRound(roundId);
        Transmission memory t = _transmissions[uint32(roundId)];
        return (roundId, t.answer, t.timestamp, t.timestamp, roundId);
    }

    function latestRoundData()
        external
        view
        override
        checkAccess
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        roundId = _hotVars.latestAggregatorRoundId;
        Transmission memory t = _transmissions[uint32(roundId)];
        return (roundId, t.answer, t.timestamp, t.timestamp, roundId);
    }

    function _checkUpdater() private view {
        if (msg.sender != owner() && !isUpdater[msg.sender]) revert OcrTestAggregatorNotUpdater(msg.sender);
    }

    function _push(int256 answer, uint256 updatedAt) private {
        uint32 id = ++_hotVars.latestAggregatorRoundId;
        _transmissions[id] = Transmission(SafeCast.toInt192(answer), SafeCast.toUint64(updatedAt));
        emit AnswerUpdated(answer, id, updatedAt);
    }
}
