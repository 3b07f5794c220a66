data "aws_iam_policy_document" "bad" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:us-east-1:12345678901:function:orders"]
  }
}
