import { solidityPacked } from "ethers";
import type { Route } from "./types.js";

/** The fee value that marks a V2 hop in a mixed-route path (router-sdk's encoding, SwapRouter02Adapter's too). */
export const V2_HOP_FEE = 0x800000;

/** The SwapRouter02 adapter's data for a route: tokenIn, fee, token, ..., tokenOut packed, V2 hops marked. */
export function encodeRoute(route: Route): string {
  const types: string[] = ["address"];
  const values: (string | number)[] = [route.hops[0].tokenIn];
  for (const hop of route.hops) {
    types.push("uint24", "address");
    values.push(hop.venue.protocol === "v2" ? V2_HOP_FEE : hop.venue.fee, hop.tokenOut);
  }
  return solidityPacked(types, values);
}
