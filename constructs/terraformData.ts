import { anyToHclTerraform, anyToTerraform, hashMapper, hashMapperHcl, TerraformResource } from "cdktf";
import type { Construct } from "constructs";

/**
 * Terraform's built-in `terraform_data` resource (Terraform >= 1.4) with `triggers_replace`,
 * synthesized exactly as cdktf's own `DataResource` writes it, but without the validation that
 * class adds: it runs `terraform version` in a child process at every synth, so with it
 * `cdktf synth` fails on any machine without the terraform binary (a pull-request job that only
 * synthesizes and reviews, a product team's unit tests) and costs two process spawns per synth.
 * Terraform itself rejects the resource type at `init` on versions older than 1.4.
 */
export class TerraformData extends TerraformResource {
  static readonly tfResourceType = "terraform_data";

  constructor(
    scope: Construct,
    id: string,
    private readonly triggersReplace: Readonly<Record<string, unknown>>,
  ) {
    super(scope, id, { terraformResourceType: TerraformData.tfResourceType, terraformGeneratorMetadata: { providerName: "terraform" } });
  }

  /** `terraform_data.<name>`: the bare address `replace_triggered_by` takes. */
  get address(): string {
    return `${TerraformData.tfResourceType}.${this.friendlyUniqueId}`;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplace) };
  }
}
