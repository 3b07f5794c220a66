data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [local.genesys_cloud_account_arn]
    }
  }
}

resource "aws_iam_role" "trusted" {
  name               = "${local.resource_name_prefix}-genesys-role"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "invoke" {
  statement {
    effect    = "Allow"
    actions   = ["lambda:*"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:${local.resource_name_prefix}-refunds"]
  }
}

resource "aws_iam_role_policy" "invoke" {
  name   = "invoke"
  role   = aws_iam_role.trusted.id
  policy = data.aws_iam_policy_document.invoke.json
}
