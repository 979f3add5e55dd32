import { keccak256, toUtf8Bytes } from "ethers";

/** keccak256 of the UTF-8 bytes of the canonical JSON: the bytes32 the keeper commits with the targets. */
export function snapshotHash(canonicalSnapshotJson: string): `0x${string}` {
  return keccak256(toUtf8Bytes(canonicalSnapshotJson)) as `0x${string}`;
}
