/**
 * `mlobs init` as a new team meets it: the starter of every kind validates and synthesizes its rule
 * file as written, its schema comment points at the published schema, and nothing is overwritten.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { STARTER_KINDS } from "../cli/starter";
import { loadServicesFile } from "../service/load";
import { generationIssues } from "../cli/generationCheck";
import { runMlobs } from "./support/mlobsInProcess";

const work = mkdtempSync(join(tmpdir(), "mlobs-init-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mlobs = (...args: string[]) => runMlobs(args);

describe("mlobs init", () => {
  it.each(STARTER_KINDS.map((k) => [k]))("writes a %s starter that validates and generates as written", (kind) => {
    const file = join(work, kind, "svc.yaml");
    expect(mlobs("init", file, "--name", `svc-${kind}`, "--team", "platform-ai", "--kind", kind).code).toBe(0);
    const [model] = loadServicesFile(file);
    expect(model.name).toBe(`svc-${kind}`);
    expect(generationIssues([model])).toEqual([]);
    const schemaComment = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(file, "utf8"));
    expect(schemaComment).not.toBeNull();
    expect(existsSync(resolve(dirname(file), schemaComment![1]))).toBe(true);
  });

  it("names the service after the file when --name is not given", () => {
    const file = join(work, "embedding-api.yaml");
    expect(mlobs("init", file).code).toBe(0);
    expect(loadServicesFile(file)[0].name).toBe("embedding-api");
  });

  it("never overwrites a file unless --force, and rejects bad names with exit 2", () => {
    const file = join(work, "mine.yaml");
    writeFileSync(file, "# my own work\n");
    const refused = mlobs("init", file);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("exists; pass --force");
    expect(readFileSync(file, "utf8")).toBe("# my own work\n");
    expect(mlobs("init", file, "--force").code).toBe(0);
    const bad = mlobs("init", join(work, "x.yaml"), "--name", "Bad Name", "--kind", "rag");
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('--name "Bad Name" is not a service name');
    expect(bad.out).toContain('--kind "rag" is not one of');
  });
});
