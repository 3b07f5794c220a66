# A condition that narrows but does not bind, and a policy that is both a boundary and attached (so it grants).
data "aws_iam_policy_document" "scanner" {
  statement {
    actions   = ["ec2:DeleteSnapshot"]
    resources = ["*"]
    condition {
      test     = "StringNotEquals"
      variable = "aws:ResourceTag/owner"
      values   = ["someone-else"]
    }
  }
  statement {
    actions   = ["sts:AssumeRole"]
    resources = ["arn:aws:iam::*:role/*"]
  }
}

resource "aws_iam_policy" "shared" {
  name = "shared"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:DeleteObject"], Resource = "*" }]
  })
}

resource "aws_iam_role" "worker" {
  name                 = "worker"
  permissions_boundary = aws_iam_policy.shared.arn
  managed_policy_arns  = [aws_iam_policy.shared.arn]
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
