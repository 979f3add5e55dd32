import { Signature, TypedDataEncoder, ZeroHash, getAddress, isError, isHexString, type ContractRunner, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";
import { IERC20Permit__factory, IERC20Metadata__factory, IERC5267__factory } from "../../types/ethers-contracts/index.js";
import { nodeSaidReverted, revertData } from "../../keeper/chain/decodeRevert.js";

/** The EIP-712 domain of `token`'s permit: the candidate whose hash is the token's DOMAIN_SEPARATOR(), else null. */
export function matchPermitDomain(input: { separator: string; name: string; chainId: bigint; token: string; eip5267: TypedDataDomain | null }): TypedDataDomain | null {
  // OpenZeppelin's ERC20Permit says its domain (ERC-5267); mainnet USDC does not, and its version is "2".
  const candidates: TypedDataDomain[] = [
    ...(input.eip5267 === null ? [] : [input.eip5267]),
    ...["1", "2"].map((version) => ({ name: input.name, version, chainId: input.chainId, verifyingContract: getAddress(input.token) })),
  ];
  return candidates.find((domain) => TypedDataEncoder.hashDomain(domain) === input.separator) ?? null;
}


/**
 * Whether a read reverted (the token answered: the function is missing or refused), as opposed to failing to reach
 * the chain: revert data (ethers' "0x" for a revert without any included), or a node that said the call
 * reverted (nodeSaidReverted), or empty return data where a value was expected (BAD_DATA: a function missing on a
 * contract with a fallback, or no code). Not ethers' CALL_EXCEPTION alone: a node's error on eth_call ("header not
 * found", "request timed out", a rate limit) is one too, and means "not known yet", not "no permit".
 */
function answered(error: unknown): boolean {
  // ethers gives a CALL_EXCEPTION revert data ("0x" for none) only when the node's error said "revert" with hex data.
  return isError(error, "BAD_DATA") || (isError(error, "CALL_EXCEPTION") && isHexString(error.data)) || revertData(error) !== null || nodeSaidReverted(error);
}

/**
 * Whether `token` takes EIP-2612 permits, and with which EIP-712 domain: it must answer nonces() and
 * DOMAIN_SEPARATOR(), and one domain built from its name(), version "1" or "2" (or its eip712Domain(), if it has
 * one), the chain and its address must hash to that separator; and it must have EIP-2612's permit function, which
 * the vault calls: an expired, unsigned permit must revert with a reason (OpenZeppelin's ERC2612ExpiredSignature,
 * USDC's "permit is expired"), not with the empty data of a missing function (DAI's permit has other arguments).
 * Null when the token answered and takes none (the app approves instead). Throws when a read failed to reach the
 * chain, so that the caller can tell "no permit" from "not known yet" and try again.
 */
export async function readPermitDomain(token: string, runner: ContractRunner, chainId: bigint): Promise<TypedDataDomain | null> {
  const permit = IERC20Permit__factory.connect(token, runner);
  const [separator, nonce, name, eip5267, probe] = await Promise.allSettled([
    permit.DOMAIN_SEPARATOR(),
    permit.nonces(token),
    IERC20Metadata__factory.connect(token, runner).name(),
    IERC5267__factory.connect(token, runner).eip712Domain(),
    permit.permit.staticCall(token, token, 0n, 0n, 0, ZeroHash, ZeroHash).then(
      () => true,
      (error: unknown) => {
        if (revertData(error) !== null) return true;
        if (answered(error)) return false;
        throw error;
      },
    ),
  ]);
  for (const read of [separator, nonce, name, eip5267, probe]) if (read.status === "rejected" && !answered(read.reason)) throw read.reason;
  if (separator.status === "rejected" || nonce.status === "rejected" || name.status === "rejected" || probe.status === "rejected" || !probe.value) return null;
  let declared: TypedDataDomain | null = null;
  // Fields 0x0f: name, version, chainId and verifyingContract, no salt; anything else is not a permit domain.
  if (eip5267.status === "fulfilled" && eip5267.value.fields === "0x0f") {
    declared = { name: eip5267.value.name, version: eip5267.value.version, chainId: eip5267.value.chainId, verifyingContract: eip5267.value.verifyingContract };
  }
  return matchPermitDomain({ separator: separator.value, name: name.value, chainId, token, eip5267: declared });
}

const PERMIT_TYPES: Record<string, TypedDataField[]> = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The owner's EIP-2612 permit, signed by the wallet (ethers sends it as eth_signTypedData_v4). */
export async function signPermit(
  signer: Signer,
  domain: TypedDataDomain,
  message: { owner: string; spender: string; value: bigint; nonce: bigint; deadline: bigint },
): Promise<Signature> {
  return Signature.from(await signer.signTypedData(domain, PERMIT_TYPES, message));
}
