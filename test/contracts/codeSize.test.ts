import { expect } from "chai";
import hre from "hardhat";

/** EIP-170: the largest runtime code a contract may deploy. */
const EIP170_BYTES = 24_576;
/** Every contract deploy/ and devnet/ put on a chain (the vault and its two linked libraries among them). */
const DEPLOYED = ["IndexVault", "IndexQueue", "RebalanceLogic", "RegistryLogic", "OracleRouter", "UniswapV3Adapter", "SwapRouter02Adapter", "TimelockController"];

describe("deployable contracts fit EIP-170", function () {
  for (const name of DEPLOYED) {
    it(`${name} is under ${EIP170_BYTES} bytes`, async function () {
      const artifact = await hre.artifacts.readArtifact(name);
      const bytes = (artifact.deployedBytecode.length - 2) / 2;
      console.log(`      ${name}: ${bytes} bytes, margin ${EIP170_BYTES - bytes}`);
      expect(bytes).to.be.greaterThan(0).and.at.most(EIP170_BYTES);
    });
  }
});
