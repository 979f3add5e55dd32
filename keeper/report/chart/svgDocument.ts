/** Presentation attributes an element may carry; numbers are user units (pixels at scale 1). */
export type SvgAttributes = Record<string, string | number | undefined>;

export interface TextOptions extends SvgAttributes {
  "font-size"?: number;
  "font-weight"?: "normal" | "bold";
  "text-anchor"?: "start" | "middle" | "end";
  "dominant-baseline"?: "auto" | "middle" | "hanging";
  fill?: string;
}

/** The font every chart names; renderPng loads it from the dejavu-fonts-ttf package, so no system font is needed. */
export const CHART_FONT_FAMILY = "DejaVu Sans";

/**
 * A minimal SVG writer: shapes are appended in paint order and `toString()` gives the document. Only what the
 * report's charts draw (rectangles, lines, polylines, text, clip paths), so the output stays easy to read in a diff.
 */
export class SvgDocument {
  private readonly body: string[] = [];
  private readonly defs: string[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    readonly background = "#ffffff",
  ) {}

  rect(x: number, y: number, width: number, height: number, attributes: SvgAttributes = {}): this {
    return this.element("rect", { x, y, width: Math.max(0, width), height: Math.max(0, height), ...attributes });
  }

  line(x1: number, y1: number, x2: number, y2: number, attributes: SvgAttributes = {}): this {
    return this.element("line", { x1, y1, x2, y2, stroke: "#000000", ...attributes });
  }

  polyline(points: readonly (readonly [number, number])[], attributes: SvgAttributes = {}): this {
    const path = points.map(([x, y]) => `${round(x)},${round(y)}`).join(" ");
    return this.element("polyline", { points: path, fill: "none", stroke: "#000000", ...attributes });
  }

  text(x: number, y: number, content: string, options: TextOptions = {}): this {
    const attributes = attributeText({ x, y, "font-family": CHART_FONT_FAMILY, "font-size": 12, fill: "#222222", ...options });
    this.body.push(`<text ${attributes}>${escapeXml(content)}</text>`);
    return this;
  }

  /** Declares a rectangular clip path that later elements name with `clip-path="url(#id)"`. */
  clipRect(id: string, x: number, y: number, width: number, height: number): this {
    this.defs.push(`<clipPath id="${escapeXml(id)}"><rect ${attributeText({ x, y, width, height })}/></clipPath>`);
    return this;
  }

  toString(): string {
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}">`,
      this.defs.length > 0 ? `<defs>${this.defs.join("")}</defs>` : "",
      `<rect x="0" y="0" width="${this.width}" height="${this.height}" fill="${this.background}"/>`,
      ...this.body,
      "</svg>",
    ]
      .filter((part) => part !== "")
      .join("\n");
  }

  private element(name: string, attributes: SvgAttributes): this {
    this.body.push(`<${name} ${attributeText(attributes)}/>`);
    return this;
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

function attributeText(attributes: SvgAttributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}="${typeof value === "number" ? round(value) : escapeXml(value)}"`)
    .join(" ");
}

/** Two decimals are finer than a pixel and keep the SVG short. */
function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
