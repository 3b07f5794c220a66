import { concise } from "./concise.js";
import { github } from "./github.js";
import { jsonReport } from "./json.js";
import { junit } from "./junit.js";
import { markdown } from "./markdown.js";
import { sarif } from "./sarif.js";
import { stylish } from "./stylish.js";
import type { Reporter } from "./types.js";

export const reporters: Record<string, Reporter> = { stylish, concise, json: jsonReport, sarif, github, junit, markdown };
export type { ReportContext, Reporter } from "./types.js";
