import { github } from "./github.js";
import { jsonReport } from "./json.js";
import { sarif } from "./sarif.js";
import { stylish } from "./stylish.js";
import type { Reporter } from "./types.js";

export const reporters: Record<string, Reporter> = { stylish, json: jsonReport, sarif, github };
export type { ReportContext, Reporter } from "./types.js";
