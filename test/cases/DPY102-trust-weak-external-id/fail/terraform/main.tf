data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [local.genesys_account_arn]
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

data "aws_iam_policy_document" "like" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["765628985471"]
    }
    condition {
      test     = "StringLike"
      variable = "sts:ExternalId"
      values   = ["*"]
    }
  }
}

resource "aws_iam_role" "like" {
  name               = "genesys-like"
  assume_role_policy = data.aws_iam_policy_document.like.json
}
