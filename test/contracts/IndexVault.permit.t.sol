// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IndexVault} from "../../contracts/IndexVault.sol";
import {IIndexVault} from "../../contracts/interfaces/IIndexVault.sol";
import {IOracleRouter} from "../../contracts/interfaces/IOracleRouter.sol";
import {OracleRouter} from "../../contracts/oracles/OracleRouter.sol";
import {TestToken} from "../../contracts/test/TestToken.sol";
import {TestStablecoin} from "../../contracts/test/TestStablecoin.sol";
import {TestPriceFeed} from "../../contracts/test/TestPriceFeed.sol";

/// @notice depositWithPermit: one call with no prior approve, OpenZeppelin's front-running-safe permit, and
/// each failure's decoded error (a revert moves nothing, so only the error is asserted). The vault holds a priced constituent and charges an entry fee, so the shares
/// compared are not trivially equal to the assets.
contract IndexVaultPermitTest is Test {
    bytes32 constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    uint256 constant ASSETS = 2_500e6;

    OracleRouter router;
    TestStablecoin usdc;
    IndexVault vault;
    address alice;
    uint256 aliceKey;
    address mallory;
    uint256 malloryKey;
    address bob = makeAddr("bob");

    function setUp() public {
        vm.warp(1_700_000_000);
        (alice, aliceKey) = makeAddrAndKey("alice");
        (mallory, malloryKey) = makeAddrAndKey("mallory");
        router = new OracleRouter(address(this), address(0));
        usdc = new TestStablecoin("USD Coin", "USDC", 6, address(this));
        vault = _vaultOver(TestToken(address(usdc)));
        TestToken weth = new TestToken("Wrapped Ether", "WETH", 18, address(this));
        router.setSource(address(weth), _source(address(new TestPriceFeed(8, "ETH / USD", 2_000e8, address(this)))));
        vault.registerAsset(address(weth), 10_000);
        vault.setFees(10, 0, 0);
        // An earlier depositor, and a constituent the vault holds, so that NAV per share is not 1.
        usdc.mint(bob, 10_000e6);
        vm.startPrank(bob);
        usdc.approve(address(vault), 10_000e6);
        vault.deposit(10_000e6, bob);
        vm.stopPrank();
        weth.mint(address(vault), 1.5e18);
        usdc.mint(alice, ASSETS);
    }

    function _source(address feed) internal pure returns (IOracleRouter.SourceParams memory p) {
        p.kind = IOracleRouter.SourceKind.Chainlink;
        p.feed = feed;
        p.heartbeatSeconds = 1 days;
        p.minAnswer = 1;
        p.maxAnswer = type(uint128).max;
    }

    function _vaultOver(TestToken asset) internal returns (IndexVault v) {
        router.setSource(address(asset), _source(address(new TestPriceFeed(8, "USDC / USD", 1e8, address(this)))));
        v = new IndexVault(asset, "Open Index", "OIDX", address(this), router, makeAddr("feeTo"));
    }

    function _sign(uint256 key, address owner, uint256 value, uint256 deadline)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash =
            keccak256(abi.encode(PERMIT_TYPEHASH, owner, address(vault), value, usdc.nonces(owner), deadline));
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
    }

    function test_aPermitDepositTakesOneCallWithNoApproveAndMintsWhatApproveThenDepositWithMinMints() public {
        uint256 minShares = vault.previewDeposit(ASSETS);
        uint256 snapshot = vm.snapshotState();
        vm.startPrank(alice);
        usdc.approve(address(vault), ASSETS);
        uint256 viaApprove = vault.depositWithMin(ASSETS, alice, minShares);
        vm.stopPrank();
        vm.revertToState(snapshot);

        assertEq(usdc.allowance(alice, address(vault)), 0);
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, alice, ASSETS, block.timestamp + 1 hours);
        vm.prank(alice);
        uint256 viaPermit = vault.depositWithPermit(ASSETS, alice, minShares, block.timestamp + 1 hours, v, r, s);

        assertEq(viaPermit, viaApprove);
        assertGt(viaPermit, 0);
        assertEq(vault.balanceOf(alice), viaPermit);
        assertEq(usdc.balanceOf(alice), 0);
        assertEq(usdc.nonces(alice), 1);
        // The permit granted exactly the deposit: nothing is left allowed.
        assertEq(usdc.allowance(alice, address(vault)), 0);
    }

    function test_aPermitFrontRunBySomeoneElseStillDeposits() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, alice, ASSETS, deadline);
        uint256 expected = vault.previewDeposit(ASSETS);
        // Mallory saw the signature in the mempool and submitted it first: the nonce is used, the allowance set.
        vm.prank(mallory);
        usdc.permit(alice, address(vault), ASSETS, deadline, v, r, s);

        vm.prank(alice);
        assertEq(vault.depositWithPermit(ASSETS, alice, expected, deadline, v, r, s), expected);
        assertEq(vault.balanceOf(alice), expected);
        assertEq(usdc.allowance(alice, address(vault)), 0);
    }

    function test_aSignatureByAnotherKeyRevertsWithThePermitError() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(malloryKey, alice, ASSETS, deadline);
        bytes memory reason = abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, mallory, alice);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultPermitFailed.selector, alice, 0, ASSETS, reason));
        vm.prank(alice);
        vault.depositWithPermit(ASSETS, alice, 0, deadline, v, r, s);
    }

    function test_aPermitForLessThanTheDepositRevertsWithThePermitError() public {
        uint256 deadline = block.timestamp + 1 hours;
        // Signed for one unit less: the signature does not match the permit the vault submits.
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, alice, ASSETS - 1, deadline);
        vm.prank(alice);
        try vault.depositWithPermit(ASSETS, alice, 0, deadline, v, r, s) {
            fail();
        } catch (bytes memory data) {
            assertEq(bytes4(data), IIndexVault.IndexVaultPermitFailed.selector);
        }
    }

    function test_anExpiredPermitRevertsWithTheDeadline() public {
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, alice, ASSETS, deadline);
        bytes memory reason = abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultPermitFailed.selector, alice, 0, ASSETS, reason));
        vm.prank(alice);
        vault.depositWithPermit(ASSETS, alice, 0, deadline, v, r, s);
    }

    function test_aMinimumNotMetRevertsAndLeavesThePermitUnused() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, alice, ASSETS, deadline);
        uint256 expected = vault.previewDeposit(ASSETS);
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultSharesBelowMin.selector, expected, expected + 1));
        vm.prank(alice);
        vault.depositWithPermit(ASSETS, alice, expected + 1, deadline, v, r, s);
        // The whole call reverted, the permit with it: the same signature still works.
        vm.prank(alice);
        assertEq(vault.depositWithPermit(ASSETS, alice, expected, deadline, v, r, s), expected);
    }

    function test_pausedDepositsRevertAndLeaveThePermitUnused() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _sign(aliceKey, alice, ASSETS, deadline);
        vault.pauseDeposits();
        vm.expectRevert(IIndexVault.IndexVaultDepositsPaused.selector);
        vm.prank(alice);
        vault.depositWithPermit(ASSETS, alice, 0, deadline, v, r, s);
    }

    function test_aStablecoinWithoutPermitRevertsUnlessApprovedAndThenDeposits() public {
        TestToken plain = new TestToken("Plain USD", "PUSD", 6, address(this));
        IndexVault plainVault = _vaultOver(plain);
        plain.mint(alice, ASSETS);
        // No permit() to call: the call reverts with no data, and nothing was approved.
        vm.expectRevert(abi.encodeWithSelector(IIndexVault.IndexVaultPermitFailed.selector, alice, 0, ASSETS, ""));
        vm.prank(alice);
        plainVault.depositWithPermit(ASSETS, alice, 0, block.timestamp, 0, 0, 0);
        assertEq(plain.balanceOf(alice), ASSETS);

        vm.startPrank(alice);
        plain.approve(address(plainVault), ASSETS);
        uint256 shares = plainVault.depositWithPermit(ASSETS, alice, 1, block.timestamp, 0, 0, 0);
        vm.stopPrank();
        assertEq(plainVault.balanceOf(alice), shares);
        assertEq(plain.balanceOf(alice), 0);
    }
}
