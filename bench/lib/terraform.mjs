// Synthetic Terraform repositories for the benchmark's Terraform row: blueprint-style projects (a root module with
// variables, locals and tfvars calling local modules for the Lambda and its roles, the Genesys integration and the
// data action, plus a remote module), in the shapes of the public Genesys blueprints (see
// /work/shared/reference/terraform.md). A share of them carry the mistakes deputy looks for (no external ID, a
// wildcard resource, a literal header secret, a public function URL), others use for_each and dynamic blocks.
// Written to .bench/terraform-<N>/ (N files), deterministic from the seed, cached like the JSON/YAML corpus.

import fs from "node:fs";
import path from "node:path";
import { Rng, mixSeed } from "./prng.mjs";

export const TERRAFORM_GENERATOR_VERSION = 1;

const WORDS = ["orders", "callback", "ivr", "customer", "lookup", "sentiment", "routing", "agent", "billing", "crm", "survey", "sms", "chat", "ticket", "payment"];

/** The files of one project (relative path -> text). About 14 files. */
function project(rng, i) {
  const prefix = `${rng.pick(WORDS)}-${rng.pick(WORDS)}-${i}`;
  const account = rng.account();
  const region = rng.pick(["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]);
  const noExternalId = rng.chance(0.2);
  const wildcard = rng.chance(0.2);
  const secret = rng.chance(0.1);
  const publicUrl = rng.chance(0.1);
  const dynamic = rng.chance(0.3);
  const org = rng.uuid();
  const f = {};
  f["terraform/provider.tf"] = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    genesyscloud = {
      source  = "mypurecloud/genesyscloud"
      version = ">= 1.30.0"
    }
  }
}

provider "aws" {
  region = var.aws_region
}

provider "genesyscloud" {
  sdk_debug = false
}
`;
  f["terraform/variables.tf"] = `variable "aws_region" {
  type        = string
  description = "AWS region"
  default     = "${region}"
}

variable "organizationId" {
  type        = string
  description = "Genesys Cloud organization ID"
}

variable "prefix" {
  type    = string
  default = "${prefix}"
}

variable "environment" {
  type = string
}
`;
  f["terraform/dev.auto.tfvars"] = `organizationId = "${org}"
environment    = "dev"
`;
  f["terraform/locals.tf"] = `locals {
  genesys_cloud_account_arn = "arn:aws:iam::765628985471:root"
  resource_name_prefix      = "\${var.prefix}-\${var.environment}"
  tags = {
    Project     = var.prefix
    Environment = var.environment
  }
}
`;
  f["terraform/main.tf"] = `module "lambda" {
  source                    = "./modules/lambda"
  prefix                    = local.resource_name_prefix
  organization_id           = var.organizationId
  genesys_cloud_account_arn = local.genesys_cloud_account_arn
  aws_region                = var.aws_region
  tags                      = local.tags
}

module "integration" {
  source   = "./modules/integration"
  prefix   = local.resource_name_prefix
  role_arn = module.lambda.data_integration_trusted_role_arn
}

module "data_action" {
  source         = "./modules/data-action"
  prefix         = local.resource_name_prefix
  integration_id = module.integration.integration_id
  lambda_arn     = module.lambda.lambda_arn
}

module "queues" {
  source = "git::https://github.com/GenesysCloudDevOps/genesys-cloud-queues-demo.git?ref=main"
  prefix = local.resource_name_prefix
}
`;
  f["terraform/outputs.tf"] = `output "lambda_arn" {
  value = module.lambda.lambda_arn
}
`;
  const m = "terraform/modules/lambda";
  f[`${m}/variables.tf`] = ["prefix", "organization_id", "genesys_cloud_account_arn", "aws_region"].map((v) => `variable "${v}" {\n  type = string\n}\n`).join("\n") + `\nvariable "tags" {\n  type    = map(string)\n  default = {}\n}\n`;
  f[`${m}/iam.tf`] = `data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "lambda_execution_role_document" {
  version = "2012-10-17"
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      identifiers = ["lambda.amazonaws.com"]
      type        = "Service"
    }
    sid = "LambdaExecutionRole"
  }
}

data "aws_iam_policy_document" "lambda_execution_policy_document" {
  version = "2012-10-17"
  statement {
    effect    = "Allow"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:\${var.aws_region}:\${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/\${var.prefix}-lambda:*"]
  }
}

data "aws_iam_policy_document" "lambda_trustedrole_policy_document" {
  version = "2012-10-17"
  statement {
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [${wildcard ? `"*"` : `"arn:aws:lambda:\${var.aws_region}:\${data.aws_caller_identity.current.account_id}:function:\${var.prefix}-lambda"`}]
  }
}

data "aws_iam_policy_document" "lambda_trustrelationship_policy_document" {
  version = "2012-10-17"
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
${noExternalId ? "" : `    condition {
      test     = "StringEquals"
      values   = [var.organization_id]
      variable = "sts:ExternalId"
    }
`}    principals {
      type        = "AWS"
      identifiers = [var.genesys_cloud_account_arn]
    }
  }
${dynamic ? `  dynamic "statement" {
    for_each = var.tags
    content {
      sid     = statement.key
      actions = ["sts:TagSession"]
      principals {
        type        = "AWS"
        identifiers = [var.genesys_cloud_account_arn]
      }
    }
  }
` : ""}}

