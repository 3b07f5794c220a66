# JSON policies whose interpolations stand where JSON values do: Terraform puts the JSON text of jsonencode() there,
# in a heredoc as in a templatefile() template.
variable "writable_tables" {
  type    = list(string)
  default = ["*"]
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
      "Resource": ${jsonencode(["*"])}
    },
    {
      "Effect": "Allow",
      "Action": ["dynamodb:PutItem"],
      "Resource": ${jsonencode(var.writable_tables)}
    }
  ]
}
EOF
}

resource "aws_iam_role_policy" "cleanup" {
  role   = aws_iam_role.writer.id
  policy = templatefile("${path.module}/policies/writer.json.tpl", { tables = ["*"] })
}
