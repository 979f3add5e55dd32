import { expect } from "chai";
import { describe, it } from "mocha";
import { squarify, type Rect } from "../../../keeper/report/chart/squarify.js";
import { expectNear } from "../../helpers/expectNear.js";

const area = (r: Rect) => r.width * r.height;
const overlaps = (a: Rect, b: Rect) =>
  Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1e-9 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1e-9;

describe("#squarify", () => {
  const bounds = { x: 10, y: 20, width: 600, height: 400 };

  it("reproduces the worked example of Bruls et al.: 6 6 4 3 2 2 1 in a 6 x 4 box", () => {
    const tiles = squarify([6, 6, 4, 3, 2, 2, 1], { x: 0, y: 0, width: 6, height: 4 });
    // As in the paper's figure: the two 6s stack into a 3-wide column on the left, the rest fill the 3 x 4 remainder.
    expect(tiles[0]).to.deep.equal({ x: 0, y: 0, width: 3, height: 2 });
    expect(tiles[1]).to.deep.equal({ x: 0, y: 2, width: 3, height: 2 });
    tiles.forEach((tile, i) => expectNear(area(tile), [6, 6, 4, 3, 2, 2, 1][i], 1e-9));
  });

  it("gives each value an area in proportion and fills the bounds without overlap", () => {
    const values = [50, 20, 12, 8, 5, 3, 1, 1];
    const tiles = squarify(values, bounds);
    const scale = area(bounds) / values.reduce((a, b) => a + b, 0);
    tiles.forEach((tile, i) => {
      expectNear(area(tile), values[i] * scale, 1e-6);
      expect(tile.x).to.be.at.least(bounds.x - 1e-9);
      expect(tile.y).to.be.at.least(bounds.y - 1e-9);
      expect(tile.x + tile.width).to.be.at.most(bounds.x + bounds.width + 1e-9);
      expect(tile.y + tile.height).to.be.at.most(bounds.y + bounds.height + 1e-9);
    });
    for (let i = 0; i < tiles.length; i++) for (let j = i + 1; j < tiles.length; j++) expect(overlaps(tiles[i], tiles[j]), `${i} overlaps ${j}`).to.equal(false);
  });

  it("gives zero and negative values an empty tile and lays out the rest", () => {
    const tiles = squarify([0, 3, -1, 1], bounds);
    expect(area(tiles[0])).to.equal(0);
    expect(area(tiles[2])).to.equal(0);
    expectNear(area(tiles[1]) + area(tiles[3]), area(bounds), 1e-6);
  });

  it("gives a single value the whole bounds", () => {
    const [tile] = squarify([7], bounds);
    for (const key of ["x", "y", "width", "height"] as const) expectNear(tile[key], bounds[key], 1e-9);
  });
});
