/**
 * Read-only access to a repository snapshot, either a checked-out folder or a bare git directory
 * at a revision (`/path/to/repo.git@v0.156.0`), so the schema script reads exactly the tagged tree
 * without a work tree being laid out.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface SourceTree {
  /** What to record: the folder, or the git directory with tag and commit (and the subfolder used). */
  readonly origin: { readonly location: string; readonly rev?: string; readonly commit?: string; readonly subdir?: string };
  /** Names of the files directly in `dir` (no subfolders); [] when the folder does not exist. */
  files(dir: string): string[];
  /** The file's text, or undefined when it does not exist. */
  read(path: string): string | undefined;
}

/**
 * `dir`, or `gitdir@rev` where gitdir is a (bare) git directory, optionally `gitdir@rev:subdir` to
 * root the tree at a subfolder (e.g. a project's vendor/ copy of a module).
 */
export function openSourceTree(spec: string): SourceTree {
  const at = spec.lastIndexOf("@");
  if (at > 0) {
    const gitDir = spec.slice(0, at);
    const [rev, subdir] = spec.slice(at + 1).split(":");
    if (existsSync(join(gitDir, "HEAD")) && existsSync(join(gitDir, "objects"))) return gitTree(gitDir, rev, subdir);
  }
  if (!existsSync(spec) || !statSync(spec).isDirectory()) throw new Error(`${spec}: neither a folder nor <git dir>@<revision>[:<subfolder>]`);
  return folderTree(spec);
}

function gitTree(gitDir: string, rev: string, subdir?: string): SourceTree {
  const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "pipe"] });
  const commit = git("rev-parse", `${rev}^{commit}`).trim();
  const under = (path: string) => (subdir ? `${subdir.replace(/\/$/, "")}/${path}` : path);
  return {
    origin: subdir ? { location: gitDir, rev, commit, subdir } : { location: gitDir, rev, commit },
    files(dir) {
      const out = git("ls-tree", commit, `${under(dir).replace(/\/$/, "")}/`);
      return out.split("\n").filter((l) => / blob /.test(l)).map((l) => l.slice(l.indexOf("\t") + 1).split("/").pop()!);
    },
    read(path) {
      try {
        return git("show", `${commit}:${under(path)}`);
      } catch {
        return undefined;
      }
    },
  };
}

function folderTree(root: string): SourceTree {
  return {
    origin: { location: root },
    files(dir) {
      const full = join(root, dir);
      if (!existsSync(full)) return [];
      return readdirSync(full).filter((f) => statSync(join(full, f)).isFile()).sort();
    },
    read(path) {
      const full = join(root, path);
      return existsSync(full) ? readFileSync(full, "utf8") : undefined;
    },
  };
}
