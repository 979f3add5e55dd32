import { expect } from "chai";
import { getAddress } from "ethers";
import { parseTokenList, TokenListError } from "../../../keeper/data/tokenList.js";

// Chainlink's token on Ethereum mainnet, as EIP-55 spells it.
const LINK = "0x514910771AF9Ca656af840dff83E8264EcF986CA";

const list = (address: string) => ({
  name: "test",
  timestamp: "2025-11-30T00:00:00Z",
  version: { major: 1, minor: 0, patch: 0 },
  tokens: [{ chainId: 1, address, name: "ChainLink Token", symbol: "LINK", decimals: 18, extensions: { providerId: "chainlink" } }],
});

describe("token list addresses", function () {
  it("accepts an all-lowercase address (as CoinGecko's platform addresses come) and returns it checksummed", function () {
    expect(getAddress(LINK)).to.equal(LINK);
    expect(parseTokenList(list(LINK.toLowerCase()), 1).tokens[0]!.address).to.equal(LINK);
    expect(parseTokenList(list(LINK), 1).tokens[0]!.address).to.equal(LINK);
  });

  it("refuses a mixed-case address whose EIP-55 checksum is wrong (a mistyped character), naming it", function () {
    // One letter's case flipped: the checksum now says a character of the address is wrong.
    const typo = LINK.replace("AF9Ca", "aF9Ca");
    expect(typo).to.not.equal(LINK);
    expect(() => parseTokenList(list(typo), 1, "tokens.json")).to.throw(TokenListError, new RegExp(`tokens.json: ${typo} .*checksum`));
  });
});
