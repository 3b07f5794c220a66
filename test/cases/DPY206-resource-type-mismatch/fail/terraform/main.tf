data "aws_iam_policy_document" "mismatch" {
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["arn:aws:s3:::orders-bucket"]
  }
}
