/**
 * Types for the foundation SDK's subpath imports. The SDK publishes its modules only through
 * package `exports` (`@grafana/grafana-foundation-sdk/dashboard` -> `dist/dashboard`), which Node
 * and Jest resolve at run time but TypeScript's `moduleResolution: "node"` (tsconfig.json) does
 * not read. These declarations point each subpath we import at its typings; drop this file once
 * the project moves to `moduleResolution: "node16"` or `"bundler"`. They are for this project's own
 * compile only: the package's public typings never reach the SDK (see dashboards/generated.ts), so
 * consumers need neither this file nor a particular module resolution.
 */
declare module "@grafana/grafana-foundation-sdk/cog" {
  export * from "@grafana/grafana-foundation-sdk/dist/cog";
}
declare module "@grafana/grafana-foundation-sdk/common" {
  export * from "@grafana/grafana-foundation-sdk/dist/common";
}
declare module "@grafana/grafana-foundation-sdk/dashboard" {
  export * from "@grafana/grafana-foundation-sdk/dist/dashboard";
}
declare module "@grafana/grafana-foundation-sdk/prometheus" {
  export * from "@grafana/grafana-foundation-sdk/dist/prometheus";
}
declare module "@grafana/grafana-foundation-sdk/stat" {
  export * from "@grafana/grafana-foundation-sdk/dist/stat";
}
declare module "@grafana/grafana-foundation-sdk/timeseries" {
  export * from "@grafana/grafana-foundation-sdk/dist/timeseries";
}
declare module "@grafana/grafana-foundation-sdk/units" {
  export * from "@grafana/grafana-foundation-sdk/dist/units";
}
