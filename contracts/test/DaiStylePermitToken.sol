// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @notice A token with mainnet DAI's permit: it answers nonces() and DOMAIN_SEPARATOR() (version "1") like an
/// EIP-2612 token, but its permit takes (holder, spender, nonce, expiry, allowed), so EIP-2612's permit selector
/// (0xd505accf) is not there. The app must not offer a permit for it.
contract DaiStylePermitToken is ERC20, EIP712, Nonces {
    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)");

    error DaiStylePermitInvalid(address holder);

    constructor(string memory name_) ERC20(name_, "DAIS") EIP712(name_, "1") {}

    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function permit(address holder, address spender, uint256 nonce, uint256 expiry, bool allowed, uint8 v, bytes32 r, bytes32 s)
        external
    {
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(PERMIT_TYPEHASH, holder, spender, nonce, expiry, allowed)));
        if (ECDSA.recover(digest, v, r, s) != holder || nonce != _useNonce(holder)) revert DaiStylePermitInvalid(holder);
        _approve(holder, spender, allowed ? type(uint256).max : 0);
    }
}
