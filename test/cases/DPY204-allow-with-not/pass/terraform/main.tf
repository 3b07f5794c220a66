data "aws_iam_policy_document" "deny" {
  statement {
    effect      = "Deny"
    not_actions = ["lambda:InvokeFunction"]
    resources   = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
}