resource "aws_iam_role" "lambda_execution_role" {
  name               = "\${var.prefix}-execution-role"
  assume_role_policy = data.aws_iam_policy_document.lambda_execution_role_document.json
  tags               = var.tags
}

resource "aws_iam_policy" "lambda_execution_policy" {
  name   = "\${var.prefix}-execution-policy"
  policy = data.aws_iam_policy_document.lambda_execution_policy_document.json
}

resource "aws_iam_role_policy_attachment" "lambda_execution" {
  role       = aws_iam_role.lambda_execution_role.name
  policy_arn = aws_iam_policy.lambda_execution_policy.arn
}

resource "aws_iam_role" "data_integration_trusted_role" {
  name               = "\${var.prefix}-genesys-role"
  description        = "Role Genesys Cloud assumes to invoke \${var.prefix}"
  assume_role_policy = data.aws_iam_policy_document.lambda_trustrelationship_policy_document.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "data_integration_invoke" {
  name   = "\${var.prefix}-invoke"
  role   = aws_iam_role.data_integration_trusted_role.id
  policy = data.aws_iam_policy_document.lambda_trustedrole_policy_document.json
}
`;
  f[`${m}/lambda.tf`] = `resource "aws_lambda_function" "lambda" {
  function_name    = "\${var.prefix}-lambda"
  filename         = "\${path.module}/lambda.zip"
  source_code_hash = filebase64sha256("\${path.module}/lambda.zip")
  role             = aws_iam_role.lambda_execution_role.arn
  handler          = "index.handler"
  runtime          = "nodejs20.x"
  timeout          = 10
  environment {
    variables = {
      REGION = var.aws_region
    }
  }
}

resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.lambda.function_name
  authorization_type = "${publicUrl ? "NONE" : "AWS_IAM"}"
}
${publicUrl ? `
resource "aws_lambda_permission" "public_url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.lambda.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}
` : ""}`;
  f[`${m}/outputs.tf`] = `output "lambda_arn" {
  value = aws_lambda_function.lambda.arn
}

output "data_integration_trusted_role_arn" {
  value = aws_iam_role.data_integration_trusted_role.arn
}
`;
  f["terraform/modules/integration/main.tf"] = `variable "prefix" {
  type = string
}

variable "role_arn" {
  type = string
}

resource "genesyscloud_integration_credential" "credential" {
  name                 = "\${var.prefix}-credential"
  credential_type_name = "amazonWebServicesARN"
  fields = {
    ARN = var.role_arn
  }
}

resource "genesyscloud_integration" "integration" {
  intended_state   = "ENABLED"
  integration_type = "aws-lambda-data-actions"
  config {
    name = "\${var.prefix}-integration"
    credentials = {
      "AmazonWebServicesARN" : "\${genesyscloud_integration_credential.credential.id}"
    }
  }
}

output "integration_id" {
  value = genesyscloud_integration.integration.id
}
`;
  f["terraform/modules/data-action/main.tf"] = `variable "prefix" {
  type = string
}

variable "integration_id" {
  type = string
}

variable "lambda_arn" {
  type = string
}

resource "genesyscloud_integration_action" "action" {
  name           = "\${var.prefix}-action"
  category       = "\${var.prefix}-integration"
  integration_id = var.integration_id
  secure         = false
  contract_input = jsonencode({
    "type" = "object",
    "properties" = {
      "OrderNumber" = { "type" = "string" }
    }
  })
  contract_output = jsonencode({
    "type" = "object",
    "properties" = {
      "Status" = { "type" = "string" }
    }
  })
  config_request {
    request_url_template = var.lambda_arn
    request_type         = "POST"
    request_template     = "$\${input.rawRequest}"
    headers = {
      ${secret ? `Authorization = "Bearer ${rng.hex(32, false)}"` : `UserAgent = "PureCloudIntegrations/1.0"`}
    }
  }
  config_response {
    translation_map          = {}
    translation_map_defaults = {}
    success_template         = "$\${rawResult}"
  }
}
`;
  f["README.md"] = `# ${prefix}\n\nA synthetic blueprint-style Terraform project (deputy benchmark, account ${account}).\n`;
  return f;
}

/** Makes sure .bench/terraform-<N> holds N .tf/.tfvars/other files for this seed; returns { dir, files, bytes, generated }. */
export function ensureTerraformCorpus(benchDir, n, seed, log = () => {}) {
  const dir = path.join(benchDir, `terraform-${n}`);
  const stampFile = `${dir}.stamp.json`;
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
    if (stamp.generator === TERRAFORM_GENERATOR_VERSION && stamp.seed === seed && stamp.n === n && fs.existsSync(dir)) return { dir, ...stamp, generated: false };
  } catch {
    /* not there yet */
  }
  log(`generating a ${n}-file Terraform repository (seed ${seed}) ...`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, ".git"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".git", "description"), "Synthetic deputy benchmark corpus (bench/lib/terraform.mjs); this folder only marks the repository root.\n");
  let files = 0;
  let bytes = 0;
  for (let i = 0; files < n; i++) {
    const rng = new Rng(mixSeed(seed, "terraform", i));
    for (const [rel, text] of Object.entries(project(rng, i))) {
      if (files >= n) break;
      const p = path.join(dir, `project-${String(i).padStart(4, "0")}`, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
      files++;
      bytes += Buffer.byteLength(text);
    }
  }
  const stamp = { generator: TERRAFORM_GENERATOR_VERSION, seed, n, files, bytes };
  fs.writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + "\n");
  return { dir, ...stamp, generated: true };
}
