/**
 * DPY405: an AWS Lambda data action's `requestUrlTemplate` is not a Lambda function ARN — a placeholder left from a
 * template (`your-lambda-function-arn`), an https URL (a function URL or API Gateway URL), another service's ARN, a
 * partial ARN, a bare function name. Genesys invokes exactly that value as the function ARN, so the action fails.
 * Values built from template expressions or Terraform/CDK references are unknown and not reported. Only actions
 * whose integration type is known to be `aws-lambda-data-actions` are checked. Any literal query secret in the value is
 * redacted from the message.
 */
import { defineRule } from "../engine/rule.js";
import { checkLambdaDataActionUrl, safeForMessage } from "../model/data-action-checks.js";

export default defineRule({
  code: "DPY405",
  name: "data-action-invalid-lambda-arn",
  severity: "error",
  category: "Genesys Cloud data actions",
  securitySeverity: 4.0,
  description: "An AWS Lambda data action's requestUrlTemplate must be a Lambda function ARN",
  fullDescription:
    "An AWS Lambda data action's requestUrlTemplate is not a Lambda function ARN (a placeholder such as your-lambda-function-arn, an https URL, another service's ARN), so every call of the action fails.",
  messages: {
    invalid:
      'The requestUrlTemplate "{{value}}" of this AWS Lambda data action {{reason}}; Genesys invokes this value as the function, so every call fails. Write the function\'s ARN, e.g. "arn:aws:lambda:us-east-1:123456789012:function:my-function" (or an alias ARN ending in ":alias").',
  },
  create(ctx) {
    return {
      dataAction(a) {
        if (a.integrationType !== "aws-lambda-data-actions") return;
        if (a.url === undefined) return;
        const check = checkLambdaDataActionUrl(a.url);
        if (check.ok) return;
        ctx.report({ origin: a.origin, node: a.urlNode ?? a.node, messageId: "invalid", data: { value: safeForMessage(a.url), reason: check.reason ?? "is not a Lambda function ARN" } });
      },
    };
  },
});
