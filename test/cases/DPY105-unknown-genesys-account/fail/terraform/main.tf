variable "organization_id" {
  type = string
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::765628985417:root"]
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
