/**
 * Validation and defaults: raw description (untrusted) -> normalized ServiceModel.
 * Every problem is collected, with its field path and a fix, before anything is thrown, so a user
 * fixes a file in one pass and nothing half-applies.
 */
import { SERVICE_SCHEMA, buildServiceModel } from "./description/service";
import { MAX_PRINTED_ISSUES, MAX_SERVICES_PER_FILE } from "./inputLimits";
import { parseReceiver } from "./description/alerting";
import type { ReceiverModel, ServiceModel } from "./model";
import { joinPath, parse, show, type Issue } from "./schemaDsl";

export { round } from "./description/common";

/** Thrown when a description is invalid; `issues` lists every problem found. */
export class ValidationError extends Error {
  /** @param subject what was checked, for the headline: the service description unless said (a construct's props, routing options) */
  constructor(
    readonly issues: readonly Issue[],
    subject = "the service description",
  ) {
    const shown = issues.slice(0, MAX_PRINTED_ISSUES).map((i) => `  ${i.path}: ${i.message}`);
    if (issues.length > shown.length) shown.push(`  … and ${issues.length - shown.length} more problem(s) of the same kinds; fix these first`);
    super(`${issues.length} problem(s) in ${subject}:\n${shown.join("\n")}`);
    this.name = "ValidationError";
  }
}

/** Validates and normalizes one service description. Throws ValidationError listing every problem. */
export function normalizeService(raw: unknown, path = ""): ServiceModel {
  const issues: Issue[] = [];
  const model = collectService(raw, path, issues);
  if (issues.length > 0 || !model) throw new ValidationError(issues);
  return model;
}

/** Validates and normalizes a list of services (names must be unique). */
export function normalizeServices(raw: unknown): ServiceModel[] {
  const issues: Issue[] = [];
  const models = collectServices(raw, issues);
  if (issues.length > 0) throw new ValidationError(issues);
  return models;
}

/**
 * A file's content: one service, or `{ services: [...] }`. Each service is checked in full
 * (structure and cross-field rules), so one pass reports every problem of every service.
 */
export function collectServices(raw: unknown, issues: Issue[]): ServiceModel[] {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || !Object.hasOwn(raw, "services")) {
    const m = collectService(raw, "", issues);
    return m ? [m] : [];
  }
  const record = raw as Record<string, unknown>;
  for (const k of Object.keys(record))
    if (k !== "services") issues.push({ path: joinPath("", k), message: "unknown field; a services file holds only `services`" });
  const list = record.services;
  if (!Array.isArray(list) || list.length === 0) {
    issues.push({ path: "services", message: `expected a non-empty list of services, got ${Array.isArray(list) ? "an empty list" : show(list)}` });
    return [];
  }
  if (list.length > MAX_SERVICES_PER_FILE) {
    issues.push({ path: "services", message: `has ${list.length} services; a file holds at most ${MAX_SERVICES_PER_FILE}, split it into several files` });
    return [];
  }
  const models: ServiceModel[] = [];
  const seen = new Map<string, number>();
  list.forEach((s, i) => {
    const m = collectService(s, joinPath("services", i), issues);
    const name = s && typeof s === "object" ? (s as Record<string, unknown>).name : undefined;
    if (typeof name === "string") {
      if (seen.has(name))
        issues.push({ path: `services[${i}].name`, message: `"${name}" is already used by services[${seen.get(name)}]; each name must be unique` });
      else seen.set(name, i);
    }
    if (m) models.push(m);
  });
  return models;
}

/** Validates one service; returns the model when it is valid, appending every problem to `issues`. */
export function collectService(raw: unknown, path: string, issues: Issue[]): ServiceModel | undefined {
  const description = parse(SERVICE_SCHEMA, raw, path, issues);
  return description && buildServiceModel(description);
}

/**
 * Validates a receiver given outside a description (ObservabilityGrafana's `defaultReceiver`, a
 * routing option) as a description's receivers are. Throws ValidationError naming `path` and `subject`.
 */
export function normalizeReceiver(raw: unknown, path: string, subject: string): ReceiverModel {
  const issues: Issue[] = [];
  const receiver = parseReceiver(raw, path, issues);
  if (issues.length > 0 || !receiver) throw new ValidationError(issues, subject);
  return receiver;
}
