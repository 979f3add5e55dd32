// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Test-only token that calls back into a hook contract on every transfer, like an ERC-777
/// `tokensReceived`, so tests can try to re-enter the vault mid-operation.
interface ITransferHook {
    function onTokenTransfer(address from, address to, uint256 value) external;
}

contract HookToken is ERC20 {
    uint8 private immutable _decimals;
    ITransferHook public hook;

    constructor(uint8 decimals_) ERC20("Hook Token", "HOOK") {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setHook(ITransferHook hook_) external {
        hook = hook_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (address(hook) != address(0) && from != address(0) && to != address(0)) {
            hook.onTokenTransfer(from, to, value);
        }
    }
}
