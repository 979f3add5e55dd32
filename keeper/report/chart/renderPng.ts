import { createRequire } from "node:module";
import { renderAsync } from "@resvg/resvg-js";

const require = createRequire(import.meta.url);

/** The font every server-side chart names; renderPng loads it from the dejavu-fonts-ttf package, never the system. */
export const CHART_FONT_FAMILY = "DejaVu Sans";

/**
 * The charts' font files, from the dejavu-fonts-ttf npm package rather than the system: a fresh machine (CI)
 * has no fonts installed, and the same files everywhere make the PNGs identical on every machine.
 */
export const CHART_FONT_FILES: readonly string[] = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
);

/** Rasterises an SVG document to PNG bytes at its own size, with the packaged font and no system fonts. */
export async function renderPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    font: { loadSystemFonts: false, fontFiles: [...CHART_FONT_FILES], defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: "off",
  });
  return image.asPng();
}
