/** The rule registry: every rule module, in code order. A meta-test keeps it in sync with the files and docs. */
import type { Rule } from "../engine/rule.js";
import internalError from "./internal-error.js";
import invalidPolicyDocument from "./invalid-policy-document.js";
import parseError from "./parse-error.js";
import publicPrincipal from "./public-principal.js";
import servicePrincipalWithoutSource from "./service-principal-without-source.js";
import trustMissingExternalId from "./trust-missing-external-id.js";
import trustWeakExternalId from "./trust-weak-external-id.js";
import unknownGenesysAccount from "./unknown-genesys-account.js";
import wildcardAction from "./wildcard-action.js";
import wildcardResource from "./wildcard-resource.js";
import broadExecuteApiArn from "./broad-execute-api-arn.js";
import allowWithNot from "./allow-with-not.js";
import unknownAction from "./unknown-action.js";
import resourceTypeMismatch from "./resource-type-mismatch.js";
import invalidArn from "./invalid-arn.js";
import functionUrlWrongPrincipal from "./function-url-wrong-principal.js";
import functionUrlPublic from "./function-url-public.js";
import dataActionLiteralSecret from "./data-action-literal-secret.js";
import dataActionUnsignedAwsEndpoint from "./data-action-unsigned-aws-endpoint.js";
import dataActionInsecureTransport from "./data-action-insecure-transport.js";
import dataActionLambdaNotPermitted from "./data-action-lambda-not-permitted.js";
import dataActionInvalidLambdaArn from "./data-action-invalid-lambda-arn.js";

export const allRules: Rule[] = [internalError, parseError, invalidPolicyDocument, trustMissingExternalId, trustWeakExternalId, publicPrincipal, servicePrincipalWithoutSource, unknownGenesysAccount, wildcardAction, wildcardResource, broadExecuteApiArn, allowWithNot, unknownAction, resourceTypeMismatch, invalidArn, functionUrlWrongPrincipal, functionUrlPublic, dataActionLiteralSecret, dataActionUnsignedAwsEndpoint, dataActionInsecureTransport, dataActionLambdaNotPermitted, dataActionInvalidLambdaArn].sort((a, b) => (a.code < b.code ? -1 : 1));

export function findRule(codeOrName: string): Rule | undefined {
  const k = codeOrName.toLowerCase();
  return allRules.find((r) => r.code.toLowerCase() === k || r.name === k);
}
