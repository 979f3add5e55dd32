import { createRequire } from "node:module";
import type { InterfaceAbi } from "ethers";

/** The compiled Uniswap V3 and WETH9 artifacts exactly as their npm packages ship them. */
export interface NpmArtifact {
  abi: InterfaceAbi;
  bytecode: string;
}

const require = createRequire(import.meta.url);
const load = (id: string): NpmArtifact => {
  const { abi, bytecode } = require(id) as NpmArtifact;
  return { abi, bytecode };
};

export const uniswapArtifacts = {
  factory: load("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json"),
  pool: load("@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json"),
  swapRouter: load("@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json"),
  quoterV2: load("@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json"),
  positionManager: load(
    "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
  ),
  weth9: load("canonical-weth/build/contracts/WETH9.json"),
};
