/**
 * Reads service descriptions from YAML or JSON files. A file holds one service, or several under
 * `services:`. Syntax errors and validation problems both come back as a ValidationError whose
 * paths start with the file name, so a CLI can print them and exit 2 without a stack trace.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import type { ServiceModel } from "./model";
import { ValidationError, collectService } from "./normalize";
import { SERVICES_FILE_SCHEMA } from "./descriptionSchema";
import { check, joinPath, type Issue } from "./schemaDsl";

/** Parses a file's text (YAML is a superset of JSON) into plain data, or reports where it is broken. */
export function parseDescriptionText(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      doc.errors.map((e) => ({
        path: `${fileName}:${e.linePos?.[0]?.line ?? "?"}`,
        message: `${e.message.split("\n")[0]}; fix the YAML syntax`,
      })),
    );
  }
  return doc.toJS();
}

/** Validates parsed file content: a single service or `{ services: [...] }`. */
export function servicesFromData(data: unknown, fileName: string): ServiceModel[] {
  const issues: Issue[] = [];
  const prefix = (p: string) => `${fileName}: ${p}`;
  const models: ServiceModel[] = [];
  if (data && typeof data === "object" && !Array.isArray(data) && "services" in data) {
    check(SERVICES_FILE_SCHEMA, { services: (data as { services: unknown }).services }, "", issues);
    const extra = Object.keys(data).filter((k) => k !== "services");
    for (const k of extra) issues.push({ path: k, message: "unknown field; a services file holds only `services`" });
    if (issues.length === 0)
      (data as { services: unknown[] }).services.forEach((s, i) => {
        const m = collectService(s, joinPath("services", i), issues);
        if (m) models.push(m);
      });
  } else {
    const m = collectService(data, "", issues);
    if (m) models.push(m);
  }
  if (issues.length > 0) throw new ValidationError(issues.map((i) => ({ path: prefix(i.path), message: i.message })));
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
  for (const f of files) {
    try {
      all.push(...loadServicesFile(f));
    } catch (e) {
      if (e instanceof ValidationError) issues.push(...e.issues);
      else throw e;
    }
  }
  const seen = new Set<string>();
  for (const s of all) {
    if (seen.has(s.name)) issues.push({ path: s.name, message: "is described twice; service names must be unique" });
    seen.add(s.name);
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return all;
}
