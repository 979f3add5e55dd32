// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TestToken} from "./TestToken.sol";

/// @notice A constituent that turns hostile on command: its balanceOf reverts, or its transfer burns all the
/// gas it is given. For the tests that one such token cannot block exits.
contract HostileToken is TestToken {
    enum Mode {
        Honest,
        RevertingBalanceOf,
        GasBurningTransfer
    }

    Mode public mode;

    constructor(string memory name_, uint8 decimals_, address owner_) TestToken(name_, name_, decimals_, owner_) {}

    function setMode(Mode mode_) external onlyOwner {
        mode = mode_;
    }

    function balanceOf(address account) public view override returns (uint256) {
        if (mode == Mode.RevertingBalanceOf) revert("balanceOf disabled");
        return super.balanceOf(account);
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (mode == Mode.GasBurningTransfer) {
            // Spin until the call runs out of gas.
            uint256 i;
            while (true) {
                ++i;
            }
        }
        return super.transfer(to, value);
    }
}
