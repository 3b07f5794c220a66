/**
 * Genesys CX-as-Code Terraform JSON (`*.tf.json`, `terraform show -json` plan/state): data actions from
 * `genesyscloud_integration_action` resources.
 */
import type { SourceFile } from "../engine/source.js";
import type { FileModel } from "../model/entities.js";
import type { Node } from "../model/node.js";

export function extractTerraformDataActions(_file: SourceFile, _root: Node): FileModel | undefined {
  return undefined;
}
