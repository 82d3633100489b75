/**
 * The generated OpenTelemetry Collector config, checked against the component schema and the
 * distribution lists derived from upstream sources (providers/otelcol/), as the collector would
 * check it at start-up.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLE_SERVICE_FILES } from "../examples/exampleApp";
import { adotComponents, contribManifestComponents, OTELCOL_COMPONENTS } from "../scripts/make-otelcol-schema";
import { GoConfigWorld } from "../scripts/otelcolConfigTree";
import type { SourceTree } from "../scripts/otelcolSourceTree";
import { loadServicesFiles } from "../service/load";
import { collectorConfig } from "../tracing/collectorConfig";
import {
  type CollectorDistribution,
  type CollectorSchema,
  collectorConfigProblems,
  collectorConfigWarnings,
} from "../tracing/collectorSchema";

const PROVIDER_DIR = join(__dirname, "../providers/otelcol");
const schema = JSON.parse(readFileSync(join(PROVIDER_DIR, "schema-v0.156.0.json"), "utf8")) as CollectorSchema;
const distributions = JSON.parse(readFileSync(join(PROVIDER_DIR, "distributions.json"), "utf8"));
const distribution = (name: string, version: string): CollectorDistribution => ({
  name,
  version,
  components: distributions[name][version].components,
});
const OTELCOL_CONTRIB = distribution("otelcol-contrib", "v0.156.0");
const ADOT = distribution("aws-otel-collector", "v0.49.0");

const ENDPOINTS = {
  remoteWriteUrl: "https://aps.example/api/v1/remote_write",
  region: "eu-west-1",
  logGroups: { errors: "/o/errors", standard: "/o/standard", audit: "/o/audit", debug: "/o/debug" },
};
const models = loadServicesFiles(EXAMPLE_SERVICE_FILES);
// A fresh, mutable copy of the first example service's config for each broken variant.
const exampleConfig = () => structuredClone(collectorConfig(models[0], ENDPOINTS)) as Record<string, any>;

describe("the generated collector config", () => {
  it("uses both example services", () => {
    expect(models.map((m) => m.name).sort()).toEqual(["fraud-scoring", "rag-assistant"]);
  });

  it.each(models.map((m) => [m.name, m] as const))("of %s has no problems against otelcol-contrib v0.156.0", (_name, model) => {
    expect(collectorConfigProblems(collectorConfig(model, ENDPOINTS), schema, OTELCOL_CONTRIB)).toEqual([]);
  });

  it.each(models.map((m) => [m.name, m] as const))("of %s writes the remote-write exporter by its deprecated name", (_name, model) => {
    expect(collectorConfigWarnings(collectorConfig(model, ENDPOINTS), schema)).toEqual([
      'exporters.prometheusremotewrite: "prometheusremotewrite" is a deprecated name of the exporter "prometheus_remote_write"; rename it',
    ]);
  });

  it.each(models.map((m) => [m.name, m] as const))("of %s needs the spanmetrics connector and the transform processor, which ADOT v0.49.0 lacks", (_name, model) => {
    expect(collectorConfigProblems(collectorConfig(model, ENDPOINTS), schema, ADOT)).toEqual([
      'processors.transform/redact: the processor "transform" is not included in aws-otel-collector v0.49.0',
      'processors.transform/hash-content: the processor "transform" is not included in aws-otel-collector v0.49.0',
      'connectors.spanmetrics: the connector "spanmetrics" is not included in aws-otel-collector v0.49.0',
    ]);
  });
});

describe("collectorConfigProblems on broken configs", () => {
  const problemsOf = (config: unknown) => collectorConfigProblems(config, schema, OTELCOL_CONTRIB);

  it("names a misspelt field deep inside a tail-sampling policy", () => {
    const config = exampleConfig();
    const latency = config.processors.tail_sampling.policies[1].latency;
    latency.threshhold_ms = latency.threshold_ms;
    delete latency.threshold_ms;
    const problems = problemsOf(config);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^processors\.tail_sampling\.policies\[1\]\.latency\.threshhold_ms: unknown field \(known: threshold_ms, upper_threshold_ms\)$/);
  });

  it("checks keys a policy collects for sampling extensions (Go `,remain`) as maps, not as unknown fields", () => {
    const config = exampleConfig();
    config.processors.tail_sampling.policies[2].my_extension = { rate: 3 };
    expect(problemsOf(config)).toEqual([]);
    config.processors.tail_sampling.policies[2].my_extension = 3;
    expect(problemsOf(config)).toEqual(["processors.tail_sampling.policies[2].my_extension: expected a map, got number 3"]);
  });

  it("names a processor type no schema knows", () => {
    const config = exampleConfig();
    config.processors.spanfilter = { drop: true };
    config.service.pipelines.traces.processors.push("spanfilter");
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^processors\.spanfilter: unknown processor type "spanfilter" \(the schema knows: .*tail_sampling/)]);
  });

  it("names a pipeline exporter that is not defined", () => {
    const config = exampleConfig();
    config.service.pipelines.traces.exporters.push("otlp/jaeger");
    expect(problemsOf(config)).toEqual([
      'service.pipelines.traces.exporters[1]: exporter "otlp/jaeger" is not defined under exporters or connectors',
    ]);
  });

  it("names a value of the wrong type and a policy type the processor does not know", () => {
    const config = exampleConfig();
    config.processors.batch.send_batch_size = "8192";
    config.processors.tail_sampling.policies[0].type = "status";
    config.connectors.spanmetrics.metrics_flush_interval = "15 seconds";
    const problems = problemsOf(config);
    expect(problems).toEqual(
      expect.arrayContaining([
        'processors.batch.send_batch_size: expected a whole number, got string "8192"',
        expect.stringMatching(/^processors\.tail_sampling\.policies\[0\]\.type: "status" is not one of always_sample, latency, .*status_code/),
        'connectors.spanmetrics.metrics_flush_interval: expected a duration such as "5s" or "250ms", got string "15 seconds"',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it("accepts a named second instance of a component type (otlp/internal)", () => {
    const config = exampleConfig();
    config.receivers["otlp/internal"] = { protocols: { grpc: { endpoint: "127.0.0.1:4320" } } };
    config.service.pipelines.metrics.receivers.push("otlp/internal");
    expect(problemsOf(config)).toEqual([]);
    config.receivers["otlp/internal"].protocols.grpc.endpont = "x";
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^receivers\.otlp\/internal\.protocols\.grpc\.endpont: unknown field/)]);
  });

  it("names a connector that no pipeline receives from, and one fed from the wrong signal", () => {
    const unreceived = exampleConfig();
    unreceived.service.pipelines.metrics.receivers = ["otlp"];
    expect(problemsOf(unreceived)).toEqual(["connectors.spanmetrics: used as an exporter but no pipeline receives from it"]);

    const wrongSignal = exampleConfig();
    wrongSignal.service.pipelines["logs/spanmetrics"] = { receivers: ["otlp"], exporters: ["spanmetrics"] };
    expect(problemsOf(wrongSignal)).toEqual([
      "connectors.spanmetrics: exports from a logs pipeline but no pipeline it feeds has a supported signal (supports: traces->metrics)",
    ]);
  });

  it("names an extension the service enables but the config does not define", () => {
    const config = exampleConfig();
    config.service.extensions.push("pprof");
    expect(problemsOf(config)).toEqual(['service.extensions[2]: extension "pprof" is not defined under extensions']);
  });
});

/** An in-memory source tree: the Go reader is exercised on declarations written for this test. */
const memoryTree = (files: Record<string, string>): SourceTree => ({
  origin: { location: "memory" },
  files: (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes("/")).map((p) => p.slice(dir.length + 1)),
  read: (path) => files[path],
});

