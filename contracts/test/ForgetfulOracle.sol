// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IOracleRouter} from "../interfaces/IOracleRouter.sol";

/// @notice Test-only oracle in front of a real OracleRouter: every price call is passed through, but the
/// forward-pricing cut-off is not the caller's. Without `relayCutOff`, setPricedAfter is ignored and
/// pricedAfter answers zeros (an oracle that does not know forward pricing); with it, both are relayed, so the
/// router holds the cut-off for this contract rather than for the caller. The queue's settlement must refuse both.
contract ForgetfulOracle {
    IOracleRouter public immutable router;
    bool public immutable relayCutOff;

    constructor(IOracleRouter router_, bool relayCutOff_) {
        router = router_;
        relayCutOff = relayCutOff_;
    }

    function setPricedAfter(uint256 cutOff) external {
        if (relayCutOff) router.setPricedAfter(cutOff);
    }

    function pricedAfter() external view returns (uint256 cutOff, address holder) {
        if (relayCutOff) return router.pricedAfter();
        return (0, address(0));
    }

    /// @dev Every other call (the price reads) goes to the router unchanged, its answer or revert returned as is.
    fallback() external {
        address target = address(router);
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := call(gas(), target, 0, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
