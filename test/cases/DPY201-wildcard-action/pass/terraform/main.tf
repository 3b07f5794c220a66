variable "actions" {
  type = list(string)
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
  statement {
    actions   = var.actions
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
}