describe("the Go config struct reader", () => {
  it("follows squashed embeds across modules, optionals, enums in both spellings, text- and self-decoding types, `,remain`", () => {
    const core = memoryTree({
      "config/configoptional/optional.go": "package configoptional\ntype Optional[T any] struct {\n\tvalue T\n}\n",
      "config/confignet/net.go": [
        "package confignet",
        "type AddrConfig struct {",
        '\tEndpoint string `mapstructure:"endpoint"`',
        '\tTransport TransportType `mapstructure:"transport,omitempty"`',
        "}",
        "type TransportType string",
        'const (\n\tTransportTCP TransportType = "tcp"\n\tTransportUDP TransportType = "udp"\n)',
      ].join("\n"),
    });
    const contrib = memoryTree({
      "processor/demoprocessor/config.go": [
        "package demoprocessor",
        'import (\n\t"time"\n\t"go.opentelemetry.io/collector/config/confignet"\n\t"go.opentelemetry.io/collector/config/configoptional"\n)',
        "// Mode is decoded by UnmarshalText.",
        "type Mode string",
        'const (\n\tfast = Mode("fast") // the conversion spelling\n\tslow = Mode("slow")\n)',
        "func (m *Mode) UnmarshalText(b []byte) error { return nil }",
        "type Config struct {",
        '\tconfignet.AddrConfig `mapstructure:",squash"`',
        "\tWait, Grace time.Duration // untagged: the decoder matches the Go names as written",
        '\tServer configoptional.Optional[Server] `mapstructure:"server"`',
        '\tMode `mapstructure:"mode"`',
        '\tLabels map[string][]string `mapstructure:"labels"`',
        '\tHeaders Pairs `mapstructure:"headers"`',
        '\tSkipped string `mapstructure:"-"`',
        '\tExtra map[string]map[string]any `mapstructure:",remain"`',
        "\tinternal int",
        "\t_ struct{}",
        "}",
        "type Pairs []struct{ Name string }",
        "// Pairs decodes itself (from a map), so its Go shape says nothing about the YAML.",
        "func (p *Pairs) Unmarshal(conf *confmap.Conf) error { return nil }",
        'type Server struct {\n\tPort uint16 `mapstructure:"port"`\n\tUnknown other.Thing `mapstructure:"thing"`\n}',
      ].join("\n"),
    });
    const world = new GoConfigWorld({ core: { name: "core", tree: core }, contrib: [{ name: "contrib", tree: contrib }] });
    expect(world.configOf("github.com/open-telemetry/opentelemetry-collector-contrib/processor/demoprocessor", "Config")).toEqual({
      type: "object",
      fields: {
        endpoint: { type: "string" },
        transport: { type: "string", enum: ["tcp", "udp"] },
        Wait: { type: "duration" },
        Grace: { type: "duration" },
        server: { type: "object", fields: { port: { type: "int" }, thing: { type: "opaque", go: "other.Thing" } } },
        mode: { type: "string", enum: ["fast", "slow"] },
        labels: { type: "map", values: { type: "list", items: { type: "string" } } },
        headers: { type: "opaque", go: "github.com/open-telemetry/opentelemetry-collector-contrib/processor/demoprocessor.Pairs (decodes itself)" },
      },
      rest: { type: "map", values: { type: "any" } },
    });
  });
});

