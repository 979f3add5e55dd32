import { expect } from "chai";
import { Signature, type Signer } from "ethers";
import { ethers, networkHelpers } from "../fixtures.js";
import { contractsOf, fundedVaultFixture, USDC, type FundedVaultFixture } from "../helpers/vault.js";
import { decodeRevert, revertData } from "../../keeper/chain/decodeRevert.js";
import { TestStablecoin__factory } from "../../types/ethers-contracts/index.js";
import { readPermitDomain, signPermit } from "../../app/src/permit.js";

const ASSETS = 25_000n * USDC;

/** An EIP-2612 permit of `owner` to the vault for `value`, found and signed as the app does (readPermitDomain, then eth_signTypedData_v4). */
async function signVaultPermit(f: FundedVaultFixture, owner: Signer, value: bigint, deadline: bigint): Promise<Signature> {
  const stablecoin = f.market.stablecoin.address;
  const domain = await readPermitDomain(stablecoin, ethers.provider, (await ethers.provider.getNetwork()).chainId);
  expect(domain, "the devnet stablecoin takes EIP-2612 permits").to.not.equal(null);
  const ownerAddress = await owner.getAddress();
  const nonce = await TestStablecoin__factory.connect(stablecoin, owner).nonces(ownerAddress);
  return signPermit(owner, domain!, { owner: ownerAddress, spender: f.deployment.vault, value, nonce, deadline });
}

/** A depositor who holds stablecoin and has never approved the vault. */
async function freshDepositor(f: FundedVaultFixture, index: number) {
  const signers = await ethers.getSigners();
  const signer = signers[index]!;
  const stable = TestStablecoin__factory.connect(f.market.stablecoin.address, signers[0]);
  await (await stable.mint(signer.address, ASSETS)).wait();
  expect(await stable.allowance(signer.address, f.deployment.vault)).to.equal(0n);
  return signer;
}

describe("IndexVault.depositWithPermit on the real market (devnet stablecoin with EIP-2612, ten constituents held)", function () {
  it("deposits in one transaction with no approve, minting what approve + depositWithMin mints", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { vault, stable } = contractsOf(f);
    const alice = await freshDepositor(f, 10);
    const depositAt = (await networkHelpers.time.latest()) + 120;
    const minShares = (await vault.previewDeposit(ASSETS)) / 2n;

    const before = await networkHelpers.takeSnapshot();
    const approveGas = (await (await stable.connect(alice).approve(f.deployment.vault, ASSETS)).wait())!.gasUsed;
    await networkHelpers.time.setNextBlockTimestamp(depositAt);
    const viaApprove = await (await vault.connect(alice).depositWithMin(ASSETS, alice.address, minShares)).wait();
    const sharesViaApprove = await vault.balanceOf(alice.address);
    await before.restore();

    const sig = await signVaultPermit(f, alice, ASSETS, BigInt(depositAt + 3_600));
    const permitToken = TestStablecoin__factory.connect(f.market.stablecoin.address, alice);
    const nonceBefore = await permitToken.nonces(alice.address);
    await networkHelpers.time.setNextBlockTimestamp(depositAt);
    const viaPermit = await (await vault.connect(alice).depositWithPermit(ASSETS, alice.address, minShares, depositAt + 3_600, sig.v, sig.r, sig.s)).wait();
    expect(await vault.balanceOf(alice.address)).to.equal(sharesViaApprove).and.to.be.greaterThan(minShares);
    expect(await stable.balanceOf(alice.address)).to.equal(0n);
    expect(await permitToken.nonces(alice.address)).to.equal(nonceBefore + 1n);
    expect(await stable.allowance(alice.address, f.deployment.vault)).to.equal(0n);
    console.log(`      gas: depositWithPermit ${viaPermit!.gasUsed}; approve ${approveGas} + depositWithMin ${viaApprove!.gasUsed} = ${approveGas + viaApprove!.gasUsed}`);
  });

  it("an expired permit reverts with the vault's error carrying the stablecoin's, decoded with the project's ABIs", async function () {
    const f = await networkHelpers.loadFixture(fundedVaultFixture);
    const { vault, stable } = contractsOf(f);
    const alice = await freshDepositor(f, 10);
    const deadline = BigInt(await networkHelpers.time.latest());
    const sig = await signVaultPermit(f, alice, ASSETS, deadline);
    const error = await vault.connect(alice).depositWithPermit(ASSETS, alice.address, 0n, deadline, sig.v, sig.r, sig.s).then(
      () => null,
      (e: unknown) => e,
    );
    const data = revertData(error);
    expect(data).to.not.equal(null);
    expect(decodeRevert(data!)?.text).to.equal(`IndexVaultPermitFailed(${alice.address}, 0, ${ASSETS}, ERC2612ExpiredSignature(${deadline}))`);
    expect(await stable.balanceOf(alice.address)).to.equal(ASSETS);
    expect(await vault.balanceOf(alice.address)).to.equal(0n);
  });
});
