resource "aws_iam_role" "exec" {
  name = "orders-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "orders"
  role          = aws_iam_role.exec.arn
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.fn.arn
  function_version = "3"
}

# The URL of the alias, and a public permission on the alias (function_name is the alias ARN): they are linked
# through the alias to its function.
resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.fn.function_name
  qualifier          = aws_lambda_alias.live.name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "public" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_alias.live.arn
  principal              = "*"
  function_url_auth_type = "NONE"
}
