data "aws_iam_policy_document" "typo" {
  statement {
    actions   = ["lambda:InvokeFuntion"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
}
