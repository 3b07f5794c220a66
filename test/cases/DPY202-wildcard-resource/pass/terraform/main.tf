variable "aws_region" {
  type = string
}

data "aws_caller_identity" "current" {}

locals {
  resource_name_prefix = "orders"
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:${var.aws_region}:${data.aws_caller_identity.current.account_id}:function:${local.resource_name_prefix}-lambda"]
  }
}
