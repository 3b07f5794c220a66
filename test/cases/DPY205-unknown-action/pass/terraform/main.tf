variable "service" {
  type = string
}

data "aws_iam_policy_document" "ok" {
  statement {
    actions   = ["lambda:InvokeFunction", "${var.service}:Get*"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
}
