// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AddressListCodeLib
/// @notice Stores a list of addresses as the bytecode of a data-only contract (the SSTORE2 technique) and
/// reads it back with one EXTCODECOPY. Reading 100 addresses costs ~3k gas instead of 100 cold SLOADs
/// (210k): the vault reads its constituent list on every deposit, redemption and trade batch, and writes
/// it only when the admin registers or deregisters a constituent.
library AddressListCodeLib {
    /// @notice Deploying the data contract failed.
    error AddressListCodeLibDeployFailed();

    /// @dev The STOP byte, the ABI offset word and the length word that precede the addresses in the code.
    uint256 private constant HEADER_BYTES = 65;

    /// @notice Deploys a data contract holding `list`; returns its address (the pointer).
    /// @dev The runtime code is 0x00 (STOP, so a call to it does nothing) followed by abi.encode(list).
    /// The 10-byte creation prefix copies that runtime code to memory and returns it:
    /// PUSH2 size, DUP1, PUSH1 0x0a, RETURNDATASIZE, CODECOPY, RETURNDATASIZE, RETURN.
    function write(address[] memory list) internal returns (address pointer) {
        bytes memory runtime = abi.encodePacked(hex"00", abi.encode(list));
        bytes memory init = abi.encodePacked(hex"61", uint16(runtime.length), hex"80600a3d393df3", runtime);
        assembly ("memory-safe") {
            pointer := create(0, add(init, 0x20), mload(init))
        }
        if (pointer == address(0)) revert AddressListCodeLibDeployFailed();
    }

    /// @notice The list stored at `pointer`; empty for the zero pointer.
    function read(address pointer) internal view returns (address[] memory list) {
        if (pointer == address(0)) return list;
        uint256 size = pointer.code.length - 1;
        bytes memory data = new bytes(size);
        assembly ("memory-safe") {
            extcodecopy(pointer, add(data, 0x20), 1, size)
        }
        list = abi.decode(data, (address[]));
    }

    /// @notice `head` followed by the list stored at `pointer`, copied straight into the array's elements.
    /// @dev No abi.decode: the code was written by `write` from an address[], so every word is a clean
    /// address; skipping the decoder's per-element checks and a second array copy saves ~90 gas per entry.
    function readWithHead(address pointer, address head) internal view returns (address[] memory list) {
        // Code: 0x00, then abi.encode(list) = offset word, length word, one word per address.
        uint256 n = pointer == address(0) ? 0 : (pointer.code.length - HEADER_BYTES) / 32;
        list = new address[](n + 1);
        list[0] = head;
        assembly ("memory-safe") {
            extcodecopy(pointer, add(list, 0x40), HEADER_BYTES, mul(n, 0x20))
        }
    }
}
