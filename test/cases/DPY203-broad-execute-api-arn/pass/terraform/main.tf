data "aws_iam_policy_document" "api" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/POST/orders"]
  }
}
