/**
 * Resources whose function URL with AuthType NONE is public by itself, because the tool that deploys them adds the
 * public `lambda:InvokeFunctionUrl` permission when it creates the URL (SAM, the Terraform AWS provider). The facts,
 * with their sources, live in `data/function-url-public-by-default.json` and are loaded once.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface PublicByDefault {
  resourceType: string;
  /** Who adds the permission, for messages. */
  tool: string;
  /** Which of DPY302's messages reports it. */
  message: "sam" | "terraform";
  fact: string;
  source: string;
}

let cache: Map<string, PublicByDefault> | undefined;

/** The entry for a resource type whose NONE function URL comes with a public permission, if it is one. */
export function publicByDefault(resourceType: string | undefined): PublicByDefault | undefined {
  if (!cache) {
    const file = fileURLToPath(new URL("../../data/function-url-public-by-default.json", import.meta.url));
    const data = JSON.parse(readFileSync(file, "utf8")) as { resources: PublicByDefault[] };
    cache = new Map(data.resources.map((r) => [r.resourceType, r]));
  }
  return resourceType === undefined ? undefined : cache.get(resourceType);
}
