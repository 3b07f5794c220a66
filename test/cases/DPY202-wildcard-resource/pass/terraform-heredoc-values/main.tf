# The same shapes, scoped: named ARNs, and values deputy cannot know (a variable without a default, a data source).
variable "table_arns" {
  type = list(string)
}

data "aws_s3_bucket" "uploads" {
  bucket = "uploads"
}

resource "aws_iam_role" "writer" {
  name = "writer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "uploads" {
  role   = aws_iam_role.writer.id
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": ${jsonencode(["${data.aws_s3_bucket.uploads.arn}/*"])}
    },
    {
      "Effect": "Allow",
      "Action": ["dynamodb:PutItem"],
      "Resource": ${jsonencode(var.table_arns)}
    },
    {
      "Effect": "Allow",
      "Action": "dynamodb:GetItem",
      "Resource": ${jsonencode("arn:aws:dynamodb:eu-west-1:123456789012:table/orders")}
    }
  ]
}
EOF
}

resource "aws_iam_role_policy" "cleanup" {
  role   = aws_iam_role.writer.id
  policy = templatefile("${path.module}/policies/writer.json.tpl", { tables = ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"] })
}

resource "aws_iam_role_policy" "cleanup_unknown" {
  role   = aws_iam_role.writer.id
  policy = templatefile("${path.module}/policies/writer.json.tpl", { tables = var.table_arns })
}
