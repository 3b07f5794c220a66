data "aws_iam_policy_document" "api" {
  statement {
    actions   = ["execute-api:Invoke"]
    resources = ["arn:aws:execute-api:*:*:*"]
  }
}
