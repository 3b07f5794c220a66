resource "aws_iam_policy" "bad" {
  name = "bad"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Permit"
      Action   = "lambda:InvokeFunction"
      Resource = "arn:aws:lambda:us-east-1:123456789012:function:orders"
    }]
  })
}
