resource "aws_iam_policy" "admin" {
  name = "too-broad"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:*"]
      Resource = "arn:aws:lambda:us-east-1:123456789012:function:orders"
    }]
  })
}

data "aws_iam_policy_document" "iam" {
  statement {
    actions   = ["iam:*"]
    resources = ["*"]
  }
}
