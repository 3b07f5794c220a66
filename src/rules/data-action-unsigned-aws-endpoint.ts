/**
 * DPY402: a web services data action (`custom-rest-actions`) calls a Lambda function URL (`*.lambda-url.REGION.on.aws`)
 * or an API Gateway endpoint (`*.execute-api.REGION.amazonaws.com`). Genesys Cloud cannot sign requests with SigV4:
 * behind `AWS_IAM` auth every call fails with 403; otherwise the endpoint is open to the internet or guarded only by a
 * shared secret in a header. The AWS Lambda data actions integration invokes the function through an IAM role
 * instead. Also applies to a Terraform action whose integration is not in the file when its URL is an absolute
 * http(s) URL (only web services actions take one). The message names the host only, never the query.
 */
import { defineRule } from "../engine/rule.js";
import { awsEndpointKind } from "../model/data-action-checks.js";
import { dataActionKind } from "../model/links.js";
import { valueSubRange } from "../model/sub-range.js";

export default defineRule({
  code: "DPY402",
  name: "data-action-unsigned-aws-endpoint",
  severity: "error",
  category: "Genesys Cloud data actions",
  securitySeverity: 7.0,
  description: "Call Lambda from Genesys Cloud with the AWS Lambda data actions integration, not a web request to an AWS endpoint",
  fullDescription:
    "A web services data action (custom-rest-actions) targets a Lambda function URL (*.lambda-url.REGION.on.aws) or an API Gateway endpoint (*.execute-api.REGION.amazonaws.com). Genesys cannot sign SigV4: under AWS_IAM every call fails with 403, otherwise the endpoint is open or guarded by a shared secret. Use the AWS Lambda data actions integration instead.",
  messages: {
    "lambda-function-url":
      "This web services data action calls the Lambda function URL {{host}}, but Genesys Cloud cannot sign requests with SigV4: with AuthType AWS_IAM every call fails with 403, and with AuthType NONE the function is open to the internet (or guarded only by a shared secret). Invoke the function with an AWS Lambda data action (integration aws-lambda-data-actions, requestUrlTemplate = the function ARN) through a role that Genesys assumes with an external ID.",
    "api-gateway":
      "This web services data action calls the API Gateway endpoint {{host}}, but Genesys Cloud cannot sign requests with SigV4: with AWS_IAM authorization every call fails with 403, otherwise the API is open to the internet or guarded only by a shared API key. If it fronts a Lambda function, invoke that function with an AWS Lambda data action (integration aws-lambda-data-actions) through a role that Genesys assumes with an external ID.",
  },
  create(ctx) {
    return {
      dataAction(a) {
        if (a.url === undefined || dataActionKind(a) !== "rest") return;
        const ep = awsEndpointKind(a.url);
        if (!ep) return;
        const start = a.url.indexOf(ep.host);
        ctx.report({
          origin: a.origin,
          node: a.urlNode,
          range: start >= 0 ? valueSubRange(a.origin.file, a.urlNode, a.url, start, start + ep.host.length) : undefined,
          messageId: ep.kind,
          data: { host: ep.host },
        });
      },
    };
  },
});
