import { concise } from "./concise.js";
import { github } from "./github.js";
import { jsonReport, jsonReportChunks } from "./json.js";
import { junit } from "./junit.js";
import { markdown } from "./markdown.js";
import { sarif } from "./sarif.js";
import { stylish } from "./stylish.js";
import type { ReportContext, Reporter } from "./types.js";

export const reporters: Record<string, Reporter> = { stylish, concise, json: jsonReport, sarif, github, junit, markdown };

/** Reporters that can hand their text over in pieces (the same text): the CLI writes each piece as it comes. */
export const reporterChunks: Partial<Record<string, (ctx: ReportContext) => Iterable<string>>> = { json: jsonReportChunks };
export type { ReportContext, Reporter } from "./types.js";
