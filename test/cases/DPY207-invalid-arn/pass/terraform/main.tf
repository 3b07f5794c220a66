variable "account_id" {
  type = string
}

data "aws_iam_policy_document" "ok" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:us-east-1:${var.account_id}:function:orders"]
  }
}
