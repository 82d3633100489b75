/** Notification-policy routes and contact points added, removed and changed in one environment. */
import { routeRows, type EnvRouting } from "../model/routing";
import type { Status } from "./slos";

export interface RouteChange {
  /** `team=search-ai › severity=page`. */
  readonly path: string;
  readonly status: Status;
  readonly before?: string;
  readonly after?: string;
}

export interface ContactPointChange {
  readonly name: string;
  readonly status: Status;
  readonly before?: string;
  readonly after?: string;
}

const rowText = (r: { contactPoint: string; settings: string }) => (r.settings ? `${r.contactPoint} (${r.settings})` : r.contactPoint);

function diffMaps(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>) {
  return [...new Set([...before.keys(), ...after.keys()])]
    .sort()
    .flatMap((k) => {
      const b = before.get(k);
      const a = after.get(k);
      if (b === a) return [];
      const status: Status = b === undefined ? "added" : a === undefined ? "removed" : "changed";
      return [{ key: k, status, before: b, after: a }];
    });
}

export function diffRoutes(before: EnvRouting, after: EnvRouting): RouteChange[] {
  const rows = (r: EnvRouting) => new Map(routeRows(r).map((x) => [x.path, rowText(x)]));
  return diffMaps(rows(before), rows(after)).map(({ key, ...rest }) => ({ path: key, ...rest }));
}

export function diffContactPoints(before: EnvRouting, after: EnvRouting): ContactPointChange[] {
  const points = (r: EnvRouting) => new Map([...r.contactPoints.values()].map((c) => [c.name, c.integrations.join("; ") || "(no integration)"]));
  return diffMaps(points(before), points(after)).map(({ key, ...rest }) => ({ name: key, ...rest }));
}
