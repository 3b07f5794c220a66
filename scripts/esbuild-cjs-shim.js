// Injected into the CommonJS bundles (package.json "bundle"): the sources are ES modules that locate files with
// `import.meta.url`, which esbuild replaces with this module's value (the bundle file's own URL).
// eslint-disable-next-line no-undef, @typescript-eslint/no-require-imports
export const deputyImportMetaUrl = require("node:url").pathToFileURL(__filename).href;
