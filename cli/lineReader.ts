/** Reading a JSONL file line by line, in bounded memory, refusing what is not a sane file. */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/** Larger files are refused rather than read for minutes: check a sample (`head -n 100000`). */
export const MAX_LOG_FILE_BYTES = 64 * 1024 * 1024;

export class LogFileError extends Error {}

/** The lines of a file, read in 1 MiB chunks; refuses non-files and files over `maxBytes`. */
export function* fileLines(file: string, maxBytes = MAX_LOG_FILE_BYTES): Generator<string> {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LogFileError(code === "ENOENT" ? `${file}: no such file` : `${file}: cannot be read (${code ?? "error"})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new LogFileError(`${file}: not a file`);
    if (stat.size > maxBytes)
      throw new LogFileError(
        `${file} is ${(stat.size / 1024 / 1024).toFixed(1)} MiB; mlobs logs check reads at most ${maxBytes / 1024 / 1024} MiB. Check a sample instead, e.g. head -n 100000 ${file} > sample.jsonl`,
      );
    const buffer = Buffer.alloc(1024 * 1024);
    const decoder = new StringDecoder("utf8");
    let rest = "";
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split("\n");
      rest = lines.pop()!;
      for (const l of lines) yield l.endsWith("\r") ? l.slice(0, -1) : l;
    }
    rest += decoder.end();
    if (rest !== "") yield rest;
  } finally {
    closeSync(fd);
  }
}

