import { useEffect, useState } from "preact/hooks";
import { formatUnits, type Interface, type TransactionReceipt, type TransactionResponse } from "ethers";
import { IndexQueue__factory, IndexVault__factory, OracleRouter__factory, TestToken__factory, UniswapV3Adapter__factory } from "../../../types/ethers-contracts/index.js";
import { explainError } from "../errors.js";
import { formatNumber, formatUnixTime } from "../../../keeper/core/index.js";
import { useApp } from "../state.js";

/** The project's contracts, whose ABIs decode a transaction: a small explorer of our own contracts. */
const ABIS: [string, Interface][] = [
  ["IndexVault", IndexVault__factory.createInterface()],
  ["IndexQueue", IndexQueue__factory.createInterface()],
  ["ERC-20", TestToken__factory.createInterface()],
  ["OracleRouter", OracleRouter__factory.createInterface()],
  ["UniswapV3Adapter", UniswapV3Adapter__factory.createInterface()],
];

function decodeLog(topics: readonly string[], data: string): { contract: string; name: string; args: [string, string][] } | null {
  for (const [contract, iface] of ABIS) {
    try {
      const parsed = iface.parseLog({ topics: [...topics], data });
      if (parsed !== null) return { contract, name: parsed.name, args: parsed.fragment.inputs.map((input, i) => [input.name, String(parsed.args[i])]) };
    } catch {
      // Another contract's event.
    }
  }
  return null;
}

function decodeCall(data: string): string | null {
  for (const [contract, iface] of ABIS) {
    try {
      const parsed = iface.parseTransaction({ data });
      if (parsed !== null) return `${contract}.${parsed.name}(${parsed.fragment.inputs.map((input, i) => `${input.name}: ${summarise(parsed.args[i])}`).join(", ")})`;
    } catch {
      // Another contract's function.
    }
  }
  return null;
}

function summarise(value: unknown): string {
  const text = Array.isArray(value) ? `[${value.map(summarise).join(", ")}]` : String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function TransactionPage({ hash }: { hash: string }) {
  const { chain, config, view } = useApp();
  const [tx, setTx] = useState<{ response: TransactionResponse; receipt: TransactionReceipt; timestamp: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setTx(null);
    setError(null);
    if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) {
      setError(`"${hash}" is not a transaction hash (0x and 64 hex digits).`);
      return;
    }
    (async () => {
      const [response, receipt] = await Promise.all([chain.provider.getTransaction(hash), chain.provider.getTransactionReceipt(hash)]);
      if (response === null || receipt === null) throw new Error(`No mined transaction ${hash} on ${config.chainName}.`);
      const block = await chain.provider.getBlock(receipt.blockNumber);
      setTx({ response, receipt, timestamp: block!.timestamp });
    })().catch((e) => setError(explainError(e, config.rpcUrl)));
  }, [hash]);
  const names = new Map((view?.holdings ?? []).map((h) => [h.token.toLowerCase(), h.symbol]));
  if (config.vault) names.set(config.vault.toLowerCase(), "IndexVault");
  return (
    <section aria-labelledby="txpage-title">
      <h1 id="txpage-title">Transaction</h1>
      <p>
        <code>{hash}</code>
        {config.explorerUrl !== null && (
          <>
            {" "}
            <a href={`${config.explorerUrl}/tx/${hash}`} target="_blank" rel="noreferrer">
              on the explorer
            </a>
          </>
        )}
      </p>
      {error !== null && <p class="error">{error}</p>}
      {tx !== null && (
        <>
          <dl>
            <dt>Status</dt>
            <dd>{tx.receipt.status === 1 ? "success" : "reverted"}</dd>
            <dt>Block</dt>
            <dd>
              {tx.receipt.blockNumber} ({formatUnixTime(tx.timestamp)})
            </dd>
            <dt>From → to</dt>
            <dd>
              <code>{tx.response.from}</code> → <code>{tx.response.to}</code>
            </dd>
            <dt>Call</dt>
            <dd>
              <code>{decodeCall(tx.response.data) ?? `${tx.response.data.slice(0, 10)} (not a project function)`}</code>
            </dd>
            <dt>Gas used</dt>
            <dd>
              {formatNumber(Number(tx.receipt.gasUsed), 0)} at {formatUnits(tx.receipt.gasPrice, "gwei")} gwei = {formatUnits(tx.receipt.gasUsed * tx.receipt.gasPrice, 18)} ETH
            </dd>
          </dl>
          <table data-testid="tx-logs">
            <caption>{tx.receipt.logs.length} logs, decoded with the project's ABIs</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Emitter</th>
                <th scope="col">Event</th>
                <th scope="col">Arguments</th>
              </tr>
            </thead>
            <tbody>
              {tx.receipt.logs.map((log) => {
                const decoded = decodeLog(log.topics, log.data);
                return (
                  <tr key={log.index}>
                    <td>{log.index}</td>
                    <td>
                      {names.get(log.address.toLowerCase()) ?? ""} <code>{log.address}</code>
                    </td>
                    <td>{decoded === null ? `not a project event (${log.topics[0]?.slice(0, 10)})` : `${decoded.contract}.${decoded.name}`}</td>
                    <td>
                      {decoded?.args.map(([name, value]) => (
                        <div key={name}>
                          {name}: <code>{summarise(value)}</code>
                        </div>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
