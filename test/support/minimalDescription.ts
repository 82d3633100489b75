/**
 * Service descriptions with only the required fields, for tests that need a service of their own
 * rather than an example: identity and kind, then any `more` fields, then `alerting`, in the order
 * the schema lists them.
 */

export interface ServiceIdentity {
  readonly name: string;
  readonly team: string;
  readonly owner: string;
  readonly kind: string;
}

export function minimalDescription<A extends object, M extends object = object>(identity: ServiceIdentity, alerting: A, more?: M): ServiceIdentity & M & { alerting: A } {
  return { ...identity, ...(more as M), alerting };
}

/** `alerting` with email receivers: `page` for both unless `ticket` is given. */
export function emailAlerting(runbookBaseUrl: string, page: string, ticket = page) {
  return {
    page: { type: "email", addresses: [page] },
    ticket: { type: "email", addresses: [ticket] },
    runbookBaseUrl,
  };
}
