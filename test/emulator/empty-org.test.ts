import { describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/index.js";
import { emulatorClient } from "../support/github.js";

describe("an empty organisation (size 0)", () => {
  it("branches from the root commit and reports it in the push webhook", async () => {
    const emu = await startEmulator({ size: 0 });
    try {
      const gh = emulatorClient(emu.url);
      const repo = { owner: "fleetdm", repo: "fleet" };
      const main = await gh.rest.git.getRef({ ...repo, ref: "heads/main" });
      const created = await gh.rest.git.createRef({
        ...repo,
        ref: "refs/heads/rc-minor-fleet-v4.1.0",
        sha: main.data.object.sha,
      });
      expect(created.data.object.sha).toBe(main.data.object.sha);
      const commit = await gh.rest.git.getCommit({ ...repo, commit_sha: main.data.object.sha });
      expect(commit.data.parents).toEqual([]);
      expect(commit.data.message.trim()).toBe("Initial commit");
    } finally {
      await emu.close();
    }
  });
});
