export * from "./ObservabilityPlatform";
export * from "./ServiceObservability";
