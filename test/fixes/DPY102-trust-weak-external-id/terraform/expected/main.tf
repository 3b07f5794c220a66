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
      values   = ["011a0480-9a1e-4da9-8cdd-2642474cf92a"]
    }
  }
}

resource "aws_iam_role" "genesys" {
  name               = "genesys-data-actions"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "inline" {
  name = "genesys-inline"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::765628985471:root" }
      Condition = { StringEquals = { "sts:ExternalId" = "011a0480-9a1e-4da9-8cdd-2642474cf92a" } }
    }]
  })
}
