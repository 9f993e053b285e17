/** The report `npm run synth` prints (stacks/synth-report.ts) and its wiring in main.ts. */
import * as fs from "fs";
import * as path from "path";
import { countBlocks, formatSynthReport, parseSynthArgs, summarizeSynth } from "../stacks/synth-report";
import { synthMainInProcess, synthToDir } from "./helpers";
import { tempDir } from "./run-dir";

describe("countBlocks", () => {
  test("counts every resource and data source across types, and outputs", () => {
    expect(
      countBlocks({
        resource: { aws_vpc: { a: {} }, aws_subnet: { b: {}, c: {}, d: {} } },
        data: { aws_iam_policy_document: { e: {}, f: {} } },
        output: { g: {} },
      }),
    ).toEqual({ resources: 4, dataSources: 2, outputs: 1 });
  });

  test("a stack without those blocks counts zero", () => {
    expect(countBlocks({})).toEqual({ resources: 0, dataSources: 0, outputs: 0 });
  });
});

describe("summarizeSynth", () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthToDir(["dev"]);
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("lists the stacks of the manifest with the counts of their cdk.tf.json", () => {
    const summaries = summarizeSynth(outdir);
    expect(summaries.map((s) => s.name).sort()).toEqual(["management-dev", "provisioning-dev"]);
    for (const s of summaries) {
      const doc = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", s.name, "cdk.tf.json"), "utf8"));
      expect(s.file).toBe(path.join(outdir, "stacks", s.name, "cdk.tf.json"));
      expect(s.resources).toBe(Object.values(doc.resource as Record<string, object>).reduce((n, m) => n + Object.keys(m).length, 0));
      expect(s.resources).toBeGreaterThan(10);
    }
    const provisioning = summaries.find((s) => s.name === "provisioning-dev")!;
    expect(provisioning.outputs).toBeGreaterThan(0);
    expect(provisioning.dataSources).toBeGreaterThan(0);
  });

  test("a stack directory the manifest does not name (left by an earlier synth) is not reported", () => {
    const stale = path.join(outdir, "stacks", "provisioning-old");
    fs.mkdirSync(stale, { recursive: true });
    fs.writeFileSync(path.join(stale, "cdk.tf.json"), "{}");
    expect(summarizeSynth(outdir).map((s) => s.name)).not.toContain("provisioning-old");
  });

  test("a missing manifest is named in the error", () => {
    const empty = tempDir("synth-report-");
    expect(() => summarizeSynth(empty)).toThrow(`${path.join(empty, "manifest.json")}: expected a file written by synth, found none`);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

describe("formatSynthReport", () => {
  const stacks = [
    { name: "provisioning-dev", file: "/repo/cdktf.out/stacks/provisioning-dev/cdk.tf.json", resources: 101, dataSources: 17, outputs: 18 },
    { name: "management-dev", file: "/repo/cdktf.out/stacks/management-dev/cdk.tf.json", resources: 23, dataSources: 1, outputs: 1 },
  ];

  test("one aligned line per stack, paths relative to the working directory, then the summary", () => {
    expect(formatSynthReport(stacks, "/repo/cdktf.out", 1.54, "/repo")).toEqual([
      "provisioning-dev  101 resources  17 data sources  18 outputs  cdktf.out/stacks/provisioning-dev/cdk.tf.json",
      "management-dev     23 resources   1 data source    1 output   cdktf.out/stacks/management-dev/cdk.tf.json",
      "synth: 2 stacks written to cdktf.out in 1.5 s",
    ]);
  });

  test("an output directory outside the working directory stays absolute", () => {
    expect(formatSynthReport([], "/tmp/out", 2, "/repo")).toEqual(["synth: 0 stacks written to /tmp/out in 2.0 s"]);
  });
});

describe("parseSynthArgs", () => {
  test("--quiet / -q, --help / -h, nothing", () => {
    expect(parseSynthArgs([])).toEqual({ quiet: false, help: false });
    expect(parseSynthArgs(["--quiet"])).toEqual({ quiet: true, help: false });
    expect(parseSynthArgs(["-q"])).toEqual({ quiet: true, help: false });
    expect(parseSynthArgs(["-h"])).toEqual({ quiet: false, help: true });
  });

  test("an unknown option or a stray argument is refused by name", () => {
    expect(() => parseSynthArgs(["--verbose"])).toThrow("--verbose");
    expect(() => parseSynthArgs(["dev"])).toThrow("dev");
  });
});

test("npm run synth (main.ts) prints one line per stack written and the output directory", () => {
  // In process (synthMain); main.ts as a process is run by bad-input.test.ts (exit code and messages).
  const outdir = tempDir("cdktf-out-");
  const r = synthMainInProcess({ ENVS: "dev", CDKTF_OUTDIR: outdir });
  fs.rmSync(outdir, { recursive: true, force: true });
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^management-dev +\d+ resources +1 data source +\d+ outputs? +\S+management-dev\/cdk\.tf\.json$/);
  expect(lines[1]).toMatch(/^provisioning-dev +\d+ resources +\d+ data sources +\d+ outputs +\S+provisioning-dev\/cdk\.tf\.json$/);
  expect(lines[2]).toMatch(new RegExp(`^synth: 2 stacks written to ${outdir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} in \\d+\\.\\d s$`));
}, 60_000);
