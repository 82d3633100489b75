/**
 * Reads service descriptions from YAML or JSON files. A file holds one service, or several under
 * `services:`. Syntax errors and validation problems both come back as a ValidationError whose
 * paths start with the file name, so a CLI can print them and exit 2 without a stack trace.
 */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import type { ServiceModel } from "./model";
import { ValidationError, collectServices } from "./normalize";
import type { Issue } from "./schemaDsl";

/** Parses a file's text (YAML is a superset of JSON) into plain data, or reports where it is broken. */
export function parseDescriptionText(text: string, fileName: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      doc.errors.map((e) => ({
        path: `${fileName}:${lineCounter.linePos(e.pos[0]).line}`,
        message: `${e.message.split("\n")[0]}; fix the YAML syntax`,
      })),
    );
  }
  return doc.toJS();
}

/** Validates parsed file content: a single service or `{ services: [...] }`. Every problem of every service is reported. */
export function servicesFromData(data: unknown, fileName: string): ServiceModel[] {
  const issues: Issue[] = [];
  const models = collectServices(data, issues);
  if (issues.length > 0) throw new ValidationError(issues.map((i) => ({ path: `${fileName}: ${i.path}`, message: i.message })));
  return models;
}

/** Loads and validates the services in a YAML or JSON file. */
export function loadServicesFile(file: string): ServiceModel[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ValidationError([{ path: file, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? e}); check the path` }]);
  }
  return servicesFromData(parseDescriptionText(text, file), file);
}

/** Loads several files; names must be unique across all of them. Every problem of every file is reported. */
export function loadServicesFiles(files: readonly string[]): ServiceModel[] {
  const issues: Issue[] = [];
  const all: ServiceModel[] = [];
  const fileOf = new Map<string, string>();
  for (const f of files) {
    try {
      for (const s of loadServicesFile(f)) {
        const first = fileOf.get(s.name);
        if (first !== undefined)
          issues.push({ path: `${f}: name`, message: `"${s.name}" is already described in ${first}; service names must be unique` });
        else fileOf.set(s.name, f);
        all.push(s);
      }
    } catch (e) {
      if (e instanceof ValidationError) issues.push(...e.issues);
      else throw e;
    }
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return all;
}
