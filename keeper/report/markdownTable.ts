export type ColumnAlign = "left" | "right";

/** A GitHub-flavoured Markdown table; pipes and newlines in cells are escaped so a cell cannot break the row. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ColumnAlign[] = []): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const rule = header.map((_, i) => (align[i] === "right" ? "---:" : "---"));
  return [header, rule, ...rows].map((row) => `| ${row.map(cell).join(" | ")} |`).join("\n");
}
