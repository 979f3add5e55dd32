/** `keeper audit`: wired to keeper/audit once it lands. */
export async function auditCommand(_options: { rpc?: string; vault?: string; fromBlock?: string; snapshots?: string; tokenList?: string; json: boolean }): Promise<number> {
  console.error("keeper audit: not available in this build");
  return 1;
}
