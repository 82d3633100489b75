/**
 * The machine's Terraform provider mirror: where providers are installed from without a network
 * (tests that run `terraform init/validate/plan`, scripts that read a provider's schema), and the
 * CLI configuration that points Terraform at it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

/** The AWS provider release @cdktf/provider-aws 20.1.0 wraps; the mirror must hold it. */
export const MIRRORED_AWS_VERSION = "5.100.0";

/** The folder holding `registry.terraform.io/hashicorp/aws/<version>`: $TF_PLUGIN_MIRROR, else the usual places. */
export function findProviderMirror(): string | undefined {
  const candidates = [process.env.TF_PLUGIN_MIRROR, "/opt/tf-plugins", "/usr/share/terraform/plugins", "/usr/local/share/terraform/plugins"];
  return candidates.find((c): c is string => !!c && existsSync(join(c, "registry.terraform.io/hashicorp/aws", MIRRORED_AWS_VERSION)));
}

/** A CLI config (TF_CLI_CONFIG_FILE) installing every registry.terraform.io provider from `mirror`, never over the network. */
export function mirrorCliConfig(mirror: string, pluginCacheDir?: string): string {
  const cache = pluginCacheDir ? `plugin_cache_dir = "${pluginCacheDir}"\n` : "";
  return `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n${cache}`;
}
