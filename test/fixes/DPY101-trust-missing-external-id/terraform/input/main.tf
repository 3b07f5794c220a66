locals {
  genesys_account_arn = "arn:aws:iam::765628985471:root"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = [local.genesys_account_arn]
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
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "arn:aws:iam::765628985471:root" }
    }]
  })
}

resource "aws_iam_role" "heredoc" {
  name               = "genesys-heredoc"
  assume_role_policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "sts:AssumeRole",
          "Principal": { "AWS": "${local.genesys_account_arn}" }
        }
      ]
    }
  EOF
}
