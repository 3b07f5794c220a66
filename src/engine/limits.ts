/**
 * Safety limits: what one input file may cost before deputy stops reading it and says so (DPY001, with the location
 * of what broke the limit), so that no file can stall or flood a run. Real files are far below every one of them
 * (CloudFormation accepts templates up to 1 MB, IAM policies up to 10,240 characters). docs/RELIABILITY.md states
 * them for users.
 */

/** Largest file analysed, in characters after decoding. */
export const MAX_FILE_CHARS = 20 * 1024 * 1024;
/**
 * Largest HCL (Terraform) file analysed, in characters: the HCL parser's memory grows with a file's tokens, and real
 * Terraform files are tens of kilobytes (the largest of the real corpus: 31 KB).
 */
export const MAX_HCL_CHARS = 2 * 1024 * 1024;
/** Longest single string (a JSON string, a YAML scalar) in a file deputy analyses. */
export const MAX_STRING_CHARS = 1024 * 1024;
/** Most values (strings, numbers, keys' values, objects, arrays) in one file. */
export const MAX_NODES = 5_000_000;
/** Deepest nesting of objects and arrays. */
export const MAX_DEPTH = 200;
/** Per-file time budget of the per-file rules, checked between rules. */
export const FILE_TIME_BUDGET_MS = 10_000;
/** Most findings reported for one file by the per-file rules; one more DPY001 says how many were left out. */
export const MAX_FINDINGS_PER_FILE = 10_000;
