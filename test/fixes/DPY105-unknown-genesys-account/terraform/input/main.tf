data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::765628985741:root"] # Genesys Cloud
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.genesys_org_id]
    }
  }
}

variable "genesys_org_id" {
  type = string
}

resource "aws_iam_role" "genesys" {
  name               = "genesys-data-actions"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role" "inline" {
  name = "genesys-inline"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "765628985417" }
      Condition = { StringEquals = { "sts:ExternalId" = var.genesys_org_id } }
    }]
  })
}
