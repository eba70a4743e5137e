import { describe, expect, it } from "vitest";
import { escapeSlack, slackText } from "./text.js";

describe("Slack text", () => {
  it("escapes the three characters Slack's markup reserves", () => {
    expect(escapeSlack("a < b && c > d")).toBe("a &lt; b &amp;&amp; c &gt; d");
    // Already-escaped text is escaped again: the rule's words arrive as written.
    expect(escapeSlack("&lt;")).toBe("&amp;lt;");
  });

  it("R14: maps configured GitHub logins to Slack mentions, any case; others stay text", () => {
    const users = { lukeheath: "U012AB3CD", AndreyKizimenko: "W0AK" };
    expect(slackText("@lukeheath and @andreykizimenko, cc @xpkoala", users)).toBe(
      "<@U012AB3CD> and <@W0AK>, cc @xpkoala",
    );
  });

  it("mentions only whole logins at the start of a word, never inside an address", () => {
    const users = { luke: "U1", "luke-heath": "U2" };
    expect(slackText("@luke-heath (@luke) mail luke@luke.example, @lukeheath", users)).toBe(
      "<@U2> (<@U1>) mail luke@luke.example, @lukeheath",
    );
  });

  it("escapes before mentioning, so a mention's brackets survive and a login's text cannot inject markup", () => {
    expect(slackText("<!channel> @luke & co", { luke: "U1" })).toBe(
      "&lt;!channel&gt; <@U1> &amp; co",
    );
  });
});
