provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["123456789012"]
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = aws_iam_role.lambda.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "orders.zip"
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.orders.function_name
  function_version = "1"
}

resource "aws_iam_role" "lambda" {
  name = "orders-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::765628985471:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = ["b7a6f1c2-5d4e-4f3a-9b8c-1d2e3f4a5b6c"]
    }
  }
}

resource "aws_iam_role" "genesys" {
  name               = "genesys-data-actions"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "invoke" {
  role   = aws_iam_role.genesys.id
  policy = data.aws_iam_policy_document.invoke.json
}

# The unqualified function ARN: it does not cover the alias the data action invokes.
data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.orders.arn]
  }
}
