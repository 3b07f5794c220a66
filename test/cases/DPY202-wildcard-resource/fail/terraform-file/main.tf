# Policies read from files of the module: file() as written, templatefile() with its variables.
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "read" {
  role   = aws_iam_role.app.id
  policy = file("${path.module}/policies/read.json.tftpl")
}

resource "aws_iam_role_policy" "queue" {
  role   = aws_iam_role.app.id
  policy = templatefile("${path.module}/policies/queue.json.tftpl", { queue = "*" })
}