describe("distribution component lists", () => {
  it("reads an otelcol builder manifest by module path", () => {
    const manifest = [
      "processors:",
      "  - gomod: go.opentelemetry.io/collector/processor/batchprocessor v0.156.0",
      "  - gomod: github.com/open-telemetry/opentelemetry-collector-contrib/processor/tailsamplingprocessor v0.156.0",
      "connectors:",
      "  - gomod: github.com/open-telemetry/opentelemetry-collector-contrib/connector/countconnector v0.156.0",
    ].join("\n");
    expect(contribManifestComponents(manifest)).toEqual({
      receivers: [], processors: ["batch", "tail_sampling"], exporters: [], connectors: [], extensions: [],
    });
  });

  it("reads ADOT's factory lists and registers no kind the Factories literal leaves out", () => {
    const defaults = [
      "import (",
      '\t"github.com/open-telemetry/opentelemetry-collector-contrib/connector/spanmetricsconnector"',
      '\t"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/awsxrayexporter"',
      '\t"github.com/open-telemetry/opentelemetry-collector-contrib/exporter/awscloudwatchlogsexporter"',
      ")",
      "func Components() (otelcol.Factories, error) {",
      "\tconnectorList := []connector.Factory{\n\t\tspanmetricsconnector.NewFactory(),\n\t}",
      "\texporterList := []exporter.Factory{\n\t\tawsxrayexporter.NewFactory(),\n\t}",
      "\tif !gate.IsEnabled() {\n\t\texporterList = append(exporterList, awscloudwatchlogsexporter.NewFactory())\n\t}",
      "\tfactories := otelcol.Factories{\n\t\tExporters: exporters,\n\t}",
      "\treturn factories, nil",
      "}",
    ].join("\n");
    expect(adotComponents(defaults)).toEqual({
      receivers: [], processors: [], exporters: ["awsxray", "awscloudwatchlogs"], connectors: [], extensions: [],
    });
  });

  it("covers every listed component in the committed schema", () => {
    for (const c of OTELCOL_COMPONENTS) expect(schema.components[c.kind][c.type]).toBeDefined();
  });
});
