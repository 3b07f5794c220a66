locals {
  genesys_account_arn = "arn:aws:iam::765628985471:root"
}

variable "organization_id" {
  type = string
}

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

# Statements built by a dynamic block are unknown: no finding.
variable "trusted" {
  type = list(object({ arn = string }))
}

data "aws_iam_policy_document" "dynamic" {
  dynamic "statement" {
    for_each = var.trusted
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [statement.value.arn]
      }
    }
  }
}

resource "aws_iam_role" "dynamic" {
  name               = "dynamic-trust"
  assume_role_policy = data.aws_iam_policy_document.dynamic.json
}

# A principal from a variable without a value is unknown.
variable "partner_account" {
  type = string
}

resource "aws_iam_role" "partner" {
  for_each = toset(["a", "b"])
  name     = "partner-${each.key}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::${var.partner_account}:root" } }]
  })
}
