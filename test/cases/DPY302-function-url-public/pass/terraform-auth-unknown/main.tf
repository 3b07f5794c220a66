# The auth type comes from a variable without a value: deputy cannot know it, so it reports nothing.
variable "url_auth_type" {
  type = string
}

resource "aws_iam_role" "exec" {
  name = "webhook-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "webhook" {
  function_name = "webhook"
  role          = aws_iam_role.exec.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "webhook.zip"
}

resource "aws_lambda_function_url" "webhook" {
  function_name      = aws_lambda_function.webhook.function_name
  authorization_type = var.url_auth_type
}
