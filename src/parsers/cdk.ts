/**
 * CDK cloud assemblies: `cdk.out/manifest.json` maps each stack's template to its construct tree. A resource's
 * construct path comes from its `aws:cdk:path` metadata; when the app disabled path metadata, the manifest's
 * `aws:cdk:logicalId` entries still give it. Manifests are read once per folder.
 */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

interface Manifest {
  artifacts?: Record<string, { type?: string; properties?: { templateFile?: string }; metadata?: Record<string, { type?: string; data?: unknown }[]> }>;
}

const manifests = new Map<string, Manifest | null>();

function manifestIn(dir: string): Manifest | undefined {
  let m = manifests.get(dir);
  if (m === undefined) {
    try {
      m = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    } catch {
      m = null;
    }
    manifests.set(dir, m);
  }
  return m ?? undefined;
}

/** Logical ID → construct path for a template inside a cloud assembly, from the manifest beside it. */
export function constructPathsFor(templateAbsPath: string): Map<string, string> | undefined {
  const manifest = manifestIn(dirname(templateAbsPath));
  if (!manifest?.artifacts) return undefined;
  const file = basename(templateAbsPath);
  for (const a of Object.values(manifest.artifacts)) {
    if (a.type !== "aws:cloudformation:stack" || a.properties?.templateFile !== file) continue;
    const map = new Map<string, string>();
    for (const [path, entries] of Object.entries(a.metadata ?? {})) {
      for (const e of entries) if (e.type === "aws:cdk:logicalId" && typeof e.data === "string") map.set(e.data, path.replace(/^\//, ""));
    }
    return map;
  }
  return undefined;
}
