// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {TestToken} from "./TestToken.sol";

/// @notice The devnet's stablecoin: a TestToken with EIP-2612 permit, as mainnet USDC has (USDC's EIP-712
/// domain version is "2" and it has no eip712Domain(); OpenZeppelin's is "1" and has it).
contract TestStablecoin is TestToken, ERC20Permit {
    constructor(string memory name_, string memory symbol_, uint8 decimals_, address owner_)
        TestToken(name_, symbol_, decimals_, owner_)
        ERC20Permit(name_)
    {}

    function decimals() public view override(ERC20, TestToken) returns (uint8) {
        return TestToken.decimals();
    }
}
