import { createRequire } from "node:module";
import type { InterfaceAbi } from "ethers";

/** The compiled Uniswap V2, V3, SwapRouter02 and WETH9 artifacts exactly as their npm packages ship them. */
export interface NpmArtifact {
  abi: InterfaceAbi;
  bytecode: string;
}

const require = createRequire(import.meta.url);
const load = (id: string): NpmArtifact => {
  const { abi, bytecode } = require(id) as NpmArtifact;
  // v2-core's build (Waffle) stores the bytecode without the 0x prefix.
  return { abi, bytecode: bytecode.startsWith("0x") ? bytecode : `0x${bytecode}` };
};

export const uniswapArtifacts = {
  factory: load("@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json"),
  pool: load("@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json"),
  swapRouter: load("@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json"),
  quoterV2: load("@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json"),
  positionManager: load(
    "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
  ),
  swapRouter02: load("@uniswap/swap-router-contracts/artifacts/contracts/SwapRouter02.sol/SwapRouter02.json"),
  mixedRouteQuoterV1: load("@uniswap/swap-router-contracts/artifacts/contracts/lens/MixedRouteQuoterV1.sol/MixedRouteQuoterV1.json"),
  v2Factory: load("@uniswap/v2-core/build/UniswapV2Factory.json"),
  v2Pair: load("@uniswap/v2-core/build/UniswapV2Pair.json"),
  weth9: load("canonical-weth/build/contracts/WETH9.json"),
};
