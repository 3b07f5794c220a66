variable "organization_id" {
  type = string
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::765628985471:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.organization_id]
    }
  }
}

resource "aws_iam_role" "genesys" {
  name               = "genesys-data-actions"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "invoke" {
  role   = aws_iam_role.genesys.id
  policy = data.aws_iam_policy_document.invoke.json
}

data "aws_iam_policy_document" "invoke" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:us-east-1:123456789012:function:orders"]
  }
}
