# A function Genesys Cloud calls (its name says so): the message points at the AWS Lambda data action instead.
resource "aws_iam_role" "exec" {
  name = "genesys-callback-lookup-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "lookup" {
  function_name = "genesys-callback-lookup"
  role          = aws_iam_role.exec.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "genesys-callback-lookup.zip"
}

resource "aws_lambda_function_url" "lookup" {
  function_name      = aws_lambda_function.lookup.function_name
  authorization_type = "NONE"
}
